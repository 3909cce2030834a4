/*
 * vm_ops.h: the emulator's view of the virtual machine (struct emu_ops for struct vm): guest
 * memory with paging off, the bus's ports and MMIO, scanned pages seen as the guest wrote them,
 * system registers, CPUID, TSC and MSRs.
 */
#ifndef MONITOR_VM_VM_OPS_H
#define MONITOR_VM_VM_OPS_H

#include <stdint.h>

#include <stdbool.h>
#include <stdint.h>

#include "monitor/emu/emu.h"

extern const struct emu_ops vm_emu_ops;

struct vm;
struct x86_insn;

/* Decodes the instruction at linear as the guest wrote it (planted INT3s replaced by the original
 * bytes); false if the bytes are not readable or not a valid instruction. text, when not NULL,
 * receives its Intel-syntax form (or "?"). */
bool vm_insn_at(const struct vm *vm, uint32_t linear, int mode, struct x86_insn *insn, char *text,
                unsigned text_len);

/* The virtual CPU's CPUID (the emulator's and the nexus's table). */
void vm_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

#endif
