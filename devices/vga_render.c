/* devices/vga_render.c: turns the VGA's registers and planes into 0x00RRGGBB pixels.
 *
 * Geometry comes from the CRTC (horizontal display end, vertical display end with its overflow
 * bits, maximum scan line and double scan, offset, start address, line compare) and the
 * sequencer's clocking mode, the way QEMU's VGA scans out (hw/display/vga.c), so a picture
 * drawn here matches a screendump of QEMU's own VGA pixel for pixel: 80x25 text is 720x400,
 * mode 12h 640x480, mode 10h 640x350, modes 0Dh and 13h 640x400 (pixels doubled both ways).
 * Colours pass through the attribute controller's palette and the DAC. */
#include "devices/vga.h"

#define CURSOR_PHASE 0x01 /* cursor shown in the first 16 of every 32 frames */
#define BLINK_PHASE  0x02 /* blinking characters shown in the first 32 of every 64 */

struct frame {
    const struct vga_surface *out;
    unsigned width, height;
};

static void put(const struct frame *f, unsigned x, unsigned y, uint32_t rgb)
{
    if (x < f->width && y < f->height)
        f->out->pixels[(size_t)y * f->out->pitch + x] = rgb;
}

/* 6-bit DAC value to 8 bits, replicating the low bit as QEMU's c6_to_8 does, so full intensity
 * (0x3f) becomes 0xff. */
static uint32_t c6_to_8(uint8_t v)
{
    uint32_t b = v & 1;
    return (uint32_t)(v & 0x3f) << 2 | b << 1 | b;
}

static uint32_t dac_rgb(const struct vga *vga, uint8_t index)
{
    const uint8_t *c = vga->dac[index & vga->pel_mask];
    return c6_to_8(c[0]) << 16 | c6_to_8(c[1]) << 8 | c6_to_8(c[2]);
}

/* The 16 colours a 4-bit pixel or text attribute can name: the palette register gives DAC index
 * bits 0-5; the colour select register supplies bits 6-7, and bits 4-5 too when the mode
 * control register's P54S bit is set (FreeVGA attrreg.htm). */
static void palette16(const struct vga *vga, uint32_t pal[16])
{
    uint8_t sel = vga->ac[VGA_AC_COLOR_SEL];
    for (unsigned i = 0; i < 16; i++) {
        uint8_t v = vga->ac[i];
        if (vga->ac[VGA_AC_MODE] & 0x80)
            v = (uint8_t)((sel & 0x0f) << 4 | (v & 0x0f));
        else
            v = (uint8_t)((sel & 0x0c) << 4 | (v & 0x3f));
        pal[i] = dac_rgb(vga, v);
    }
}

static bool graphics_mode(const struct vga *vga)
{
    return vga->gc[VGA_GC_MISC] & 0x01;
}

static unsigned shift_mode(const struct vga *vga)
{
    return (vga->gc[VGA_GC_MODE] >> 5) & 3;
}

static bool blanked(const struct vga *vga)
{
    return !(vga->ac_index & VGA_AC_INDEX_PAS) || (vga->seq[VGA_SEQ_CLOCK] & 0x20);
}

static unsigned scan_lines(const struct vga *vga)
{
    uint8_t ovf = vga->crtc[VGA_CRTC_OVERFLOW];
    return (vga->crtc[VGA_CRTC_VDISP_END] | (ovf & 0x02) << 7 | (ovf & 0x40) << 3) + 1u;
}

static unsigned char_height(const struct vga *vga)
{
    return (vga->crtc[VGA_CRTC_MAX_SCAN] & 0x1f) + 1u;
}

/* Half dot clock doubles every character (QEMU draws such characters 16 dots wide). */
static unsigned char_width(const struct vga *vga)
{
    if (vga->seq[VGA_SEQ_CLOCK] & 0x08)
        return 16;
    return (vga->seq[VGA_SEQ_CLOCK] & 0x01) ? 8 : 9;
}

static unsigned start_address(const struct vga *vga)
{
    return (unsigned)vga->crtc[VGA_CRTC_START_HI] << 8 | vga->crtc[VGA_CRTC_START_LO];
}

/* Plane offsets from one character row or scan line to the next. */
static unsigned line_offset(const struct vga *vga)
{
    return vga->crtc[VGA_CRTC_OFFSET] * 2u;
}

static unsigned line_compare(const struct vga *vga)
{
    return vga->crtc[VGA_CRTC_LINE_COMP] | (vga->crtc[VGA_CRTC_OVERFLOW] & 0x10) << 4 |
           (vga->crtc[VGA_CRTC_MAX_SCAN] & 0x40) << 3;
}

void vga_screen_size(const struct vga *vga, unsigned *width, unsigned *height)
{
    unsigned columns = vga->crtc[VGA_CRTC_HDISP] + 1u;
    if (!graphics_mode(vga)) {
        *width = columns * char_width(vga);
        *height = scan_lines(vga) / char_height(vga) * char_height(vga);
        return;
    }
    *width = columns * 8;
    if (shift_mode(vga) != 2 && (vga->seq[VGA_SEQ_CLOCK] & 0x08))
        *width *= 2;
    *height = scan_lines(vga);
}

static uint8_t blink_phases(uint32_t frame)
{
    uint8_t phase = 0;
    if (!((frame >> 4) & 1))
        phase |= CURSOR_PHASE;
    if (!((frame >> 5) & 1))
        phase |= BLINK_PHASE;
    return phase;
}

/* Which blink phases can change a text picture: the cursor when it is enabled, the blink
 * attribute when the mode control register makes bit 7 blink. */
static uint8_t visible_phases(const struct vga *vga)
{
    if (graphics_mode(vga) || blanked(vga))
        return 0;
    uint8_t mask = 0;
    if (!(vga->crtc[VGA_CRTC_CUR_START] & 0x20))
        mask |= CURSOR_PHASE;
    if (vga->ac[VGA_AC_MODE] & 0x08)
        mask |= BLINK_PHASE;
    return mask;
}

bool vga_needs_render(const struct vga *vga, uint32_t frame)
{
    if (vga->dirty || !vga->rendered)
        return true;
    uint8_t mask = visible_phases(vga);
    return ((blink_phases(frame) ^ vga->rendered_phase) & mask) != 0;
}

/* Font bases in plane 2 for attribute bit 3 clear (map B) and set (map A), from the character
 * map select register (FreeVGA seqreg.htm): 0-3 are 16 KiB apart, 4-7 sit 8 KiB above them. */
static void font_bases(const struct vga *vga, unsigned base[2])
{
    uint8_t v = vga->seq[VGA_SEQ_CHARMAP];
    unsigned map_b = ((v >> 4) & 1) | ((v << 1) & 6);
    unsigned map_a = ((v >> 5) & 1) | ((v >> 1) & 6);
    base[0] = map_b * 0x2000;
    base[1] = map_a * 0x2000;
}

struct cell_colours {
    uint32_t fg, bg;
};

static struct cell_colours cell_colours(const struct vga *vga, const uint32_t pal[16], uint8_t attr,
                                        uint8_t phase)
{
    struct cell_colours c;
    if (vga->ac[VGA_AC_MODE] & 0x08) {
        c.bg = pal[(attr >> 4) & 7];
        c.fg = (attr & 0x80) && !(phase & BLINK_PHASE) ? c.bg : pal[attr & 0x0f];
    } else {
        c.bg = pal[attr >> 4];
        c.fg = pal[attr & 0x0f];
    }
    return c;
}

/* One scan line of a character cell. The ninth dot repeats the eighth for the line-drawing
 * characters when the mode control register asks for it; QEMU applies that to 0xb0-0xdf. */
static void draw_glyph_row(const struct frame *f, unsigned x, unsigned y, unsigned cw, uint8_t bits,
                           bool dup9, struct cell_colours c)
{
    for (unsigned i = 0; i < 8; i++) {
        uint32_t rgb = (bits & (0x80 >> i)) ? c.fg : c.bg;
        if (cw == 16) {
            put(f, x + 2 * i, y, rgb);
            put(f, x + 2 * i + 1, y, rgb);
        } else {
            put(f, x + i, y, rgb);
        }
    }
    if (cw == 9)
        put(f, x + 8, y, dup9 && (bits & 1) ? c.fg : c.bg);
}

static void render_text(const struct vga *vga, const struct frame *f, uint8_t phase)
{
    uint32_t pal[16];
    palette16(vga, pal);
    unsigned base[2];
    font_bases(vga, base);
    unsigned cw = char_width(vga), ch = char_height(vga);
    unsigned columns = vga->crtc[VGA_CRTC_HDISP] + 1u, rows = scan_lines(vga) / ch;
    unsigned cursor = (unsigned)vga->crtc[VGA_CRTC_CUR_HI] << 8 | vga->crtc[VGA_CRTC_CUR_LO];
    bool cursor_on = !(vga->crtc[VGA_CRTC_CUR_START] & 0x20) && (phase & CURSOR_PHASE);
    unsigned cursor_first = vga->crtc[VGA_CRTC_CUR_START] & 0x1f;
    unsigned cursor_last = vga->crtc[VGA_CRTC_CUR_END] & 0x1f;
    if (cursor_last > ch - 1)
        cursor_last = ch - 1;
    unsigned lc = line_compare(vga);
    unsigned offset = start_address(vga), line = 0;

    for (unsigned row = 0; row < rows; row++) {
        for (unsigned col = 0; col < columns; col++) {
            unsigned a = (offset + col) & (VGA_PLANE_SIZE - 1);
            uint8_t code = vga->plane[0][a], attr = vga->plane[1][a];
            struct cell_colours c = cell_colours(vga, pal, attr, phase);
            const uint8_t *glyph = &vga->plane[2][base[(attr >> 3) & 1] + code * 32u];
            bool dup9 = (vga->ac[VGA_AC_MODE] & 0x04) && code >= 0xb0 && code <= 0xdf;
            bool has_cursor = cursor_on && a == (cursor & (VGA_PLANE_SIZE - 1));
            for (unsigned r = 0; r < ch; r++) {
                uint8_t bits = glyph[r];
                bool dup = dup9;
                if (has_cursor && r >= cursor_first && r <= cursor_last) {
                    bits = 0xff;
                    dup = true;
                }
                draw_glyph_row(f, col * cw, row * ch + r, cw, bits, dup, c);
            }
        }
        offset += line_offset(vga);
        if (line < lc && line + ch >= lc)
            offset = 0;
        line += ch;
    }
}

static void render_planar_line(const struct vga *vga, const struct frame *f, const uint32_t *pal,
                               unsigned y, unsigned addr, unsigned bytes, bool doubled)
{
    uint8_t enable = vga->ac[VGA_AC_PLANE_EN] & 0x0f;
    unsigned x = 0;
    for (unsigned i = 0; i < bytes; i++) {
        unsigned a = (addr + i) & (VGA_PLANE_SIZE - 1);
        for (unsigned bit = 8; bit-- > 0;) {
            unsigned index = 0;
            for (unsigned p = 0; p < 4; p++)
                index |= ((vga->plane[p][a] >> bit) & 1u) << p;
            uint32_t rgb = pal[index & enable];
            put(f, x++, y, rgb);
            if (doubled)
                put(f, x++, y, rgb);
        }
    }
}

/* 256 colours: consecutive pixels cycle through the planes at one offset; the VGA's 8-bit
 * pixel path shows each twice across (QEMU's vga_draw_line8d2). */
static void render_256_line(const struct vga *vga, const struct frame *f, unsigned y, unsigned addr,
                            unsigned pixels)
{
    for (unsigned k = 0; k < pixels; k++) {
        unsigned a = (addr + (k >> 2)) & (VGA_PLANE_SIZE - 1);
        uint32_t rgb = dac_rgb(vga, vga->plane[k & 3][a]);
        put(f, 2 * k, y, rgb);
        put(f, 2 * k + 1, y, rgb);
    }
}

static void fill(const struct frame *f, uint32_t rgb)
{
    for (unsigned y = 0; y < f->height; y++)
        for (unsigned x = 0; x < f->width; x++)
            put(f, x, y, rgb);
}

/* Each memory line is shown (max scan line + 1) times, doubled again by double scan. */
static void render_graphics(const struct vga *vga, const struct frame *f, unsigned height)
{
    unsigned shift = shift_mode(vga);
    if (shift == 1) {
        fill(f, 0);
        return;
    }
    uint32_t pal[16];
    palette16(vga, pal);
    unsigned bytes = vga->crtc[VGA_CRTC_HDISP] + 1u;
    bool doubled = vga->seq[VGA_SEQ_CLOCK] & 0x08;
    uint8_t max_scan = vga->crtc[VGA_CRTC_MAX_SCAN];
    unsigned repeat = ((max_scan & 0x1f) + 1u) << (max_scan >> 7);
    unsigned lc = line_compare(vga);
    unsigned addr = start_address(vga), run = 0;

    for (unsigned y = 0; y < height; y++) {
        if (shift == 0)
            render_planar_line(vga, f, pal, y, addr, bytes, doubled);
        else
            render_256_line(vga, f, y, addr, bytes * 4);
        if (++run == repeat) {
            run = 0;
            addr += line_offset(vga);
        }
        if (y == lc)
            addr = 0;
    }
}

void vga_render(struct vga *vga, const struct vga_surface *out, uint32_t frame, unsigned *width,
                unsigned *height)
{
    unsigned w, h;
    vga_screen_size(vga, &w, &h);
    struct frame f = {
        .out = out,
        .width = w < out->max_width ? w : out->max_width,
        .height = h < out->max_height ? h : out->max_height,
    };
    uint8_t phase = blink_phases(frame);
    if (blanked(vga))
        fill(&f, 0);
    else if (graphics_mode(vga))
        render_graphics(vga, &f, h);
    else
        render_text(vga, &f, phase);
    vga->dirty = false;
    vga->rendered = true;
    vga->rendered_phase = phase;
    *width = w;
    *height = h;
}
