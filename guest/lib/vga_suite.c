/* The planar drawing suite the 16-colour and unchained 256-colour tests share: eight horizontal
   bands, each drawn with one write mode and its options (set/reset, enable set/reset, rotate,
   logical function, bit mask, map mask), each checked plane by plane against guest/lib's model,
   then read mode 1 colour compares. The bands are also a picture for the screen tests. */
#include "guest/lib/vga_suite.h"
#include "guest/lib/print.h"
#include "guest/lib/vga.h"
#include "guest/lib/vga_model.h"

#include <stdio.h>

struct band {
    const char *mode;
    unsigned row_bytes, rows; /* one band */
    uint32_t base;
};

static uint32_t at(const struct band *b, unsigned x, unsigned y)
{
    return b->base + y * b->row_bytes + x;
}

static void defaults(void)
{
    vm_seq_map_mask(0x0f);
    vm_gc(GC_ENABLE_SR, 0);
    vm_gc(GC_SET_RESET, 0);
    vm_gc(GC_ROTATE, FUNC_REPLACE);
    vm_gc(GC_BIT_MASK, 0xff);
    vm_modes(0, 0);
}

/* Reads the byte so the latches hold it, as a read-modify-write by a real program would. */
static void load_latches(uint32_t o)
{
    uint8_t e;
    vm_read(o, &e);
}

static void verify(const struct band *b, const char *what)
{
    char name[96];
    sniprintf(name, sizeof name, "%s %s", b->mode, what);
    vm_verify_planes(name, b->base, b->row_bytes * b->rows);
}

/* Band 0: write mode 2, sixteen colour bars (pixel colour from the CPU byte's low bits). */
static void bars(const struct band *b)
{
    vm_modes(2, 0);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++)
            vm_write(at(b, x, y), (uint8_t)(x * 16 / b->row_bytes));
    defaults();
    verify(b, "write mode 2 bars");
}

/* Band 1: write mode 0, set/reset on every plane, bit mask alternating by row. */
static void set_reset_mesh(const struct band *b)
{
    vm_gc(GC_ENABLE_SR, 0x0f);
    for (unsigned y = 0; y < b->rows; y++) {
        vm_gc(GC_SET_RESET, (uint8_t)(9 + y % 7));
        vm_gc(GC_BIT_MASK, y & 1 ? 0x55 : 0xaa);
        for (unsigned x = 0; x < b->row_bytes; x++) {
            load_latches(at(b, x, y));
            vm_write(at(b, x, y), 0x00);
        }
    }
    defaults();
    verify(b, "write mode 0 set/reset, bit mask");
}

/* Band 2: a write mode 2 diagonal, then write mode 0 data rotated by 3 and XORed with the
   latches, planes 0 and 2 from set/reset (enable 0x05, value 0x04). */
static void rotate_xor(const struct band *b)
{
    vm_modes(2, 0);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++)
            vm_write(at(b, x, y), (uint8_t)(x + y / 4));
    vm_modes(0, 0);
    vm_gc(GC_ROTATE, FUNC_XOR | 3);
    vm_gc(GC_ENABLE_SR, 0x05);
    vm_gc(GC_SET_RESET, 0x04);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++) {
            load_latches(at(b, x, y));
            vm_write(at(b, x, y), (uint8_t)(x * 3 + y));
        }
    defaults();
    verify(b, "write mode 0 rotate 3, XOR, enable set/reset 0x05");
}

/* Band 3: write mode 3, colour from set/reset per byte column, the rotated CPU byte (a moving
   dot pattern, rotate 1) as the bit mask under the bit mask register 0xf7, ORed in. */
static void mode3_diagonals(const struct band *b)
{
    vm_modes(3, 0);
    vm_gc(GC_ROTATE, FUNC_OR | 1);
    vm_gc(GC_BIT_MASK, 0xf7);
    for (unsigned x = 0; x < b->row_bytes; x++) {
        vm_gc(GC_SET_RESET, (uint8_t)(x & 15));
        for (unsigned y = 0; y < b->rows; y++) {
            load_latches(at(b, x, y));
            vm_write(at(b, x, y), (uint8_t)(0x81 >> (y % 8)));
        }
    }
    defaults();
    verify(b, "write mode 3 rotate 1, OR, bit mask 0xf7");
}

/* Band 4: write mode 1 copies band 0 through the latches, right to left mirrored by byte. */
static void latch_copy(const struct band *b, const struct band *src)
{
    vm_modes(1, 0);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++) {
            load_latches(at(src, b->row_bytes - 1 - x, y));
            vm_write(at(b, x, y), 0x00);
        }
    defaults();
    verify(b, "write mode 1 latch copy");
}

/* Band 5: white, then write mode 2 ANDed with a colour ramp under bit mask 0x3c. */
static void mode2_and(const struct band *b)
{
    vm_modes(2, 0);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++)
            vm_write(at(b, x, y), 0x0f);
    vm_gc(GC_ROTATE, FUNC_AND);
    vm_gc(GC_BIT_MASK, 0x3c);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++) {
            load_latches(at(b, x, y));
            vm_write(at(b, x, y), (uint8_t)(x / 3 + y / 8));
        }
    defaults();
    verify(b, "write mode 2 AND, bit mask 0x3c");
}

/* Band 6: write mode 0, plain data into planes 1 and 3, different data into planes 0 and 2. */
static void map_masks(const struct band *b)
{
    vm_seq_map_mask(0x0a);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++)
            vm_write(at(b, x, y), (uint8_t)(x ^ (y * 5)));
    vm_seq_map_mask(0x05);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++)
            vm_write(at(b, x, y), (uint8_t)((x * 7) | (y & 0x30)));
    defaults();
    verify(b, "write mode 0 map masks 0x0a and 0x05");
}

/* Band 7: write mode 0, rotate 5, set/reset on plane 3 only, ORed in, bit mask 0xcc. */
static void rotate_or(const struct band *b)
{
    vm_gc(GC_ENABLE_SR, 0x08);
    vm_gc(GC_SET_RESET, 0x08);
    vm_gc(GC_ROTATE, FUNC_OR | 5);
    vm_gc(GC_BIT_MASK, 0xcc);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->row_bytes; x++) {
            load_latches(at(b, x, y));
            vm_write(at(b, x, y), (uint8_t)(1u << ((x + y) % 8)));
        }
    defaults();
    verify(b, "write mode 0 rotate 5, OR, set/reset plane 3, bit mask 0xcc");
}

void vga_planar_suite(const char *mode, unsigned row_bytes, unsigned rows)
{
    unsigned size = row_bytes * rows, band_rows = rows / 8;
    defaults();
    /* Clear with set/reset: every plane 0, whatever the CPU writes. */
    vm_gc(GC_ENABLE_SR, 0x0f);
    for (uint32_t o = 0; o < size; o++)
        vm_write(o, 0xff);
    defaults();
    struct band band[8];
    for (unsigned i = 0; i < 8; i++)
        band[i] = (struct band){mode, row_bytes, band_rows, i * band_rows * row_bytes};
    bars(&band[0]);
    set_reset_mesh(&band[1]);
    rotate_xor(&band[2]);
    mode3_diagonals(&band[3]);
    latch_copy(&band[4], &band[0]);
    mode2_and(&band[5]);
    map_masks(&band[6]);
    rotate_or(&band[7]);

    char name[64];
    sniprintf(name, sizeof name, "%s bars", mode);
    vm_verify_compare(name, band[0].base, row_bytes * band_rows, 0x05, 0x0f);
    vm_verify_compare(name, band[0].base, row_bytes * band_rows, 0x0a, 0x0a);
    vm_verify_compare(name, band[0].base, row_bytes * band_rows, 0x00, 0x00);
    sniprintf(name, sizeof name, "%s screen", mode);
    vm_verify_compare(name, 0, size, 0x00, 0x0f);
    vm_verify_compare(name, 0, size, 0x0c, 0x0d);
    vm_verify_planes(name, 0, size);
}
