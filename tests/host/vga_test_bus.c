/* tests/host/vga_test_bus.c: the VGA attached to the real bus (devices/bus.c): ports and the
 * memory window reach the core, wide accesses arrive as bytes in address order, and the frame
 * count follows the bus clock. */
#include "tests/host/vga_test.h"

#include "devices/vga_bus.h"

#include <stdlib.h>

static uint64_t fake_now;

static uint64_t now_ns(void *ctx)
{
    return fake_now;
}

struct rig {
    struct vga vga;
    struct bus bus;
};

static int rig_setup(void **state)
{
    struct rig *rig = malloc(sizeof(*rig));
    if (!rig)
        return -1;
    const struct bus_host host = {.now_ns = now_ns};
    bus_init(&rig->bus, &host);
    vga_init(&rig->vga);
    if (vga_bus_attach(&rig->vga, &rig->bus) < 0) {
        free(rig);
        return -1;
    }
    *state = rig;
    return 0;
}

static int rig_teardown(void **state)
{
    free(*state);
    return 0;
}

/* A 16-bit OUT to 0x3c4 writes the index to 0x3c4 and the data to 0x3c5, the usual way guests
 * program the sequencer and graphics controller. */
static void test_ports_through_bus(void **state)
{
    struct rig *rig = *state;
    bus_port_write(&rig->bus, 0x3c2, 1, 0x63);
    bus_port_write(&rig->bus, 0x3c4, 2, 0x0e04);
    assert_int_equal(rig->vga.seq[VGA_SEQ_MEMMODE], 0x0e);
    bus_port_write(&rig->bus, 0x3c4, 2, 0x0f02);
    assert_int_equal(rig->vga.seq[VGA_SEQ_MAP_MASK], 0x0f);
    bus_port_write(&rig->bus, 0x3ce, 2, 0x0506);
    assert_int_equal(bus_port_read(&rig->bus, 0x3cc, 1), 0x63);
    assert_int_equal(bus_port_read(&rig->bus, 0x3b5, 1), 0xff);
}

/* In chain-4 (bit mask 0xff: the power-on 0 would keep the latches), a dword store at 0xA0004
 * puts its four bytes in planes 0-3 at offset 1. */
static void test_mmio_through_bus(void **state)
{
    struct rig *rig = *state;
    bus_port_write(&rig->bus, 0x3c4, 2, 0x0e04);
    bus_port_write(&rig->bus, 0x3c4, 2, 0x0f02);
    bus_port_write(&rig->bus, 0x3ce, 2, 0x0506);
    bus_port_write(&rig->bus, 0x3ce, 2, 0xff08);
    bus_mmio_write(&rig->bus, 0xa0004, 4, 0x44332211);
    for (unsigned p = 0; p < 4; p++)
        assert_int_equal(rig->vga.plane[p][1], 0x11 * (p + 1));
    assert_int_equal(bus_mmio_read(&rig->bus, 0xa0004, 4), 0x44332211);
    assert_non_null(bus_mmio_find(&rig->bus, 0xbffff));
}

static void test_frame_clock(void **state)
{
    struct rig *rig = *state;
    fake_now = 16666666;
    assert_int_equal(vga_bus_frame(&rig->bus), 0);
    fake_now = 16666667;
    assert_int_equal(vga_bus_frame(&rig->bus), 1);
    fake_now = 1000000000ull;
    assert_int_equal(vga_bus_frame(&rig->bus), 60);
    fake_now = 10ull * 1000000000ull;
    assert_int_equal(vga_bus_frame(&rig->bus), 600);
}

int vga_test_bus(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ports_through_bus, rig_setup, rig_teardown),
        cmocka_unit_test_setup_teardown(test_mmio_through_bus, rig_setup, rig_teardown),
        cmocka_unit_test_setup_teardown(test_frame_clock, rig_setup, rig_teardown),
    };
    return cmocka_run_group_tests_name("vga on the bus", tests, NULL, NULL);
}
