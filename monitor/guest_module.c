/*
 * guest_module.c: the guest is the first boot module; its string is "NAME ARGS..." and the
 * rest after the name is the guest's own command line. Checked here: presence, the RAM the
 * guest needs against the frames the machine has left, and the image itself (guest_image.c),
 * which is read straight from the module's physical pages.
 */
#include "monitor/guest_module.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "monitor/frames.h"
#include "monitor/guest_mem.h"
#include "monitor/log.h"
#include "monitor/panic.h"

#include <string.h>

/* Frames the monitor keeps for itself beyond guest RAM: page tables, shadows, buffers. */
#define MONITOR_RESERVE_FRAMES 1024u

static void module_read(void *ctx, uint32_t off, void *dst, uint32_t len)
{
    const struct boot_module *m = ctx;
    phys_read(m->start + off, dst, len);
}

static void guest_write(void *ctx, uint32_t gpa, const void *src, uint32_t len)
{
    guest_mem_write(gpa, src, len);
}

const char *guest_module_load(const struct boot_info *bi, const struct monitor_config *cfg,
                              struct guest_image *img)
{
    if (bi->module_count == 0) {
        log_err("no guest: load one as the first multiboot module (GRUB: module2 GUEST ARGS; "
                "QEMU: -initrd 'GUEST ARGS')");
        stop_config_error();
    }
    const struct boot_module *m = &bi->modules[0];
    uint32_t size = m->end - m->start;
    const char *name = m->cmdline;
    int name_len = (int)strcspn(name, " \t");
    const char *args = name + name_len;
    args += strspn(args, " \t");

    uint32_t needed = cfg->guest_mem / PAGE_SIZE + MONITOR_RESERVE_FRAMES;
    if (frames_free_count() < needed || !guest_mem_init(cfg->guest_mem)) {
        log_err("too little RAM: guest memory of %lu MiB needs %lu MiB free in one block, the "
                "machine has %lu MiB free (lower mem= or give the machine more RAM)",
                (unsigned long)(cfg->guest_mem >> 20),
                (unsigned long)(needed / (1u << (20 - PAGE_SHIFT))),
                (unsigned long)(frames_free_count() / (1u << (20 - PAGE_SHIFT))));
        stop_config_error();
    }
    if (size > cfg->guest_mem) {
        log_err("guest '%.*s' is %lu KiB, larger than guest memory (%lu KiB; raise mem=)", name_len,
                name, (unsigned long)(size >> 10), (unsigned long)(cfg->guest_mem >> 10));
        stop_config_error();
    }

    struct guest_image_io io = {(void *)m, size, module_read, guest_write};
    char err[200];
    const char *e = guest_image_parse(&io, cfg->guest_mem, img, err, sizeof(err));
    if (e) {
        log_err("guest '%.*s' cannot be loaded: %s", name_len, name, e);
        stop_config_error();
    }
    guest_image_load(&io, img);
    log_info("guest module '%.*s': %lu bytes at %08lx, command line '%s', guest RAM %lu MiB",
             name_len, name, (unsigned long)size, (unsigned long)m->start, args,
             (unsigned long)(cfg->guest_mem >> 20));
    log_info("guest loaded: multiboot%s kernel, %u segment(s) at %08lx-%08lx, entry %08lx",
             img->protocol == 2 ? "2" : "", img->segment_count, (unsigned long)img->lowest,
             (unsigned long)img->highest, (unsigned long)img->entry);
    return m->cmdline;
}
