/*
 * guest_image_test.c: host unit tests of the multiboot guest image parser and loader
 * (monitor/guest_image.c), on images assembled byte by byte in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "monitor/guest_image.h"

#define GUEST_MEM (4u << 20)

static uint8_t image[16384];
static uint32_t image_size;
static uint8_t *guest_ram;

static void img_read(void *ctx, uint32_t off, void *dst, uint32_t len)
{
    assert_true(off + len <= image_size);
    memcpy(dst, image + off, len);
}

static void ram_write(void *ctx, uint32_t gpa, const void *src, uint32_t len)
{
    assert_true(gpa + len <= GUEST_MEM);
    if (src)
        memcpy(guest_ram + gpa, src, len);
    else
        memset(guest_ram + gpa, 0, len);
}

static const struct guest_image_io io = {NULL, 0, img_read, ram_write};

static void put32(uint32_t off, uint32_t v)
{
    memcpy(image + off, &v, 4);
}

static void put16(uint32_t off, uint16_t v)
{
    memcpy(image + off, &v, 2);
}

/* An ELF executable: one PT_LOAD of 0x200 file bytes + 0x100 bss at paddr 0x100000. */
static void make_elf(uint32_t paddr, uint32_t entry)
{
    memset(image, 0, sizeof(image));
    memcpy(image, "\177ELF\1\1\1", 7);
    put16(16, 2);     /* ET_EXEC */
    put16(18, 3);     /* EM_386 */
    put32(20, 1);     /* version */
    put32(24, entry); /* e_entry */
    put32(28, 52);    /* e_phoff */
    put16(40, 52);    /* e_ehsize */
    put16(42, 32);    /* e_phentsize */
    put16(44, 1);     /* e_phnum */
    put32(52 + 0, 1); /* PT_LOAD */
    put32(52 + 4, 0x1000);
    put32(52 + 8, 0xC0000000u + paddr); /* vaddr differs: loading must use paddr */
    put32(52 + 12, paddr);
    put32(52 + 16, 0x200);
    put32(52 + 20, 0x300);
    for (int i = 0; i < 0x200; i++)
        image[0x1000 + i] = (uint8_t)(i * 7 + 1);
    image_size = 0x1200;
}

static void put_mb1(uint32_t off, uint32_t flags)
{
    put32(off, 0x1BADB002u);
    put32(off + 4, flags);
    put32(off + 8, (uint32_t) - (0x1BADB002u + flags));
}

static const char *parse(struct guest_image *img)
{
    static char err[256];
    struct guest_image_io i = io;
    i.image_size = image_size;
    return guest_image_parse(&i, GUEST_MEM, img, err, sizeof(err));
}

static void expect_error(const char *fragment)
{
    struct guest_image img;
    const char *e = parse(&img);
    assert_non_null(e);
    if (!strstr(e, fragment))
        fail_msg("error '%s' lacks '%s'", e, fragment);
}

static void mb1_elf_loads_by_physical_address(void **state)
{
    make_elf(0x100000, 0x100010);
    put_mb1(0x1000 + 0x40, 0x3);
    struct guest_image img;
    assert_null(parse(&img));
    assert_int_equal(img.protocol, 1);
    assert_int_equal(img.entry, 0x100010);
    assert_int_equal(img.segment_count, 1);
    assert_int_equal(img.segments[0].gpa, 0x100000);
    assert_int_equal(img.lowest, 0x100000);
    assert_int_equal(img.highest, 0x100300);
    assert_true(img.wants_meminfo);

    struct guest_image_io i = io;
    i.image_size = image_size;
    memset(guest_ram, 0xEE, GUEST_MEM);
    guest_image_load(&i, &img);
    assert_memory_equal(guest_ram + 0x100000, image + 0x1000, 0x200);
    for (int b = 0x200; b < 0x300; b++)
        assert_int_equal(guest_ram[0x100000 + b], 0);
    assert_int_equal(guest_ram[0x100300], 0xEE);
}

static void mb1_address_fields_override_elf(void **state)
{
    /* A raw image: header at file offset 0, loaded at 0x200000 with 0x1000 bytes of bss. */
    memset(image, 0, sizeof(image));
    put_mb1(0, 0x10003);
    put32(12, 0x200000); /* header_addr */
    put32(16, 0x200000); /* load_addr */
    put32(20, 0x200800); /* load_end_addr */
    put32(24, 0x202000); /* bss_end_addr */
    put32(28, 0x200020); /* entry_addr */
    image_size = 0x800;
    struct guest_image img;
    assert_null(parse(&img));
    assert_int_equal(img.entry, 0x200020);
    assert_int_equal(img.segments[0].file_off, 0);
    assert_int_equal(img.segments[0].file_size, 0x800);
    assert_int_equal(img.segments[0].mem_size, 0x2000);
}

static void mb2_elf_and_its_entry_tag(void **state)
{
    make_elf(0x100000, 0x100010);
    uint32_t h = 0x1000 + 0x48; /* 8-aligned */
    put32(h, 0xE85250D6u);
    put32(h + 4, 0);
    put32(h + 8, 16 + 16 + 8);
    put32(h + 12, (uint32_t) - (0xE85250D6u + 0 + 40));
    put16(h + 16, 3); /* entry address tag */
    put16(h + 18, 0);
    put32(h + 20, 12);
    put32(h + 24, 0x100020);
    put16(h + 32, 0); /* end tag */
    put32(h + 36, 8);
    struct guest_image img;
    assert_null(parse(&img));
    assert_int_equal(img.protocol, 2);
    assert_int_equal(img.entry, 0x100020);
}

static void mb2_required_unknown_tag_fails(void **state)
{
    make_elf(0x100000, 0x100010);
    uint32_t h = 0x1000 + 0x48;
    put32(h, 0xE85250D6u);
    put32(h + 4, 0);
    put32(h + 8, 16 + 8 + 8);
    put32(h + 12, (uint32_t) - (0xE85250D6u + 0 + 32));
    put16(h + 16, 9); /* unknown tag, required */
    put16(h + 18, 0);
    put32(h + 20, 8);
    put16(h + 24, 0);
    put32(h + 28, 8);
    expect_error("requires tag 9");
    put16(h + 18, 1); /* the same tag marked optional is fine */
    struct guest_image img;
    assert_null(parse(&img));
}

static void no_header_is_not_multiboot(void **state)
{
    make_elf(0x100000, 0x100010);
    expect_error("no multiboot header");
    put_mb1(0x1040, 0x3);
    put32(0x1048, 0); /* bad checksum: not a header */
    expect_error("no multiboot header");
}

static void unknown_required_flag_fails(void **state)
{
    make_elf(0x100000, 0x100010);
    put_mb1(0x1040, 0x3 | 0x8);
    expect_error("requires features");
}

static void segment_outside_guest_ram_fails(void **state)
{
    make_elf(GUEST_MEM - 0x100, GUEST_MEM - 0x100);
    put_mb1(0x1040, 0x3);
    expect_error("outside guest RAM");
}

static void segment_in_vga_hole_fails(void **state)
{
    make_elf(0xB8000, 0xB8000);
    put_mb1(0x1040, 0x3);
    expect_error("VGA window");
}

static void truncated_image_fails(void **state)
{
    make_elf(0x100000, 0x100010);
    put_mb1(0x1040, 0x3);
    image_size = 0x1100; /* the segment claims 0x200 bytes from 0x1000 */
    expect_error("past the end of the image");
}

static void entry_outside_segments_fails(void **state)
{
    make_elf(0x100000, 0x500000);
    put_mb1(0x1040, 0x3);
    expect_error("entry point 0x500000");
}

static void not_elf_without_addresses_fails(void **state)
{
    make_elf(0x100000, 0x100010);
    put_mb1(0x1040, 0x3);
    image[1] = 'X';
    expect_error("not an ELF file");
}

static void program_headers_past_end_fail(void **state)
{
    make_elf(0x100000, 0x100010);
    put_mb1(0x1040, 0x3);
    put16(44, 400); /* e_phnum */
    expect_error("program headers run past");
}

static void overlapping_segments_fail(void **state)
{
    make_elf(0x100000, 0x100010);
    put16(44, 2);
    memcpy(image + 52 + 32, image + 52, 32); /* the same segment twice */
    put_mb1(0x1040, 0x3);
    expect_error("overlap");
}

static void garbage_never_crashes(void **state)
{
    /* Random bytes around a valid v1 header: parse must answer, never read out of bounds. */
    srand(1234);
    for (int round = 0; round < 2000; round++) {
        image_size = (uint32_t)(rand() % (int)sizeof(image));
        for (uint32_t i = 0; i < image_size; i++)
            image[i] = (uint8_t)rand();
        if (image_size >= 64 && round % 2) {
            put_mb1(0, (uint32_t)rand() & 0x10003u);
            memcpy(image + 32, "\177ELF", 4);
        }
        struct guest_image img;
        const char *e = parse(&img);
        if (!e)
            assert_true(img.segment_count > 0);
    }
}

int main(void)
{
    guest_ram = malloc(GUEST_MEM);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mb1_elf_loads_by_physical_address),
        cmocka_unit_test(mb1_address_fields_override_elf),
        cmocka_unit_test(mb2_elf_and_its_entry_tag),
        cmocka_unit_test(mb2_required_unknown_tag_fails),
        cmocka_unit_test(no_header_is_not_multiboot),
        cmocka_unit_test(unknown_required_flag_fails),
        cmocka_unit_test(segment_outside_guest_ram_fails),
        cmocka_unit_test(segment_in_vga_hole_fails),
        cmocka_unit_test(truncated_image_fails),
        cmocka_unit_test(entry_outside_segments_fails),
        cmocka_unit_test(not_elf_without_addresses_fails),
        cmocka_unit_test(program_headers_past_end_fail),
        cmocka_unit_test(overlapping_segments_fail),
        cmocka_unit_test(garbage_never_crashes),
    };
    int failed = cmocka_run_group_tests_name("guest_image", tests, NULL, NULL);
    free(guest_ram);
    return failed;
}
