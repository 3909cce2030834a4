/* devices/bus.c: dispatch of port and MMIO accesses to registered devices, the ISA interrupt
 * lines in front of the irq chip, device ticks, and the host-backend wrappers. */
#include "devices/bus.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define BUS_MMIO_LOG_LIMIT 16

void bus_init(struct bus *bus, const struct bus_host *host)
{
    memset(bus, 0, sizeof(*bus));
    bus->host = *host;
}

static bool valid_width(unsigned width)
{
    return width == 1 || width == 2 || width == 4;
}

static bool overlaps(const struct bus_range *r, uint64_t first, uint64_t count)
{
    return first < (uint64_t)r->first + r->count && (uint64_t)r->first < first + count;
}

static int add_range(struct bus_range *table, unsigned *n, unsigned max, uint64_t limit,
                     uint32_t first, uint32_t count, unsigned width, bus_read_fn read,
                     bus_write_fn write, void *dev, const char *name)
{
    if (*n >= max || count == 0 || (uint64_t)first + count > limit || !valid_width(width))
        return -1;
    for (unsigned i = 0; i < *n; i++)
        if (overlaps(&table[i], first, count))
            return -1;
    table[(*n)++] = (struct bus_range){first, count, width, read, write, dev, name};
    return 0;
}

int bus_port_register(struct bus *bus, uint16_t first, uint32_t count, unsigned width,
                      bus_read_fn read, bus_write_fn write, void *dev, const char *name)
{
    return add_range(bus->ports, &bus->nports, BUS_MAX_PORT_RANGES, BUS_PORTS, first, count, width,
                     read, write, dev, name);
}

int bus_mmio_register(struct bus *bus, uint32_t base, uint32_t size, unsigned width,
                      bus_read_fn read, bus_write_fn write, void *dev, const char *name)
{
    return add_range(bus->mmio, &bus->nmmio, BUS_MAX_MMIO_REGIONS, 1ull << 32, base, size, width,
                     read, write, dev, name);
}

static const struct bus_range *find(const struct bus_range *table, unsigned n, uint32_t addr)
{
    for (unsigned i = 0; i < n; i++)
        if (addr - table[i].first < table[i].count)
            return &table[i];
    return NULL;
}

static uint32_t size_mask(unsigned size)
{
    return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* One access fully inside r: split into pieces of the device's width, lowest address first. */
static uint32_t range_read(const struct bus_range *r, uint32_t addr, unsigned size)
{
    if (!r->read)
        return size_mask(size);
    unsigned piece = size < r->width ? size : r->width;
    uint32_t value = 0;
    for (unsigned done = 0; done < size; done += piece)
        value |= (r->read(r->dev, addr + done - r->first, piece) & size_mask(piece)) << (8 * done);
    return value;
}

static void range_write(const struct bus_range *r, uint32_t addr, unsigned size, uint32_t value)
{
    if (!r->write)
        return;
    unsigned piece = size < r->width ? size : r->width;
    for (unsigned done = 0; done < size; done += piece)
        r->write(r->dev, addr + done - r->first, piece, (value >> (8 * done)) & size_mask(piece));
}

static bool fits(const struct bus_range *r, uint32_t addr, unsigned size)
{
    return r && (uint64_t)(addr - r->first) + size <= r->count;
}

static void unclaimed_port(struct bus *bus, uint16_t port, bool write, uint32_t value)
{
    uint8_t bit = 1u << (port & 7);
    if (bus->unclaimed_logged[port / 8] & bit)
        return;
    bus->unclaimed_logged[port / 8] |= bit;
    if (write)
        bus_log(bus, "bus: write 0x%02x to unclaimed port 0x%04x ignored", (unsigned)value, port);
    else
        bus_log(bus, "bus: read of unclaimed port 0x%04x returns all ones", port);
}

static void unclaimed_mmio(struct bus *bus, uint32_t gpa, bool write)
{
    if (bus->unclaimed_mmio_logged >= BUS_MMIO_LOG_LIMIT)
        return;
    bus->unclaimed_mmio_logged++;
    bus_log(bus, "bus: %s of unclaimed MMIO 0x%08x%s", write ? "write" : "read", (unsigned)gpa,
            bus->unclaimed_mmio_logged == BUS_MMIO_LOG_LIMIT ? " (no more such messages)" : "");
}

uint32_t bus_port_read(struct bus *bus, uint16_t port, unsigned size)
{
    const struct bus_range *r = find(bus->ports, bus->nports, port);
    if (fits(r, port, size))
        return range_read(r, port, size);
    uint32_t value = 0;
    for (unsigned i = 0; i < size; i++) {
        uint16_t p = (uint16_t)(port + i);
        r = find(bus->ports, bus->nports, p);
        uint32_t byte = 0xff;
        if (r)
            byte = range_read(r, p, 1);
        else
            unclaimed_port(bus, p, false, 0);
        value |= byte << (8 * i);
    }
    return value;
}

void bus_port_write(struct bus *bus, uint16_t port, unsigned size, uint32_t value)
{
    const struct bus_range *r = find(bus->ports, bus->nports, port);
    if (fits(r, port, size)) {
        range_write(r, port, size, value);
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        uint16_t p = (uint16_t)(port + i);
        uint32_t byte = (value >> (8 * i)) & 0xff;
        r = find(bus->ports, bus->nports, p);
        if (r)
            range_write(r, p, 1, byte);
        else
            unclaimed_port(bus, p, true, byte);
    }
}

const struct bus_range *bus_mmio_find(const struct bus *bus, uint32_t gpa)
{
    return find(bus->mmio, bus->nmmio, gpa);
}

const struct bus_range *bus_mmio_find_range(const struct bus *bus, uint32_t gpa, uint32_t len)
{
    const struct bus_range *best = NULL;
    uint64_t count = len ? len : 1;
    for (unsigned i = 0; i < bus->nmmio; i++)
        if (overlaps(&bus->mmio[i], gpa, count) && (!best || bus->mmio[i].first < best->first))
            best = &bus->mmio[i];
    return best;
}

uint32_t bus_mmio_read(struct bus *bus, uint32_t gpa, unsigned size)
{
    const struct bus_range *r = find(bus->mmio, bus->nmmio, gpa);
    if (fits(r, gpa, size))
        return range_read(r, gpa, size);
    uint32_t value = 0;
    bool logged = false;
    for (unsigned i = 0; i < size; i++) {
        uint32_t a = gpa + i;
        r = find(bus->mmio, bus->nmmio, a);
        uint32_t byte = 0xff;
        if (r)
            byte = range_read(r, a, 1);
        else if (!logged) {
            unclaimed_mmio(bus, a, false);
            logged = true;
        }
        value |= byte << (8 * i);
    }
    return value;
}

void bus_mmio_write(struct bus *bus, uint32_t gpa, unsigned size, uint32_t value)
{
    const struct bus_range *r = find(bus->mmio, bus->nmmio, gpa);
    if (fits(r, gpa, size)) {
        range_write(r, gpa, size, value);
        return;
    }
    bool logged = false;
    for (unsigned i = 0; i < size; i++) {
        uint32_t a = gpa + i;
        r = find(bus->mmio, bus->nmmio, a);
        if (r)
            range_write(r, a, 1, (value >> (8 * i)) & 0xff);
        else if (!logged) {
            unclaimed_mmio(bus, a, true);
            logged = true;
        }
    }
}

void bus_irq_chip_attach(struct bus *bus, const struct bus_irq_chip *chip)
{
    bus->irq_chip = *chip;
    bus->irq_chip_attached = true;
    for (unsigned line = 0; line < BUS_IRQ_LINES; line++)
        if (bus->irq_levels & (1u << line))
            chip->set_line(chip->dev, line, true);
}

void bus_irq_set(struct bus *bus, unsigned line, bool level)
{
    if (line >= BUS_IRQ_LINES || bus_irq_level(bus, line) == level)
        return;
    bus->irq_levels ^= (uint16_t)(1u << line);
    if (bus->irq_chip_attached)
        bus->irq_chip.set_line(bus->irq_chip.dev, line, level);
}

void bus_irq_raise(struct bus *bus, unsigned line)
{
    bus_irq_set(bus, line, true);
}

void bus_irq_lower(struct bus *bus, unsigned line)
{
    bus_irq_set(bus, line, false);
}

void bus_irq_pulse(struct bus *bus, unsigned line)
{
    bus_irq_set(bus, line, true);
    bus_irq_set(bus, line, false);
}

bool bus_irq_level(const struct bus *bus, unsigned line)
{
    return line < BUS_IRQ_LINES && (bus->irq_levels >> line) & 1;
}

bool bus_irq_pending(struct bus *bus)
{
    return bus->irq_chip_attached && bus->irq_chip.pending(bus->irq_chip.dev);
}

int bus_irq_ack(struct bus *bus)
{
    if (!bus->irq_chip_attached)
        return -1;
    return bus->irq_chip.ack(bus->irq_chip.dev);
}

int bus_timer_register(struct bus *bus, bus_tick_fn tick, void *dev)
{
    if (bus->ntimers >= BUS_MAX_TIMERS || !tick)
        return -1;
    bus->timers[bus->ntimers].tick = tick;
    bus->timers[bus->ntimers].dev = dev;
    bus->ntimers++;
    return 0;
}

uint64_t bus_advance(struct bus *bus, uint64_t now_ns)
{
    uint64_t next = BUS_NO_DEADLINE;
    for (unsigned i = 0; i < bus->ntimers; i++) {
        uint64_t t = bus->timers[i].tick(bus->timers[i].dev, now_ns);
        if (t < next)
            next = t;
    }
    return next;
}

uint64_t bus_now(const struct bus *bus)
{
    return bus->host.now_ns(bus->host.ctx);
}

void bus_log(const struct bus *bus, const char *fmt, ...)
{
    if (!bus->host.log)
        return;
    char line[160];
    va_list ap;
    va_start(ap, fmt);
#ifdef NEXUS86_MONITOR
    vsniprintf(line, sizeof(line), fmt, ap);
#else
    vsnprintf(line, sizeof(line), fmt, ap);
#endif
    va_end(ap);
    bus->host.log(bus->host.ctx, line);
}

void bus_serial_tx(const struct bus *bus, uint8_t byte)
{
    if (bus->host.serial_tx)
        bus->host.serial_tx(bus->host.ctx, byte);
}

bool bus_serial_rx(const struct bus *bus, uint8_t *byte)
{
    return bus->host.serial_rx && bus->host.serial_rx(bus->host.ctx, byte);
}

bool bus_rtc_read(const struct bus *bus, struct bus_datetime *out)
{
    return bus->host.rtc_read && bus->host.rtc_read(bus->host.ctx, out);
}

void bus_debug_exit(const struct bus *bus, uint32_t value, unsigned size)
{
    if (bus->host.debug_exit)
        bus->host.debug_exit(bus->host.ctx, value, size);
}
