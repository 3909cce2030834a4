/* The 8259A PIC pair and the 8254 PIT channel 0, as the guests use them: IRQs remapped to
   vectors 0x20-0x2f and all masked at start, the PIT as a periodic IRQ 0 source. */
#ifndef GUEST_LIB_TIMER_H
#define GUEST_LIB_TIMER_H

#include <stdint.h>

#define PIC_VECTOR_BASE 0x20
#define PIT_HZ          1193182u

/* ICW1-4: master at 0x20, slave at 0x28, cascade on IRQ 2, 8086 mode; every IRQ masked. */
void pic_init(void);
void pic_set_mask(uint16_t mask); /* bit n masks IRQ n (slave in the high byte) */
uint16_t pic_get_mask(void);
uint16_t pic_read_irr(void);
uint16_t pic_read_isr(void);
void pic_eoi(unsigned irq);

/* Channel 0 in rate-generator mode with this divisor (IRQ 0 every divisor/PIT_HZ seconds). */
void pit_periodic(uint16_t divisor);

#endif
