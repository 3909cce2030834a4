/*
 * nexus_run.h: the run loop's side of vmethod=r3 (nexus_run.c): publishing the virtual state
 * into the nexus data pages before a native run, getting the guest's state back after it, and
 * the nexus's site cache.
 */
#ifndef MONITOR_VM_NEXUS_RUN_H
#define MONITOR_VM_NEXUS_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/vm/vm.h"
#include "scan/prescan.h"

/* Pseudo-vectors vm_nexus_after returns for the nexus's deferrals (beyond every real vector):
 * the guest's EIP is past a planted INT3 ring 0 must handle, or at the next instruction. */
#define VM_VECTOR_NEXUS_SITE   0x100u
#define VM_VECTOR_NEXUS_RESUME 0x101u

/* The guest starts: clears the data pages, fills the CPUID table, marks the nexus active. */
void vm_nexus_start(struct vm *vm);

/* Before a native run with the real selectors sel; step: the monitor single-steps it. */
void vm_nexus_publish(struct vm *vm, const uint16_t sel[S_COUNT], bool step);

/* After ring3_enter: resumes nexus code that a real interrupt stopped (servicing it), and turns
 * a stop in nexus code into the guest's state in ring3_frame. Returns the vector to handle. */
uint32_t vm_nexus_after(struct vm *vm, const uint16_t sel[S_COUNT]);

/* After the vCPU took the frame back: the virtual flags the nexus changed, and the interrupt
 * shadow of an STI it emulated. */
void vm_nexus_sync_flags(struct vm *vm, uint32_t vector);

/* Ring 0 handled the site at `at` (CS held cs_before): let the nexus handle it next time if it
 * can; a transfer's cached target is where it just went. */
void vm_nexus_cache_site(struct vm *vm, uint32_t at, const struct site_info *site,
                         uint16_t cs_before);

/* Times the nexus emulated the site at addr since it entered the cache. */
uint64_t vm_nexus_site_hits(uint32_t addr);

#endif
