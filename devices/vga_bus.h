/* devices/vga_bus.h: attaches the VGA core to the bus (ports 0x3b0-0x3df, MMIO 0xA0000-0xBFFFF)
 * and gives the display code the frame count the renderer's blink phases need. */
#ifndef NEXUS86_DEVICES_VGA_BUS_H
#define NEXUS86_DEVICES_VGA_BUS_H

#include "devices/bus.h"
#include "devices/vga.h"

#define VGA_MMIO_BASE 0xa0000u

/* Register vga's ports and memory window on bus. Returns 0, or -1 if the bus refused either. */
int vga_bus_attach(struct vga *vga, struct bus *bus);

/* Vertical refreshes (60 per second) since the bus's clock started: the frame for vga_render
 * and vga_needs_render. */
uint32_t vga_bus_frame(const struct bus *bus);

#endif
