/*
 * console.h: the monitor's own text console on the VGA text screen, used before a guest owns the
 * display and for errors that stop the monitor.
 */
#ifndef MONITOR_CONSOLE_H
#define MONITOR_CONSOLE_H

void console_init(void);
void console_write(const char *s);

#endif
