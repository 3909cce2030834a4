/*
 * timer.h: the monitor's own time: a periodic PIT tick on IRQ 0 and the TSC, calibrated against
 * the PIT, for timestamps and short delays.
 */
#ifndef ARCH_X86_TIMER_H
#define ARCH_X86_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100u

/* Measures the TSC frequency, then starts the periodic tick (IRQ 0 unmasked; IF still as is). */
void timer_init(void);
/* Called from the IRQ 0 handler. */
void timer_tick(void);
uint64_t timer_ticks(void);
/* Nanoseconds since calibration from the TSC; 0 before it. */
uint64_t timer_ns(void);
uint32_t timer_tsc_khz(void);

#endif
