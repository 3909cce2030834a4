/*
 * guest_module.h: finding the guest among the boot modules and checking it fits the machine.
 */
#ifndef MONITOR_GUEST_MODULE_H
#define MONITOR_GUEST_MODULE_H

#include "monitor/bootinfo.h"
#include "monitor/cmdline.h"

/*
 * Checks that there is a guest module, that the machine has the RAM for the monitor and the
 * guest, and that the module fits in guest RAM; logs the guest's name and command line.
 * Stops the monitor with a clear message otherwise.
 */
void guest_module_check(const struct boot_info *bi, const struct monitor_config *cfg);

#endif
