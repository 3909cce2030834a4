/*
 * log.h: the monitor's log: leveled, timestamped from the TSC, on a channel of its own (COM2 by
 * default, COM1 or the 0xE9 debug port on request), never mixed with the guest's COM1.
 */
#ifndef MONITOR_LOG_H
#define MONITOR_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
enum log_channel { LOG_COM1, LOG_COM2, LOG_E9 };

void log_init(enum log_channel channel, enum log_level max_level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap);
/* Raw bytes on the log channel, no prefix (newlib's _write and the panic report use it). */
void log_raw(const char *s, unsigned len);
/* A byte typed on the log's serial port (requests to the monitor), or -1: none, or the log is
 * on COM1, which belongs to the guest, or on the 0xE9 port, which has no input. */
int log_getc(void);

#define log_err(...)   log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
