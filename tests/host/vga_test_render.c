/* tests/host/vga_test_render.c: rendering of text, planar 16-colour and mode 13h screens to
 * expected pixels.
 *
 * Modes are programmed through the ports with the standard tables. Expected colours: the EGA
 * default DAC values (blue = 0,0,0x2a; yellow = 0x3f,0x3f,0x15; light grey = 0x2a,0x2a,0x2a, as
 * in FreeVGA's vgadac.htm and every VGA BIOS), widened from 6 to 8 bits as QEMU's c6_to_8 does
 * ((v << 2) | low bit replicated twice: 0x2a -> 0xa8, 0x15 -> 0x57, 0x3f -> 0xff, 0x20 -> 0x80).
 * Geometry as QEMU scans it out (hw/display/vga.c): 9-dot text 720x400, mode 12h 640x480,
 * mode 10h 640x350, modes 0Dh and 13h 640x400 with each pixel doubled both ways. */
#include "tests/host/vga_test.h"

#include <string.h>

#define FB_W 720
#define FB_H 480

static uint32_t fb[FB_W * FB_H];

#define BLACK  0x000000u
#define BLUE   0x0000a8u
#define YELLOW 0xffff57u
#define GREY   0xa8a8a8u

static void render(struct vga *vga, uint32_t frame, unsigned *w, unsigned *h)
{
    struct vga_surface s = {fb, FB_W, FB_W, FB_H};
    memset(fb, 0xee, sizeof(fb));
    vga_render(vga, &s, frame, w, h);
}

static uint32_t px(unsigned x, unsigned y)
{
    return fb[y * FB_W + x];
}

/* A font whose every row differs: glyph row r of character c. */
static uint8_t glyph_row(unsigned c, unsigned r)
{
    return (uint8_t)(c * 7 + r * 0x35 + 1);
}

static void put_char(struct vga *vga, unsigned col, unsigned row, uint8_t code, uint8_t attr)
{
    uint32_t a = 0x18000 + 2 * (row * 80 + col);
    vga_mem_write(vga, a, code);
    vga_mem_write(vga, a + 1, attr);
}

static void assert_cell(unsigned col, unsigned row, uint8_t code, uint32_t fg, uint32_t bg,
                        bool dup9)
{
    for (unsigned r = 0; r < 16; r++) {
        uint8_t bits = glyph_row(code, r);
        for (unsigned i = 0; i < 8; i++)
            assert_int_equal(px(col * 9 + i, row * 16 + r), (bits & (0x80 >> i)) ? fg : bg);
        assert_int_equal(px(col * 9 + 8, row * 16 + r), dup9 && (bits & 1) ? fg : bg);
    }
}

static void text_screen(struct vga *vga)
{
    uint8_t font[256 * 16];
    for (unsigned c = 0; c < 256; c++)
        for (unsigned r = 0; r < 16; r++)
            font[c * 16 + r] = glyph_row(c, r);
    vga_reset_text_mode(vga, font);
}

/* Characters come from plane 2 at 32 bytes a glyph; the attribute's low nibble is the
 * foreground and bits 4-6 the background (bit 7 blinks: mode control 0x0c sets blink enable).
 * Line graphics enable repeats the eighth dot in the ninth for 0xb0-0xdf: QEMU's range; the IBM
 * VGA does it for 0xc0-0xdf only (FreeVGA attrreg.htm, LGE). */
static void test_text_cells(void **state)
{
    struct vga *vga = *state;
    text_screen(vga);
    vga_set_crtc(vga, VGA_CRTC_CUR_START, 0x20);
    put_char(vga, 2, 1, 'A', 0x1e);
    put_char(vga, 3, 1, 0xc4, 0x1e);
    put_char(vga, 4, 1, 0xb3, 0x1e);
    put_char(vga, 5, 1, 0xe0, 0x1e);
    unsigned w, h;
    render(vga, 0, &w, &h);
    assert_int_equal(w, 720);
    assert_int_equal(h, 400);
    assert_cell(2, 1, 'A', YELLOW, BLUE, false);
    assert_cell(3, 1, 0xc4, YELLOW, BLUE, true);
    assert_cell(4, 1, 0xb3, YELLOW, BLUE, true);
    assert_cell(5, 1, 0xe0, YELLOW, BLUE, false);
    assert_cell(0, 0, ' ', GREY, BLACK, false);
    assert_cell(79, 24, ' ', GREY, BLACK, false);
}

/* Blinking characters show their foreground in one phase and only background in the other;
 * with blink disabled bit 7 is background intensity (DAC 0x39 = light blue 0x15,0x15,0x3f). */
static void test_text_blink(void **state)
{
    struct vga *vga = *state;
    text_screen(vga);
    vga_set_crtc(vga, VGA_CRTC_CUR_START, 0x20);
    put_char(vga, 0, 3, 'B', 0x9e);
    unsigned w, h;
    render(vga, 0, &w, &h);
    assert_cell(0, 3, 'B', YELLOW, BLUE, false);
    render(vga, 32, &w, &h);
    assert_cell(0, 3, 'B', BLUE, BLUE, false);
    vga_set_ac(vga, VGA_AC_MODE, 0x04);
    render(vga, 32, &w, &h);
    assert_cell(0, 3, 'B', YELLOW, 0x5757ffu, false);
}

/* The cursor (CRTC 0x0e/0x0f location, 0x0a/0x0b first and last scan line, 0x0a bit 5 off)
 * paints those scan lines of its cell, ninth dot included, in the cell's foreground. */
static void test_text_cursor(void **state)
{
    struct vga *vga = *state;
    text_screen(vga);
    vga_set_crtc(vga, VGA_CRTC_CUR_HI, 0);
    vga_set_crtc(vga, VGA_CRTC_CUR_LO, 2 * 80 + 5);
    unsigned w, h;
    render(vga, 0, &w, &h);
    for (unsigned r = 0; r < 16; r++) {
        uint8_t bits = glyph_row(' ', r);
        for (unsigned i = 0; i < 9; i++) {
            bool lit = (r == 13 || r == 14) || (i < 8 && (bits & (0x80 >> i)));
            assert_int_equal(px(5 * 9 + i, 2 * 16 + r), lit ? GREY : BLACK);
        }
    }
    render(vga, 16, &w, &h);
    assert_cell(5, 2, ' ', GREY, BLACK, false);
    render(vga, 32, &w, &h);
    assert_int_equal(px(5 * 9 + 8, 2 * 16 + 13), GREY);
    vga_set_crtc(vga, VGA_CRTC_CUR_START, 0x2d);
    render(vga, 32, &w, &h);
    assert_cell(5, 2, ' ', GREY, BLACK, false);
}

/* Character map select (sequencer 0x03): map A (bits 5,3-2) serves attribute bit 3 set, map B
 * (bits 4,1-0) attribute bit 3 clear; map 1 starts 16 KiB into plane 2. */
static void test_text_font_select(void **state)
{
    struct vga *vga = *state;
    text_screen(vga);
    vga_set_crtc(vga, VGA_CRTC_CUR_START, 0x20);
    memset(&vga->plane[2][0x4000 + 'A' * 32], 0xff, 16);
    vga_set_seq(vga, VGA_SEQ_CHARMAP, 0x04);
    put_char(vga, 0, 0, 'A', 0x1e);
    put_char(vga, 1, 0, 'A', 0x17);
    unsigned w, h;
    render(vga, 0, &w, &h);
    for (unsigned r = 0; r < 16; r++)
        for (unsigned i = 0; i < 8; i++)
            assert_int_equal(px(i, r), YELLOW);
    assert_cell(1, 0, 'A', GREY, BLUE, false);
}

/* Mode 12h with write mode 2: bit mask 0xf0 colour 5 then bit mask 0x0f colour 10 at byte 3 of
 * scan line 10 gives pixels 24-27 colour 5 and 28-31 colour 10. */
static void draw_planar_pattern(struct vga *vga, uint32_t line_bytes, unsigned line)
{
    uint32_t a = line * line_bytes + 3;
    vga_set_gc(vga, VGA_GC_MODE, 0x02);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0xf0);
    vga_mem_read(vga, a);
    vga_mem_write(vga, a, 5);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0x0f);
    vga_mem_read(vga, a);
    vga_mem_write(vga, a, 10);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0xff);
    vga_set_gc(vga, VGA_GC_MODE, 0x00);
}

static void planar_palette(struct vga *vga)
{
    vga_set_ac(vga, 5, 0x2a);
    vga_set_ac(vga, 10, 10);
    vga_set_ac(vga, 4, 15);
    vga_set_dac(vga, 0x2a, 0x20, 0x10, 0x08);
    vga_set_dac(vga, 10, 0x00, 0x3f, 0x00);
    vga_set_dac(vga, 15, 0x00, 0x00, 0x3f);
}

static void test_planar_12h(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_12h);
    planar_palette(vga);
    draw_planar_pattern(vga, 80, 10);
    unsigned w, h;
    render(vga, 0, &w, &h);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);
    for (unsigned x = 24; x < 28; x++)
        assert_int_equal(px(x, 10), 0x804020u);
    for (unsigned x = 28; x < 32; x++)
        assert_int_equal(px(x, 10), 0x00ff00u);
    assert_int_equal(px(23, 10), BLACK);
    assert_int_equal(px(32, 10), BLACK);
    assert_int_equal(px(24, 9), BLACK);
    assert_int_equal(px(24, 11), BLACK);
    assert_int_equal(px(639, 479), BLACK);
    assert_int_equal(px(640, 0), 0xeeeeeeeeu);

    /* Colour plane enable without plane 0 turns colour 5 into 4. */
    vga_set_ac(vga, VGA_AC_PLANE_EN, 0x0e);
    render(vga, 0, &w, &h);
    assert_int_equal(px(24, 10), 0x0000ffu);
}

/* Start address (CRTC 0x0c/0x0d) picks the first displayed byte; line compare (0x18 with
 * overflow bit 4 and max scan bit 6) restarts the scan at offset 0 after that line. */
static void test_planar_start_and_line_compare(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_12h);
    planar_palette(vga);
    draw_planar_pattern(vga, 80, 0);
    draw_planar_pattern(vga, 80, 10);
    vga_set_crtc(vga, VGA_CRTC_START_HI, (10 * 80) >> 8);
    vga_set_crtc(vga, VGA_CRTC_START_LO, (10 * 80) & 0xff);
    vga_set_crtc(vga, VGA_CRTC_LINE_COMP, 99);
    vga_set_crtc(vga, VGA_CRTC_OVERFLOW, vga->crtc[VGA_CRTC_OVERFLOW] & ~0x10);
    vga_set_crtc(vga, VGA_CRTC_MAX_SCAN, vga->crtc[VGA_CRTC_MAX_SCAN] & ~0x40);
    unsigned w, h;
    render(vga, 0, &w, &h);
    assert_int_equal(px(24, 0), 0x804020u);
    assert_int_equal(px(24, 10), BLACK);
    assert_int_equal(px(24, 100), 0x804020u);
    assert_int_equal(px(24, 110), 0x804020u);
    assert_int_equal(px(24, 101), BLACK);
}

/* Mode 0Dh: 40 bytes a line, half dot clock (sequencer 0x01 bit 3) doubles pixels across,
 * double scan (CRTC 0x09 bit 7) doubles lines: memory pixel (0,1) covers screen (0-1, 2-3). */
static void test_planar_0dh_doubling(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_0dh);
    vga_set_dac(vga, 5, 0x3f, 0x00, 0x00);
    vga_set_gc(vga, VGA_GC_MODE, 0x02);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0x80);
    vga_mem_write(vga, 40, 5);
    unsigned w, h;
    render(vga, 0, &w, &h);
    assert_int_equal(w, 640);
    assert_int_equal(h, 400);
    for (unsigned y = 2; y < 4; y++)
        for (unsigned x = 0; x < 2; x++)
            assert_int_equal(px(x, y), 0xff0000u);
    assert_int_equal(px(2, 2), BLACK);
    assert_int_equal(px(0, 1), BLACK);
    assert_int_equal(px(0, 4), BLACK);
}

static void test_planar_10h_size(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_10h);
    unsigned w, h;
    vga_screen_size(vga, &w, &h);
    assert_int_equal(w, 640);
    assert_int_equal(h, 350);
}

/* Mode 13h: pixel (3,2) at 0xA0000 + 2 * 320 + 3 shows as a 2x2 block at (6-7, 4-5) in DAC
 * colour 0x42; the PEL mask ANDs the pixel value before the DAC. */
static void test_mode13h(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_13h);
    vga_set_dac(vga, 0x42, 0x3f, 0x20, 0x00);
    vga_set_dac(vga, 0x02, 0x00, 0x00, 0x3f);
    vga_mem_write(vga, 2 * 320 + 3, 0x42);
    unsigned w, h;
    render(vga, 0, &w, &h);
    assert_int_equal(w, 640);
    assert_int_equal(h, 400);
    for (unsigned y = 4; y < 6; y++)
        for (unsigned x = 6; x < 8; x++)
            assert_int_equal(px(x, y), 0xff8000u);
    assert_int_equal(px(5, 4), BLACK);
    assert_int_equal(px(8, 4), BLACK);
    assert_int_equal(px(6, 3), BLACK);
    assert_int_equal(px(6, 6), BLACK);
    vga_port_write(vga, 0x3c6, 0x0f);
    render(vga, 0, &w, &h);
    assert_int_equal(px(6, 4), 0x0000ffu);
}

/* Clearing the palette address source (0x3c0 bit 5) blanks the screen. */
static void test_blank(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_13h);
    vga_set_dac(vga, 1, 0x3f, 0x3f, 0x3f);
    for (uint32_t i = 0; i < 320 * 200; i++)
        vga_mem_write(vga, i, 1);
    unsigned w, h;
    render(vga, 0, &w, &h);
    assert_int_equal(px(100, 100), 0xffffffu);
    vga_port_read(vga, 0x3da);
    vga_port_write(vga, 0x3c0, 0x00);
    render(vga, 0, &w, &h);
    assert_int_equal(px(100, 100), BLACK);
    assert_int_equal(px(639, 399), BLACK);
}

/* A surface smaller than the screen gets only what fits. */
static void test_clipping(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_13h);
    vga_set_dac(vga, 1, 0x3f, 0x3f, 0x3f);
    for (uint32_t i = 0; i < 320 * 200; i++)
        vga_mem_write(vga, i, 1);
    memset(fb, 0xee, sizeof(fb));
    struct vga_surface s = {fb, 100, 100, 50};
    unsigned w, h;
    vga_render(vga, &s, 0, &w, &h);
    assert_int_equal(w, 640);
    assert_int_equal(h, 400);
    assert_int_equal(fb[49 * 100 + 99], 0xffffffu);
    assert_int_equal(fb[50 * 100], 0xeeeeeeeeu);
}

int vga_test_render(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_cells, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_text_blink, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_text_cursor, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_text_font_select, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_planar_12h, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_planar_start_and_line_compare, vga_test_setup,
                                        vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_planar_0dh_doubling, vga_test_setup,
                                        vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_planar_10h_size, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_mode13h, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_blank, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_clipping, vga_test_setup, vga_test_teardown),
    };
    return cmocka_run_group_tests_name("vga rendering", tests, NULL, NULL);
}
