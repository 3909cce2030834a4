/*
 * serial.c: polled driver for the real 16550 UARTs. The monitor's log and, later, the bridge from
 * the guest's virtual COM1 use it. Transmission waits for the holding register with a bound, so
 * a port that is absent or wedged slows output down but never hangs the monitor.
 */
#include "arch/x86/serial.h"
#include "arch/x86/cpu.h"

#define REG_DATA 0
#define REG_IER  1
#define REG_FCR  2
#define REG_LCR  3
#define REG_MCR  4
#define REG_LSR  5
#define REG_SCR  7
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LCR_DLAB 0x80

#define TX_SPIN_LIMIT 100000

static uint16_t present_mask; /* bit 0: COM1, bit 1: COM2 */

static unsigned bit_for(uint16_t base)
{
    return base == COM1_PORT ? 1u : 2u;
}

bool serial_init(uint16_t base)
{
    /* The scratch register remembers what is written to it only where a UART exists. */
    outb(base + REG_SCR, 0x5A);
    if (inb(base + REG_SCR) != 0x5A)
        return false;
    outb(base + REG_IER, 0x00);
    outb(base + REG_LCR, LCR_DLAB);
    outb(base + REG_DATA, 1); /* divisor 1: 115200 baud */
    outb(base + REG_IER, 0);
    outb(base + REG_LCR, 0x03); /* 8N1 */
    outb(base + REG_FCR, 0xC7); /* FIFOs on and cleared, 14-byte receive threshold */
    outb(base + REG_MCR, 0x03); /* DTR, RTS; OUT2 off keeps the IRQ line quiet */
    present_mask |= bit_for(base);
    return true;
}

void serial_putc(uint16_t base, char c)
{
    if (!(present_mask & bit_for(base)))
        return;
    for (int i = 0; i < TX_SPIN_LIMIT && !(inb(base + REG_LSR) & LSR_THRE); i++)
        continue;
    outb(base + REG_DATA, (uint8_t)c);
}

int serial_getc(uint16_t base)
{
    if (!(present_mask & bit_for(base)) || !(inb(base + REG_LSR) & LSR_DR))
        return -1;
    return inb(base + REG_DATA);
}
