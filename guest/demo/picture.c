/* The demo's picture: mode 12h (640x480, 16 colours) set through the registers, then the
   nexus86 name in big letters, a line under it, the 16 colours as a bar, and a few shapes.
   Everything is drawn as horizontal spans with write mode 2 (the CPU byte is the colour), so a
   whole byte is one write and only the partial bytes at a span's ends need the bit mask and a
   read to load the latches: few accesses, which matters once each one is emulated. */
#include "guest/demo/picture.h"
#include "guest/lib/vga.h"

#include <string.h>

#define WIDTH     640
#define HEIGHT    480
#define ROW_BYTES (WIDTH / 8)

enum {
    BLACK,
    BLUE,
    GREEN,
    CYAN,
    RED,
    MAGENTA,
    BROWN,
    LIGHT_GREY,
    DARK_GREY,
    LIGHT_BLUE,
    LIGHT_GREEN,
    LIGHT_CYAN,
    LIGHT_RED,
    LIGHT_MAGENTA,
    YELLOW,
    WHITE,
};

/* Pixels x0..x1-1 of row y in colour c (write mode 2 is set). */
static void span(int y, int x0, int x1, uint8_t c)
{
    if (y < 0 || y >= HEIGHT)
        return;
    x0 = x0 < 0 ? 0 : x0;
    x1 = x1 > WIDTH ? WIDTH : x1;
    for (int x = x0; x < x1;) {
        volatile uint8_t *p = &VGA_MEM[y * ROW_BYTES + x / 8];
        int end = (x | 7) + 1;
        if (x % 8 == 0 && end <= x1) {
            vga_gc(GC_BIT_MASK, 0xff);
            for (; x + 8 <= x1; x += 8, p++)
                *p = c;
            continue;
        }
        int last = end < x1 ? end : x1;
        vga_gc(GC_BIT_MASK, (uint8_t)((0xff >> (x % 8)) & (0xff << (end - last))));
        (void)*p;
        *p = c;
        x = last;
    }
}

static void box(int x, int y, int w, int h, uint8_t c)
{
    for (int r = y; r < y + h; r++)
        span(r, x, x + w, c);
}

static void disc(int cx, int cy, int radius, uint8_t c)
{
    for (int dy = -radius; dy <= radius; dy++) {
        int dx = 0;
        while ((dx + 1) * (dx + 1) + dy * dy <= radius * radius)
            dx++;
        span(cy + dy, cx - dx, cx + dx + 1, c);
    }
}

/* A triangle with a flat base: apex (cx, top), base from cx - half to cx + half at top + h. */
static void triangle(int cx, int top, int half, int h, uint8_t c)
{
    for (int r = 0; r < h; r++) {
        int w = half * r / h;
        span(top + r, cx - w, cx + w + 1, c);
    }
}

/* Text from the guest font's 5x7 glyphs, each dot a scale x scale square. */
static void text(int x, int y, int scale, uint8_t c, const char *s)
{
    for (; *s; s++, x += 6 * scale) {
        const uint8_t *g = vga_glyph5x7((uint8_t)*s);
        for (int row = 0; row < 7; row++)
            for (int col = 0; col < 5; col++)
                if (g[row] & (0x10 >> col))
                    box(x + col * scale, y + row * scale, scale, scale, c);
    }
}

static int text_width(const char *s, int scale)
{
    return (int)strlen(s) * 6 * scale - scale;
}

static void centred(int y, int scale, uint8_t c, const char *s)
{
    text((WIDTH - text_width(s, scale)) / 2, y, scale, c, s);
}

void demo_picture(void)
{
    vga_set_mode(&vga_mode_12h);
    vga_load_ega_dac();
    vga_load_ega_palette();
    vga_gc(GC_MODE, 0x02);

    box(0, 0, WIDTH, HEIGHT, BLUE);
    box(0, 0, WIDTH, 8, LIGHT_BLUE);
    box(0, HEIGHT - 8, WIDTH, 8, LIGHT_BLUE);

    static const char name[] = "NEXUS86";
    static const uint8_t letter[] = {LIGHT_RED,  YELLOW,        LIGHT_GREEN, LIGHT_CYAN,
                                     LIGHT_BLUE, LIGHT_MAGENTA, WHITE};
    int scale = 12, x = (WIDTH - text_width(name, scale)) / 2;
    for (int i = 0; name[i]; i++) {
        char one[2] = {name[i], 0};
        text(x + i * 6 * scale + 6, 46, scale, BLACK, one); /* shadow */
        text(x + i * 6 * scale, 40, scale, letter[i], one);
    }
    box(60, 140, WIDTH - 120, 4, WHITE);
    centred(158, 2, WHITE, "A SOFTWARE-ONLY X86 HYPERVISOR");
    centred(182, 2, LIGHT_GREY, "THIS PICTURE IS A GUEST IN VGA MODE 12H");

    /* The 16 colours, framed. */
    box(38, 218, 16 * 35 + 4, 44, WHITE);
    for (int c = 0; c < 16; c++)
        box(40 + c * 35, 220, 35, 40, (uint8_t)c);

    /* Shapes: a sun over hills, a tree, a house. */
    disc(120, 350, 44, YELLOW);
    disc(120, 350, 36, LIGHT_RED);
    triangle(300, 290, 90, 120, GREEN);
    triangle(380, 320, 70, 90, LIGHT_GREEN);
    box(472, 350, 120, 60, LIGHT_GREY);
    triangle(532, 300, 70, 50, RED);
    box(520, 372, 24, 38, BROWN);
    box(486, 362, 22, 18, LIGHT_CYAN);
    box(556, 362, 22, 18, LIGHT_CYAN);
    box(0, 410, WIDTH, 62, GREEN);
    centred(430, 2, BLACK, "WRITE MODE 2 SPANS, BIT MASK AT THE EDGES");

    vga_gc(GC_BIT_MASK, 0xff);
    vga_gc(GC_MODE, 0x00);
}
