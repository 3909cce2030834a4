/*
 * guest_module.c: the guest is the first boot module; its string is "NAME ARGS..." and the
 * rest after the name is the guest's own command line. Checked here: presence, the RAM the
 * guest needs against the frames the machine has left, and the module against guest RAM.
 */
#include "monitor/guest_module.h"
#include "arch/x86/layout.h"
#include "monitor/frames.h"
#include "monitor/log.h"
#include "monitor/panic.h"

#include <string.h>

/* Frames the monitor keeps for itself beyond guest RAM: page tables, shadows, buffers. */
#define MONITOR_RESERVE_FRAMES 1024u

void guest_module_check(const struct boot_info *bi, const struct monitor_config *cfg)
{
    if (bi->module_count == 0) {
        log_err("no guest: load one as the first multiboot module (GRUB: module2 GUEST ARGS; "
                "QEMU: -initrd 'GUEST ARGS')");
        stop_config_error();
    }
    const struct boot_module *m = &bi->modules[0];
    uint32_t size = m->end - m->start;
    uint32_t needed = cfg->guest_mem / PAGE_SIZE + MONITOR_RESERVE_FRAMES;
    if (frames_free_count() < needed) {
        log_err("too little RAM: guest memory of %lu MiB needs %lu MiB free, the machine has "
                "%lu MiB free (lower mem= or give the machine more RAM)",
                (unsigned long)(cfg->guest_mem >> 20),
                (unsigned long)(needed / (1u << (20 - PAGE_SHIFT))),
                (unsigned long)(frames_free_count() / (1u << (20 - PAGE_SHIFT))));
        stop_config_error();
    }
    if (size > cfg->guest_mem) {
        log_err("guest module is %lu KiB, larger than guest memory (%lu KiB; raise mem=)",
                (unsigned long)(size >> 10), (unsigned long)(cfg->guest_mem >> 10));
        stop_config_error();
    }
    const char *name = m->cmdline;
    size_t name_len = strcspn(name, " \t");
    const char *args = name + name_len;
    args += strspn(args, " \t");
    log_info("guest module '%.*s': %lu bytes at %08lx, command line '%s', guest RAM %lu MiB",
             (int)name_len, name, (unsigned long)size, (unsigned long)m->start, args,
             (unsigned long)(cfg->guest_mem >> 20));
}
