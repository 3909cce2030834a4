/* Formatted output on COM1 (newlib's integer-only vsniprintf into a line buffer). */
#ifndef GUEST_LIB_PRINT_H
#define GUEST_LIB_PRINT_H

void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
