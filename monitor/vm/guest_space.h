/*
 * guest_space.h: the linear address space guest code runs in while guest paging is off. Guest
 * RAM is mapped identity (guest linear = guest physical) as user pages in the monitor's own page
 * directory, below the monitor region, so the monitor reaches guest memory at the guest's own
 * addresses and needs no second mapping. Pages the guest must not touch natively are left out:
 * the VGA window (emulated MMIO), addresses beyond RAM (unassigned, emulated), the monitor
 * region; ROM and scanned code are mapped read-only.
 */
#ifndef MONITOR_VM_GUEST_SPACE_H
#define MONITOR_VM_GUEST_SPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpu.h"

#define GUEST_VGA_BASE 0x000A0000u
#define GUEST_ROM_BASE 0x000C0000u
#define GUEST_ROM_END  0x00100000u

enum guest_mem_kind {
    GUEST_RAM,  /* plain memory */
    GUEST_ROM,  /* reads work, writes are dropped */
    GUEST_MMIO, /* a device on the bus, or nothing (reads all ones) */
};

/* Maps guest RAM (ram_size bytes) and leaves the rest unmapped. */
void guest_space_init(uint32_t ram_size);

enum guest_mem_kind guest_space_kind(uint32_t phys);

/* The bytes of a RAM or ROM page, at the guest's address; NULL for MMIO. */
uint8_t *guest_space_ptr(uint32_t phys);

/* Write-protects a RAM page (scanned code) or lifts that protection. */
void guest_space_protect(uint32_t page, bool write_protected);

/* The monitor writes guest pages it has write-protected (planting INT3s, watched writes): CR0.WP
 * is off only for that span, so a stray monitor write to its own text still faults elsewhere. */
static inline uint32_t guest_space_unlock(void)
{
    uint32_t cr0 = read_cr0();
    write_cr0(cr0 & ~CR0_WP);
    return cr0;
}

static inline void guest_space_relock(uint32_t cr0)
{
    write_cr0(cr0);
}

#endif
