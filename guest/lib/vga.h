/* The VGA as the test guests and the demo drive it: register access through the ports, the
   standard mode register tables (text 80x25, 0Dh, 12h, 13h) loaded without a BIOS, the DAC,
   a font loaded into plane 2, and the screen-dump handshake with tests/screen. Everything goes
   through ports 0x3c0-0x3da and the memory window at 0xA0000, so the same code runs natively
   and under nexus86, where both are emulated. */
#ifndef GUEST_LIB_VGA_H
#define GUEST_LIB_VGA_H

#include <stdbool.h>
#include <stdint.h>

#define VGA_MEM    ((volatile uint8_t *)0xa0000)
#define VGA_TEXT   ((volatile uint16_t *)0xb8000)
#define VGA_IS1    0x3da /* input status 1 (colour); reading it resets the attribute flip-flop */
#define VGA_MISC_W 0x3c2
#define VGA_MISC_R 0x3cc

/* Register indexes the tests name. */
#define SEQ_CLOCK      0x01
#define SEQ_MAP_MASK   0x02
#define SEQ_CHARMAP    0x03
#define SEQ_MEMMODE    0x04
#define CRTC_CUR_START 0x0a
#define CRTC_CUR_END   0x0b
#define CRTC_START_HI  0x0c
#define CRTC_START_LO  0x0d
#define CRTC_CUR_HI    0x0e
#define CRTC_CUR_LO    0x0f
#define CRTC_VSYNC_END 0x11 /* bit 7 protects CRTC 0-7 */
#define CRTC_MAX_SCAN  0x09
#define CRTC_OVERFLOW  0x07
#define CRTC_LINE_COMP 0x18
#define GC_SET_RESET   0x00
#define GC_ENABLE_SR   0x01
#define GC_COLOR_CMP   0x02
#define GC_ROTATE      0x03 /* bits 0-2 rotate count, bits 3-4 function */
#define GC_READ_MAP    0x04
#define GC_MODE        0x05 /* bits 0-1 write mode, bit 3 read mode */
#define GC_MISC        0x06
#define GC_DONT_CARE   0x07
#define GC_BIT_MASK    0x08
#define AC_MODE        0x10
#define AC_OVERSCAN    0x11
#define AC_PLANE_EN    0x12
#define AC_PAS         0x20 /* palette address source: set, the attribute controller shows video */

#define FUNC_REPLACE 0x00
#define FUNC_AND     0x08
#define FUNC_OR      0x10
#define FUNC_XOR     0x18

/* A mode as the BIOS parameter tables give it. */
struct vga_mode {
    uint8_t misc;
    uint8_t seq[5];
    uint8_t crtc[25];
    uint8_t gc[9];
    uint8_t ac[21];
};

extern const struct vga_mode vga_mode_text, vga_mode_0dh, vga_mode_12h, vga_mode_13h;

void vga_seq(uint8_t index, uint8_t v);
uint8_t vga_seq_read(uint8_t index);
void vga_crtc(uint8_t index, uint8_t v);
uint8_t vga_crtc_read(uint8_t index);
void vga_gc(uint8_t index, uint8_t v);
uint8_t vga_gc_read(uint8_t index);
/* Attribute controller: resets the flip-flop, writes index (with the palette address source
   bit set, so the screen stays on) then data. */
void vga_ac(uint8_t index, uint8_t v);
uint8_t vga_ac_read(uint8_t index);
void vga_dac(uint8_t index, uint8_t r, uint8_t g, uint8_t b);
void vga_dac_read(uint8_t index, uint8_t rgb[3]);

/* Loads every register of the mode in the order FreeVGA gives (sequencer held in reset while
   the clock changes, CRTC 0-7 unlocked first, palette address source set last). */
void vga_set_mode(const struct vga_mode *m);
/* DAC entries 0-63 as the EGA colours: index bits are rgbRGB (2/3 and 1/3 of full scale). */
void vga_load_ega_dac(void);
/* The 16 usual colours in attribute palette entries 0-15 (through the EGA DAC entries). */
void vga_load_ega_palette(void);

/* The picture size the registers describe, as docs/vga.md's table (QEMU's scan-out). */
void vga_screen_size(unsigned *width, unsigned *height);

/* Prints "SCREEN NAME WxH". When the guest's command line has the word "screen", the harness
   (tests/screen/screen-run) is listening: it takes a screendump and answers with one byte on
   COM1, which this waits for, at most about ten seconds by the PIT. A timeout fails a check. */
void vga_screen_point(const char *name);

/* Line-graphics characters the guest font has: the ninth dot repeats their eighth. */
#define VGA_CH_HLINE 0xc4
#define VGA_CH_BLOCK 0xdb

/* The 8x16 font glyph of character c (16 bytes), from the guest's own 5x7 font. */
void vga_font_glyph(uint8_t c, uint8_t out[16]);
/* Loads 256 glyphs into plane 2 font map `map` (0-7, FreeVGA's 8 KiB slots) through planar
   access, then restores text-mode addressing. invert draws every glyph inverted. */
void vga_load_font(unsigned map, bool invert);
/* The 5x7 glyph of c (rows top down, bit 4 is the leftmost dot); blank for missing characters. */
const uint8_t *vga_glyph5x7(uint8_t c);

#endif
