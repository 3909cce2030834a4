/*
 * display.h: the guest's emulated VGA shown on the real display.
 *
 * The monitor programs the real VGA into the registers the guest's VGA holds and copies the
 * video memory across (monitor/display_sync.c), so the real card draws the picture, text,
 * cursor and blinking included; docs/vga.md ("The monitor's display") says why this way.
 */
#ifndef MONITOR_DISPLAY_H
#define MONITOR_DISPLAY_H

#include "devices/vga.h"

#include <stdint.h>

struct boot_info;

/* Takes the real VGA over, unless the loader left it in a graphics framebuffer mode (then the
 * display stays off and a warning is logged). Reads the real card's 8x16 font first. */
void display_init(const struct boot_info *bi);

/* The real card's font as display_init found it (256 glyphs, 16 bytes each), for
 * vga_reset_text_mode, or NULL when there is none. */
const uint8_t *display_font(void);

/* Brings the real display up to date with vga when anything changed since the last call.
 * Call at a steady rate (the monitor's timer tick) while nothing modifies vga; it clears
 * vga->dirty, which it owns. frame is the 60 Hz refresh count (vga_bus_frame); the real card
 * keeps its own cursor and blink phases, so only vga->dirty decides whether there is work
 * (vga_needs_render would also report every blink phase change, which a mirror ignores). */
void display_refresh(struct vga *vga, uint32_t frame);

#endif
