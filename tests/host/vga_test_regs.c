/* tests/host/vga_test_regs.c: the VGA's ports: attribute flip-flop, CRTC protect bit, DAC
 * index/RGB cycling, PEL mask, input status retrace bits, I/O address select, and the dirty
 * state the display code polls.
 *
 * Expected behaviour from FreeVGA: "Attribute Controller Registers" (attrreg.htm), "CRT
 * Controller Registers" (crtcreg.htm, Vertical Retrace End bit 7), "DAC Operation"
 * (vgadac.htm), "External Registers" (extreg.htm: misc output bit 0, input status 1). */
#include "tests/host/vga_test.h"

/* Writes to 0x3c0 alternate index, data, index...; reading input status 1 forces the next write
 * to be an index. */
static void test_attribute_flip_flop(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_03h);
    vga_port_read(vga, 0x3da);
    vga_port_write(vga, 0x3c0, 0x20 | VGA_AC_OVERSCAN);
    vga_port_write(vga, 0x3c0, 0x2a);
    vga_port_write(vga, 0x3c0, 0x20 | 0x05);
    vga_port_write(vga, 0x3c0, 0x15);
    assert_int_equal(vga->ac[VGA_AC_OVERSCAN], 0x2a);
    assert_int_equal(vga->ac[5], 0x15);
    assert_int_equal(vga_port_read(vga, 0x3c0), 0x25);
    assert_int_equal(vga_port_read(vga, 0x3c1), 0x15);

    /* Index written, then status read: the following write is an index again. */
    vga_port_write(vga, 0x3c0, 0x20 | 0x06);
    vga_port_read(vga, 0x3da);
    vga_port_write(vga, 0x3c0, 0x20 | 0x07);
    vga_port_write(vga, 0x3c0, 0x3f);
    assert_int_equal(vga->ac[6], 0x14);
    assert_int_equal(vga->ac[7], 0x3f);
}

/* With register 0x11 bit 7 set, CRTC 0-7 ignore writes except overflow bit 4 (line compare
 * bit 8); registers 8 and up stay writable. */
static void test_crtc_protect(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_03h);
    assert_int_equal(vga_get_crtc(vga, VGA_CRTC_VSYNC_END) & 0x80, 0x80);
    vga_set_crtc(vga, 0x00, 0x12);
    vga_set_crtc(vga, VGA_CRTC_HDISP, 0x27);
    vga_set_crtc(vga, VGA_CRTC_OVERFLOW, 0x00);
    vga_set_crtc(vga, VGA_CRTC_MAX_SCAN, 0x47);
    assert_int_equal(vga_get_crtc(vga, 0x00), 0x5f);
    assert_int_equal(vga_get_crtc(vga, VGA_CRTC_HDISP), 0x4f);
    assert_int_equal(vga_get_crtc(vga, VGA_CRTC_OVERFLOW), 0x0f);
    assert_int_equal(vga_get_crtc(vga, VGA_CRTC_MAX_SCAN), 0x47);
    vga_set_crtc(vga, VGA_CRTC_VSYNC_END, 0x0e);
    vga_set_crtc(vga, VGA_CRTC_HDISP, 0x27);
    assert_int_equal(vga_get_crtc(vga, VGA_CRTC_HDISP), 0x27);
}

/* Writing 0x3c8 sets the write index; every third 0x3c9 write completes a colour and advances
 * it. Writing 0x3c7 sets the read index; every third 0x3c9 read advances it. Components are
 * 6 bits. 0x3c7 reads the DAC state: 0 after a write index, 3 after a read index. */
static void test_dac_cycle(void **state)
{
    struct vga *vga = *state;
    vga_port_write(vga, 0x3c8, 0x10);
    assert_int_equal(vga_port_read(vga, 0x3c7), 0);
    static const uint8_t in[6] = {0x01, 0x02, 0xff, 0x3f, 0x00, 0x2a};
    for (int i = 0; i < 6; i++)
        vga_port_write(vga, 0x3c9, in[i]);
    assert_int_equal(vga_port_read(vga, 0x3c8), 0x12);
    assert_memory_equal(vga->dac[0x10], ((const uint8_t[]){0x01, 0x02, 0x3f}), 3);
    assert_memory_equal(vga->dac[0x11], ((const uint8_t[]){0x3f, 0x00, 0x2a}), 3);

    /* An incomplete triple changes nothing yet. */
    vga_port_write(vga, 0x3c8, 0x10);
    vga_port_write(vga, 0x3c9, 0x05);
    vga_port_write(vga, 0x3c9, 0x06);
    assert_memory_equal(vga->dac[0x10], ((const uint8_t[]){0x01, 0x02, 0x3f}), 3);

    vga_port_write(vga, 0x3c7, 0x10);
    assert_int_equal(vga_port_read(vga, 0x3c7), 3);
    static const uint8_t out[6] = {0x01, 0x02, 0x3f, 0x3f, 0x00, 0x2a};
    for (int i = 0; i < 6; i++)
        assert_int_equal(vga_port_read(vga, 0x3c9), out[i]);
}

static void test_pel_mask(void **state)
{
    struct vga *vga = *state;
    assert_int_equal(vga_port_read(vga, 0x3c6), 0xff);
    vga_port_write(vga, 0x3c6, 0x0f);
    assert_int_equal(vga_port_read(vga, 0x3c6), 0x0f);
}

/* Polling loops like "wait while in retrace, then wait for retrace" must end: input status 1
 * bit 3 (vertical retrace) and bit 0 (display disabled) change between reads. */
static void test_retrace_toggles(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_03h);
    for (int round = 0; round < 4; round++) {
        int reads = 0;
        while (vga_port_read(vga, 0x3da) & VGA_IS1_VRETRACE)
            assert_true(++reads < 4);
        while (!(vga_port_read(vga, 0x3da) & VGA_IS1_VRETRACE))
            assert_true(++reads < 8);
        while (!(vga_port_read(vga, 0x3da) & VGA_IS1_DISPLAY_OFF))
            assert_true(++reads < 12);
    }
}

/* Misc output bit 0 moves the CRTC and input status 1 between 0x3bx and 0x3dx; the other block
 * is not decoded (reads 0xff, writes ignored). 0x3cc reads misc back. */
static void test_io_address_select(void **state)
{
    struct vga *vga = *state;
    vga_port_write(vga, 0x3c2, 0x67);
    assert_int_equal(vga_port_read(vga, 0x3cc), 0x67);
    vga_port_write(vga, 0x3d4, 0x0e);
    vga_port_write(vga, 0x3d5, 0x12);
    vga_port_write(vga, 0x3b4, 0x0e);
    vga_port_write(vga, 0x3b5, 0x34);
    assert_int_equal(vga_port_read(vga, 0x3b5), 0xff);
    assert_int_equal(vga_port_read(vga, 0x3d5), 0x12);
    vga_port_write(vga, 0x3c2, 0x66);
    assert_int_equal(vga_port_read(vga, 0x3d5), 0xff);
    vga_port_write(vga, 0x3b4, 0x0e);
    vga_port_write(vga, 0x3b5, 0x34);
    assert_int_equal(vga_port_read(vga, 0x3b5), 0x34);
    assert_int_equal(vga->crtc[VGA_CRTC_CUR_HI], 0x34);
}

/* Reserved bits read back as zero: sequencer index 1 keeps 0x3d, graphics index 5 keeps 0x7b. */
static void test_reserved_bits(void **state)
{
    struct vga *vga = *state;
    vga_set_seq(vga, VGA_SEQ_CLOCK, 0xff);
    vga_port_write(vga, 0x3c4, VGA_SEQ_CLOCK);
    assert_int_equal(vga_port_read(vga, 0x3c5), 0x3d);
    vga_set_gc(vga, VGA_GC_MODE, 0xff);
    vga_port_write(vga, 0x3ce, VGA_GC_MODE);
    assert_int_equal(vga_port_read(vga, 0x3cf), 0x7b);
}

static void render_once(struct vga *vga, uint32_t frame)
{
    static uint32_t pixels[720 * 480];
    struct vga_surface s = {pixels, 720, 720, 480};
    unsigned w, h;
    vga_render(vga, &s, frame, &w, &h);
}

/* Only changes that can alter the picture make it dirty; text blink phases count as changes
 * only when the cursor or blinking is enabled. */
static void test_dirty_tracking(void **state)
{
    struct vga *vga = *state;
    vga_reset_text_mode(vga, NULL);
    assert_true(vga_needs_render(vga, 0));
    render_once(vga, 0);
    assert_false(vga_needs_render(vga, 0));

    vga_port_read(vga, 0x3da);
    vga_mem_read(vga, 0x18000);
    vga_mem_write(vga, 0x18000, ' ');
    vga_set_crtc(vga, VGA_CRTC_CUR_LO, vga->crtc[VGA_CRTC_CUR_LO]);
    assert_false(vga_needs_render(vga, 0));

    vga_mem_write(vga, 0x18000, 'X');
    assert_true(vga_needs_render(vga, 0));
    render_once(vga, 0);
    vga_set_dac(vga, 0x07, 1, 2, 3);
    assert_true(vga_needs_render(vga, 0));
    render_once(vga, 0);

    /* Cursor on: its phase flips at frame 16. */
    assert_false(vga_needs_render(vga, 15));
    assert_true(vga_needs_render(vga, 16));
    /* Cursor off and blinking off: no phase matters. */
    vga_set_crtc(vga, VGA_CRTC_CUR_START, 0x20);
    vga_set_ac(vga, VGA_AC_MODE, 0x04);
    render_once(vga, 0);
    assert_false(vga_needs_render(vga, 16));
    assert_false(vga_needs_render(vga, 32));
    /* Blinking on: its phase flips at frame 32. */
    vga_set_ac(vga, VGA_AC_MODE, 0x0c);
    render_once(vga, 0);
    assert_false(vga_needs_render(vga, 16));
    assert_true(vga_needs_render(vga, 32));
}

int vga_test_regs(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_attribute_flip_flop, vga_test_setup,
                                        vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_crtc_protect, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_dac_cycle, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_pel_mask, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_retrace_toggles, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_io_address_select, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_reserved_bits, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_dirty_tracking, vga_test_setup, vga_test_teardown),
    };
    return cmocka_run_group_tests_name("vga registers", tests, NULL, NULL);
}
