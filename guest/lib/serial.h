/* COM1 16550 UART: the guests' only output channel besides the exit code. */
#ifndef GUEST_LIB_SERIAL_H
#define GUEST_LIB_SERIAL_H

#define COM1_BASE 0x3f8

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, unsigned len);

#endif
