/* Installs the gate that brings ring3_call back to ring 0 (ring-switch.asm holds the switches). */
#include "guest/lib/ring.h"
#include "guest/lib/trap.h"

extern void ring3_return_entry(void);

void ring_init(void)
{
    idt[RING3_RETURN_VECTOR] = desc_gate(SEL_KCODE, (uint32_t)ring3_return_entry, GATE_INTR_USER);
}
