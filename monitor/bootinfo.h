/*
 * bootinfo.h: what the loader told us, in one structure whatever the multiboot version.
 * Everything is copied out of the loader's memory, bounded, before the identity map goes.
 */
#ifndef MONITOR_BOOTINFO_H
#define MONITOR_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/multiboot.h"

#define BOOT_CMDLINE_MAX 512
#define BOOT_MMAP_MAX    64
#define BOOT_MODULES_MAX 8

struct boot_mmap_entry {
    uint64_t addr, len;
    uint32_t type;
};

struct boot_module {
    uint32_t start, end; /* physical, end exclusive */
    char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_fb {
    bool present;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, type; /* type 0 indexed, 1 RGB, 2 EGA text */
};

struct boot_info {
    int protocol; /* 1 or 2 */
    char cmdline[BOOT_CMDLINE_MAX];
    uint32_t mem_lower_kib, mem_upper_kib;
    unsigned mmap_count;
    struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
    unsigned module_count;
    struct boot_module modules[BOOT_MODULES_MAX];
    struct boot_fb fb;
    /* Things that were wrong with the information, reported once the log is up. */
    unsigned warning_count;
    const char *warnings[8];
};

/*
 * Parses the loader's information at physical address info_pa. Returns NULL on success or a
 * message saying why the information cannot be used at all.
 */
const char *bootinfo_parse(uint32_t magic, uint32_t info_pa, struct boot_info *out);

/* Bytes of available RAM in the memory map. */
uint64_t bootinfo_ram_bytes(const struct boot_info *bi);

#endif
