/* devices/vga_reset.c: the VGA's power-on state and the 80x25 text mode a guest finds after
 * the BIOS (and GRUB) handed it the machine. */
#include "devices/vga.h"

#include <string.h>

/* Mode 3 register values as the IBM VGA BIOS programs them (the standard table reproduced in
 * FreeVGA's and OSDev's "VGA Hardware" mode listings). */
static const uint8_t text_misc = 0x67;
static const uint8_t text_seq[VGA_SEQ_REGS] = {0x03, 0x00, 0x03, 0x00, 0x02};
static const uint8_t text_crtc[VGA_CRTC_REGS] = {
    0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00,
    0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff};
static const uint8_t text_gc[VGA_GC_REGS] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff};
static const uint8_t text_ac[VGA_AC_REGS] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14,
                                             0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d,
                                             0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00};

void vga_init(struct vga *vga)
{
    memset(vga, 0, sizeof(*vga));
    vga->pel_mask = 0xff;
    vga->dirty = true;
}

/* The EGA's 64 colours: bits 0-2 are blue, green and red at 2/3 intensity, bits 3-5 add 1/3. */
static void load_ega_dac(struct vga *vga)
{
    for (unsigned i = 0; i < 64; i++) {
        vga->dac[i][0] = (uint8_t)(((i >> 2) & 1) * 0x2a + ((i >> 5) & 1) * 0x15);
        vga->dac[i][1] = (uint8_t)(((i >> 1) & 1) * 0x2a + ((i >> 4) & 1) * 0x15);
        vga->dac[i][2] = (uint8_t)((i & 1) * 0x2a + ((i >> 3) & 1) * 0x15);
    }
}

void vga_reset_text_mode(struct vga *vga, const uint8_t *font)
{
    vga_init(vga);
    vga->misc = text_misc;
    memcpy(vga->seq, text_seq, sizeof(vga->seq));
    memcpy(vga->crtc, text_crtc, sizeof(vga->crtc));
    memcpy(vga->gc, text_gc, sizeof(vga->gc));
    memcpy(vga->ac, text_ac, sizeof(vga->ac));
    vga->ac_index = VGA_AC_INDEX_PAS;
    load_ega_dac(vga);
    for (unsigned i = 0; i < 80 * 25; i++) {
        vga->plane[0][i] = ' ';
        vga->plane[1][i] = 0x07;
    }
    if (font)
        for (unsigned c = 0; c < 256; c++)
            memcpy(&vga->plane[2][c * 32], &font[c * 16], 16);
}
