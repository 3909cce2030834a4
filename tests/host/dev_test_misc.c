/* tests/host/dev_test_misc.c: port 0x80, isa-debug-exit, and the standard PC set from
 * devices_init (every device answering at its ports, BIOS-like PIC state, no double claims). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "devices/devices.h"
#include "tests/host/dev_fake_host.h"

static struct bus bus;
static struct pc_devices pc;

static int setup(void **state)
{
    fake_bus(&bus);
    fake.now = 1000;
    return devices_init(&pc, &bus, 64ull << 20);
}

static void post_port(void **state)
{
    bus_port_write(&bus, 0x80, 1, 0x3c);
    bus_port_write(&bus, 0x80, 1, 0x4d);
    assert_int_equal(pc.post.last, 0x4d);
    assert_int_equal(pc.post.writes, 2);
    assert_int_equal(bus_port_read(&bus, 0x80, 1), 0xff);
    /* Claimed, so never logged as unclaimed. */
    assert_int_equal(fake.nlog, 0);
}

static void debug_exit(void **state)
{
    bus_port_write(&bus, 0xf4, 1, 0x31);
    assert_int_equal(fake.exits, 1);
    assert_int_equal(fake.exit_value, 0x31);
    assert_int_equal(fake.exit_size, 1);
    bus_port_write(&bus, 0xf4, 4, 0x12345678);
    assert_int_equal(fake.exit_value, 0x12345678);
    assert_int_equal(fake.exit_size, 4);
    bus_port_write(&bus, 0xf4, 2, 0x0102);
    assert_int_equal(fake.exit_value, 0x0102);
    assert_int_equal(fake.exit_size, 2);
    assert_int_equal(fake.exits, 3);
}

static void standard_set(void **state)
{
    /* BIOS-like PIC: everything masked but the cascade, vectors 0x08 and 0x70. */
    assert_int_equal(bus_port_read(&bus, 0x21, 1), 0xfb);
    assert_int_equal(bus_port_read(&bus, 0xa1, 1), 0xff);
    bus_port_write(&bus, 0x21, 1, 0xfa);
    fake.now = 1000000000;
    bus_advance(&bus, fake.now);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x08);
    bus_port_write(&bus, 0x20, 1, 0x20);
    bus_port_write(&bus, 0xa1, 1, 0xfe);
    bus_port_write(&bus, 0x70, 1, 0x0b);
    bus_port_write(&bus, 0x71, 1, 0x42);
    fake.now += 1000000;
    bus_advance(&bus, fake.now);
    assert_int_equal(bus_irq_ack(&bus), 0x70);
    /* COM1 answers, the RTC has the memory size, the debug port reaches the host. */
    bus_port_write(&bus, 0x3f8, 1, '!');
    assert_int_equal(fake.ntx, 1);
    assert_int_equal(bus_port_read(&bus, 0x3fd, 1), 0x60);
    bus_port_write(&bus, 0x70, 1, 0x34);
    assert_int_equal(bus_port_read(&bus, 0x71, 1), (48 * 16) & 0xff);
    assert_int_equal(fake.nlog, 0);
    assert_int_equal(bus_port_read(&bus, 0x60, 1), 0xff);
    assert_int_equal(fake.nlog, 1);
    /* A second set on the same bus finds its ports taken. */
    struct pc_devices again;
    assert_int_equal(devices_init(&again, &bus, 64ull << 20), -1);
}

int dev_test_misc(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(post_port, setup),
        cmocka_unit_test_setup(debug_exit, setup),
        cmocka_unit_test_setup(standard_set, setup),
    };
    return cmocka_run_group_tests_name("misc", tests, NULL, NULL);
}
