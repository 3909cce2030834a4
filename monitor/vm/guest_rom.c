/*
 * guest_rom.c: fills the guest's ROM range from the real machine's (guest_rom.h). The guest's
 * ROM pages are frames of its RAM block (guest RAM is at least 1 MiB), mapped read-only by
 * guest_space.c and zero until now; the copy goes through the RAM block's own path
 * (guest_mem_write), which that protection does not stop, a page at a time through a buffer
 * because the real ROM is reached through phys_read's temporary slot.
 */
#include "monitor/vm/guest_rom.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "monitor/guest_mem.h"
#include "monitor/log.h"
#include "monitor/vm/guest_space.h"

#include <stdint.h>

void guest_rom_init(void)
{
    static uint8_t page[PAGE_SIZE];
    for (uint32_t phys = GUEST_ROM_BASE; phys < GUEST_ROM_END; phys += PAGE_SIZE) {
        phys_read(phys, page, PAGE_SIZE);
        guest_mem_write(phys, page, PAGE_SIZE);
    }
    log_info("guest ROM: 0x%05lx-0x%05lx copied from the machine", (unsigned long)GUEST_ROM_BASE,
             (unsigned long)(GUEST_ROM_END - 1));
}
