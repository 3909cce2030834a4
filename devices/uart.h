/* devices/uart.h: a 16550A UART (COM1 at 0x3f8 on IRQ4 in the standard set) whose transmitter
 * writes to the host's real serial port and whose receiver polls it. */
#ifndef NEXUS86_DEVICES_UART_H
#define NEXUS86_DEVICES_UART_H

#include "devices/bus.h"

#define UART_FIFO_SIZE 16
/* How often the receiver polls the host while nothing else asks: a 16-byte FIFO lasts 1.4 ms
 * at 115200 baud. */
#define UART_POLL_NS 1000000ull

struct uart {
    struct bus *bus;
    unsigned irq;
    uint16_t divisor;
    uint8_t ier, lcr, mcr, msr, scr, fcr;
    uint8_t lsr_errors; /* OE, PE, FE, BI: cleared by reading LSR */
    uint8_t rx[UART_FIFO_SIZE];
    unsigned rx_head, rx_count;
    bool thre_pending;
    uint64_t rx_activity_ns; /* last character received or read: the FIFO timeout's start */
    uint64_t next_poll_ns;
};

/* Register eight ports at base, interrupts on ISA line irq; 0 or -1. */
int uart_init(struct uart *uart, struct bus *bus, uint16_t base, unsigned irq);

#endif
