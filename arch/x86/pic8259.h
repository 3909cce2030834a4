/*
 * pic8259.h: the machine's real 8259A pair, as the monitor uses it for its own interrupts.
 */
#ifndef ARCH_X86_PIC8259_H
#define ARCH_X86_PIC8259_H

#include <stdbool.h>

/* Remaps IRQ 0-15 to vectors IRQ_BASE_VECTOR.., all lines masked. */
void pic8259_init(void);
void pic8259_unmask(unsigned irq);
void pic8259_mask(unsigned irq);
/* False for a spurious IRQ 7/15 (no bit in the in-service register), which needs no EOI. */
bool pic8259_irq_is_real(unsigned irq);
void pic8259_eoi(unsigned irq);

#endif
