/*
 * gdt.c: the monitor's GDT and TSS.
 *
 * The table has all 8192 entries so that, later, every guest descriptor can be shadowed at its
 * own index (the guest's selectors then need no translation); the monitor's own descriptors take
 * the last eight slots. A second TSS, reached through a task gate, catches double faults on a
 * stack of its own, so a monitor stack overflow still produces a report.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"

#include <string.h>

struct seg_desc gdt[GDT_ENTRIES] __attribute__((aligned(PAGE_SIZE), section(".bss.pagealigned")));
struct tss_with_iomap mon_tss __attribute__((aligned(PAGE_SIZE)));
static struct tss32 df_tss;
static uint8_t df_stack[4096] __attribute__((aligned(16)));

extern void double_fault_task(void);

struct seg_desc seg_desc_make(uint32_t base, uint32_t limit, uint8_t access, int big_4k)
{
    uint32_t flags = 0x4; /* 32-bit */
    if (big_4k) {
        limit >>= 12;
        flags |= 0x8;
    }
    struct seg_desc d;
    d.lo = (limit & 0xFFFF) | (base << 16);
    d.hi = ((base >> 16) & 0xFF) | ((uint32_t)access << 8) | (limit & 0xF0000) | (flags << 20) |
           (base & 0xFF000000);
    return d;
}

void gdt_set(unsigned index, struct seg_desc d)
{
    gdt[index] = d;
}

void gdt_set_nexus(uint32_t base, uint32_t code_limit, uint32_t data_limit)
{
    gdt[GDT_IDX_NEXUS_CS] = seg_desc_make(base, code_limit, DESC_CODE_R | DESC_DPL(3), 0);
    gdt[GDT_IDX_NEXUS_DS] = seg_desc_make(base, data_limit, DESC_DATA_W | DESC_DPL(3), 0);
}

void gdt_set_nexus_base(uint32_t base)
{
    for (unsigned i = GDT_IDX_NEXUS_CS; i <= GDT_IDX_NEXUS_DS; i++) {
        gdt[i].lo = (gdt[i].lo & 0xFFFFu) | (base << 16);
        gdt[i].hi = (gdt[i].hi & 0x00FFFF00u) | ((base >> 16) & 0xFFu) | (base & 0xFF000000u);
    }
}

void tss_set_esp0(uint32_t esp0)
{
    mon_tss.tss.esp0 = esp0;
}

void gdt_init(void)
{
    memset(gdt, 0, sizeof(gdt));
    gdt[GDT_IDX_MON_CS] = seg_desc_make(0, 0xFFFFFFFF, DESC_CODE_R, 1);
    gdt[GDT_IDX_MON_DS] = seg_desc_make(0, 0xFFFFFFFF, DESC_DATA_W, 1);

    memset(&mon_tss, 0, sizeof(mon_tss));
    mon_tss.tss.ss0 = SEL_MON_DS;
    mon_tss.tss.iomap_base = offsetof(struct tss_with_iomap, iomap);
    memset(mon_tss.iomap, 0xFF, sizeof(mon_tss.iomap));
    gdt[GDT_IDX_TSS] = seg_desc_make((uint32_t)&mon_tss, sizeof(mon_tss) - 1, DESC_TSS32, 0);

    memset(&df_tss, 0, sizeof(df_tss));
    df_tss.cr3 = read_cr3();
    df_tss.eip = (uint32_t)double_fault_task;
    df_tss.eflags = EFLAGS_RSVD;
    df_tss.esp = (uint32_t)(df_stack + sizeof(df_stack));
    df_tss.cs = SEL_MON_CS;
    df_tss.ss = df_tss.ds = df_tss.es = SEL_MON_DS;
    df_tss.iomap_base = sizeof(df_tss);
    gdt[GDT_IDX_DF_TSS] = seg_desc_make((uint32_t)&df_tss, sizeof(df_tss) - 1, DESC_TSS32, 0);

    struct dtr d = {sizeof(gdt) - 1, (uint32_t)gdt};
    lgdt(&d);
    __asm__ volatile("ljmp %0, $1f\n1:\n"
                     "mov %1, %%ds\n mov %1, %%es\n mov %1, %%ss\n"
                     "xor %%eax, %%eax\n mov %%ax, %%fs\n mov %%ax, %%gs\n"
                     :
                     : "i"(SEL_MON_CS), "r"(SEL_MON_DS)
                     : "eax", "memory");
    ltr(SEL_TSS);
}
