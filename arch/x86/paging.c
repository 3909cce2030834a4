/*
 * paging.c: the monitor's page directory and the page table of the monitor region.
 *
 * The boot code (boot/entry.asm) filled mon_pt with a plain mapping of the image and put an
 * identity map of the first 4 MiB in boot_pt. Here the image mapping gets its final permissions
 * (text, read-only data and nexus code read-only, all of it supervisor-only), the nexus pages get
 * a second, user-accessible mapping (the window) that can move, and the top slots of the region
 * become temporary windows onto arbitrary physical frames.
 */
#include "arch/x86/paging.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "monitor/frames.h"

#include <string.h>

#define PAGE_ALIGNED __attribute__((aligned(PAGE_SIZE), section(".bss.pagealigned")))

uint32_t mon_pd[1024] PAGE_ALIGNED;
uint32_t mon_pt[1024] PAGE_ALIGNED;
uint32_t boot_pt[1024] PAGE_ALIGNED;

extern char _text_start[], _nexus_start[], _nexus_end[];
extern char nexus_data_start[];

static inline unsigned region_index(uint32_t linear)
{
    return (linear - MON_BASE) >> PAGE_SHIFT;
}

uint32_t mon_virt_to_phys(const void *p)
{
    return (uint32_t)p - HIGH_OFFSET;
}

static void flush_all(void)
{
    write_cr3(read_cr3());
}

void paging_init(void)
{
    /* Code, read-only data and the nexus pages before its data pages: a stray monitor write
     * faults (CR0.WP is on). The nexus pages stay supervisor-only here, where the monitor reaches
     * them: ring 3 sees them only through the window, which moves. */
    for (uint32_t a = (uint32_t)_text_start; a < (uint32_t)nexus_data_start; a += PAGE_SIZE)
        mon_pt[region_index(a)] &= ~PTE_RW;
    /* The PDE must allow user access for the nexus window; every other PTE stays supervisor. */
    mon_pd[MON_PDE] |= PTE_US;
    flush_all();
}

void paging_map_nexus_window(uint32_t window)
{
    for (uint32_t a = (uint32_t)_nexus_start; a < (uint32_t)_nexus_end; a += PAGE_SIZE) {
        uint32_t linear = window + (a - (uint32_t)_nexus_start);
        uint32_t pte = (mon_pt[region_index(a)] & PTE_ADDR) | PTE_P | PTE_US;
        if (a >= (uint32_t)nexus_data_start)
            pte |= PTE_RW;
        mon_pt[region_index(linear)] = pte;
        invlpg(linear);
    }
}

void paging_unmap_nexus_window(uint32_t window)
{
    for (uint32_t a = window; a < window + (uint32_t)(_nexus_end - _nexus_start); a += PAGE_SIZE) {
        mon_pt[region_index(a)] = 0;
        invlpg(a);
    }
}

void paging_drop_identity(void)
{
    mon_pd[0] = 0;
    flush_all();
}

void *tmp_map(enum tmp_slot slot, uint32_t phys)
{
    uint32_t linear = TMP_BASE + (uint32_t)slot * PAGE_SIZE;
    mon_pt[region_index(linear)] = (phys & PTE_ADDR) | PTE_P | PTE_RW;
    invlpg(linear);
    return (void *)(linear + (phys & ~PTE_ADDR));
}

void tmp_unmap(enum tmp_slot slot)
{
    uint32_t linear = TMP_BASE + (uint32_t)slot * PAGE_SIZE;
    mon_pt[region_index(linear)] = 0;
    invlpg(linear);
}

void phys_read(uint32_t phys, void *dst, size_t len)
{
    char *out = dst;
    while (len > 0) {
        size_t chunk = PAGE_SIZE - (phys & ~PTE_ADDR);
        if (chunk > len)
            chunk = len;
        memcpy(out, tmp_map(TMP_SLOT_PHYS_COPY, phys), chunk);
        out += chunk;
        phys += chunk;
        len -= chunk;
    }
    tmp_unmap(TMP_SLOT_PHYS_COPY);
}

bool phys_read_string(uint32_t phys, char *dst, size_t cap)
{
    for (size_t i = 0; i < cap; i++) {
        phys_read(phys + i, &dst[i], 1);
        if (dst[i] == '\0')
            return true;
    }
    dst[cap - 1] = '\0';
    return false;
}

bool paging_map(uint32_t linear, uint32_t phys, uint32_t flags)
{
    unsigned pdi = linear >> 22;
    if (pdi == MON_PDE)
        return false;
    if (!(mon_pd[pdi] & PTE_P)) {
        uint32_t pt = frame_alloc();
        if (pt == FRAME_NONE)
            return false;
        memset(tmp_map(TMP_SLOT_PAGE_TABLE, pt), 0, PAGE_SIZE);
        mon_pd[pdi] = pt | PTE_P | PTE_RW | PTE_US;
    }
    uint32_t *pt = tmp_map(TMP_SLOT_PAGE_TABLE, mon_pd[pdi] & PTE_ADDR);
    pt[(linear >> PAGE_SHIFT) & 1023] = (phys & PTE_ADDR) | flags | PTE_P;
    tmp_unmap(TMP_SLOT_PAGE_TABLE);
    invlpg(linear);
    return true;
}

void paging_unmap(uint32_t linear)
{
    unsigned pdi = linear >> 22;
    if (pdi == MON_PDE || !(mon_pd[pdi] & PTE_P))
        return;
    uint32_t *pt = tmp_map(TMP_SLOT_PAGE_TABLE, mon_pd[pdi] & PTE_ADDR);
    pt[(linear >> PAGE_SHIFT) & 1023] = 0;
    tmp_unmap(TMP_SLOT_PAGE_TABLE);
    invlpg(linear);
}

uint32_t paging_lookup(uint32_t linear)
{
    uint32_t pde = mon_pd[linear >> 22];
    if (!(pde & PTE_P))
        return 0;
    if (pde & PTE_PS)
        return pde;
    if ((linear >> 22) == MON_PDE)
        return mon_pt[region_index(linear)] & PTE_P ? mon_pt[region_index(linear)] : 0;
    uint32_t *pt = tmp_map(TMP_SLOT_LOOKUP, pde & PTE_ADDR);
    uint32_t pte = pt[(linear >> PAGE_SHIFT) & 1023];
    tmp_unmap(TMP_SLOT_LOOKUP);
    return pte & PTE_P ? pte : 0;
}
