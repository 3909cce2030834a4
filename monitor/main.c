/*
 * main.c: the monitor's boot sequence, from the first C instruction to running the selected
 * work (the self-test, or the guest). The order matters: the loader's information is copied out
 * while the identity map still exists and before the frame allocator can reuse its memory, and
 * the command line is parsed before the first log line so that the log goes where it was asked.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "arch/x86/pic8259.h"
#include "arch/x86/timer.h"
#include "arch/x86/trap.h"
#include "monitor/bootinfo.h"
#include "monitor/cmdline.h"
#include "monitor/console.h"
#include "monitor/display.h"
#include "monitor/frames.h"
#include "monitor/guest_module.h"
#include "monitor/log.h"
#include "monitor/nexus.h"
#include "monitor/panic.h"
#include "monitor/selftest.h"
#include "monitor/vm/vm_start.h"

#include <stdio.h>

void monitor_main(uint32_t magic, uint32_t info_pa);

static struct boot_info boot;
static struct monitor_config config = {
    .log_channel = LOG_COM2,
    .log_level = LOG_INFO,
    .selftest = SELFTEST_OFF,
    .guest_mem = CONFIG_DEFAULT_GUEST_MEM,
    .vmethod = VMETHOD_NEXUS,
};

static void report_boot(void)
{
    log_info("nexus86 monitor, multiboot%s, command line '%s'", boot.protocol == 2 ? "2" : "",
             boot.cmdline);
    for (unsigned i = 0; i < boot.warning_count; i++)
        log_warn("boot information: %s", boot.warnings[i]);
    for (unsigned i = 0; i < boot.mmap_count; i++)
        log_debug("memory %08llx-%08llx type %lu", (unsigned long long)boot.mmap[i].addr,
                  (unsigned long long)(boot.mmap[i].addr + boot.mmap[i].len),
                  (unsigned long)boot.mmap[i].type);
    log_info("RAM %lu MiB, %lu frames free after the monitor and %u module(s)",
             (unsigned long)(bootinfo_ram_bytes(&boot) >> 20), (unsigned long)frames_free_count(),
             boot.module_count);
    if (boot.fb.present)
        log_info("framebuffer: type %u, %lux%lu, %u bpp, pitch %lu", boot.fb.type,
                 (unsigned long)boot.fb.width, (unsigned long)boot.fb.height, boot.fb.bpp,
                 (unsigned long)boot.fb.pitch);
}

void monitor_main(uint32_t magic, uint32_t info_pa)
{
    paging_init();
    console_init();
    const char *boot_error = bootinfo_parse(magic, info_pa, &boot);
    char err[256];
    const char *cmd_error =
        boot_error ? NULL : cmdline_parse(boot.cmdline, &config, err, sizeof(err));
    log_init(config.log_channel, config.log_level);
    if (boot_error) {
        log_err("%s", boot_error);
        stop_config_error();
    }
    if (cmd_error) {
        log_err("command line: %s", cmd_error);
        stop_config_error();
    }

    frames_init(&boot);
    paging_drop_identity();
    gdt_init();
    idt_init();
    tss_set_esp0((uint32_t)ring3_frame_top);
    nexus_init();
    pic8259_init();
    timer_init();
    report_boot();
    display_init(&boot);
    log_info("TSC %lu kHz, monitor timer %u Hz", (unsigned long)timer_tsc_khz(), TIMER_HZ);

    if (config.selftest != SELFTEST_OFF)
        selftest_run(config.selftest);

    static struct guest_image guest;
    const char *args = guest_module_load(&boot, &config, &guest);
    vm_start(&guest, args, &config);
}
