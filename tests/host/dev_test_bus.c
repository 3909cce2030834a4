/* tests/host/dev_test_bus.c: port and MMIO dispatch, access splitting, unclaimed ports logged
 * once, interrupt lines in front of an irq chip, and device ticks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "devices/bus.h"
#include "tests/host/dev_fake_host.h"

/* A recording device: each access is kept, reads return offset-derived bytes. */
struct rec {
    unsigned n;
    uint32_t offset[16], size[16], value[16];
    bool write[16];
};

static uint32_t rec_read(void *dev, uint32_t offset, unsigned size)
{
    struct rec *r = dev;
    r->offset[r->n] = offset;
    r->size[r->n] = size;
    r->write[r->n++] = false;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)(0x10 + offset + i) << (8 * i);
    return v;
}

static void rec_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct rec *r = dev;
    r->offset[r->n] = offset;
    r->size[r->n] = size;
    r->value[r->n] = value;
    r->write[r->n++] = true;
}

static void unclaimed_ports(void **state)
{
    struct bus bus;
    fake_bus(&bus);
    assert_int_equal(bus_port_read(&bus, 0x300, 1), 0xff);
    assert_int_equal(bus_port_read(&bus, 0x300, 2), 0xffff);
    assert_int_equal(bus_port_read(&bus, 0x300, 4), 0xffffffff);
    bus_port_write(&bus, 0x300, 1, 0x12);
    assert_int_equal(fake_log_count("0x0300"), 1);
    assert_int_equal(fake_log_count("0x0301"), 1);
    assert_int_equal(fake_log_count("0x0303"), 1);
    assert_int_equal(fake_log_count("0x0304"), 0);
    bus_port_write(&bus, 0x310, 1, 0x34);
    assert_int_equal(fake_log_count("write 0x34 to unclaimed port 0x0310"), 1);
    bus_port_read(&bus, 0x310, 1);
    assert_int_equal(fake_log_count("0x0310"), 1);
    assert_int_equal(fake.nlog, 5);
}

static void registration_rules(void **state)
{
    struct bus bus;
    struct rec r = {0};
    fake_bus(&bus);
    assert_int_equal(bus_port_register(&bus, 0x100, 8, 1, rec_read, rec_write, &r, "a"), 0);
    assert_int_equal(bus_port_register(&bus, 0x107, 1, 1, rec_read, rec_write, &r, "b"), -1);
    assert_int_equal(bus_port_register(&bus, 0xf8, 9, 1, rec_read, rec_write, &r, "c"), -1);
    assert_int_equal(bus_port_register(&bus, 0xfff8, 9, 1, rec_read, rec_write, &r, "d"), -1);
    assert_int_equal(bus_port_register(&bus, 0x200, 0, 1, rec_read, rec_write, &r, "e"), -1);
    assert_int_equal(bus_port_register(&bus, 0x200, 4, 3, rec_read, rec_write, &r, "f"), -1);
    assert_int_equal(bus_port_register(&bus, 0x108, 1, 1, rec_read, rec_write, &r, "g"), 0);
    assert_int_equal(bus_mmio_register(&bus, 0xfffff000, 0x1000, 4, rec_read, rec_write, &r, "h"),
                     0);
    assert_int_equal(bus_mmio_register(&bus, 0xfffff000, 0x1001, 4, rec_read, rec_write, &r, "i"),
                     -1);
}

static void port_dispatch_and_splitting(void **state)
{
    struct bus bus;
    struct rec narrow = {0}, wide = {0};
    fake_bus(&bus);
    bus_port_register(&bus, 0x40, 4, 1, rec_read, rec_write, &narrow, "narrow");
    bus_port_register(&bus, 0x1ce, 2, 2, rec_read, rec_write, &wide, "wide");
    assert_int_equal(bus_port_read(&bus, 0x41, 1), 0x11);
    assert_int_equal(narrow.offset[0], 1);
    /* A dword on a byte-wide device: four byte accesses, lowest port first. */
    assert_int_equal(bus_port_read(&bus, 0x40, 4), 0x13121110);
    assert_int_equal(narrow.n, 5);
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(narrow.offset[1 + i], i);
        assert_int_equal(narrow.size[1 + i], 1);
    }
    bus_port_write(&bus, 0x42, 2, 0xbeef);
    assert_int_equal(narrow.value[5], 0xef);
    assert_int_equal(narrow.offset[5], 2);
    assert_int_equal(narrow.value[6], 0xbe);
    assert_true(narrow.write[6]);
    /* A word device takes a word whole. */
    bus_port_write(&bus, 0x1ce, 2, 0x1234);
    assert_int_equal(wide.n, 1);
    assert_int_equal(wide.size[0], 2);
    assert_int_equal(wide.value[0], 0x1234);
    /* Crossing out of a range: bytes, the unclaimed one all ones. */
    assert_int_equal(bus_port_read(&bus, 0x43, 2), 0xff13);
    assert_int_equal(fake_log_count("0x0044"), 1);
}

static void null_handlers(void **state)
{
    struct bus bus;
    struct rec r = {0};
    fake_bus(&bus);
    bus_port_register(&bus, 0x70, 1, 1, NULL, rec_write, &r, "wo");
    assert_int_equal(bus_port_read(&bus, 0x70, 1), 0xff);
    bus_port_write(&bus, 0x70, 1, 5);
    assert_int_equal(r.n, 1);
    assert_int_equal(fake.nlog, 0);
}

static void mmio_dispatch(void **state)
{
    struct bus bus;
    struct rec vga = {0}, other = {0};
    fake_bus(&bus);
    bus_mmio_register(&bus, 0xa0000, 0x20000, 1, rec_read, rec_write, &vga, "vga");
    bus_mmio_register(&bus, 0xfee00000, 0x1000, 4, rec_read, rec_write, &other, "apic");
    assert_ptr_equal(bus_mmio_find(&bus, 0xa0000)->dev, &vga);
    assert_ptr_equal(bus_mmio_find(&bus, 0xbffff)->dev, &vga);
    assert_null(bus_mmio_find(&bus, 0xc0000));
    assert_null(bus_mmio_find(&bus, 0x9ffff));
    assert_ptr_equal(bus_mmio_find_range(&bus, 0x9f000, 0x2000)->dev, &vga);
    assert_ptr_equal(bus_mmio_find_range(&bus, 0x0, 0xffffffff)->dev, &vga);
    assert_ptr_equal(bus_mmio_find_range(&bus, 0xc0000, 0xfffffff0)->dev, &other);
    assert_null(bus_mmio_find_range(&bus, 0x9f000, 0x1000));
    bus_mmio_write(&bus, 0xa0010, 2, 0x55aa);
    assert_int_equal(vga.n, 2);
    assert_int_equal(vga.offset[0], 0x10);
    assert_int_equal(vga.value[0], 0xaa);
    assert_int_equal(vga.offset[1], 0x11);
    assert_int_equal(vga.value[1], 0x55);
    assert_int_equal(bus_mmio_read(&bus, 0xfee00020, 4), 0x33323130);
    assert_int_equal(other.size[0], 4);
    /* Straddling the end of a region: in-region bytes reach it, the rest read all ones. */
    /* (rec answers 0x10 + offset per byte: offsets 0x1fffe and 0x1ffff give 0x0e and 0x0f.) */
    assert_int_equal(bus_mmio_read(&bus, 0xbfffe, 4), 0xffff0f0e);
    assert_int_equal(bus_mmio_read(&bus, 0x500000, 4), 0xffffffff);
    assert_int_equal(fake_log_count("unclaimed MMIO"), 2);
    for (unsigned i = 0; i < 40; i++)
        bus_mmio_write(&bus, 0x600000 + i, 1, 0);
    assert_int_equal(fake_log_count("unclaimed MMIO"), 16);
}

struct chip_rec {
    unsigned calls;
    unsigned line[8];
    bool level[8];
    bool pending;
};

static void chip_set(void *dev, unsigned line, bool level)
{
    struct chip_rec *c = dev;
    c->line[c->calls] = line;
    c->level[c->calls++] = level;
}

static bool chip_pending(void *dev)
{
    return ((struct chip_rec *)dev)->pending;
}

static uint8_t chip_ack(void *dev)
{
    return 0x42;
}

static void irq_lines(void **state)
{
    struct bus bus;
    struct chip_rec chip = {0};
    fake_bus(&bus);
    assert_false(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), -1);
    bus_irq_raise(&bus, 5);
    bus_irq_chip_attach(&bus, &(struct bus_irq_chip){&chip, chip_set, chip_pending, chip_ack});
    /* A line already high when the chip attaches is reported. */
    assert_int_equal(chip.calls, 1);
    assert_int_equal(chip.line[0], 5);
    bus_irq_raise(&bus, 5);
    assert_int_equal(chip.calls, 1);
    bus_irq_pulse(&bus, 3);
    assert_int_equal(chip.calls, 3);
    assert_true(chip.level[1]);
    assert_false(chip.level[2]);
    assert_true(bus_irq_level(&bus, 5));
    assert_false(bus_irq_level(&bus, 3));
    bus_irq_set(&bus, 16, true);
    assert_int_equal(chip.calls, 3);
    chip.pending = true;
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x42);
}

static uint64_t seen_now[2];

static uint64_t tick_a(void *dev, uint64_t now)
{
    seen_now[0] = now;
    return now + 500;
}

static uint64_t tick_b(void *dev, uint64_t now)
{
    seen_now[1] = now;
    return now + 300;
}

static uint64_t tick_never(void *dev, uint64_t now)
{
    return BUS_NO_DEADLINE;
}

static void ticks(void **state)
{
    struct bus bus;
    fake_bus(&bus);
    assert_true(bus_advance(&bus, 10) == BUS_NO_DEADLINE);
    bus_timer_register(&bus, tick_never, NULL);
    assert_true(bus_advance(&bus, 10) == BUS_NO_DEADLINE);
    bus_timer_register(&bus, tick_a, NULL);
    bus_timer_register(&bus, tick_b, NULL);
    assert_int_equal(bus_advance(&bus, 1000), 1300);
    assert_int_equal(seen_now[0], 1000);
    assert_int_equal(seen_now[1], 1000);
    fake.now = 77;
    assert_int_equal(bus_now(&bus), 77);
}

int dev_test_bus(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unclaimed_ports),
        cmocka_unit_test(registration_rules),
        cmocka_unit_test(port_dispatch_and_splitting),
        cmocka_unit_test(null_handlers),
        cmocka_unit_test(mmio_dispatch),
        cmocka_unit_test(irq_lines),
        cmocka_unit_test(ticks),
    };
    return cmocka_run_group_tests_name("bus", tests, NULL, NULL);
}
