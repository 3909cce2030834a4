/* The guest's own GDT, LDT and TSS: a fixed layout every test guest shares, so selectors in
   transcripts mean the same thing in every guest. All descriptors are created with their
   accessed bit already set, so the CPU never writes to the tables when segments are loaded and
   LAR results do not depend on which segments happened to be loaded before. */
#ifndef GUEST_LIB_DESC_H
#define GUEST_LIB_DESC_H

#include <stdint.h>

#define SEL_KCODE    0x08 /* ring 0 code, flat, 32-bit */
#define SEL_KDATA    0x10 /* ring 0 data, flat */
#define SEL_UCODE    0x1b /* ring 3 code, flat (index 3, RPL 3) */
#define SEL_UDATA    0x23 /* ring 3 data, flat (index 4, RPL 3) */
#define SEL_TSS      0x28
#define SEL_KCODE2   0x30 /* a second ring 0 code segment, flat: far transfers change CS to it */
#define SEL_LDT      0x38
#define SEL_NP_DATA  0x40 /* data segment marked not present: #NP / #SS when loaded */
#define SEL_CALLGATE 0x4b /* DPL 3 call gate to SEL_KCODE:callgate_entry (RPL 3) */
#define SEL_XO_CODE  0x50 /* execute-only code: VERR fails */
#define SEL_RO_DATA  0x58 /* read-only data: VERW fails */
#define SEL_SMALL    0x60 /* data, base 0x1000, byte-granular limit 0xfff: LSL */
#define SEL_CONF     0x68 /* conforming code, DPL 0 */
#define SEL_DPL1     0x70 /* data, DPL 1 */
#define SEL_SPARE    0x78 /* free for a test's own descriptor */
#define GDT_ENTRIES  16

#define SEL_LDT_DATA 0x0c /* LDT entry 1: ring 0 data, flat */
#define LDT_ENTRIES  2

/* Descriptor access bytes (present, DPL, type with the accessed bit set). */
#define ACC_KCODE    0x9b
#define ACC_KDATA    0x93
#define ACC_UCODE    0xfb
#define ACC_UDATA    0xf3
#define ACC_TSS      0x89
#define ACC_LDT      0x82
#define ACC_CALLGATE 0xec
#define FLAGS_4G     0xc /* G=1, D/B=1 */
#define FLAGS_BYTE   0x4 /* G=0, D/B=1 */

struct dtr {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

struct tss32 {
    uint16_t link, r0;
    uint32_t esp0;
    uint16_t ss0, r1;
    uint32_t esp1;
    uint16_t ss1, r2;
    uint32_t esp2;
    uint16_t ss2, r3;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint16_t es, r4, cs, r5, ss, r6, ds, r7, fs, r8, gs, r9, ldt, r10;
    uint16_t trap, iomap_base;
} __attribute__((packed));

extern uint64_t gdt[GDT_ENTRIES];
extern uint64_t ldt[LDT_ENTRIES];
extern struct tss32 guest_tss;
/* The ring 0 stack the CPU switches to on entry from ring 3 (guest_tss.esp0 is its top). */
#define RING0_STACK_SIZE 8192
#define RING0_STACK_TOP  ((uint32_t)ring0_stack + RING0_STACK_SIZE)
extern uint8_t ring0_stack[RING0_STACK_SIZE];

uint64_t desc_segment(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);
uint64_t desc_gate(uint16_t sel, uint32_t offset, uint8_t access);

/* Builds the tables, loads GDTR, all segment registers, LDTR and TR. */
void desc_init(void);
/* The GDTR value desc_init loaded. */
struct dtr desc_gdtr(void);

#endif
