/*
 * nexus.h: the monitor's side of the nexus: installing its segments and the ring-3 handler
 * gate, and reaching its data pages (whose contents are untrusted: see scan/nexus.h).
 */
#ifndef MONITOR_NEXUS_H
#define MONITOR_NEXUS_H

#include <stdbool.h>
#include <stdint.h>

#include "scan/nexus.h"

/* Sets the nexus segments over the nexus pages and points the INT3 gate at the nexus. */
void nexus_init(void);
/* A copy of the probe record, taken once so later checks see one consistent snapshot. */
struct nexus_data nexus_data_snapshot(void);
/* Zeroes the data pages (no guest active: the handler only records INT3s). */
void nexus_data_reset(void);
/* The data pages, for the run loop (monitor/vm/nexus_run.c). */
volatile struct nexus_page *nexus_page(void);
/* Offset of the INT3 handler in the nexus code segment. */
uint32_t nexus_int3_entry(void);

#endif
