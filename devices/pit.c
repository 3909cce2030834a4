/* devices/pit.c: the 8254. Nothing counts in the background: each counter remembers the PIT
 * cycle at which its count began, and its value and output are computed from the elapsed cycles
 * when asked. Counter 0's rising output edges are reported to IRQ0 on every access and tick, and
 * its next edge is the tick's deadline. */
#include "devices/pit.h"

#include "devices/clock.h"

#define NEVER       UINT64_MAX
#define PIT_IRQ     0
#define REFRESH_CYC 18 /* counter 1's refresh count as the BIOS sets it: 15 us per toggle */

static uint64_t now_cycles(const struct pit *pit)
{
    return clock_ns_to_cycles(bus_now(pit->bus), PIT_HZ);
}

static uint32_t modulus(const struct pit_counter *c)
{
    return c->bcd ? 10000 : 65536;
}

static bool running(const struct pit_counter *c)
{
    return c->loaded && c->counting;
}

/* Cycles counted by time t. */
static uint64_t elapsed(const struct pit_counter *c, uint64_t t)
{
    if (c->paused)
        return c->paused_d;
    return t > c->start ? t - c->start : 0;
}

static bool output_after(const struct pit_counter *c, uint64_t d)
{
    uint32_t n = c->reload;
    if (!running(c))
        return c->mode != 0;
    switch (c->mode) {
    case 0:
    case 1: return d >= n;
    case 2: return d % n != n - 1;
    case 3: return d % n < (n + 1) / 2;
    default: return d != n;
    }
}

/* Rising output edges at counted cycles in (a, b]. */
static uint64_t rising_edges(const struct pit_counter *c, uint64_t a, uint64_t b)
{
    uint64_t n = c->reload;
    switch (c->mode) {
    case 0:
    case 1: return a < n && n <= b;
    case 2:
    case 3: return n < 2 ? 0 : b / n - a / n;
    default: return a < n + 1 && n + 1 <= b;
    }
}

/* Counted cycles at which the next rising edge after d comes, or NEVER. */
static uint64_t next_edge(const struct pit_counter *c, uint64_t d)
{
    uint64_t n = c->reload;
    switch (c->mode) {
    case 0:
    case 1: return d < n ? n : NEVER;
    case 2:
    case 3: return n < 2 ? NEVER : (d / n + 1) * n;
    default: return d < n + 1 ? n + 1 : NEVER;
    }
}

static uint32_t to_bcd(uint32_t v)
{
    return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
}

static uint32_t from_bcd(uint32_t v)
{
    return (v >> 12 & 15) * 1000 + (v >> 8 & 15) * 100 + (v >> 4 & 15) * 10 + (v & 15);
}

/* The counting element as the CPU would read it, in the counter's number format. */
static uint16_t current_count(const struct pit_counter *c, uint64_t t)
{
    uint32_t m = modulus(c), n = c->reload, v;
    if (!c->loaded)
        return 0;
    uint64_t d = elapsed(c, t);
    if (!c->counting)
        v = n;
    else if (c->mode == 2)
        v = n - d % n;
    else if (c->mode == 3)
        v = (n - 2 * d % n) & ~1u;
    else
        v = (uint32_t)((n + m - d % m) % m);
    v %= m;
    return c->bcd ? to_bcd(v) : v;
}

static void sync_irq(struct pit *pit, uint64_t t)
{
    struct pit_counter *c = &pit->counter[0];
    if (t < c->seen)
        t = c->seen;
    if (running(c) && rising_edges(c, elapsed(c, c->seen), elapsed(c, t))) {
        bus_irq_lower(pit->bus, PIT_IRQ);
        bus_irq_raise(pit->bus, PIT_IRQ);
    }
    c->seen = t;
    bus_irq_set(pit->bus, PIT_IRQ, output_after(c, elapsed(c, t)));
}

static void load(struct pit_counter *c, uint32_t raw, uint64_t t)
{
    uint32_t n = c->bcd ? from_bcd(raw) : raw;
    c->reload = n ? n : modulus(c);
    c->loaded = true;
    c->null_count = false;
    c->start = t;
    c->seen = t;
    c->paused = false;
    c->paused_d = 0;
    switch (c->mode) {
    case 0:
    case 4:
        c->counting = true;
        if (!c->gate) {
            c->paused = true;
            c->paused_d = 0;
        }
        break;
    case 2:
    case 3: c->counting = c->gate; break;
    default: c->counting = false; break;
    }
}

static void set_gate(struct pit_counter *c, bool gate, uint64_t t)
{
    if (gate == c->gate)
        return;
    c->gate = gate;
    if (!c->loaded)
        return;
    switch (c->mode) {
    case 0:
    case 4:
        if (!gate) {
            c->paused_d = elapsed(c, t);
            c->paused = true;
        } else {
            c->paused = false;
            c->start = t - c->paused_d;
        }
        break;
    case 2:
    case 3:
        c->counting = gate;
        c->start = t;
        break;
    default:
        if (gate) {
            c->counting = true;
            c->start = t;
        }
        break;
    }
    c->seen = t;
}

static void control_word(struct pit *pit, uint8_t v, uint64_t t)
{
    unsigned sel = v >> 6;
    if (sel == 3) {
        for (unsigned i = 0; i < 3; i++) {
            struct pit_counter *c = &pit->counter[i];
            if (!(v & (2u << i)))
                continue;
            if (!(v & 0x10) && !c->status_latched) {
                c->status = output_after(c, elapsed(c, t)) << 7 | c->null_count << 6 |
                            c->access << 4 | c->mode << 1 | c->bcd;
                c->status_latched = true;
            }
            if (!(v & 0x20) && !c->latch_bytes) {
                c->latch = current_count(c, t);
                c->latch_bytes = c->access == 3 ? 2 : 1;
                c->latch_msb_next = c->access == 2;
            }
        }
        return;
    }
    struct pit_counter *c = &pit->counter[sel];
    unsigned access = v >> 4 & 3;
    if (access == 0) {
        if (!c->latch_bytes) {
            c->latch = current_count(c, t);
            c->latch_bytes = c->access == 3 ? 2 : 1;
            c->latch_msb_next = c->access == 2;
        }
        return;
    }
    unsigned mode = v >> 1 & 7;
    c->mode = mode > 5 ? mode - 4 : mode;
    c->access = access;
    c->bcd = v & 1;
    c->loaded = false;
    c->counting = false;
    c->paused = false;
    c->null_count = true;
    c->write_msb_next = false;
    c->read_msb_next = false;
    c->latch_bytes = 0;
    c->status_latched = false;
}

static void write_count(struct pit_counter *c, uint8_t v, uint64_t t)
{
    switch (c->access) {
    case 1: load(c, v, t); break;
    case 2: load(c, (uint32_t)v << 8, t); break;
    default:
        if (!c->write_msb_next) {
            c->write_lsb = v;
            c->write_msb_next = true;
        } else {
            c->write_msb_next = false;
            load(c, c->write_lsb | (uint32_t)v << 8, t);
        }
        break;
    }
}

static uint8_t read_count(struct pit_counter *c, uint64_t t)
{
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->latch_bytes) {
        uint8_t byte = c->latch_msb_next ? c->latch >> 8 : c->latch & 0xff;
        c->latch_bytes--;
        c->latch_msb_next = !c->latch_msb_next;
        return byte;
    }
    uint16_t v = current_count(c, t);
    bool msb = c->access == 2 || (c->access == 3 && c->read_msb_next);
    if (c->access == 3)
        c->read_msb_next = !c->read_msb_next;
    return msb ? v >> 8 : v & 0xff;
}

static uint32_t pit_read(void *dev, uint32_t offset, unsigned size)
{
    struct pit *pit = dev;
    uint64_t t = now_cycles(pit);
    sync_irq(pit, t);
    if (offset == 3)
        return 0xff;
    return read_count(&pit->counter[offset], t);
}

static void pit_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct pit *pit = dev;
    uint64_t t = now_cycles(pit);
    sync_irq(pit, t);
    if (offset == 3)
        control_word(pit, value, t);
    else
        write_count(&pit->counter[offset], value, t);
    sync_irq(pit, t);
}

static uint32_t port61_read(void *dev, uint32_t offset, unsigned size)
{
    struct pit *pit = dev;
    uint64_t t = now_cycles(pit);
    struct pit_counter *c2 = &pit->counter[2];
    bool refresh = t / REFRESH_CYC & 1;
    return pit->port61 | refresh << 4 | output_after(c2, elapsed(c2, t)) << 5;
}

static void port61_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct pit *pit = dev;
    pit->port61 = value & 0x0f;
    set_gate(&pit->counter[2], value & 1, now_cycles(pit));
}

bool pit_output(struct pit *pit, unsigned counter)
{
    struct pit_counter *c = &pit->counter[counter];
    return output_after(c, elapsed(c, now_cycles(pit)));
}

static uint64_t pit_tick(void *dev, uint64_t now_ns)
{
    struct pit *pit = dev;
    struct pit_counter *c = &pit->counter[0];
    uint64_t t = clock_ns_to_cycles(now_ns, PIT_HZ);
    sync_irq(pit, t);
    if (!running(c) || c->paused)
        return BUS_NO_DEADLINE;
    uint64_t e = next_edge(c, elapsed(c, c->seen));
    return e == NEVER ? BUS_NO_DEADLINE : clock_cycles_to_ns(c->start + e, PIT_HZ);
}

int pit_init(struct pit *pit, struct bus *bus)
{
    *pit = (struct pit){.bus = bus};
    uint64_t t = now_cycles(pit);
    /* The state a PC BIOS leaves: counter 0 a 18.2 Hz square wave, counter 1 refreshing,
     * counter 2 stopped with its gate low. */
    pit->counter[0].gate = pit->counter[1].gate = true;
    control_word(pit, 0x36, t);
    write_count(&pit->counter[0], 0, t);
    write_count(&pit->counter[0], 0, t);
    control_word(pit, 0x54, t);
    write_count(&pit->counter[1], REFRESH_CYC, t);
    control_word(pit, 0xb6, t);
    if (bus_port_register(bus, 0x40, 4, 1, pit_read, pit_write, pit, "pit") ||
        bus_port_register(bus, 0x61, 1, 1, port61_read, port61_write, pit, "port61") ||
        bus_timer_register(bus, pit_tick, pit))
        return -1;
    sync_irq(pit, t);
    return 0;
}
