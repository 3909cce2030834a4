/* PIC and PIT programming (see timer.h). */
#include "guest/lib/timer.h"
#include "guest/lib/io.h"

enum {
    PIC1_CMD = 0x20,
    PIC1_DATA = 0x21,
    PIC2_CMD = 0xa0,
    PIC2_DATA = 0xa1,
    PIT_CH0 = 0x40,
    PIT_MODE = 0x43,
};

#define ICW1_INIT_ICW4     0x11
#define ICW4_8086          0x01
#define OCW3_READ_IRR      0x0a
#define OCW3_READ_ISR      0x0b
#define OCW2_EOI           0x20
#define PIT_CH0_LOHI_MODE2 0x34

void pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, PIC_VECTOR_BASE);
    outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
    outb(PIC1_DATA, 1 << 2); /* slave on IRQ 2 */
    outb(PIC2_DATA, 2);      /* slave identity */
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    pic_set_mask(0xffff);
}

void pic_set_mask(uint16_t mask)
{
    outb(PIC1_DATA, mask & 0xff);
    outb(PIC2_DATA, mask >> 8);
}

uint16_t pic_get_mask(void)
{
    return inb(PIC1_DATA) | (uint16_t)inb(PIC2_DATA) << 8;
}

static uint16_t pic_read_reg(uint8_t ocw3)
{
    outb(PIC1_CMD, ocw3);
    outb(PIC2_CMD, ocw3);
    return inb(PIC1_CMD) | (uint16_t)inb(PIC2_CMD) << 8;
}

uint16_t pic_read_irr(void)
{
    return pic_read_reg(OCW3_READ_IRR);
}

uint16_t pic_read_isr(void)
{
    return pic_read_reg(OCW3_READ_ISR);
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
}

void pit_periodic(uint16_t divisor)
{
    outb(PIT_MODE, PIT_CH0_LOHI_MODE2);
    outb(PIT_CH0, divisor & 0xff);
    outb(PIT_CH0, divisor >> 8);
}
