/* tests/host/dev_test_rtc.c: the CMOS RTC: time from the host in BCD and binary, 24- and
 * 12-hour formats, the clock running on the monitor's time across a month end, setting the
 * time under SET, UIP, periodic/update/alarm interrupts through register C, and CMOS RAM with
 * the memory size fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "devices/clock.h"
#include "devices/rtc.h"
#include "tests/host/dev_fake_host.h"

static struct bus bus;
static struct rtc rtc;

#define T0 5000000000ull

static uint8_t cmos(uint8_t index)
{
    bus_port_write(&bus, 0x70, 1, index);
    return bus_port_read(&bus, 0x71, 1);
}

static void cmos_write(uint8_t index, uint8_t v)
{
    bus_port_write(&bus, 0x70, 1, index);
    bus_port_write(&bus, 0x71, 1, v);
}

/* 2024-02-29 (a leap day, a Thursday) 23:59:58. */
static int setup(void **state)
{
    fake_bus(&bus);
    fake.now = T0;
    fake.have_rtc = true;
    fake.rtc = (struct bus_datetime){2024, 2, 29, 23, 59, 58, 5};
    return rtc_init(&rtc, &bus);
}

static void bcd_24h_and_rollover(void **state)
{
    assert_int_equal(cmos(0x00), 0x58);
    assert_int_equal(cmos(0x02), 0x59);
    assert_int_equal(cmos(0x04), 0x23);
    assert_int_equal(cmos(0x06), 0x05);
    assert_int_equal(cmos(0x07), 0x29);
    assert_int_equal(cmos(0x08), 0x02);
    assert_int_equal(cmos(0x09), 0x24);
    assert_int_equal(cmos(0x32), 0x20);
    fake.now = T0 + 2 * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x00), 0x00);
    assert_int_equal(cmos(0x04), 0x00);
    assert_int_equal(cmos(0x06), 0x06);
    assert_int_equal(cmos(0x07), 0x01);
    assert_int_equal(cmos(0x08), 0x03);
    /* Ten months on: 2024-12-31 23:59:59, then the new year. */
    fake.now = T0 + (306ull * 86400 + 1) * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x07), 0x31);
    assert_int_equal(cmos(0x08), 0x12);
    assert_int_equal(cmos(0x00), 0x59);
    fake.now += CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x09), 0x25);
    assert_int_equal(cmos(0x08), 0x01);
    assert_int_equal(cmos(0x07), 0x01);
}

static void binary_and_12h(void **state)
{
    cmos_write(0x0b, 0x06);
    assert_int_equal(cmos(0x00), 58);
    assert_int_equal(cmos(0x04), 23);
    assert_int_equal(cmos(0x09), 24);
    cmos_write(0x0b, 0x04);
    assert_int_equal(cmos(0x04), 0x80 | 11);
    cmos_write(0x0b, 0x00);
    assert_int_equal(cmos(0x04), 0x91);
    fake.now = T0 + 2 * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x04), 0x12);
    fake.now = T0 + (2 + 12 * 3600) * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x04), 0x92);
    fake.now = T0 + (2 + 13 * 3600) * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x04), 0x81);
    fake.now = T0 + (2 + 3600) * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x04), 0x01);
}

static void set_time(void **state)
{
    cmos_write(0x0b, 0x82);
    fake.now = T0 + 10 * CLOCK_NS_PER_S;
    /* SET stops the clock. */
    assert_int_equal(cmos(0x00), 0x58);
    cmos_write(0x00, 0x30);
    cmos_write(0x02, 0x15);
    cmos_write(0x04, 0x08);
    cmos_write(0x07, 0x04);
    cmos_write(0x08, 0x07);
    cmos_write(0x09, 0x99);
    cmos_write(0x32, 0x19);
    cmos_write(0x06, 0x01);
    fake.now += 5 * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x00), 0x30);
    cmos_write(0x0b, 0x02);
    fake.now += 3 * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x00), 0x33);
    assert_int_equal(cmos(0x02), 0x15);
    assert_int_equal(cmos(0x04), 0x08);
    assert_int_equal(cmos(0x07), 0x04);
    assert_int_equal(cmos(0x08), 0x07);
    assert_int_equal(cmos(0x09), 0x99);
    assert_int_equal(cmos(0x32), 0x19);
    assert_int_equal(cmos(0x06), 0x01);
    fake.now += 86400 * CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x06), 0x02);
    assert_int_equal(cmos(0x07), 0x05);
    /* A 12-hour write: 7 PM. */
    cmos_write(0x0b, 0x00);
    cmos_write(0x04, 0x87);
    cmos_write(0x0b, 0x02);
    assert_int_equal(cmos(0x04), 0x19);
}

static void update_in_progress(void **state)
{
    fake.now = T0 + CLOCK_NS_PER_S / 2;
    assert_int_equal(cmos(0x0a), 0x26);
    fake.now = T0 + CLOCK_NS_PER_S - 200000;
    assert_int_equal(cmos(0x0a), 0xa6);
    assert_int_equal(cmos(0x00), 0x58);
    fake.now = T0 + CLOCK_NS_PER_S;
    assert_int_equal(cmos(0x0a), 0x26);
    assert_int_equal(cmos(0x00), 0x59);
}

static void periodic_interrupt(void **state)
{
    assert_int_equal(cmos(0x0c), 0x00);
    cmos_write(0x0b, 0x42);
    /* Rate 6: 1024 Hz, 32 cycles of 32.768 kHz: 976562.5 ns. */
    uint64_t deadline = bus_advance(&bus, fake.now);
    assert_int_equal(deadline, T0 + 976563);
    fake.now = deadline - 1;
    bus_advance(&bus, fake.now);
    assert_false(bus_irq_level(&bus, 8));
    fake.now = deadline;
    assert_int_equal(bus_advance(&bus, fake.now), T0 + 1953125);
    assert_true(bus_irq_level(&bus, 8));
    assert_int_equal(cmos(0x0c), 0xc0);
    assert_false(bus_irq_level(&bus, 8));
    assert_int_equal(cmos(0x0c), 0x00);
    /* Without PIE the flag still rises but no interrupt. */
    cmos_write(0x0b, 0x02);
    fake.now += 2000000;
    assert_false(bus_irq_level(&bus, 8));
    assert_int_equal(cmos(0x0c), 0x40);
    /* Rate 15: 2 Hz. */
    cmos_write(0x0a, 0x2f);
    cmos_write(0x0b, 0x42);
    deadline = bus_advance(&bus, fake.now);
    assert_int_equal(deadline,
                     T0 + CLOCK_NS_PER_S / 2 * (1 + (fake.now - T0) / (CLOCK_NS_PER_S / 2)));
}

static void update_and_alarm(void **state)
{
    /* Periodic rate 0, so that PF stays out of register C. */
    cmos_write(0x0a, 0x20);
    cmos_write(0x01, 0x01);
    cmos_write(0x03, 0x00);
    cmos_write(0x05, 0xc0);
    cmos_write(0x0b, 0x32);
    assert_int_equal(bus_advance(&bus, fake.now), T0 + CLOCK_NS_PER_S);
    fake.now = T0 + CLOCK_NS_PER_S;
    bus_advance(&bus, fake.now);
    assert_true(bus_irq_level(&bus, 8));
    assert_int_equal(cmos(0x0c), 0x90);
    fake.now += CLOCK_NS_PER_S;
    bus_advance(&bus, fake.now);
    assert_int_equal(cmos(0x0c), 0x90);
    /* 00:00:01 matches seconds 01, minutes 00, any hour. */
    fake.now += CLOCK_NS_PER_S;
    bus_advance(&bus, fake.now);
    assert_int_equal(cmos(0x0c), 0xb0);
    /* Alarm only: an hour passing unseen still finds 01:00:01 in the gap. */
    cmos_write(0x0b, 0x22);
    fake.now += 3600 * CLOCK_NS_PER_S;
    bus_advance(&bus, fake.now);
    assert_true(bus_irq_level(&bus, 8));
    assert_int_equal(cmos(0x0c), 0xb0);
    assert_false(bus_irq_level(&bus, 8));
}

static void registers_and_ram(void **state)
{
    assert_int_equal(cmos(0x0d), 0x80);
    cmos_write(0x0d, 0x00);
    assert_int_equal(cmos(0x0d), 0x80);
    cmos_write(0x40, 0xa5);
    assert_int_equal(cmos(0x40), 0xa5);
    assert_int_equal(rtc_cmos_get(&rtc, 0x40), 0xa5);
    /* The NMI-disable bit is not part of the index. */
    bus_port_write(&bus, 0x70, 1, 0x80 | 0x40);
    assert_int_equal(bus_port_read(&bus, 0x71, 1), 0xa5);
    assert_true(rtc.nmi_disabled);
    assert_int_equal(bus_port_read(&bus, 0x70, 1), 0xff);
    rtc_set_memory(&rtc, 64ull << 20);
    assert_int_equal(cmos(0x15) | cmos(0x16) << 8, 640);
    assert_int_equal(cmos(0x17) | cmos(0x18) << 8, 63 * 1024);
    assert_int_equal(cmos(0x30) | cmos(0x31) << 8, 63 * 1024);
    assert_int_equal(cmos(0x34) | cmos(0x35) << 8, 48 * 16);
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2d; i++)
        sum += cmos(i);
    assert_int_equal(cmos(0x2e) << 8 | cmos(0x2f), sum);
    rtc_set_memory(&rtc, 3ull << 30);
    assert_int_equal(cmos(0x17) | cmos(0x18) << 8, 0xffff);
    assert_int_equal(cmos(0x34) | cmos(0x35) << 8, (3 * 1024 - 16) * 16);
}

static void no_host_clock(void **state)
{
    fake_bus(&bus);
    assert_int_equal(rtc_init(&rtc, &bus), 0);
    assert_int_equal(cmos(0x09), 0x70);
    assert_int_equal(cmos(0x32), 0x19);
    assert_int_equal(cmos(0x07), 0x01);
    assert_int_equal(cmos(0x06), 0x05);
}

int dev_test_rtc(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(bcd_24h_and_rollover, setup),
        cmocka_unit_test_setup(binary_and_12h, setup),
        cmocka_unit_test_setup(set_time, setup),
        cmocka_unit_test_setup(update_in_progress, setup),
        cmocka_unit_test_setup(periodic_interrupt, setup),
        cmocka_unit_test_setup(update_and_alarm, setup),
        cmocka_unit_test_setup(registers_and_ram, setup),
        cmocka_unit_test(no_host_clock),
    };
    return cmocka_run_group_tests_name("rtc", tests, NULL, NULL);
}
