/*
 * multiboot.h: the parts of the multiboot v1 and v2 boot information that the monitor reads.
 * Layouts from the Multiboot Specification 0.6.96 and Multiboot2 Specification 2.0.
 */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#include <stdint.h>

#define MB1_BOOT_MAGIC 0x2BADB002u
#define MB2_BOOT_MAGIC 0x36D76289u

#define MB1_INFO_MEM     (1u << 0)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS    (1u << 3)
#define MB1_INFO_MMAP    (1u << 6)
#define MB1_INFO_FB      (1u << 12)

struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info, vbe_mode_info;
    uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
    uint64_t fb_addr;
    uint32_t fb_pitch, fb_width, fb_height;
    uint8_t fb_bpp, fb_type;
} __attribute__((packed));

struct mb1_module {
    uint32_t start, end, string, reserved;
};

/* Each v1 memory map entry is preceded by its own size (not counting the size field). */
struct mb1_mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE  3
#define MB2_TAG_MEMINFO 4
#define MB2_TAG_MMAP    6
#define MB2_TAG_FB      8

struct mb2_tag {
    uint32_t type, size;
};

struct mb2_tag_module {
    uint32_t type, size;
    uint32_t start, end;
    char string[];
};

struct mb2_tag_mmap {
    uint32_t type, size;
    uint32_t entry_size, entry_version;
};

struct mb2_mmap_entry {
    uint64_t addr, len;
    uint32_t type, reserved;
} __attribute__((packed));

struct mb2_tag_fb {
    uint32_t type, size;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, fb_type;
    uint16_t reserved;
} __attribute__((packed));

#define MMAP_AVAILABLE 1u

#endif
