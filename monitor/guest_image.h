/*
 * guest_image.h: understanding and loading a multiboot (v1 or v2) guest kernel image.
 *
 * The image is read and guest memory written through callbacks, so the same code runs in the
 * monitor (image in a boot module, guest RAM in host frames) and in host unit tests (buffers).
 * Every field of the image is checked before it is used; a bad image yields a message that says
 * what is wrong, and nothing is written to guest memory unless the whole image checked out.
 */
#ifndef MONITOR_GUEST_IMAGE_H
#define MONITOR_GUEST_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_SEGMENTS_MAX 16

struct guest_image_io {
    void *ctx;
    uint32_t image_size;
    /* Copies image bytes [off, off+len) into dst; the loader never asks past image_size. */
    void (*read)(void *ctx, uint32_t off, void *dst, uint32_t len);
    /* Copies len bytes into guest-physical memory at gpa (src NULL: zero them). */
    void (*write)(void *ctx, uint32_t gpa, const void *src, uint32_t len);
};

struct guest_segment {
    uint32_t file_off, file_size; /* bytes taken from the image */
    uint32_t gpa, mem_size;       /* where they go; mem_size - file_size bytes are zeroed */
};

struct guest_image {
    int protocol;        /* 1 or 2: the multiboot version the guest is booted with */
    uint32_t header_off; /* offset of that multiboot header in the image */
    uint32_t entry;      /* guest-physical entry point */
    unsigned segment_count;
    struct guest_segment segments[GUEST_SEGMENTS_MAX];
    uint32_t lowest, highest; /* guest-physical range covered by the segments (end exclusive) */
    bool wants_meminfo, wants_page_aligned_modules;
};

/*
 * Finds the multiboot header (v1 preferred, as QEMU's -kernel boots v1, so a guest boots the same
 * way natively and under nexus86) and works out the segments and entry point. guest_mem is the
 * size of guest RAM; segments must lie in it, outside the VGA window and ROM (0xA0000-0xFFFFF).
 * Returns NULL, or a message written into err.
 */
const char *guest_image_parse(const struct guest_image_io *io, uint32_t guest_mem,
                              struct guest_image *out, char *err, unsigned err_len);

/* Writes the parsed segments into guest memory (file bytes, then zeroes up to mem_size). */
void guest_image_load(const struct guest_image_io *io, const struct guest_image *img);

#endif
