/*
 * guest_space.c: the identity map of guest RAM described in guest_space.h. Page tables come from
 * the frame allocator through paging_map; a protection change rewrites one PTE and flushes it.
 */
#include "monitor/vm/guest_space.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "monitor/guest_mem.h"
#include "monitor/log.h"
#include "monitor/panic.h"

static uint32_t ram_size;

enum guest_mem_kind guest_space_kind(uint32_t phys)
{
    if (phys >= ram_size || phys >= MON_BASE)
        return GUEST_MMIO;
    if (phys >= GUEST_VGA_BASE && phys < GUEST_ROM_BASE)
        return GUEST_MMIO;
    if (phys >= GUEST_ROM_BASE && phys < GUEST_ROM_END)
        return GUEST_ROM;
    return GUEST_RAM;
}

uint8_t *guest_space_ptr(uint32_t phys)
{
    return guest_space_kind(phys) == GUEST_MMIO ? 0 : (uint8_t *)(uintptr_t)phys;
}

static void map_page(uint32_t page, bool writable)
{
    uint32_t flags = PTE_US | (writable ? PTE_RW : 0);
    if (!paging_map(page, guest_mem_host_phys(page), flags))
        panic("no frame left for the guest's page tables");
}

void guest_space_init(uint32_t size)
{
    ram_size = size < MON_BASE ? size : MON_BASE;
    for (uint32_t page = 0; page < ram_size; page += PAGE_SIZE) {
        enum guest_mem_kind kind = guest_space_kind(page);
        if (kind != GUEST_MMIO)
            map_page(page, kind == GUEST_RAM);
    }
    log_info("guest space: %lu KiB of RAM mapped identity, VGA window and ROM emulated",
             (unsigned long)(ram_size >> 10));
}

void guest_space_protect(uint32_t page, bool write_protected)
{
    if (guest_space_kind(page) != GUEST_RAM)
        return;
    map_page(page & PAGE_MASK, !write_protected);
}
