/*
 * idt.c: the monitor's IDT. Every vector enters the ring-0 monitor through an interrupt gate of
 * DPL 0 (so a guest INT n at ring 3 raises #GP and is emulated), except:
 *  - vector 8, a task gate to the double-fault TSS;
 *  - vector 3, the ring-3 handler gate: a DPL-3 trap gate into the nexus code segment, so a
 *    planted INT3 is handled at ring 3 without a privilege switch (set by nexus_init);
 *  - NEXUS_CALL_VECTOR, a DPL-3 gate by which nexus code enters the monitor on purpose.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/trap.h"

struct gate {
    uint16_t off_lo, sel;
    uint8_t zero, type_attr;
    uint16_t off_hi;
} __attribute__((packed));

static struct gate idt[256] __attribute__((aligned(8)));

void idt_set_gate(unsigned vector, uint16_t sel, uint32_t offset, uint8_t type_attr)
{
    idt[vector] = (struct gate){(uint16_t)offset, sel, 0, type_attr, (uint16_t)(offset >> 16)};
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        idt_set_gate(v, SEL_MON_CS, trap_stub_table[v], GATE_INTR32);
    idt_set_gate(TRAP_DF, SEL_DF_TSS, 0, 0x85); /* present, DPL 0, task gate */
    idt_set_gate(NEXUS_CALL_VECTOR, SEL_MON_CS, trap_stub_table[NEXUS_CALL_VECTOR],
                 GATE_INTR32 | DESC_DPL(3));
    struct dtr d = {sizeof(idt) - 1, (uint32_t)idt};
    lidt(&d);
}
