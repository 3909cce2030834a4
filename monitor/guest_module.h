/*
 * guest_module.h: the guest, taken from the first boot module and loaded into guest RAM.
 */
#ifndef MONITOR_GUEST_MODULE_H
#define MONITOR_GUEST_MODULE_H

#include "monitor/bootinfo.h"
#include "monitor/cmdline.h"
#include "monitor/guest_image.h"

/*
 * Checks that there is a guest module and that the machine has the RAM for the guest, takes
 * guest RAM, and loads the module's multiboot kernel into it. Stops the monitor with a message
 * saying what is wrong when any of that fails. Returns the guest's command line: the whole
 * module string, its name first, as GRUB and QEMU give a multiboot kernel its own path first.
 */
const char *guest_module_load(const struct boot_info *bi, const struct monitor_config *cfg,
                              struct guest_image *img);

#endif
