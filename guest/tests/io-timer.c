/* Port I/O and interrupts from devices: port 0x80, the CMOS RTC registers, the PIC's mask and
   status registers, the UART's registers, and PIT timer interrupts through the PIC: ticks arrive
   while halted and while spinning, are held while IF is clear or the IRQ is masked, and are
   delivered as soon as they are allowed. Only timing-independent facts are printed. */
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/serial.h"
#include "guest/lib/test.h"
#include "guest/lib/timer.h"
#include "guest/lib/trap.h"

const char guest_name[] = "io-timer";

#define SPIN_LIMIT  50000000u
#define PIT_DIVISOR 11932 /* about 100 Hz */

static void port80_tests(void)
{
    outb(0x80, 0x5a);
    uint8_t v = inb(0x80);
    gprintf("port 0x80 reads %#x after writing 0x5a\n", v);
    outw(0x80, 0x1234);
    gprintf("16-bit OUT to port 0x80: ran\n");
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static bool valid_bcd(uint8_t v, uint8_t max)
{
    return (v & 0xf) <= 9 && (v >> 4) <= 9 && (v >> 4) * 10 + (v & 0xf) <= max;
}

static void cmos_tests(void)
{
    uint8_t a = cmos_read(0x0a), b = cmos_read(0x0b), d = cmos_read(0x0d);
    gprintf("cmos status A (without UIP) %#x, B %#x, D %#x\n", a & 0x7f, b, d);
    check(d & 0x80, "CMOS reports valid RAM and time");
    uint8_t sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);
    uint8_t day = cmos_read(0x07), mon = cmos_read(0x08);
    if (!(b & 0x04)) {
        check(valid_bcd(sec, 59) && valid_bcd(min, 59) && valid_bcd(hour & 0x7f, 23) &&
                  valid_bcd(day, 31) && valid_bcd(mon, 12),
              "CMOS time and date are valid BCD");
    } else {
        check(sec <= 59 && min <= 59 && (hour & 0x7f) <= 23 && day <= 31 && mon <= 12,
              "CMOS time and date are valid binary");
    }
}

static void pic_tests(void)
{
    pic_set_mask(0xa5c3);
    uint16_t m = pic_get_mask();
    check(m == 0xa5c3, "PIC mask registers read back %#x", m);
    pic_set_mask(0xffff);
    check(pic_get_mask() == 0xffff, "PIC masks everything again");
    check(pic_read_isr() == 0, "no IRQ in service");
}

static void uart_tests(void)
{
    outb(COM1_BASE + 7, 0x5a);
    check(inb(COM1_BASE + 7) == 0x5a, "UART scratch register round trip");
    check(inb(COM1_BASE + 3) == 0x03, "UART LCR reads 8N1 (%#x)", inb(COM1_BASE + 3));
    check(inb(COM1_BASE + 1) == 0, "UART IER reads 0");
    uint8_t iir = inb(COM1_BASE + 2);
    check(iir == 0xc1, "UART IIR: FIFOs on, no interrupt pending (%#x)", iir);
    check((inb(COM1_BASE + 4) & 0x1f) == 0x0b, "UART MCR reads DTR, RTS, OUT2");
}

static volatile unsigned ticks;
static volatile bool isr_seen_in_handler;

static void timer_handler(struct trap_frame *f)
{
    if (pic_read_isr() & 1)
        isr_seen_in_handler = true;
    ticks++;
    pic_eoi(0);
}

static bool irr_wait(void)
{
    for (unsigned i = 0; i < SPIN_LIMIT; i++)
        if (pic_read_irr() & 1)
            return true;
    return false;
}

static void timer_tests(void)
{
    idt_set(PIC_VECTOR_BASE, GATE_INTR);
    trap_set_handler(PIC_VECTOR_BASE, timer_handler);
    pit_periodic(PIT_DIVISOR);

    outb(0x43, 0x00);
    uint16_t c0 = inb(0x40) | inb(0x40) << 8;
    bool moved = false;
    for (unsigned i = 0; i < SPIN_LIMIT && !moved; i++) {
        outb(0x43, 0x00);
        uint16_t c = inb(0x40) | inb(0x40) << 8;
        moved = c != c0;
    }
    check(moved, "PIT channel 0 counter moves");

    pic_set_mask(0xfffe);
    sti();
    for (unsigned halts = 0; halts < 1000 && ticks < 10; halts++)
        asm volatile("hlt");
    cli();
    check(ticks >= 10, "10 timer interrupts arrived while halting: ok");
    check(isr_seen_in_handler, "PIC ISR shows IRQ 0 in service inside the handler");

    unsigned target = ticks + 5, i;
    sti();
    for (i = 0; i < SPIN_LIMIT && ticks < target; i++)
        asm volatile("" ::: "memory");
    cli();
    check(ticks >= target, "5 more timer interrupts arrived while spinning: ok");

    unsigned before = ticks;
    bool pending = irr_wait();
    check(pending, "IRQ 0 shows in the PIC IRR while IF is clear");
    check(ticks == before, "no interrupt delivered while IF is clear");
    asm volatile("sti; nop; nop; cli" ::: "memory");
    check(ticks > before, "the pending interrupt is delivered after STI");

    pic_set_mask(0xffff);
    before = ticks;
    sti();
    pending = irr_wait();
    check(pending, "IRQ 0 shows in the IRR while masked in the IMR");
    check(ticks == before, "no interrupt delivered while masked, IF set");
    pic_set_mask(0xfffe);
    asm volatile("nop; nop" ::: "memory");
    cli();
    check(ticks > before, "the pending interrupt is delivered after unmasking");

    pic_set_mask(0xffff);
    trap_set_handler(PIC_VECTOR_BASE, 0);
    idt_clear(PIC_VECTOR_BASE);
}

void guest_main(void)
{
    port80_tests();
    cmos_tests();
    pic_tests();
    uart_tests();
    timer_tests();
}
