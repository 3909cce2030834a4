/*
 * serial.h: the machine's real 16550 serial ports (COM1, COM2), polled.
 */
#ifndef ARCH_X86_SERIAL_H
#define ARCH_X86_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define COM1_PORT 0x3F8u
#define COM2_PORT 0x2F8u

/* Programs 115200 8N1, FIFOs on, interrupts off. False if no UART answers at that port. */
bool serial_init(uint16_t base);
void serial_putc(uint16_t base, char c);
/* A received byte, or -1 if none is waiting. */
int serial_getc(uint16_t base);

#endif
