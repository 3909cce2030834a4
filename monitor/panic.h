/*
 * panic.h: what the monitor does when it finds itself broken: a full report on the log, then a
 * stop with the panic exit code.
 */
#ifndef MONITOR_PANIC_H
#define MONITOR_PANIC_H

#include <stdint.h>

struct trap_frame;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* A CPU exception taken inside the monitor. */
__attribute__((noreturn)) void panic_trap(const struct trap_frame *tf);
/* Stops after a configuration error already logged (bad command line, guest, machine). */
__attribute__((noreturn)) void stop_config_error(void);

/* Symbol containing addr ("?" if none) and the offset into it. */
const char *symbol_lookup(uint32_t addr, uint32_t *offset);

#endif
