/*
 * vm.h: the virtual machine the monitor runs: one virtual CPU (the emulator's struct vcpu, the
 * authoritative guest state whenever the monitor runs), the virtual PC behind the bus, the
 * prescanner's state, and the counters the statistics report. See docs/architecture.md for how
 * a guest instruction reaches each part.
 */
#ifndef MONITOR_VM_VM_H
#define MONITOR_VM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"
#include "devices/devices.h"
#include "devices/vga.h"
#include "monitor/emu/vcpu.h"
#include "scan/prescan.h"

struct scanner;

/* Why the guest left real ring 3 (the ring-0 entries the statistics count). */
enum vm_exit_reason {
    EXIT_IRQ,       /* a real interrupt (timer, serial) */
    EXIT_SITE,      /* a planted INT3 */
    EXIT_GUEST_BP,  /* the guest's own INT3 */
    EXIT_GP,        /* #GP: privileged instruction, INT n, descriptor shadow */
    EXIT_PF,        /* #PF: MMIO, ROM, write to scanned code */
    EXIT_EXCEPTION, /* another exception, passed to the guest */
    EXIT_DEBUG,     /* #DB: single steps */
    EXIT_NEXUS,     /* nexus code deferred after emulating, or faulted (vmethod=r3) */
    EXIT_REASONS,
};

#define VM_STUB_REFUSALS 4 /* enum stub_refusal (nexus_stub.h) */

struct vm_stats {
    uint64_t exits[EXIT_REASONS];
    uint64_t emulated;          /* instructions run by the emulator */
    uint64_t delivered;         /* exceptions and interrupts delivered through the guest IDT */
    uint64_t irqs_injected;     /* virtual hardware interrupts among them */
    uint64_t halts;             /* HLT instructions that waited */
    uint64_t emulated_no_scan;  /* instructions emulated because their bytes are not RAM */
    uint64_t audit_checks;      /* instructions the audit mode checked before they ran */
    uint64_t nexus_faults;      /* faults in nexus code, recovered by ring 0 */
    uint64_t nexus_uncached;    /* sites ring 0 handled that the nexus cannot emulate */
    uint64_t emulated_in_patch; /* instructions emulated because EIP was inside a patch */
    uint64_t stubs_made;        /* insert-call patches applied (vmethod=nexus) */
    uint64_t patch_refused[SCAN_PATCH_REASONS]; /* sites left to INT3: the scanner's reason */
    uint64_t stub_refused[VM_STUB_REFUSALS];    /* and the monitor's (enum stub_refusal) */
    uint64_t nexus_moves;                       /* times the nexus moved to another window */
};

struct vm {
    struct vcpu cpu;
    struct bus bus;
    struct pc_devices pc;
    struct vga *vga;
    struct scanner *scan;
    uint32_t ram_size;
    uint32_t display_frame; /* the last VGA frame shown on the real display */
    bool halted;            /* HLT executed; waiting for a deliverable interrupt */
    bool audit;             /* audit mode: single-step virtual rings 0-2 */
    bool audit_stepping;    /* the last native run was one audit step */
    int vmethod;            /* enum vmethod (monitor/cmdline.h) */
    uint32_t nexus_move;    /* nexus_move=N: move the nexus every N timer ticks (0: never) */
    uint64_t next_move;     /* the timer tick of the next such move */
    bool move_asked;        /* 'm' typed on the log's port: move the nexus at the next chance */
    struct vm_stats stats;
};

/* Boots the loaded guest (guest_module.c) and runs it until it ends the run; does not return. */
void vm_run(struct vm *vm) __attribute__((noreturn));

#endif
