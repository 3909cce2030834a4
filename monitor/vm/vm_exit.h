/*
 * vm_exit.h: what the monitor does when the guest leaves real ring 3, and the services the
 * run loop, the emulator's ops and the device host share: emulating the instruction at CS:EIP,
 * delivering an event through the guest's IDT, keeping the devices' clocks current, and ending
 * the run.
 */
#ifndef MONITOR_VM_VM_EXIT_H
#define MONITOR_VM_VM_EXIT_H

#include <stdint.h>

#include "monitor/emu/emu.h"
#include "monitor/vm/vm.h"

/* Handles one exit: the trap vector and error code the CPU gave, cr2 for a page fault. */
void vm_exit_handle(struct vm *vm, uint32_t vector, uint32_t error);

/* Runs the instruction at CS:EIP in the emulator and acts on the result. */
void vm_emulate(struct vm *vm);

/* Delivers an exception (ext = 1) or software interrupt (ext = 0) to the guest. */
void vm_deliver(struct vm *vm, const struct emu_exc *exc, int ext);

/* Brings the virtual devices up to the current time. */
void vm_exit_advance_devices(struct vm *vm);

/* Shows the guest's VGA on the real display, at most once per 60 Hz frame, serves the requests
 * typed on the log's port and moves the nexus when a move is due. Called between instructions
 * only (never in the middle of an emulated VGA access). */
void vm_display_tick(struct vm *vm);

/* The guest did something the monitor cannot virtualize yet: say so and end the run. */
void vm_exit_unsupported(struct vm *vm, const char *why);

/* Audit mode: after a single step, check the instruction about to run natively (audit.c). */
void vm_audit_check(struct vm *vm);

/* The statistics on the log. */
void vm_stats_print(const struct vm *vm, const char *when);

#endif
