/*
 * vm_host.h: connecting the virtual PC's devices to the real machine (host.c).
 */
#ifndef MONITOR_VM_VM_HOST_H
#define MONITOR_VM_VM_HOST_H

#include "monitor/vm/vm.h"

/* Sets up vm->bus with the host backend and creates the standard devices and the VGA on it. */
void vm_host_init(struct vm *vm);

#endif
