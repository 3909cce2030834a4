/* tests/host/dev_test_pic.c: the 8259A pair through its ports: initialisation, priority, EOI
 * forms, rotation, masks, auto-EOI, poll, cascade, spurious vectors, edge and level triggering,
 * special mask mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "devices/pic.h"
#include "tests/host/dev_fake_host.h"

static struct bus bus;
static struct pic pic;

static void out(uint16_t port, uint8_t v)
{
    bus_port_write(&bus, port, 1, v);
}

static uint8_t in(uint16_t port)
{
    return bus_port_read(&bus, port, 1);
}

/* Linux's sequence: vectors 0x20/0x28, cascade on IR2, 8086 mode, icw4 as given. */
static int setup_icw4(uint8_t icw4)
{
    fake_bus(&bus);
    if (pic_init(&pic, &bus))
        return -1;
    out(0x20, 0x11);
    out(0x21, 0x20);
    out(0x21, 0x04);
    out(0x21, icw4);
    out(0xa0, 0x11);
    out(0xa1, 0x28);
    out(0xa1, 0x02);
    out(0xa1, icw4);
    return 0;
}

static int setup(void **state)
{
    return setup_icw4(0x01);
}

static uint8_t isr(uint16_t base)
{
    out(base, 0x0b);
    return in(base);
}

static uint8_t irr(uint16_t base)
{
    out(base, 0x0a);
    return in(base);
}

static void eoi(uint16_t base)
{
    out(base, 0x20);
}

static void basic_delivery(void **state)
{
    assert_false(bus_irq_pending(&bus));
    bus_irq_raise(&bus, 0);
    assert_int_equal(irr(0x20), 0x01);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x20);
    assert_int_equal(isr(0x20), 0x01);
    assert_int_equal(irr(0x20), 0x00);
    assert_false(bus_irq_pending(&bus));
    /* Edge triggered: the line staying high gives nothing more after EOI. */
    eoi(0x20);
    assert_int_equal(isr(0x20), 0);
    assert_false(bus_irq_pending(&bus));
    bus_irq_lower(&bus, 0);
    bus_irq_raise(&bus, 0);
    assert_int_equal(bus_irq_ack(&bus), 0x20);
}

static void fixed_priority_and_nesting(void **state)
{
    bus_irq_raise(&bus, 3);
    bus_irq_raise(&bus, 1);
    assert_int_equal(bus_irq_ack(&bus), 0x21);
    /* IR3 waits while IR1 is in service; IR0 beats it. */
    assert_false(bus_irq_pending(&bus));
    bus_irq_raise(&bus, 0);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x20);
    assert_int_equal(isr(0x20), 0x03);
    /* Non-specific EOI ends the highest in service: IR0. */
    eoi(0x20);
    assert_int_equal(isr(0x20), 0x02);
    assert_false(bus_irq_pending(&bus));
    eoi(0x20);
    assert_int_equal(bus_irq_ack(&bus), 0x23);
}

static void mask_register(void **state)
{
    out(0x21, 0x10);
    assert_int_equal(in(0x21), 0x10);
    bus_irq_raise(&bus, 4);
    assert_int_equal(irr(0x20), 0x10);
    assert_false(bus_irq_pending(&bus));
    out(0x21, 0x00);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x24);
}

static void specific_eoi(void **state)
{
    bus_irq_raise(&bus, 5);
    assert_int_equal(bus_irq_ack(&bus), 0x25);
    bus_irq_raise(&bus, 3);
    bus_irq_raise(&bus, 1);
    assert_int_equal(bus_irq_ack(&bus), 0x21);
    out(0x20, 0x65);
    assert_int_equal(isr(0x20), 0x02);
    out(0x20, 0x61);
    assert_int_equal(isr(0x20), 0x00);
    assert_int_equal(bus_irq_ack(&bus), 0x23);
}

static void rotation(void **state)
{
    /* Rotate on non-specific EOI: IR0 becomes the lowest priority. */
    bus_irq_raise(&bus, 0);
    assert_int_equal(bus_irq_ack(&bus), 0x20);
    out(0x20, 0xa0);
    bus_irq_lower(&bus, 0);
    bus_irq_raise(&bus, 0);
    bus_irq_raise(&bus, 5);
    assert_int_equal(bus_irq_ack(&bus), 0x25);
    /* Set priority: IR6 lowest, so IR7 is now the highest. */
    out(0x20, 0xc6);
    bus_irq_raise(&bus, 7);
    out(0x20, 0x20);
    assert_int_equal(bus_irq_ack(&bus), 0x27);
    /* Rotate on specific EOI of IR7: IR0 becomes the highest. */
    out(0x20, 0xe7);
    bus_irq_raise(&bus, 6);
    assert_int_equal(bus_irq_ack(&bus), 0x20);
}

static void auto_eoi(void **state)
{
    setup_icw4(0x03);
    bus_irq_raise(&bus, 4);
    bus_irq_raise(&bus, 6);
    assert_int_equal(bus_irq_ack(&bus), 0x24);
    assert_int_equal(isr(0x20), 0);
    assert_int_equal(bus_irq_ack(&bus), 0x26);
    /* Rotate in auto-EOI mode: the acknowledged IR becomes the lowest. */
    out(0x20, 0x80);
    bus_irq_lower(&bus, 4);
    bus_irq_raise(&bus, 4);
    bus_irq_lower(&bus, 6);
    bus_irq_raise(&bus, 6);
    assert_int_equal(bus_irq_ack(&bus), 0x24);
    bus_irq_lower(&bus, 4);
    bus_irq_raise(&bus, 4);
    assert_int_equal(bus_irq_ack(&bus), 0x26);
}

static void poll_command(void **state)
{
    out(0x20, 0x0c);
    assert_int_equal(in(0x20), 0x00);
    bus_irq_raise(&bus, 3);
    out(0x20, 0x0c);
    assert_int_equal(in(0x20), 0x83);
    assert_int_equal(isr(0x20), 0x08);
    /* Poll mode is one read only. */
    assert_int_equal(in(0x21), 0x00);
}

static void cascade(void **state)
{
    bus_irq_raise(&bus, 8);
    assert_int_equal(irr(0x20), 0x04);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x28);
    assert_int_equal(isr(0x20), 0x04);
    assert_int_equal(isr(0xa0), 0x01);
    /* IRQ12 waits for both EOIs. */
    bus_irq_raise(&bus, 12);
    assert_false(bus_irq_pending(&bus));
    eoi(0xa0);
    assert_false(bus_irq_pending(&bus));
    eoi(0x20);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x2c);
    /* Masking IR2 at the master blocks all of the slave. */
    eoi(0xa0);
    eoi(0x20);
    out(0x21, 0x04);
    bus_irq_raise(&bus, 15);
    assert_false(bus_irq_pending(&bus));
    /* The old IRQ2 pin reaches the slave's IR1. */
    out(0x21, 0x00);
    assert_int_equal(bus_irq_ack(&bus), 0x2f);
    eoi(0xa0);
    eoi(0x20);
    bus_irq_raise(&bus, 2);
    assert_int_equal(bus_irq_ack(&bus), 0x29);
}

static void spurious(void **state)
{
    assert_int_equal(bus_irq_ack(&bus), 0x27);
    assert_int_equal(isr(0x20), 0);
    /* The slave's request vanishes (masked) after the master latched IR2: IRQ15's vector. */
    bus_irq_raise(&bus, 10);
    out(0xa1, 0x04);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x2f);
    assert_int_equal(isr(0xa0), 0);
    assert_int_equal(isr(0x20), 0x04);
}

static void level_triggered(void **state)
{
    out(0x4d0, 0xff);
    assert_int_equal(in(0x4d0), 0xf8);
    out(0x4d1, 0xff);
    assert_int_equal(in(0x4d1), 0xde);
    out(0x4d0, 0x20);
    bus_irq_raise(&bus, 5);
    assert_int_equal(bus_irq_ack(&bus), 0x25);
    eoi(0x20);
    /* Still high: requested again without a new edge. */
    assert_true(bus_irq_pending(&bus));
    bus_irq_lower(&bus, 5);
    assert_false(bus_irq_pending(&bus));
    assert_int_equal(irr(0x20), 0);
}

static void ltim_all_level(void **state)
{
    out(0x20, 0x19);
    out(0x21, 0x20);
    out(0x21, 0x04);
    out(0x21, 0x01);
    bus_irq_raise(&bus, 0);
    assert_int_equal(bus_irq_ack(&bus), 0x20);
    eoi(0x20);
    assert_true(bus_irq_pending(&bus));
}

static void icw1_resets(void **state)
{
    out(0x21, 0xff);
    bus_irq_raise(&bus, 1);
    out(0x20, 0x11);
    assert_int_equal(in(0x21), 0x00);
    out(0x21, 0x30);
    out(0x21, 0x04);
    out(0x21, 0x01);
    /* The line is still high, but edge sense was reset. */
    assert_false(bus_irq_pending(&bus));
    bus_irq_lower(&bus, 1);
    bus_irq_raise(&bus, 1);
    assert_int_equal(bus_irq_ack(&bus), 0x31);
}

static void special_mask_mode(void **state)
{
    bus_irq_raise(&bus, 3);
    assert_int_equal(bus_irq_ack(&bus), 0x23);
    bus_irq_raise(&bus, 5);
    assert_false(bus_irq_pending(&bus));
    out(0x21, 0x08);
    out(0x20, 0x68);
    assert_true(bus_irq_pending(&bus));
    assert_int_equal(bus_irq_ack(&bus), 0x25);
    out(0x20, 0x48);
    bus_irq_raise(&bus, 6);
    assert_false(bus_irq_pending(&bus));
}

int dev_test_pic(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(basic_delivery, setup),
        cmocka_unit_test_setup(fixed_priority_and_nesting, setup),
        cmocka_unit_test_setup(mask_register, setup),
        cmocka_unit_test_setup(specific_eoi, setup),
        cmocka_unit_test_setup(rotation, setup),
        cmocka_unit_test_setup(auto_eoi, setup),
        cmocka_unit_test_setup(poll_command, setup),
        cmocka_unit_test_setup(cascade, setup),
        cmocka_unit_test_setup(spurious, setup),
        cmocka_unit_test_setup(level_triggered, setup),
        cmocka_unit_test_setup(ltim_all_level, setup),
        cmocka_unit_test_setup(icw1_resets, setup),
        cmocka_unit_test_setup(special_mask_mode, setup),
    };
    return cmocka_run_group_tests_name("pic", tests, NULL, NULL);
}
