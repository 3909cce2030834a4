/*
 * guest_boot.h: the state a multiboot kernel is promised at its entry point, built for the
 * virtual machine: the vCPU (protected mode, paging off, flat 4 GiB segments, interrupts off,
 * EAX/EBX per protocol) and the boot information structure in guest RAM (memory map of guest
 * RAM, command line, loader name).
 */
#ifndef MONITOR_VM_GUEST_BOOT_H
#define MONITOR_VM_GUEST_BOOT_H

#include <stdint.h>

#include "monitor/emu/vcpu.h"
#include "monitor/guest_image.h"

/* Selectors of the flat segments the guest finds loaded (those QEMU's multiboot loader uses). */
#define GUEST_BOOT_CS 0x10
#define GUEST_BOOT_DS 0x18

void guest_boot_setup(struct vcpu *cpu, const struct guest_image *img, const char *cmdline,
                      uint32_t ram_size);

#endif
