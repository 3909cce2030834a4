/* Formatted output: one fixed buffer, so printing needs no heap and works inside trap handlers
   (the guests are single-threaded and handlers never interrupt a gprintf in progress except to
   report a fatal trap, which ends the run). */
#include "guest/lib/print.h"
#include "guest/lib/serial.h"
#include <stdarg.h>
#include <stdio.h>

void gprintf(const char *fmt, ...)
{
    static char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsniprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((unsigned)n >= sizeof buf)
        n = sizeof buf - 1;
    serial_write(buf, (unsigned)n);
}
