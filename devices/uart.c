/* devices/uart.c: the 16550A. Transmission is instantaneous (THR and the shift register are
 * empty again at once, so THRE re-arms after every write); received bytes come from the host
 * through a 16-byte FIFO (or the 16450's single holding register when FIFOs are off), or from
 * the transmitter in loopback mode. */
#include "devices/uart.h"

#include "devices/clock.h"

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };

#define LCR_DLAB   0x80
#define MCR_LOOP   0x10
#define LSR_DR     0x01
#define LSR_OE     0x02
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define IER_RDA    0x01
#define IER_THRE   0x02
#define IER_RLS    0x04
#define IER_MSI    0x08
#define IIR_NONE   0x01
#define IIR_RLS    0x06
#define IIR_RDA    0x04
#define IIR_TO     0x0c
#define IIR_THRE   0x02
#define IIR_MSI    0x00
#define FCR_ENABLE 0x01
/* With no modem attached the host side shows carrier, data set ready and clear to send. */
#define MSR_IDLE   0xb0
#define UART_CLOCK 1843200u

static bool fifo_on(const struct uart *u)
{
    return u->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const struct uart *u)
{
    return fifo_on(u) ? UART_FIFO_SIZE : 1;
}

static unsigned trigger_level(const struct uart *u)
{
    static const uint8_t level[4] = {1, 4, 8, 14};
    return level[u->fcr >> 6];
}

static uint64_t char_ns(const struct uart *u)
{
    uint32_t bits = 1 + 5 + (u->lcr & 3) + (u->lcr >> 3 & 1) + 1 + (u->lcr >> 2 & 1);
    uint64_t divisor = u->divisor ? u->divisor : 65536;
    return bits * divisor * 16 * CLOCK_NS_PER_S / UART_CLOCK;
}

static uint64_t timeout_at(const struct uart *u)
{
    return u->rx_activity_ns + 4 * char_ns(u);
}

static uint8_t interrupt_id(const struct uart *u, uint64_t now)
{
    if ((u->ier & IER_RLS) && u->lsr_errors)
        return IIR_RLS;
    if (u->ier & IER_RDA) {
        if (u->rx_count && (!fifo_on(u) || u->rx_count >= trigger_level(u)))
            return IIR_RDA;
        if (u->rx_count && fifo_on(u) && now >= timeout_at(u))
            return IIR_TO;
    }
    if ((u->ier & IER_THRE) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_MSI) && (u->msr & 0x0f))
        return IIR_MSI;
    return IIR_NONE;
}

/* QEMU's 16550 drives its IRQ whether or not MCR OUT2 is set; the differential tests compare
 * against QEMU, so OUT2 does not gate the line here either. */
static void update_irq(struct uart *u, uint64_t now)
{
    bus_irq_set(u->bus, u->irq, interrupt_id(u, now) != IIR_NONE);
}

static void rx_push(struct uart *u, uint8_t byte, uint64_t now)
{
    if (u->rx_count == rx_capacity(u)) {
        u->lsr_errors |= LSR_OE;
        if (!fifo_on(u))
            u->rx[u->rx_head] = byte;
        return;
    }
    u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
    u->rx_count++;
    u->rx_activity_ns = now;
}

static void rx_clear(struct uart *u)
{
    u->rx_head = 0;
    u->rx_count = 0;
}

/* Take what the host has received, as far as the FIFO has room: the rest waits in the real
 * UART, so nothing is lost to overrun. */
static void poll_host(struct uart *u, uint64_t now)
{
    uint8_t byte;
    if (u->mcr & MCR_LOOP)
        return;
    while (u->rx_count < rx_capacity(u) && bus_serial_rx(u->bus, &byte))
        rx_push(u, byte, now);
}

static uint8_t msr_inputs(const struct uart *u)
{
    if (!(u->mcr & MCR_LOOP))
        return MSR_IDLE;
    /* Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
    return (u->mcr & 0x02) << 3 | (u->mcr & 0x01) << 5 | (u->mcr & 0x0c) << 4;
}

static void update_msr(struct uart *u)
{
    uint8_t old = u->msr & 0xf0, now = msr_inputs(u), delta = 0;
    uint8_t changed = old ^ now;
    if (changed & 0x10)
        delta |= 0x01;
    if (changed & 0x20)
        delta |= 0x02;
    if ((old & 0x40) && !(now & 0x40))
        delta |= 0x04;
    if (changed & 0x80)
        delta |= 0x08;
    u->msr = now | (u->msr & 0x0f) | delta;
}

static uint32_t uart_read(void *dev, uint32_t offset, unsigned size)
{
    struct uart *u = dev;
    uint64_t now = bus_now(u->bus);
    uint8_t v = 0;
    switch (offset) {
    case RBR_THR:
        if (u->lcr & LCR_DLAB) {
            v = u->divisor & 0xff;
            break;
        }
        poll_host(u, now);
        if (u->rx_count) {
            v = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
            u->rx_count--;
            u->rx_activity_ns = now;
        }
        break;
    case IER: v = u->lcr & LCR_DLAB ? u->divisor >> 8 : u->ier; break;
    case IIR_FCR:
        v = interrupt_id(u, now);
        if (v == IIR_THRE)
            u->thre_pending = false;
        if (fifo_on(u))
            v |= 0xc0;
        break;
    case LCR: v = u->lcr; break;
    case MCR: v = u->mcr; break;
    case LSR:
        poll_host(u, now);
        v = u->lsr_errors | LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
        u->lsr_errors = 0;
        break;
    case MSR:
        v = u->msr;
        u->msr &= 0xf0;
        break;
    default: v = u->scr; break;
    }
    update_irq(u, now);
    return v;
}

static void transmit(struct uart *u, uint8_t byte, uint64_t now)
{
    if (u->mcr & MCR_LOOP)
        rx_push(u, byte, now);
    else
        bus_serial_tx(u->bus, byte);
    u->thre_pending = true;
}

static void uart_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct uart *u = dev;
    uint64_t now = bus_now(u->bus);
    uint8_t v = value;
    switch (offset) {
    case RBR_THR:
        if (u->lcr & LCR_DLAB)
            u->divisor = (u->divisor & 0xff00) | v;
        else
            transmit(u, v, now);
        break;
    case IER:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (u->divisor & 0x00ff) | v << 8;
        } else {
            /* Enabling the THRE interrupt while THR is empty raises it at once. */
            if ((v & IER_THRE) && !(u->ier & IER_THRE))
                u->thre_pending = true;
            u->ier = v & 0x0f;
        }
        break;
    case IIR_FCR:
        if ((v & FCR_ENABLE) != (u->fcr & FCR_ENABLE) || (v & 0x02))
            rx_clear(u);
        u->fcr = v & FCR_ENABLE ? v & 0xc9 : 0;
        break;
    case LCR: u->lcr = v; break;
    case MCR:
        if ((v ^ u->mcr) & MCR_LOOP)
            rx_clear(u);
        u->mcr = v & 0x1f;
        update_msr(u);
        break;
    case LSR:
    case MSR: break;
    default: u->scr = v; break;
    }
    update_irq(u, now);
}

static uint64_t uart_tick(void *dev, uint64_t now_ns)
{
    struct uart *u = dev;
    uint64_t next = BUS_NO_DEADLINE;
    if (now_ns >= u->next_poll_ns) {
        poll_host(u, now_ns);
        u->next_poll_ns = now_ns + UART_POLL_NS;
    }
    if (!(u->mcr & MCR_LOOP) && u->bus->host.serial_rx)
        next = u->next_poll_ns;
    if (fifo_on(u) && u->rx_count && (u->ier & IER_RDA) && timeout_at(u) > now_ns &&
        timeout_at(u) < next)
        next = timeout_at(u);
    update_irq(u, now_ns);
    return next;
}

int uart_init(struct uart *uart, struct bus *bus, uint16_t base, unsigned irq)
{
    *uart = (struct uart){.bus = bus, .irq = irq, .divisor = 12, .lcr = 0x03, .msr = MSR_IDLE};
    if (bus_port_register(bus, base, 8, 1, uart_read, uart_write, uart, "uart") ||
        bus_timer_register(bus, uart_tick, uart))
        return -1;
    return 0;
}
