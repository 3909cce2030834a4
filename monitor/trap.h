/*
 * trap.h: the monitor's handling of interrupts and exceptions (its own, and exits from ring 3).
 */
#ifndef MONITOR_TRAP_H
#define MONITOR_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/trap.h"

/* True if the vector is one of the real PIC's. */
static inline bool trap_is_irq(uint32_t vector)
{
    return vector >= 0x20 && vector < 0x30;
}

/* Services a hardware interrupt (ticks the timer, sends the EOI). */
void trap_handle_irq(uint32_t vector);

/*
 * Runs ring 3 from ring3_frame until a trap that is not a hardware interrupt; interrupts that
 * arrive meanwhile are serviced and ring 3 resumes. Returns the vector that stopped it.
 */
uint32_t ring3_run(void);

#endif
