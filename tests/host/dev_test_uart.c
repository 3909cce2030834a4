/* tests/host/dev_test_uart.c: the 16550A: transmit to and receive from the host, divisor latch,
 * loopback with modem status, interrupt identification priority, FIFO trigger and timeout,
 * overrun, and IRQ4 following the interrupt state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "devices/uart.h"
#include "tests/host/dev_fake_host.h"

static struct bus bus;
static struct uart uart;

enum { THR = 0x3f8, IER, IIR, LCR, MCR, LSR, MSR, SCR };

static void out(uint16_t port, uint8_t v)
{
    bus_port_write(&bus, port, 1, v);
}

static uint8_t in(uint16_t port)
{
    return bus_port_read(&bus, port, 1);
}

static int setup(void **state)
{
    fake_bus(&bus);
    fake.now = 1000000000;
    return uart_init(&uart, &bus, 0x3f8, 4);
}

static void transmit_and_receive(void **state)
{
    assert_int_equal(in(LSR), 0x60);
    out(THR, 'o');
    out(THR, 'k');
    assert_int_equal(fake.ntx, 2);
    assert_memory_equal(fake.tx, "ok", 2);
    fake_rx_push("hi");
    assert_int_equal(in(LSR), 0x61);
    assert_int_equal(in(THR), 'h');
    assert_int_equal(in(THR), 'i');
    assert_int_equal(in(LSR), 0x60);
    assert_false(bus_irq_level(&bus, 4));
}

static void divisor_latch_and_scratch(void **state)
{
    out(LCR, 0x83);
    out(THR, 0x01);
    out(IER, 0x00);
    assert_int_equal(in(THR), 0x01);
    assert_int_equal(in(IER), 0x00);
    out(LCR, 0x03);
    assert_int_equal(in(LCR), 0x03);
    out(IER, 0x0f);
    assert_int_equal(in(IER), 0x0f);
    out(LCR, 0x80);
    assert_int_equal(in(THR), 0x01);
    out(LCR, 0x03);
    /* Divisor writes did not transmit. */
    assert_int_equal(fake.ntx, 0);
    out(SCR, 0x5a);
    assert_int_equal(in(SCR), 0x5a);
}

static void loopback_and_modem_status(void **state)
{
    assert_int_equal(in(MSR), 0xb0);
    out(MCR, 0x10);
    assert_int_equal(in(MSR)&0xf0, 0x00);
    fake_rx_push("z");
    out(THR, 'x');
    assert_int_equal(fake.ntx, 0);
    assert_int_equal(in(LSR)&0x01, 0x01);
    assert_int_equal(in(THR), 'x');
    /* The host's byte waits: loopback disconnects the receiver. */
    assert_int_equal(in(LSR)&0x01, 0);
    out(MCR, 0x1f);
    assert_int_equal(in(MSR), 0xf0 | 0x0b);
    assert_int_equal(in(MSR), 0xf0);
    out(MCR, 0x10);
    /* RI falling gives TERI; the others give their deltas. */
    assert_int_equal(in(MSR), 0x0f);
    out(MCR, 0x00);
    assert_int_equal(in(THR), 'z');
}

static void interrupt_priority(void **state)
{
    out(MCR, 0x18);
    assert_int_equal(in(IIR), 0x01);
    out(IER, 0x0f);
    /* Enabling THRE while THR is empty raises it. */
    assert_true(bus_irq_level(&bus, 4));
    out(THR, 'a');
    assert_int_equal(in(IIR), 0x04);
    out(THR, 'b');
    assert_int_equal(in(IIR), 0x06);
    assert_int_equal(in(LSR)&0x02, 0x02);
    assert_int_equal(in(IIR), 0x04);
    assert_int_equal(in(THR), 'b');
    assert_int_equal(in(IIR), 0x02);
    /* Reading IIR that reported THRE clears it. */
    assert_int_equal(in(IIR), 0x00);
    /* Entering loopback dropped CTS and DSR (OUT2 keeps DCD up). */
    assert_int_equal(in(MSR)&0x0f, 0x03);
    assert_int_equal(in(IIR), 0x01);
    assert_false(bus_irq_level(&bus, 4));
    out(THR, 'c');
    assert_int_equal(in(THR), 'c');
    assert_int_equal(in(IIR), 0x02);
    assert_int_equal(in(IIR), 0x01);
    out(IER, 0x00);
    out(THR, 'd');
    assert_false(bus_irq_level(&bus, 4));
}

static void fifo_trigger_and_timeout(void **state)
{
    out(MCR, 0x10);
    out(0x3fa, 0xc7);
    assert_int_equal(in(IIR), 0xc1);
    out(IER, 0x01);
    for (unsigned i = 0; i < 5; i++)
        out(THR, 'A' + i);
    assert_int_equal(in(IIR), 0xc1);
    assert_false(bus_irq_level(&bus, 4));
    /* 8N1 at divisor 12: ten bits of 12 * 16 clocks at 1.8432 MHz, 1.04 ms per character. */
    uint64_t char_ns = 10ull * 12 * 16 * 1000000000 / 1843200;
    uint64_t deadline = bus_advance(&bus, fake.now);
    assert_int_equal(deadline, fake.now + 4 * char_ns);
    fake.now = deadline - 1;
    bus_advance(&bus, fake.now);
    assert_false(bus_irq_level(&bus, 4));
    fake.now = deadline;
    bus_advance(&bus, fake.now);
    assert_true(bus_irq_level(&bus, 4));
    assert_int_equal(in(IIR), 0xcc);
    assert_int_equal(in(THR), 'A');
    assert_int_equal(in(IIR), 0xc1);
    for (unsigned i = 0; i < 10; i++)
        out(THR, 'a' + i);
    assert_int_equal(in(IIR), 0xc4);
    for (unsigned i = 0; i < 3; i++)
        out(THR, '0' + i);
    /* Sixteen held; the seventeenth overruns and is lost. */
    assert_int_equal(in(LSR), 0x63);
    assert_int_equal(in(LSR), 0x61);
    unsigned n = 0;
    while (in(LSR)&1) {
        in(THR);
        n++;
    }
    assert_int_equal(n, 16);
    out(0x3fa, 0x00);
    assert_int_equal(in(IIR), 0x01);
}

static void fifo_clear(void **state)
{
    out(MCR, 0x10);
    out(0x3fa, 0x01);
    out(THR, 'q');
    out(0x3fa, 0x03);
    assert_int_equal(in(LSR)&0x01, 0);
}

static void host_input_paced_by_fifo(void **state)
{
    out(0x3fa, 0x01);
    out(IER, 0x01);
    char many[21];
    memset(many, 'x', 20);
    many[20] = 0;
    fake_rx_push(many);
    uint64_t deadline = bus_advance(&bus, fake.now);
    assert_int_equal(fake.rx_head, 16);
    assert_true(bus_irq_level(&bus, 4));
    assert_true(deadline <= fake.now + UART_POLL_NS);
    for (unsigned i = 0; i < 16; i++)
        assert_int_equal(in(THR), 'x');
    /* Nothing overran: the rest comes on the next read. */
    assert_int_equal(in(LSR), 0x61);
    unsigned n = 0;
    while (in(LSR)&1) {
        in(THR);
        n++;
    }
    assert_int_equal(n, 4);
}

int dev_test_uart(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(transmit_and_receive, setup),
        cmocka_unit_test_setup(divisor_latch_and_scratch, setup),
        cmocka_unit_test_setup(loopback_and_modem_status, setup),
        cmocka_unit_test_setup(interrupt_priority, setup),
        cmocka_unit_test_setup(fifo_trigger_and_timeout, setup),
        cmocka_unit_test_setup(fifo_clear, setup),
        cmocka_unit_test_setup(host_input_paced_by_fifo, setup),
    };
    return cmocka_run_group_tests_name("uart", tests, NULL, NULL);
}
