/* COM1 16550 UART at 115200 8N1, transmit by polling the line status register: no interrupts,
   so output never depends on timing. Lines end in a bare LF so transcripts compare byte for byte.
 */
#include "guest/lib/serial.h"
#include "guest/lib/io.h"

enum {
    UART_DATA = 0,
    UART_IER = 1,
    UART_FCR = 2,
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_DLL = 0,
    UART_DLM = 1,
};

#define LCR_DLAB         0x80
#define LCR_8N1          0x03
#define LSR_THRE         0x20
#define FCR_FIFOS        0xc7
#define MCR_DTR_RTS_OUT2 0x0b

void serial_init(void)
{
    outb(COM1_BASE + UART_IER, 0);
    outb(COM1_BASE + UART_LCR, LCR_DLAB);
    outb(COM1_BASE + UART_DLL, 1); /* 115200 baud */
    outb(COM1_BASE + UART_DLM, 0);
    outb(COM1_BASE + UART_LCR, LCR_8N1);
    outb(COM1_BASE + UART_FCR, FCR_FIFOS);
    outb(COM1_BASE + UART_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
    while (!(inb(COM1_BASE + UART_LSR) & LSR_THRE))
        ;
    outb(COM1_BASE + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        serial_putc(s[i]);
}
