/*
 * vm_ops.h: the emulator's view of the virtual machine (struct emu_ops for struct vm): guest
 * memory with paging off, the bus's ports and MMIO, scanned pages seen as the guest wrote them,
 * system registers, CPUID, TSC and MSRs.
 */
#ifndef MONITOR_VM_VM_OPS_H
#define MONITOR_VM_VM_OPS_H

#include "monitor/emu/emu.h"

extern const struct emu_ops vm_emu_ops;

#endif
