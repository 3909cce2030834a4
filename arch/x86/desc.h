/*
 * desc.h: segment descriptors, gates and the TSS, and the monitor's GDT and IDT that hold them.
 */
#ifndef ARCH_X86_DESC_H
#define ARCH_X86_DESC_H

#include <stdint.h>

#include "arch/x86/layout.h"

struct seg_desc {
    uint32_t lo, hi;
};

/* Access byte values (type, S, DPL, P) used by the monitor. */
#define DESC_CODE_R 0x9A /* present, DPL 0, code, readable */
#define DESC_DATA_W 0x92 /* present, DPL 0, data, writable */
#define DESC_TSS32  0x89 /* present, DPL 0, available 32-bit TSS */
#define DESC_DPL(n) ((n) << 5)
#define GATE_INTR32 0x8E /* present, DPL 0, 32-bit interrupt gate (IF cleared) */
#define GATE_TRAP32 0x8F /* present, DPL 0, 32-bit trap gate (IF kept) */

struct tss32 {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));

/* The TSS and its I/O permission bitmap (all ports denied: every guest IN/OUT faults). */
struct tss_with_iomap {
    struct tss32 tss;
    uint8_t iomap[8192 + 1];
} __attribute__((packed));

extern struct seg_desc gdt[GDT_ENTRIES];
extern struct tss_with_iomap mon_tss;

struct seg_desc seg_desc_make(uint32_t base, uint32_t limit, uint8_t access, int big_4k);
void gdt_init(void);
void gdt_set(unsigned index, struct seg_desc d);
/* Sets the nexus code and data segments: one base, their limits. */
void gdt_set_nexus(uint32_t base, uint32_t code_limit, uint32_t data_limit);
/* Gives both nexus segments a new base, limits unchanged (the nexus moved). A segment register
 * loaded before keeps the old base until it is loaded again. */
void gdt_set_nexus_base(uint32_t base);

void idt_init(void);
void idt_set_gate(unsigned vector, uint16_t sel, uint32_t offset, uint8_t type_attr);
/* The stack the CPU switches to on a trap from ring 3. */
void tss_set_esp0(uint32_t esp0);

#endif
