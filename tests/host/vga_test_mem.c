/* tests/host/vga_test_mem.c: video memory through the window: latches, write modes 0-3 with
 * rotate, logical function, set/reset, bit mask and map mask, read modes 0 and 1, chain-4,
 * odd/even and the memory map select.
 *
 * Expected values are worked out by hand from FreeVGA: "Graphics Registers"
 * (http://www.osdever.net/FreeVGA/vga/graphreg.htm), "VGA Memory Organization" (vgamem.htm),
 * "Sequencer Registers" (seqreg.htm) and the write/read mode descriptions in "Graphics Mode
 * Register" (Index 05h). */
#include "tests/host/vga_test.h"

#include <string.h>

/* Mode 12h: planar, window at 0xA0000 (memory map 1, 64 KiB). */
static void planar(struct vga *vga)
{
    vga_set_mode(vga, &vga_mode_12h);
    vga_set_seq(vga, VGA_SEQ_MAP_MASK, 0x0f);
}

/* Put one byte in each plane at offset addr using the map mask (write mode 0, no rotate, no
 * set/reset, function replace, bit mask 0xff: the data byte reaches every enabled plane). */
static void fill_planes(struct vga *vga, uint32_t addr, const uint8_t bytes[4])
{
    for (uint8_t p = 0; p < 4; p++) {
        vga_set_seq(vga, VGA_SEQ_MAP_MASK, (uint8_t)(1u << p));
        vga_mem_write(vga, addr, bytes[p]);
    }
    vga_set_seq(vga, VGA_SEQ_MAP_MASK, 0x0f);
}

static void assert_planes(const struct vga *vga, uint32_t poff, uint8_t p0, uint8_t p1, uint8_t p2,
                          uint8_t p3)
{
    assert_int_equal(vga->plane[0][poff], p0);
    assert_int_equal(vga->plane[1][poff], p1);
    assert_int_equal(vga->plane[2][poff], p2);
    assert_int_equal(vga->plane[3][poff], p3);
}

/* Read mode 0 returns the plane named by the read map select register; every read loads all
 * four latches (graphreg.htm, Index 04h; vgamem.htm "the latches"). */
static void test_read_mode0_and_latches(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    fill_planes(vga, 0x123, (const uint8_t[]){0x11, 0x22, 0x33, 0x44});
    for (uint8_t p = 0; p < 4; p++) {
        vga_set_gc(vga, VGA_GC_READ_MAP, p);
        assert_int_equal(vga_mem_read(vga, 0x123), 0x11 * (p + 1));
    }
    assert_memory_equal(vga->latch, ((const uint8_t[]){0x11, 0x22, 0x33, 0x44}), 4);
}

/* The map mask (sequencer index 02h) enables planes for writing. */
static void test_map_mask(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    fill_planes(vga, 0x10, (const uint8_t[]){0xaa, 0xbb, 0xcc, 0xdd});
    vga_mem_read(vga, 0x10);
    vga_set_seq(vga, VGA_SEQ_MAP_MASK, 0x05);
    vga_mem_write(vga, 0x10, 0x5a);
    assert_planes(vga, 0x10, 0x5a, 0xbb, 0x5a, 0xdd);
}

/* Write mode 0 rotates the host byte right by the rotate count (Index 03h bits 0-2):
 * 0x81 rotated right by 3 is 0x30. */
static void test_write_mode0_rotate(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    vga_set_gc(vga, VGA_GC_ROTATE, 0x03);
    vga_mem_write(vga, 0x20, 0x81);
    assert_planes(vga, 0x20, 0x30, 0x30, 0x30, 0x30);
}

/* Enable set/reset (Index 01h) replaces the host data of the enabled planes with 0x00 or 0xff
 * from set/reset (Index 00h); other planes take the host data. */
static void test_write_mode0_set_reset(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    vga_set_gc(vga, VGA_GC_SET_RESET, 0x05);
    vga_set_gc(vga, VGA_GC_ENABLE_SR, 0x0f);
    vga_mem_write(vga, 0x30, 0x12);
    assert_planes(vga, 0x30, 0xff, 0x00, 0xff, 0x00);
    vga_set_gc(vga, VGA_GC_ENABLE_SR, 0x03);
    vga_mem_write(vga, 0x31, 0x12);
    assert_planes(vga, 0x31, 0xff, 0x00, 0x12, 0x12);
}

/* Function select (Index 03h bits 3-4) combines the data with the latches: with latches 0xf0 and
 * data 0x3c, AND gives 0x30, OR 0xfc, XOR 0xcc, replace 0x3c. */
static void test_write_mode0_functions(void **state)
{
    struct vga *vga = *state;
    static const struct {
        uint8_t rotate_reg, expected;
    } cases[] = {{0x00, 0x3c}, {0x08, 0x30}, {0x10, 0xfc}, {0x18, 0xcc}};
    planar(vga);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fill_planes(vga, 0x40, (const uint8_t[]){0xf0, 0xf0, 0xf0, 0xf0});
        vga_mem_read(vga, 0x40);
        vga_set_gc(vga, VGA_GC_ROTATE, cases[i].rotate_reg);
        vga_mem_write(vga, 0x40, 0x3c);
        vga_set_gc(vga, VGA_GC_ROTATE, 0x00);
        assert_planes(vga, 0x40, cases[i].expected, cases[i].expected, cases[i].expected,
                      cases[i].expected);
    }
}

/* The bit mask (Index 08h) takes bits whose mask bit is 0 from the latches:
 * (0x55 & 0x0f) | (latch 0xf0 & 0xf0) = 0xf5. */
static void test_bit_mask(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    fill_planes(vga, 0x50, (const uint8_t[]){0xf0, 0xf0, 0xf0, 0xf0});
    vga_mem_read(vga, 0x50);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0x0f);
    vga_mem_write(vga, 0x50, 0x55);
    assert_planes(vga, 0x50, 0xf5, 0xf5, 0xf5, 0xf5);
}

/* Write mode 1 stores the latches unchanged, whatever the data and bit mask: the classic
 * planar screen-to-screen copy. */
static void test_write_mode1_copies_latches(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    fill_planes(vga, 0x60, (const uint8_t[]){0x01, 0x23, 0x45, 0x67});
    vga_set_gc(vga, VGA_GC_MODE, 0x01);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0x00);
    vga_mem_read(vga, 0x60);
    vga_mem_write(vga, 0x70, 0xff);
    assert_planes(vga, 0x70, 0x01, 0x23, 0x45, 0x67);
}

/* Write mode 2: bit n of the host byte, expanded to 8 bits, goes to plane n, then through the
 * function and bit mask. Colour 0x05 under bit mask 0x18 on cleared latches sets bits 3-4 of
 * planes 0 and 2 only. */
static void test_write_mode2(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    vga_mem_read(vga, 0x80);
    vga_set_gc(vga, VGA_GC_MODE, 0x02);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0x18);
    vga_mem_write(vga, 0x80, 0x05);
    assert_planes(vga, 0x80, 0x18, 0x00, 0x18, 0x00);
}

/* Write mode 3: the rotated host byte ANDed with the bit mask becomes the bit mask; the planes
 * take set/reset (enable set/reset is ignored). Set/reset 0x0c, bit mask 0xf0, data 0x3c:
 * effective mask 0x30 on cleared latches, so planes 2 and 3 get 0x30. With rotate 2 the data
 * becomes 0x0f and the mask 0x00: nothing changes. */
static void test_write_mode3(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    vga_mem_read(vga, 0x90);
    vga_set_gc(vga, VGA_GC_MODE, 0x03);
    vga_set_gc(vga, VGA_GC_SET_RESET, 0x0c);
    vga_set_gc(vga, VGA_GC_ENABLE_SR, 0x00);
    vga_set_gc(vga, VGA_GC_BIT_MASK, 0xf0);
    vga_mem_write(vga, 0x90, 0x3c);
    assert_planes(vga, 0x90, 0x00, 0x00, 0x30, 0x30);
    vga_set_gc(vga, VGA_GC_ROTATE, 0x02);
    vga_mem_write(vga, 0x91, 0x3c);
    assert_planes(vga, 0x91, 0x00, 0x00, 0x00, 0x00);
}

/* Read mode 1 (Index 05h bit 3): a 1 where each plane whose colour don't care bit (Index 07h) is
 * set matches the colour compare bit (Index 02h). Planes 0xf0/0xcc/0xaa/0x00 against colour 7
 * match at bit 7 only; comparing plane 0 alone matches 0xf0; comparing nothing gives 0xff. */
static void test_read_mode1(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    fill_planes(vga, 0xa0, (const uint8_t[]){0xf0, 0xcc, 0xaa, 0x00});
    vga_set_gc(vga, VGA_GC_MODE, 0x08);
    vga_set_gc(vga, VGA_GC_COLOR_CMP, 0x07);
    vga_set_gc(vga, VGA_GC_DONT_CARE, 0x0f);
    assert_int_equal(vga_mem_read(vga, 0xa0), 0x80);
    vga_set_gc(vga, VGA_GC_DONT_CARE, 0x01);
    assert_int_equal(vga_mem_read(vga, 0xa0), 0xf0);
    vga_set_gc(vga, VGA_GC_DONT_CARE, 0x00);
    assert_int_equal(vga_mem_read(vga, 0xa0), 0xff);
    vga_set_gc(vga, VGA_GC_COLOR_CMP, 0x00);
    vga_set_gc(vga, VGA_GC_DONT_CARE, 0x0f);
    assert_int_equal(vga_mem_read(vga, 0xa0), 0x01);
}

/* Chain-4 (sequencer Index 04h bit 3): address bits 0-1 select the plane. Mode 13h pixels
 * 0..7 land in planes 0,1,2,3,0,1,2,3 at offsets 0 and 1; the map mask still gates them. */
static void test_chain4(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_13h);
    for (uint8_t i = 0; i < 8; i++)
        vga_mem_write(vga, i, (uint8_t)(0x10 + i));
    assert_planes(vga, 0, 0x10, 0x11, 0x12, 0x13);
    assert_planes(vga, 1, 0x14, 0x15, 0x16, 0x17);
    for (uint8_t i = 0; i < 8; i++)
        assert_int_equal(vga_mem_read(vga, i), 0x10 + i);
    assert_memory_equal(vga->latch, ((const uint8_t[]){0x14, 0x15, 0x16, 0x17}), 4);
    vga_set_seq(vga, VGA_SEQ_MAP_MASK, 0x0e);
    vga_mem_write(vga, 4, 0x99);
    vga_mem_write(vga, 5, 0x98);
    assert_planes(vga, 1, 0x14, 0x98, 0x16, 0x17);
}

/* Odd/even (sequencer Index 04h bit 2 clear, graphics Index 05h bit 4 set): even addresses go
 * to planes 0 and 2, odd ones to 1 and 3 (vgamem.htm); reads pick plane (read map bit 1) |
 * (address bit 0). Mode 3 enables planes 0 and 1 only, so plane 2 (the font) is safe. */
static void test_odd_even(void **state)
{
    struct vga *vga = *state;
    vga_set_mode(vga, &vga_mode_03h);
    vga->plane[2][1] = 0x77;
    vga_mem_write(vga, 0x18002, 'A');
    vga_mem_write(vga, 0x18003, 0x1f);
    assert_planes(vga, 1, 'A', 0x1f, 0x77, 0x00);
    assert_int_equal(vga_mem_read(vga, 0x18002), 'A');
    assert_int_equal(vga_mem_read(vga, 0x18003), 0x1f);
    vga_set_gc(vga, VGA_GC_READ_MAP, 0x02);
    assert_int_equal(vga_mem_read(vga, 0x18002), 0x77);
    vga_set_seq(vga, VGA_SEQ_MAP_MASK, 0x0f);
    vga_mem_write(vga, 0x18004, 'B');
    assert_planes(vga, 2, 'B', 0x00, 'B', 0x00);
}

/* Memory map select (graphics Index 06h bits 2-3): 0 = A0000 128K, 1 = A0000 64K,
 * 2 = B0000 32K, 3 = B8000 32K. Outside the window writes vanish and reads float high. */
static void test_memory_map_select(void **state)
{
    struct vga *vga = *state;
    planar(vga);
    static const struct {
        uint8_t misc;
        uint32_t inside, outside, plane_offset;
    } cases[] = {
        {0x01, 0x1ffff, 0x10000 - 1, 0xffff}, /* 128K: the top byte wraps to plane offset ffff */
        {0x05, 0x0ffff, 0x10000, 0xffff},
        {0x09, 0x10005, 0x18005, 0x0005},
        {0x0d, 0x18007, 0x10007, 0x0007},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(vga->plane, 0, sizeof(vga->plane));
        vga_set_gc(vga, VGA_GC_MISC, cases[i].misc);
        vga_mem_write(vga, cases[i].inside, 0x5c);
        assert_int_equal(vga->plane[0][cases[i].plane_offset], 0x5c);
        if (i > 0) {
            vga_mem_write(vga, cases[i].outside, 0xee);
            assert_int_equal(vga_mem_read(vga, cases[i].outside), 0xff);
            for (uint32_t off = 0; off < VGA_PLANE_SIZE; off++)
                assert_true(vga->plane[0][off] != 0xee);
        }
    }
}

int vga_test_mem(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_mode0_and_latches, vga_test_setup,
                                        vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_map_mask, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_write_mode0_rotate, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_write_mode0_set_reset, vga_test_setup,
                                        vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_write_mode0_functions, vga_test_setup,
                                        vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_bit_mask, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_write_mode1_copies_latches, vga_test_setup,
                                        vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_write_mode2, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_write_mode3, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_read_mode1, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_chain4, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_odd_even, vga_test_setup, vga_test_teardown),
        cmocka_unit_test_setup_teardown(test_memory_map_select, vga_test_setup, vga_test_teardown),
    };
    return cmocka_run_group_tests_name("vga memory", tests, NULL, NULL);
}
