/* tests/host/dev_test_pit.c: the 8254 against a fake clock: IRQ0 timing in modes 2, 0 and 4,
 * lost ticks, tick deadlines, latch and read-back commands, access modes, BCD, square wave and
 * gate behaviour of counter 2 through port 0x61. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "devices/clock.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "tests/host/dev_fake_host.h"

static struct bus bus;
static struct pic pic;
static struct pit pit;

/* All tests begin two seconds in, well after the BIOS-style programming at time 0. */
#define C0 (2ull * PIT_HZ)

static void out(uint16_t port, uint8_t v)
{
    bus_port_write(&bus, port, 1, v);
}

static uint8_t in(uint16_t port)
{
    return bus_port_read(&bus, port, 1);
}

static void at(uint64_t cycles)
{
    fake.now = clock_cycles_to_ns(cycles, PIT_HZ);
}

/* Deliver and end whatever is pending on the PIC. */
static unsigned drain(void)
{
    unsigned n = 0;
    while (bus_irq_pending(&bus)) {
        bus_irq_ack(&bus);
        out(0x20, 0x20);
        n++;
    }
    return n;
}

static int setup(void **state)
{
    fake_bus(&bus);
    if (pic_init(&pic, &bus) || pit_init(&pit, &bus))
        return -1;
    out(0x20, 0x11);
    out(0x21, 0x20);
    out(0x21, 0x04);
    out(0x21, 0x01);
    at(C0);
    bus_advance(&bus, fake.now);
    drain();
    return 0;
}

static void program(uint8_t control, uint16_t port, uint16_t count)
{
    out(0x43, control);
    out(port, count & 0xff);
    if ((control >> 4 & 3) == 3)
        out(port, count >> 8);
}

static uint16_t latch_read(unsigned counter)
{
    out(0x43, counter << 6);
    uint8_t lo = in(0x40 + counter);
    return lo | in(0x40 + counter) << 8;
}

static uint8_t read_back_status(unsigned counter)
{
    out(0x43, 0xe0 | 2u << counter);
    return in(0x40 + counter);
}

static void clock_conversions(void **state)
{
    assert_int_equal(clock_ns_to_cycles(CLOCK_NS_PER_S, PIT_HZ), PIT_HZ);
    assert_int_equal(clock_ns_to_cycles(838, PIT_HZ), 0);
    assert_int_equal(clock_ns_to_cycles(839, PIT_HZ), 1);
    assert_int_equal(clock_cycles_to_ns(1, PIT_HZ), 839);
    assert_int_equal(clock_cycles_to_ns(PIT_HZ, PIT_HZ), CLOCK_NS_PER_S);
    /* Ten hours in, no overflow: the round trip is exact. */
    uint64_t c = 36000ull * PIT_HZ + 12345;
    assert_int_equal(clock_ns_to_cycles(clock_cycles_to_ns(c, PIT_HZ), PIT_HZ), c);
    assert_int_equal(clock_ns_to_cycles(clock_cycles_to_ns(c, PIT_HZ) - 1, PIT_HZ), c - 1);
}

static void mode2_rate_generator(void **state)
{
    const uint16_t n = 1193;
    program(0x34, 0x40, n);
    uint64_t deadline = bus_advance(&bus, fake.now);
    assert_int_equal(deadline, clock_cycles_to_ns(C0 + n, PIT_HZ));
    unsigned irqs = 0;
    for (unsigned k = 1; k <= 10; k++) {
        uint64_t edge = clock_cycles_to_ns(C0 + k * n, PIT_HZ);
        fake.now = edge - 1;
        bus_advance(&bus, fake.now);
        assert_false(bus_irq_pending(&bus));
        fake.now = edge;
        assert_int_equal(bus_advance(&bus, fake.now), clock_cycles_to_ns(C0 + (k + 1) * n, PIT_HZ));
        assert_true(bus_irq_pending(&bus));
        assert_int_equal(bus_irq_ack(&bus), 0x20);
        out(0x20, 0x20);
        irqs++;
    }
    assert_int_equal(irqs, 10);
    /* Five periods pass unseen: the PIC latches one edge. */
    at(C0 + 15 * n + 7);
    bus_advance(&bus, fake.now);
    assert_int_equal(drain(), 1);
    /* The count runs n..1 within each period. */
    assert_int_equal(latch_read(0), n - 7);
    at(C0 + 15 * n + n - 1);
    assert_int_equal(latch_read(0), 1);
}

static void mode0_terminal_count(void **state)
{
    program(0x30, 0x40, 100);
    assert_int_equal(read_back_status(0), 0x30);
    assert_false(bus_irq_level(&bus, 0));
    assert_int_equal(bus_advance(&bus, fake.now), clock_cycles_to_ns(C0 + 100, PIT_HZ));
    at(C0 + 99);
    bus_advance(&bus, fake.now);
    assert_false(bus_irq_pending(&bus));
    assert_int_equal(latch_read(0), 1);
    at(C0 + 100);
    assert_true(bus_advance(&bus, fake.now) == BUS_NO_DEADLINE);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(read_back_status(0), 0xb0);
    /* After terminal count the counter keeps wrapping; no second interrupt. */
    drain();
    at(C0 + 150);
    assert_int_equal(latch_read(0), 65536 - 50);
    at(C0 + 100 + 65536 * 3);
    bus_advance(&bus, fake.now);
    assert_false(bus_irq_pending(&bus));
}

static void mode4_strobe(void **state)
{
    program(0x38, 0x40, 10);
    at(C0 + 10);
    bus_advance(&bus, fake.now);
    assert_false(bus_irq_pending(&bus));
    assert_false(bus_irq_level(&bus, 0));
    at(C0 + 11);
    bus_advance(&bus, fake.now);
    assert_true(bus_irq_pending(&bus));
    assert_true(bus_irq_level(&bus, 0));
}

static void control_word_sets_null_count(void **state)
{
    /* Mode 2's output goes high at the control word; null count until the full count. */
    out(0x43, 0x34);
    assert_int_equal(read_back_status(0), 0x80 | 0x40 | 0x34);
    out(0x40, 0x10);
    assert_int_equal(read_back_status(0), 0x80 | 0x40 | 0x34);
    out(0x40, 0x00);
    assert_int_equal(read_back_status(0), 0x80 | 0x34);
    out(0x43, 0x30);
    assert_int_equal(read_back_status(0), 0x40 | 0x30);
}

static void latch_holds_value(void **state)
{
    program(0x34, 0x40, 1000);
    at(C0 + 10);
    out(0x43, 0x00);
    /* A second latch before reading is ignored; time passing does not change it. */
    at(C0 + 20);
    out(0x43, 0x00);
    assert_int_equal(in(0x40), (1000 - 10) & 0xff);
    assert_int_equal(in(0x40), (1000 - 10) >> 8);
    /* Unlatched lohi reads follow the flip-flop. */
    at(C0 + 30);
    uint8_t lo = in(0x40);
    assert_int_equal(lo | in(0x40) << 8, 1000 - 30);
    /* Read-back latches status then count. */
    at(C0 + 40);
    out(0x43, 0xc2);
    assert_int_equal(in(0x40), 0x80 | 0x34);
    lo = in(0x40);
    assert_int_equal(lo | in(0x40) << 8, 1000 - 40);
}

static void access_modes_and_bcd(void **state)
{
    out(0x61, 0x01);
    program(0x90, 0x42, 50);
    at(C0 + 10);
    assert_int_equal(in(0x42), 40);
    assert_int_equal(in(0x42), 40);
    at(C0);
    program(0xa0, 0x42, 0x02);
    at(C0 + 256);
    assert_int_equal(in(0x42), 1);
    at(C0);
    program(0xb1, 0x42, 0x0100);
    at(C0 + 1);
    assert_int_equal(latch_read(2), 0x0099);
    at(C0 + 100);
    assert_int_equal(latch_read(2), 0x0000);
    at(C0 + 101);
    assert_int_equal(latch_read(2), 0x9999);
}

static bool out2(void)
{
    return in(0x61) & 0x20;
}

static void counter2_square_wave_and_gate(void **state)
{
    out(0x61, 0x03);
    assert_int_equal(in(0x61) & 0x0f, 0x03);
    program(0xb6, 0x42, 10);
    at(C0 + 4);
    assert_true(out2());
    at(C0 + 5);
    assert_false(out2());
    at(C0 + 9);
    assert_false(out2());
    at(C0 + 10);
    assert_true(out2());
    at(C0 + 15);
    assert_false(out2());
    /* Gate low forces the output high; gate high restarts the period. */
    out(0x61, 0x02);
    assert_true(out2());
    at(C0 + 100);
    out(0x61, 0x03);
    at(C0 + 104);
    assert_true(out2());
    at(C0 + 105);
    assert_false(out2());
}

static void counter2_gate_pauses_mode0(void **state)
{
    out(0x61, 0x00);
    program(0xb0, 0x42, 100);
    at(C0 + 200);
    assert_false(out2());
    assert_int_equal(latch_read(2), 100);
    out(0x61, 0x01);
    at(C0 + 250);
    out(0x61, 0x00);
    at(C0 + 1000);
    assert_int_equal(latch_read(2), 50);
    out(0x61, 0x01);
    at(C0 + 1049);
    assert_false(out2());
    at(C0 + 1050);
    assert_true(out2());
    assert_true(pit_output(&pit, 2));
}

static void refresh_toggle(void **state)
{
    at(36 * 1000000);
    uint8_t a = in(0x61) & 0x10;
    at(36 * 1000000 + 18);
    uint8_t b = in(0x61) & 0x10;
    assert_int_not_equal(a, b);
    assert_int_equal(in(0x61) & 0xc0, 0);
}

int dev_test_pit(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clock_conversions),
        cmocka_unit_test_setup(mode2_rate_generator, setup),
        cmocka_unit_test_setup(mode0_terminal_count, setup),
        cmocka_unit_test_setup(mode4_strobe, setup),
        cmocka_unit_test_setup(control_word_sets_null_count, setup),
        cmocka_unit_test_setup(latch_holds_value, setup),
        cmocka_unit_test_setup(access_modes_and_bcd, setup),
        cmocka_unit_test_setup(counter2_square_wave_and_gate, setup),
        cmocka_unit_test_setup(counter2_gate_pauses_mode0, setup),
        cmocka_unit_test_setup(refresh_toggle, setup),
    };
    return cmocka_run_group_tests_name("pit", tests, NULL, NULL);
}
