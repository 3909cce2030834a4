/* VGA registers and modes for the guests: port access, the BIOS mode tables, mode setting
   without a BIOS, the DAC and attribute palette, the picture size, and the screen-dump
   handshake. See guest/lib/vga.h. */
#include "guest/lib/vga.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/serial.h"
#include "guest/lib/start.h"
#include "guest/lib/test.h"

#include <string.h>

/* The IBM VGA BIOS video parameter tables (misc, sequencer 0-4, CRTC 0-0x18, graphics 0-8,
   attribute 0-0x14), as FreeVGA and the OSDev wiki reproduce them and tests/host uses them. */
const struct vga_mode vga_mode_text = {
    .misc = 0x67,
    .seq = {0x03, 0x00, 0x03, 0x00, 0x02},
    .crtc = {0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00,
             0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff},
    .gc = {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff},
    .ac = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a,
           0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00},
};

const struct vga_mode vga_mode_0dh = {
    .misc = 0x63,
    .seq = {0x03, 0x09, 0x0f, 0x00, 0x06},
    .crtc = {0x2d, 0x27, 0x28, 0x90, 0x2b, 0x80, 0xbf, 0x1f, 0x00, 0xc0, 0x00, 0x00, 0x00,
             0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x14, 0x00, 0x96, 0xb9, 0xe3, 0xff},
    .gc = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0f, 0xff},
    .ac = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12,
           0x13, 0x14, 0x15, 0x16, 0x17, 0x01, 0x00, 0x0f, 0x00, 0x00},
};

const struct vga_mode vga_mode_12h = {
    .misc = 0xe3,
    .seq = {0x03, 0x01, 0x0f, 0x00, 0x06},
    .crtc = {0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0b, 0x3e, 0x00, 0x40, 0x00, 0x00, 0x00,
             0x00, 0x00, 0x00, 0xea, 0x8c, 0xdf, 0x28, 0x00, 0xe7, 0x04, 0xe3, 0xff},
    .gc = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0f, 0xff},
    .ac = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a,
           0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x01, 0x00, 0x0f, 0x00, 0x00},
};

const struct vga_mode vga_mode_13h = {
    .misc = 0x63,
    .seq = {0x03, 0x01, 0x0f, 0x00, 0x0e},
    .crtc = {0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x41, 0x00, 0x00, 0x00,
             0x00, 0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff},
    .gc = {0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff},
    .ac = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
           0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x41, 0x00, 0x0f, 0x00, 0x00},
};

/* Every mode here sets misc bit 0, so the CRTC and input status 1 answer at 0x3dx. */
void vga_seq(uint8_t index, uint8_t v)
{
    outb(0x3c4, index);
    outb(0x3c5, v);
}

uint8_t vga_seq_read(uint8_t index)
{
    outb(0x3c4, index);
    return inb(0x3c5);
}

void vga_crtc(uint8_t index, uint8_t v)
{
    outb(0x3d4, index);
    outb(0x3d5, v);
}

uint8_t vga_crtc_read(uint8_t index)
{
    outb(0x3d4, index);
    return inb(0x3d5);
}

void vga_gc(uint8_t index, uint8_t v)
{
    outb(0x3ce, index);
    outb(0x3cf, v);
}

uint8_t vga_gc_read(uint8_t index)
{
    outb(0x3ce, index);
    return inb(0x3cf);
}

/* The palette address source bit is clear while the data goes in: some real cards ignore
   palette writes while it is set. Writing AC_PAS as the next index turns the screen back on. */
void vga_ac(uint8_t index, uint8_t v)
{
    inb(VGA_IS1);
    outb(0x3c0, index);
    outb(0x3c0, v);
    outb(0x3c0, AC_PAS);
}

uint8_t vga_ac_read(uint8_t index)
{
    inb(VGA_IS1);
    outb(0x3c0, index | AC_PAS);
    uint8_t v = inb(0x3c1);
    inb(VGA_IS1);
    return v;
}

void vga_dac(uint8_t index, uint8_t r, uint8_t g, uint8_t b)
{
    outb(0x3c8, index);
    outb(0x3c9, r);
    outb(0x3c9, g);
    outb(0x3c9, b);
}

void vga_dac_read(uint8_t index, uint8_t rgb[3])
{
    outb(0x3c7, index);
    for (int i = 0; i < 3; i++)
        rgb[i] = inb(0x3c9);
}

void vga_set_mode(const struct vga_mode *m)
{
    vga_seq(0, 0x01); /* synchronous reset while the clock changes */
    outb(VGA_MISC_W, m->misc);
    for (uint8_t i = 1; i < 5; i++)
        vga_seq(i, m->seq[i]);
    vga_seq(0, m->seq[0]);
    vga_crtc(CRTC_VSYNC_END, vga_crtc_read(CRTC_VSYNC_END) & 0x7f);
    for (uint8_t i = 0; i < sizeof m->crtc; i++)
        vga_crtc(i, m->crtc[i]);
    for (uint8_t i = 0; i < sizeof m->gc; i++)
        vga_gc(i, m->gc[i]);
    inb(VGA_IS1);
    for (uint8_t i = 0; i < sizeof m->ac; i++) {
        outb(0x3c0, i);
        outb(0x3c0, m->ac[i]);
    }
    outb(0x3c0, AC_PAS);
}

void vga_load_ega_dac(void)
{
    for (uint8_t i = 0; i < 64; i++) {
        uint8_t r = ((i >> 2) & 1) * 42 + ((i >> 5) & 1) * 21;
        uint8_t g = ((i >> 1) & 1) * 42 + ((i >> 4) & 1) * 21;
        uint8_t b = (i & 1) * 42 + ((i >> 3) & 1) * 21;
        vga_dac(i, r, g, b);
    }
}

void vga_load_ega_palette(void)
{
    /* Colour c: low intensity RGB in bits 2-0, intensity in the 1/3 bits (brown is dark yellow
       with half green, EGA entry 0x14). */
    for (uint8_t c = 0; c < 16; c++) {
        uint8_t v = (c & 7) | ((c & 8) ? 0x38 : 0);
        vga_ac(c, c == 6 ? 0x14 : v);
    }
}

void vga_screen_size(unsigned *width, unsigned *height)
{
    uint8_t clock = vga_seq_read(SEQ_CLOCK), ovf = vga_crtc_read(CRTC_OVERFLOW);
    unsigned cols = vga_crtc_read(0x01) + 1u;
    bool text = !(vga_gc_read(GC_MISC) & 1);
    bool colour256 = vga_gc_read(GC_MODE) & 0x40;
    unsigned w = cols * 8;
    if (text)
        w = cols * ((clock & 0x08) ? 16 : (clock & 1) ? 8 : 9); /* QEMU's 16-dot wide cells */
    else if ((clock & 0x08) && !colour256)
        w *= 2;
    *width = w;
    *height = (vga_crtc_read(0x12) | (ovf & 0x02) << 7 | (ovf & 0x40) << 3) + 1u;
}

/* Whether the command line (multiboot, "GUEST ARGS...") has the word w. */
static bool cmdline_has(const char *w)
{
    if (!(boot_info->flags & MB_INFO_CMDLINE))
        return false;
    size_t n = strlen(w);
    for (const char *s = (const char *)boot_info->cmdline; *s;) {
        while (*s == ' ')
            s++;
        size_t len = strcspn(s, " ");
        if (len == n && memcmp(s, w, n) == 0)
            return true;
        s += len;
    }
    return false;
}

static uint16_t pit_count(void)
{
    outb(0x43, 0x00); /* latch channel 0 */
    uint8_t lo = inb(0x40);
    return (uint16_t)(lo | inb(0x40) << 8);
}

#define SCREEN_WAIT_WRAPS 183 /* PIT periods of 65536 counts: about 10 s */

void vga_screen_point(const char *name)
{
    unsigned w, h;
    vga_screen_size(&w, &h);
    gprintf("SCREEN %s %ux%u\n", name, w, h);
    if (!cmdline_has("screen"))
        return;
    /* Channel 0, mode 2, divisor 65536; its IRQ stays masked at the PIC. */
    outb(0x43, 0x34);
    outb(0x40, 0);
    outb(0x40, 0);
    uint16_t last = pit_count();
    unsigned wraps = 0;
    bool answered = false;
    while (wraps < SCREEN_WAIT_WRAPS) {
        if (inb(COM1_BASE + 5) & 0x01) {
            inb(COM1_BASE);
            answered = true;
            break;
        }
        uint16_t now = pit_count();
        if (now > last)
            wraps++;
        last = now;
    }
    check(answered, "screen %s: the harness answered", name);
}
