/*
 * paging.h: the monitor's page tables: the region at the top of linear memory, temporary
 * mapping slots that reach any physical frame, and small mappings below the region.
 */
#ifndef ARCH_X86_PAGING_H
#define ARCH_X86_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_P    0x001u
#define PTE_RW   0x002u
#define PTE_US   0x004u
#define PTE_PS   0x080u
#define PTE_ADDR 0xFFFFF000u

/* Temporary mapping slots, one per user so that nesting is impossible by construction. */
enum tmp_slot {
    TMP_SLOT_PHYS_COPY,
    TMP_SLOT_PAGE_TABLE,
    TMP_SLOT_SELFTEST_A,
    TMP_SLOT_SELFTEST_B,
    TMP_SLOT_LOOKUP,
    TMP_SLOT_CONSOLE,
    TMP_SLOT_GUEST,
    TMP_SLOT_DISPLAY,
};

extern uint32_t mon_pd[1024];
extern uint32_t mon_pt[1024];

/* Tightens the boot mappings: text, read-only data and nexus code read-only, all supervisor. */
void paging_init(void);
/*
 * Maps the nexus pages a second time at window (page-aligned, in the monitor region, where
 * nothing else is mapped), for ring 3: the pages before the nexus data pages user read-only, the
 * data pages user read-write. The TLB entries of the window are flushed.
 */
void paging_map_nexus_window(uint32_t window);
/* Unmaps the window mapped at window, with its TLB entries. */
void paging_unmap_nexus_window(uint32_t window);
/* Removes the identity map of the first 4 MiB that the boot code needed. */
void paging_drop_identity(void);

void *tmp_map(enum tmp_slot slot, uint32_t phys);
void tmp_unmap(enum tmp_slot slot);

/* Copies from physical memory, any alignment and length, through a temporary slot. */
void phys_read(uint32_t phys, void *dst, size_t len);
/* Copies a NUL-terminated string from physical memory, at most cap-1 bytes; true if it fit. */
bool phys_read_string(uint32_t phys, char *dst, size_t cap);

/*
 * Maps one page below the monitor region in the monitor's own page directory, allocating the
 * page table from the frame allocator. Returns false when no frame is left.
 */
bool paging_map(uint32_t linear, uint32_t phys, uint32_t flags);
void paging_unmap(uint32_t linear);
/* The page table entry for a linear address, or 0 when it is not mapped. */
uint32_t paging_lookup(uint32_t linear);
/* Physical address behind a monitor-region virtual address. */
uint32_t mon_virt_to_phys(const void *p);

#endif
