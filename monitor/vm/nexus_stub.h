/*
 * nexus_stub.h: insert-call (vmethod=nexus), the ring-0 side (nexus_stub.c): building a per-site
 * stub from a template in the nexus code page, having the scanner patch the site with a far JMP
 * to it, and saying where the guest is when the real CPU stops inside a stub.
 */
#ifndef MONITOR_VM_NEXUS_STUB_H
#define MONITOR_VM_NEXUS_STUB_H

#include "monitor/vm/vm.h"
#include "scan/nexus.h"

/* Why a site the nexus can emulate got no stub (beyond the scanner's own reasons). */
enum stub_refusal {
    STUB_NO_TEMPLATE, /* no template for the operation (CPUID, transfers): the INT3 path */
    STUB_NO_SLOT,     /* every stub slot is in use */
    STUB_OTHER_CS,    /* the guest's code segment base is not the one the page was scanned with */
    STUB_REGION,      /* the scanner's region does not fit the site (or no longer held) */
    STUB_REFUSALS,
};
_Static_assert(STUB_REFUSALS == VM_STUB_REFUSALS, "vm_stats.stub_refused");

/* The guest starts: checks the templates, frees every slot. */
void vm_stub_start(void);

/* Ring 0 has just handled the site at `at`, which the nexus emulates as `s`: replace its INT3 by a
 * far JMP to a stub, when the scanner finds room for the patch. */
void vm_stub_patch(struct vm *vm, uint32_t at, const struct nexus_site *s);

/* The scanner took the patch with this cookie away (scan_ops.patch_removed). */
void vm_stub_removed(uint32_t addr, uint32_t cookie);

/* The real CPU stopped in a stub with `vector`: writes the guest's state into ring3_frame and
 * returns the vector to handle (VM_VECTOR_NEXUS_SITE: the site is to be emulated), or returns
 * VM_STUB_RESUME when an interrupt stopped the stub where only resuming it makes sense. */
#define VM_STUB_RESUME 0xFFFFFFFFu
uint32_t vm_stub_stop(struct vm *vm, uint32_t vector, const uint16_t sel[]);

/* Is `linear` inside a patched region, after its first byte? */
bool vm_stub_inside(uint32_t linear);

/* Times the stub for the site at `addr` was entered (0: no stub). */
uint64_t vm_stub_hits(uint32_t addr);

#endif
