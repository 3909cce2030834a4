/*
 * frames.h: the physical frame allocator, built from the boot memory map.
 */
#ifndef MONITOR_FRAMES_H
#define MONITOR_FRAMES_H

#include <stdint.h>

#define FRAME_NONE 0xFFFFFFFFu

struct boot_info;

/* Frees every available frame of the map except low memory, the image and the modules. */
void frames_init(const struct boot_info *bi);
/* One 4 KiB frame (physical address) or FRAME_NONE. */
uint32_t frame_alloc(void);
void frame_free(uint32_t phys);
/* count physically contiguous frames (the guest's RAM block), or FRAME_NONE. */
uint32_t frames_alloc_contiguous(uint32_t count);
uint32_t frames_free_count(void);
/* True if the frame is one the allocator may hand out (used by the self-test). */
int frame_is_usable(uint32_t phys);

#endif
