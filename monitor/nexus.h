/*
 * nexus.h: the monitor's side of the nexus: installing its segments and the ring-3 handler
 * gate, and reading (validated) what nexus code left in its data page.
 */
#ifndef MONITOR_NEXUS_H
#define MONITOR_NEXUS_H

#include <stdbool.h>

#include "scan/nexus.h"

/* Sets the nexus segments over the nexus pages and points the INT3 gate at the nexus. */
void nexus_init(void);
/* A copy of the nexus data page, taken once so later checks see one consistent snapshot. */
struct nexus_data nexus_data_snapshot(void);
void nexus_data_reset(void);

#endif
