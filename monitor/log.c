/*
 * log.c: formats log lines as "[seconds.micros] L message" and sends them to the chosen channel.
 * Errors are also shown on the monitor's text console, so a user watching the screen of a PC
 * learns why the monitor stopped without a serial cable.
 */
#include "monitor/log.h"
#include "arch/x86/cpu.h"
#include "arch/x86/serial.h"
#include "arch/x86/timer.h"
#include "monitor/console.h"

#include <stdio.h>
#include <string.h>

static enum log_channel channel = LOG_COM2;
static enum log_level level_max = LOG_INFO;

void log_init(enum log_channel ch, enum log_level max_level)
{
    channel = ch;
    level_max = max_level;
    /* Both ports are programmed whatever the channel: the one the log does not use will carry
     * the guest's COM1. */
    serial_init(COM1_PORT);
    serial_init(COM2_PORT);
}

void log_raw(const char *s, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        char c = s[i];
        switch (channel) {
        case LOG_COM1:
        case LOG_COM2: {
            uint16_t port = channel == LOG_COM1 ? COM1_PORT : COM2_PORT;
            if (c == '\n')
                serial_putc(port, '\r');
            serial_putc(port, c);
            break;
        }
        case LOG_E9: outb(0xE9, (uint8_t)c); break;
        }
    }
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
    static const char tag[] = {'E', 'W', 'I', 'D'};
    if (level > level_max)
        return;
    char line[512];
    uint64_t us = timer_ns() / 1000;
    int n = sniprintf(line, sizeof(line), "[%5lu.%06lu] %c ", (unsigned long)(us / 1000000),
                      (unsigned long)(us % 1000000), tag[level]);
    int prefix = n;
    n += vsniprintf(line + n, sizeof(line) - (unsigned)n - 1, fmt, ap);
    if (n > (int)sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    line[n] = '\0';
    uint32_t flags = irq_save();
    log_raw(line, (unsigned)n);
    if (level == LOG_ERROR)
        console_write(line + prefix);
    irq_restore(flags);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}

int log_getc(void)
{
    return channel == LOG_COM2 ? serial_getc(COM2_PORT) : -1;
}
