/*
 * shadow_desc.h: the guest's GDT and LDT as the real CPU sees them. Guest descriptors are copied
 * into the monitor's GDT (at their own indices, below the monitor's slots) and into one shadow
 * LDT, with DPL compressed to 3 (all guest code runs at real ring 3) and system descriptors left
 * out (TSS, LDT and gate selectors then fault natively, and the emulator acts on the guest's own
 * descriptor). The segment registers' hidden parts, which the guest may have loaded from a table
 * that changed since, are written at their selectors' indices before every entry, so the state
 * the CPU loads is exactly the vCPU's.
 */
#ifndef MONITOR_VM_SHADOW_DESC_H
#define MONITOR_VM_SHADOW_DESC_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/emu/vcpu.h"

/* Brings the shadows up to date with the guest's tables and installs the vCPU's segment
 * registers. Returns NULL, or why the state cannot run natively (selector in the monitor's
 * slots). */
const char *shadow_desc_sync(const struct vcpu *cpu);

/* The selector the real CPU loads for a guest segment register (RPL 3 for CS and SS). */
uint16_t shadow_desc_selector(const struct vcpu *cpu, enum vcpu_sreg s);

/* Reads the guest's descriptor for sel (GDT or LDT) into a segment register's hidden form, as a
 * native load that already passed its checks made it. False if sel is outside the table. */
bool shadow_desc_load(const struct vcpu *cpu, uint16_t sel, struct vcpu_seg *out);

#endif
