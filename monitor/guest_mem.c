/*
 * guest_mem.c: the guest's RAM block. The monitor reaches it page by page through a temporary
 * mapping slot of its own; guest code will reach it through the page tables it runs on.
 */
#include "monitor/guest_mem.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "monitor/frames.h"
#include "monitor/panic.h"

#include <string.h>

static uint32_t base, size;

bool guest_mem_init(uint32_t bytes)
{
    uint32_t block = frames_alloc_contiguous(bytes / PAGE_SIZE);
    if (block == FRAME_NONE)
        return false;
    base = block;
    size = bytes;
    guest_mem_write(0, NULL, bytes);
    return true;
}

uint32_t guest_mem_size(void)
{
    return size;
}

uint32_t guest_mem_host_phys(uint32_t gpa)
{
    if (gpa >= size)
        panic("guest-physical address %#lx is outside guest RAM", (unsigned long)gpa);
    return base + gpa;
}

void guest_mem_write(uint32_t gpa, const void *src, uint32_t len)
{
    if (gpa > size || len > size - gpa)
        panic("guest RAM write %#lx+%#lx is outside guest RAM", (unsigned long)gpa,
              (unsigned long)len);
    const char *in = src;
    while (len > 0) {
        uint32_t chunk = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
        if (chunk > len)
            chunk = len;
        void *dst = tmp_map(TMP_SLOT_GUEST, base + gpa);
        if (in) {
            memcpy(dst, in, chunk);
            in += chunk;
        } else {
            memset(dst, 0, chunk);
        }
        gpa += chunk;
        len -= chunk;
    }
    tmp_unmap(TMP_SLOT_GUEST);
}
