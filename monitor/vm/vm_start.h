/*
 * vm_start.h: starting the virtual machine on a loaded guest.
 */
#ifndef MONITOR_VM_VM_START_H
#define MONITOR_VM_VM_START_H

#include <stdint.h>

#include "monitor/cmdline.h"
#include "monitor/guest_image.h"

/* Sets up the machine for the guest in img and runs it; does not return. */
void vm_start(const struct guest_image *img, const char *args, const struct monitor_config *cfg)
    __attribute__((noreturn));

#endif
