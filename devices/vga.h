/* devices/vga.h: the emulated VGA, independent of the bus.
 *
 * The core is plain state plus functions: port accesses (0x3b0-0x3df), byte accesses to the
 * 128 KiB window at 0xA0000 (offsets 0-0x1ffff), and a renderer into a caller-provided 32-bit
 * 0x00RRGGBB framebuffer. devices/vga_bus.c plugs it into the bus; host tests drive it
 * directly. Video memory is four 64 KiB planes; a plane offset is the same address the CRTC
 * scans, so chain-4 puts CPU address a at plane a & 3, offset a >> 2, and odd/even puts it at
 * plane a & 1 (or 2 + (a & 1)), offset a >> 1, as QEMU's VGA does. See docs/vga.md. */
#ifndef NEXUS86_DEVICES_VGA_H
#define NEXUS86_DEVICES_VGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VGA_PLANE_SIZE  0x10000u
#define VGA_WINDOW_SIZE 0x20000u /* 0xA0000-0xBFFFF */
#define VGA_PORT_FIRST  0x3b0u
#define VGA_PORT_LAST   0x3dfu

#define VGA_SEQ_REGS  5
#define VGA_CRTC_REGS 0x19
#define VGA_GC_REGS   9
#define VGA_AC_REGS   0x15

/* Sequencer indexes. */
#define VGA_SEQ_CLOCK    0x01
#define VGA_SEQ_MAP_MASK 0x02
#define VGA_SEQ_CHARMAP  0x03
#define VGA_SEQ_MEMMODE  0x04

/* CRTC indexes. */
#define VGA_CRTC_HDISP     0x01
#define VGA_CRTC_OVERFLOW  0x07
#define VGA_CRTC_MAX_SCAN  0x09
#define VGA_CRTC_CUR_START 0x0a
#define VGA_CRTC_CUR_END   0x0b
#define VGA_CRTC_START_HI  0x0c
#define VGA_CRTC_START_LO  0x0d
#define VGA_CRTC_CUR_HI    0x0e
#define VGA_CRTC_CUR_LO    0x0f
#define VGA_CRTC_VSYNC_END 0x11
#define VGA_CRTC_VDISP_END 0x12
#define VGA_CRTC_OFFSET    0x13
#define VGA_CRTC_MODE      0x17
#define VGA_CRTC_LINE_COMP 0x18

/* Graphics controller indexes. */
#define VGA_GC_SET_RESET 0x00
#define VGA_GC_ENABLE_SR 0x01
#define VGA_GC_COLOR_CMP 0x02
#define VGA_GC_ROTATE    0x03
#define VGA_GC_READ_MAP  0x04
#define VGA_GC_MODE      0x05
#define VGA_GC_MISC      0x06
#define VGA_GC_DONT_CARE 0x07
#define VGA_GC_BIT_MASK  0x08

/* Attribute controller indexes (0x00-0x0f are the palette). */
#define VGA_AC_MODE      0x10
#define VGA_AC_OVERSCAN  0x11
#define VGA_AC_PLANE_EN  0x12
#define VGA_AC_HPEL      0x13
#define VGA_AC_COLOR_SEL 0x14
#define VGA_AC_INDEX_PAS 0x20 /* palette address source: clear blanks the screen */

/* Input status 1 bits. */
#define VGA_IS1_DISPLAY_OFF 0x01
#define VGA_IS1_VRETRACE    0x08

struct vga {
    uint8_t plane[4][VGA_PLANE_SIZE];
    uint8_t latch[4];

    uint8_t misc;    /* miscellaneous output (0x3c2 write, 0x3cc read) */
    uint8_t feature; /* feature control (0x3ba/0x3da write, 0x3ca read) */
    uint8_t status1; /* last input status 1 value; its retrace bits toggle per read */

    uint8_t seq_index, seq[VGA_SEQ_REGS];
    uint8_t crtc_index, crtc[VGA_CRTC_REGS];
    uint8_t gc_index, gc[VGA_GC_REGS];
    uint8_t ac_index;  /* index in bits 0-4, palette address source in bit 5 */
    bool ac_data_next; /* the flip-flop: next 0x3c0 write goes to data */
    uint8_t ac[VGA_AC_REGS];

    uint8_t dac[256][3]; /* 6-bit red, green, blue */
    uint8_t dac_read_index, dac_write_index;
    uint8_t dac_step;     /* which of red/green/blue the next data access is */
    uint8_t dac_state;    /* 0x3c7 read: 0 after a write index, 3 after a read index */
    uint8_t dac_latch[3]; /* a colour being written, committed on its third byte */
    uint8_t pel_mask;

    /* Dirty tracking for the display: set by anything that can change the picture. */
    bool dirty;
    bool rendered;          /* at least one frame was rendered */
    uint8_t rendered_phase; /* blink phases of the last rendered text frame */
};

/* Power-on state: all registers zero except the PEL mask; memory cleared. */
void vga_init(struct vga *vga);

/* Program 80x25 colour text (mode 3) the way the BIOS leaves it: registers, the EGA-compatible
 * DAC colours, a cleared screen (blanks in light grey on black). font, when not NULL, holds 256
 * glyphs of 16 bytes each (8x16) and is loaded into plane 2 map 0. */
void vga_reset_text_mode(struct vga *vga, const uint8_t *font);

/* Port I/O, one byte. port is the absolute port number (0x3b0-0x3df); ports of the other
 * (monochrome/colour) CRTC address range read 0xff and ignore writes, like the hardware. */
uint8_t vga_port_read(struct vga *vga, uint16_t port);
void vga_port_write(struct vga *vga, uint16_t port, uint8_t value);

/* Memory, one byte; offset is relative to 0xA0000 (0-0x1ffff). Accesses outside the window
 * selected by the graphics controller's memory map read 0xff and ignore writes. Reads load the
 * latches. */
uint8_t vga_mem_read(struct vga *vga, uint32_t offset);
void vga_mem_write(struct vga *vga, uint32_t offset, uint8_t value);

/* Where the display goes. Pixels outside max_width x max_height are not drawn. */
struct vga_surface {
    uint32_t *pixels; /* 0x00RRGGBB */
    unsigned pitch;   /* in pixels */
    unsigned max_width, max_height;
};

/* Size in pixels of the picture the registers describe (what vga_render will draw). */
void vga_screen_size(const struct vga *vga, unsigned *width, unsigned *height);

/* True when a render at this frame would differ from the last one: memory or registers changed,
 * or a text-mode blink phase (cursor every 16 frames, blinking characters every 32) flipped.
 * frame counts vertical refreshes (60 per second). */
bool vga_needs_render(const struct vga *vga, uint32_t frame);

/* Draw the whole picture as of frame and clear the dirty state; returns its size. */
void vga_render(struct vga *vga, const struct vga_surface *out, uint32_t frame, unsigned *width,
                unsigned *height);

#endif
