/* devices/bus.h: the virtual PC's bus, the only interface a device sees.
 *
 * Devices register I/O port ranges and guest-physical MMIO regions with read/write callbacks,
 * raise and lower ISA interrupt lines (the interrupt controller behind them attaches itself as
 * the bus's irq chip), and register tick callbacks that the monitor drives with the current
 * time. Everything a device needs from outside the virtual machine (time, the real COM1, the
 * real RTC, the debug-exit port, logging) comes through struct bus_host, which the monitor or a
 * host unit test fills in. See docs/devices.md. */
#ifndef NEXUS86_DEVICES_BUS_H
#define NEXUS86_DEVICES_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUS_MAX_PORT_RANGES  48
#define BUS_MAX_MMIO_REGIONS 16
#define BUS_MAX_TIMERS       16
#define BUS_IRQ_LINES        16
#define BUS_PORTS            65536u

/* A tick callback or bus_advance returns this when nothing needs attention at any time. */
#define BUS_NO_DEADLINE UINT64_MAX

/* Calendar time as the real RTC reports it, always binary and 24-hour. */
struct bus_datetime {
    uint16_t year;   /* full year, e.g. 2024 */
    uint8_t month;   /* 1-12 */
    uint8_t day;     /* 1-31 */
    uint8_t hour;    /* 0-23 */
    uint8_t minute;  /* 0-59 */
    uint8_t second;  /* 0-59 */
    uint8_t weekday; /* 1-7, Sunday = 1 */
};

/* The outside world, filled in by the monitor (or a test). Only now_ns is required; a NULL
 * callback means the facility is absent (no real COM1, no real RTC, ...). ctx is passed back. */
struct bus_host {
    void *ctx;
    /* Monotonic nanoseconds (the monitor derives it from the TSC). */
    uint64_t (*now_ns)(void *ctx);
    /* One complete line of monitor log text, without a trailing newline. */
    void (*log)(void *ctx, const char *line);
    /* Real COM1: transmit one byte; poll for one received byte (false when none waits). */
    void (*serial_tx)(void *ctx, uint8_t byte);
    bool (*serial_rx)(void *ctx, uint8_t *byte);
    /* Real CMOS clock; false when it cannot be read. */
    bool (*rtc_read)(void *ctx, struct bus_datetime *out);
    /* The guest wrote value (size 1/2/4 bytes) to isa-debug-exit: pass it to the real port. */
    void (*debug_exit)(void *ctx, uint32_t value, unsigned size);
};

/* Device callbacks. offset is relative to the start of the registered range or region; size is
 * 1, 2 or 4 and never more than the width the device registered with; values are little-endian
 * in the low size bytes. */
typedef uint32_t (*bus_read_fn)(void *dev, uint32_t offset, unsigned size);
typedef void (*bus_write_fn)(void *dev, uint32_t offset, unsigned size, uint32_t value);

/* Called by bus_advance with the current time: bring the device up to now_ns, then return the
 * absolute time at which it next needs a tick (BUS_NO_DEADLINE if never). */
typedef uint64_t (*bus_tick_fn)(void *dev, uint64_t now_ns);

/* A registered port range or MMIO region. */
struct bus_range {
    uint32_t first; /* first port, or guest-physical base */
    uint32_t count; /* ports, or bytes */
    unsigned width; /* widest access (1, 2 or 4) the device takes whole */
    bus_read_fn read;
    bus_write_fn write;
    void *dev;
    const char *name;
};

/* The interrupt controller behind the ISA lines (the PIC pair attaches itself). */
struct bus_irq_chip {
    void *dev;
    /* Line changed level (the bus reports changes only). */
    void (*set_line)(void *dev, unsigned line, bool level);
    /* An interrupt is waiting to be delivered to the CPU (the INTR pin). */
    bool (*pending)(void *dev);
    /* Interrupt acknowledge cycle: returns the vector for the CPU. */
    uint8_t (*ack)(void *dev);
};

struct bus {
    struct bus_host host;
    struct bus_range ports[BUS_MAX_PORT_RANGES];
    unsigned nports;
    struct bus_range mmio[BUS_MAX_MMIO_REGIONS];
    unsigned nmmio;
    struct {
        bus_tick_fn tick;
        void *dev;
    } timers[BUS_MAX_TIMERS];
    unsigned ntimers;
    struct bus_irq_chip irq_chip;
    bool irq_chip_attached;
    uint16_t irq_levels; /* bit n: current level of ISA line n */
    uint8_t unclaimed_logged[BUS_PORTS / 8];
    uint32_t unclaimed_mmio_logged;
};

/* Set up an empty bus; host is copied. */
void bus_init(struct bus *bus, const struct bus_host *host);

/* Register handlers; width is 1, 2 or 4. Return 0, or -1 when the table is full, the range is
 * empty, wraps, overlaps an existing one, or width is invalid. read or write may be NULL: reads
 * then return all ones and writes are ignored. */
int bus_port_register(struct bus *bus, uint16_t first, uint32_t count, unsigned width,
                      bus_read_fn read, bus_write_fn write, void *dev, const char *name);
int bus_mmio_register(struct bus *bus, uint32_t base, uint32_t size, unsigned width,
                      bus_read_fn read, bus_write_fn write, void *dev, const char *name);

/* Port I/O as the CPU's IN/OUT does it, size 1, 2 or 4. An access wider than the device's width
 * is split into little-endian pieces; one that crosses ranges is split into bytes. Ports nobody
 * claims read as all ones and ignore writes; each is logged the first time it is touched. */
uint32_t bus_port_read(struct bus *bus, uint16_t port, unsigned size);
void bus_port_write(struct bus *bus, uint16_t port, unsigned size, uint32_t value);

/* MMIO for the emulator. find returns the region holding gpa, or NULL; find_range returns the
 * lowest region overlapping [gpa, gpa + len), or NULL (len 0 counts as 1). read/write dispatch
 * one access (size 1, 2 or 4) in program order, split like port accesses; bytes outside every
 * region read as all ones and ignore writes. */
const struct bus_range *bus_mmio_find(const struct bus *bus, uint32_t gpa);
const struct bus_range *bus_mmio_find_range(const struct bus *bus, uint32_t gpa, uint32_t len);
uint32_t bus_mmio_read(struct bus *bus, uint32_t gpa, unsigned size);
void bus_mmio_write(struct bus *bus, uint32_t gpa, unsigned size, uint32_t value);

/* Interrupt lines. Devices drive ISA lines 0-15; the chip sees level changes. pulse gives an
 * edge (raise then lower). The monitor asks pending() and, when it delivers, ack() for the
 * vector; ack returns -1 when no chip is attached. */
void bus_irq_chip_attach(struct bus *bus, const struct bus_irq_chip *chip);
void bus_irq_set(struct bus *bus, unsigned line, bool level);
void bus_irq_raise(struct bus *bus, unsigned line);
void bus_irq_lower(struct bus *bus, unsigned line);
void bus_irq_pulse(struct bus *bus, unsigned line);
bool bus_irq_level(const struct bus *bus, unsigned line);
bool bus_irq_pending(struct bus *bus);
int bus_irq_ack(struct bus *bus);

/* Time. Devices register a tick; the monitor calls bus_advance with the current time whenever
 * it can (every real timer interrupt, after emulated I/O) and programs its real timer for the
 * returned deadline (the earliest of all ticks, BUS_NO_DEADLINE if none). bus_now asks the
 * host. */
int bus_timer_register(struct bus *bus, bus_tick_fn tick, void *dev);
uint64_t bus_advance(struct bus *bus, uint64_t now_ns);
uint64_t bus_now(const struct bus *bus);

/* Host facilities for devices; each does nothing (or returns false) when the host lacks it. */
void bus_log(const struct bus *bus, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bus_serial_tx(const struct bus *bus, uint8_t byte);
bool bus_serial_rx(const struct bus *bus, uint8_t *byte);
bool bus_rtc_read(const struct bus *bus, struct bus_datetime *out);
void bus_debug_exit(const struct bus *bus, uint32_t value, unsigned size);

#endif
