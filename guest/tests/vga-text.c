/* VGA 80x25 colour text programmed through the registers alone: register read-back, two fonts
   loaded into plane 2 through planar access and read back, character map select (attribute
   bit 3 picks the inverted font), text written and read back through odd/even addressing
   (characters in plane 0, attributes in plane 1), line graphics reaching the ninth dot, the
   cursor registers, and 8-dot characters, as pictures for the screen tests (tests/screen).
   The cursor is off and blinking disabled whenever a screen is taken: both follow real time
   in QEMU, so pictures with them would not repeat. */
#include "guest/lib/io.h"
#include "guest/lib/test.h"
#include "guest/lib/vga.h"
#include "guest/lib/vga_checks.h"

#include <string.h>

const char guest_name[] = "vga-text";

#define COLS 80
#define ROWS 25

static uint16_t cells[COLS * ROWS]; /* what the guest wrote, for the read-back */

static uint32_t fnv(uint32_t h, uint8_t b)
{
    return (h ^ b) * 16777619u;
}

static void put(unsigned row, unsigned col, uint8_t attr, const char *s)
{
    for (; *s && col < COLS; s++, col++) {
        uint16_t v = (uint16_t)(attr << 8 | (uint8_t)*s);
        cells[row * COLS + col] = v;
        VGA_TEXT[row * COLS + col] = v;
    }
}

static void put_char(unsigned row, unsigned col, uint8_t attr, uint8_t c)
{
    uint16_t v = (uint16_t)(attr << 8 | c);
    cells[row * COLS + col] = v;
    VGA_TEXT[row * COLS + col] = v;
}

/* Plane 2 holds map `map` as vga_load_font wrote it: 32 bytes a glyph, 16 used. */
static void check_font(unsigned map, bool invert)
{
    vga_seq(SEQ_MEMMODE, 0x06);
    vga_gc(GC_READ_MAP, 0x02);
    vga_gc(GC_MODE, 0x00);
    vga_gc(GC_MISC, 0x04);
    unsigned base = ((map & 3) * 2 + (map >> 2)) * 0x2000;
    uint32_t got = 2166136261u, want = got;
    for (unsigned c = 0; c < 256; c++) {
        uint8_t g[16];
        vga_font_glyph((uint8_t)c, g);
        for (unsigned r = 0; r < 32; r++) {
            got = fnv(got, VGA_MEM[base + c * 32 + r]);
            want = fnv(want, r < 16 ? (uint8_t)(invert ? ~g[r] : g[r]) : 0);
        }
    }
    vga_seq(SEQ_MEMMODE, 0x02);
    vga_gc(GC_READ_MAP, 0x00);
    vga_gc(GC_MODE, 0x10);
    vga_gc(GC_MISC, 0x0e);
    check(got == want, "text: font map %u reads back through plane 2, sum %08lx", map,
          (unsigned long)got);
}

static void draw(void)
{
    for (unsigned i = 0; i < COLS * ROWS; i++) {
        cells[i] = 0x0720;
        VGA_TEXT[i] = 0x0720;
    }
    put(0, 0, 0x1f,
        " NEXUS86 VGA TEXT TEST: 80X25, FONT FROM PLANE 2, ODD/EVEN                     ");
    put(2, 2, 0x07, "FOREGROUND 0-15 ON BACKGROUND 0-15 (NO BLINK: BIT 7 IS BACKGROUND INTENSITY)");
    for (unsigned bg = 0; bg < 16; bg++)
        for (unsigned fg = 0; fg < 16; fg++) {
            put_char(4 + bg, 2 + fg * 3, (uint8_t)(bg << 4 | fg), 'A' + fg);
            put_char(4 + bg, 3 + fg * 3, (uint8_t)(bg << 4 | fg), '0' + bg % 10);
        }
    put(4, 52, 0x0e, "ATTRIBUTE BIT 3 PICKS");
    put(5, 52, 0x0e, "CHARACTER MAP A: THE");
    put(6, 52, 0x0e, "INVERTED FONT");
    put(8, 52, 0x07, "LINE GRAPHICS, 9TH DOT:");
    for (unsigned c = 0; c < 20; c++) {
        put_char(9, 52 + c, 0x0a, VGA_CH_HLINE);
        put_char(10, 52 + c, 0x0c, VGA_CH_BLOCK);
        put_char(11, 52 + c, 0x09, c & 1 ? VGA_CH_BLOCK : 'X');
    }
    put(13, 52, 0x07, "PUNCTUATION:");
    put(14, 52, 0x07, "!\"#$%&'()*+,-./:;<=>?@[\\]^_");
    put(15, 52, 0x07, "lower case: capitals");
    put(24, 0, 0x70,
        " CURSOR REGISTERS TESTED, CURSOR OFF FOR THE PICTURE                            ");
}

void guest_main(void)
{
    const struct vga_mode *m = &vga_mode_text;
    vga_set_mode(m);
    vga_load_ega_dac();
    vga_check_mode("text", m);

    vga_load_font(0, false);
    vga_load_font(1, true);
    check_font(0, false);
    check_font(1, true);
    vga_seq(SEQ_CHARMAP, 0x04); /* map A (attribute bit 3 set) = 1, map B = 0 */
    check(vga_seq_read(SEQ_CHARMAP) == 0x04, "text: character map select reads 0x04");
    vga_ac(AC_MODE, 0x04); /* line graphics on, blinking off */
    check(vga_ac_read(AC_MODE) == 0x04, "text: attribute mode control reads 0x04");

    draw();
    uint32_t got = 2166136261u, want = got;
    for (unsigned i = 0; i < COLS * ROWS; i++) {
        uint16_t v = VGA_TEXT[i];
        got = fnv(fnv(got, (uint8_t)v), (uint8_t)(v >> 8));
        want = fnv(fnv(want, (uint8_t)cells[i]), (uint8_t)(cells[i] >> 8));
    }
    check(got == want, "text: 2000 cells read back through odd/even, sum %08lx",
          (unsigned long)got);

    /* Cursor: an underline in rows 14-15 of its cell at row 12, column 40. */
    uint16_t pos = 12 * COLS + 40;
    vga_crtc(CRTC_CUR_START, 0x0e);
    vga_crtc(CRTC_CUR_END, 0x0f);
    vga_crtc(CRTC_CUR_HI, (uint8_t)(pos >> 8));
    vga_crtc(CRTC_CUR_LO, (uint8_t)pos);
    check(vga_crtc_read(CRTC_CUR_START) == 0x0e && vga_crtc_read(CRTC_CUR_END) == 0x0f,
          "text: cursor start and end read 0x0e, 0x0f");
    check((vga_crtc_read(CRTC_CUR_HI) << 8 | vga_crtc_read(CRTC_CUR_LO)) == pos,
          "text: cursor location reads %u", pos);
    vga_crtc(CRTC_CUR_START, 0x2e);
    check(vga_crtc_read(CRTC_CUR_START) == 0x2e, "text: cursor disable bit reads back");
    vga_screen_point("text-fonts");

    /* 8-dot characters: 640 dots across, the ninth-dot rules no longer apply. */
    vga_seq(0, 0x01);
    outb(VGA_MISC_W, 0x63); /* 25 MHz dot clock for 8-dot cells */
    vga_seq(SEQ_CLOCK, 0x01);
    vga_seq(0, 0x03);
    check(vga_seq_read(SEQ_CLOCK) == 0x01, "text: clocking mode reads 0x01 (8-dot cells)");
    vga_screen_point("text-8dot");
}
