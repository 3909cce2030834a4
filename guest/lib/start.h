/* What the loader handed the guest: the multiboot magic and information structure (v1). */
#ifndef GUEST_LIB_START_H
#define GUEST_LIB_START_H

#include <stdint.h>

#define MULTIBOOT_LOADER_MAGIC 0x2badb002u
#define MB_INFO_MEMORY         0x001u
#define MB_INFO_CMDLINE        0x004u

struct multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

extern uint32_t boot_magic;
extern const struct multiboot_info *boot_info;

#endif
