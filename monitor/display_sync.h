/*
 * display_sync.h: making a real VGA show what an emulated VGA (devices/vga.h) holds, by
 * programming the real card into the same registers and copying the planes. Pure logic: the
 * card is reached through callbacks, so host tests drive a second emulated VGA as the "card".
 *
 * The shadow remembers what was last written to the card; a sync writes only registers and
 * memory bytes that differ from it. Nothing that changes the picture is touched while memory is
 * copied (see display_sync.c), so a sync never makes the screen flicker.
 */
#ifndef MONITOR_DISPLAY_SYNC_H
#define MONITOR_DISPLAY_SYNC_H

#include "devices/vga.h"

#include <stdbool.h>
#include <stdint.h>

/* The real card: port I/O at 0x3b0-0x3df and byte writes to its memory window at 0xA0000
 * (offset < 0x10000; the sync selects memory map 1, 0xA0000-0xAFFFF, while it writes). */
struct display_card {
    void (*outb)(void *ctx, uint16_t port, uint8_t value);
    uint8_t (*inb)(void *ctx, uint16_t port);
    void (*mem_write)(void *ctx, uint32_t offset, uint8_t value);
    void *ctx;
};

/* What the card holds as far as the sync wrote it. valid false: unknown, write everything. */
struct display_shadow {
    bool valid;
    uint8_t misc, seq[VGA_SEQ_REGS], crtc[VGA_CRTC_REGS], gc[VGA_GC_REGS], ac[VGA_AC_REGS];
    uint8_t pas; /* attribute index bit 5, the palette address source */
    uint8_t dac[256][3];
    uint8_t pel_mask;
    uint8_t plane[4][VGA_PLANE_SIZE];
};

struct display_sync_stats {
    unsigned port_writes; /* outb calls */
    unsigned mem_writes;  /* mem_write calls */
};

/* Programs the card so it shows what vga holds; returns what it cost. */
struct display_sync_stats display_sync(struct display_shadow *shadow, const struct vga *vga,
                                       const struct display_card *card);

#endif
