/* devices/clock.h: exact conversions between the monitor's nanoseconds and a device's own clock
 * (PIT 1.193182 MHz, RTC 32.768 kHz), split so that 64-bit products never overflow. */
#ifndef NEXUS86_DEVICES_CLOCK_H
#define NEXUS86_DEVICES_CLOCK_H

#include <stdint.h>

#define CLOCK_NS_PER_S 1000000000ull

/* Whole device clock cycles elapsed in ns nanoseconds: floor(ns * hz / 1e9). */
static inline uint64_t clock_ns_to_cycles(uint64_t ns, uint32_t hz)
{
    return ns / CLOCK_NS_PER_S * hz + ns % CLOCK_NS_PER_S * hz / CLOCK_NS_PER_S;
}

/* The first nanosecond at which clock_ns_to_cycles reaches cycles: ceil(cycles * 1e9 / hz). */
static inline uint64_t clock_cycles_to_ns(uint64_t cycles, uint32_t hz)
{
    return cycles / hz * CLOCK_NS_PER_S + (cycles % hz * CLOCK_NS_PER_S + hz - 1) / hz;
}

#endif
