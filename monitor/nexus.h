/*
 * nexus.h: the monitor's side of the nexus: installing its segments and the ring-3 handler
 * gate, moving its ring-3 window, and reaching its data pages (whose contents are untrusted: see
 * scan/nexus.h).
 */
#ifndef MONITOR_NEXUS_H
#define MONITOR_NEXUS_H

#include <stdbool.h>
#include <stdint.h>

#include "scan/nexus.h"

/* Maps the window in its first slot, sets the nexus segments over it and points the INT3 gate
 * at the nexus. */
void nexus_init(void);
/*
 * Moves the window to the next slot (cycling through NEXUS_WINDOWS) and returns its new linear
 * address. Only while no ring-3 code is inside the nexus segment (never between an interrupt that
 * stopped nexus code and its resumption): nexus code may count on its base staying put while it
 * runs.
 */
uint32_t nexus_move(void);
/* The window's linear address: the base of the nexus segments. */
uint32_t nexus_window(void);
/* A copy of the probe record, taken once so later checks see one consistent snapshot. */
struct nexus_data nexus_data_snapshot(void);
/* Zeroes the data pages (no guest active: the handler only records INT3s). */
void nexus_data_reset(void);
/* The data pages, for the run loop (monitor/vm/nexus_run.c). */
volatile struct nexus_page *nexus_page(void);
/* The header of the nexus code (its template table among it). */
const struct nexus_header *nexus_header(void);
/* The monitor's pointer to an offset of the nexus code segment (code page and stub pages; ring 0
 * writes the stubs with CR0.WP clear, the pages are user read-only). */
uint8_t *nexus_code_ptr(uint32_t offset);
/* Offset of the INT3 handler in the nexus code segment. */
uint32_t nexus_int3_entry(void);

#endif
