/*
 * pic8259.c: programs the real 8259A pair: ICW1-ICW4 to move the IRQs away from the CPU exception
 * vectors, OCW1 masks, OCW2 non-specific EOI, OCW3 to read the in-service register when an IRQ 7
 * or 15 might be spurious.
 */
#include "arch/x86/pic8259.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1
#define OCW2_EOI  0x20
#define OCW3_ISR  0x0B

static uint16_t mask = 0xFFFF;

static void write_mask(void)
{
    outb(PIC1_DATA, (uint8_t)mask);
    outb(PIC2_DATA, (uint8_t)(mask >> 8));
}

void pic8259_init(void)
{
    outb(PIC1_CMD, 0x11); /* ICW1: edge, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, IRQ_BASE_VECTOR);
    outb(PIC2_DATA, IRQ_BASE_VECTOR + 8);
    outb(PIC1_DATA, 0x04); /* slave on IRQ2 */
    outb(PIC2_DATA, 0x02); /* slave identity */
    outb(PIC1_DATA, 0x01); /* 8086 mode, normal EOI */
    outb(PIC2_DATA, 0x01);
    mask = 0xFFFF & ~(1u << 2);
    write_mask();
}

void pic8259_unmask(unsigned irq)
{
    mask &= (uint16_t) ~(1u << irq);
    write_mask();
}

void pic8259_mask(unsigned irq)
{
    mask |= (uint16_t)(1u << irq);
    write_mask();
}

static uint8_t read_isr(uint16_t cmd_port)
{
    outb(cmd_port, OCW3_ISR);
    return inb(cmd_port);
}

bool pic8259_irq_is_real(unsigned irq)
{
    if (irq == 7)
        return read_isr(PIC1_CMD) & 0x80;
    if (irq == 15) {
        if (read_isr(PIC2_CMD) & 0x80)
            return true;
        outb(PIC1_CMD, OCW2_EOI); /* the master did see the cascade line */
        return false;
    }
    return true;
}

void pic8259_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
}
