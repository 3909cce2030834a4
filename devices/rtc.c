/* devices/rtc.c: the MC146818. The time is kept as seconds since 1970 plus the monitor
 * nanosecond at which those seconds began; the time registers are computed from it when read in
 * the format register B asks for, and a write to one rebuilds it. Periodic, alarm and
 * update-ended events are found lazily from elapsed time (on every access and tick), and IRQ8
 * follows register C's IRQF. */
#include "devices/rtc.h"

#include "devices/clock.h"

enum {
    SEC = 0x00,
    SEC_ALARM = 0x01,
    MIN = 0x02,
    MIN_ALARM = 0x03,
    HOUR = 0x04,
    HOUR_ALARM = 0x05,
    WEEKDAY = 0x06,
    DAY = 0x07,
    MONTH = 0x08,
    YEAR = 0x09,
    REG_A = 0x0a,
    REG_B = 0x0b,
    REG_C = 0x0c,
    REG_D = 0x0d,
    CENTURY = 0x32,
};

#define A_UIP    0x80
#define B_SET    0x80
#define B_PIE    0x40
#define B_AIE    0x20
#define B_UIE    0x10
#define B_BINARY 0x04
#define B_24H    0x02
#define C_IRQF   0x80
#define C_PF     0x40
#define C_AF     0x20
#define C_UF     0x10
#define RTC_IRQ  8
#define UIP_NS   244000u /* UIP rises this long before each update */
#define DAY_S    86400

struct fields {
    int64_t year;
    unsigned month, day, hour, minute, second;
};

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = y / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return a % b < 0 ? q - 1 : q;
}

static struct fields split(int64_t seconds)
{
    struct fields f;
    int64_t days = floor_div(seconds, DAY_S), rem = seconds - days * DAY_S;
    f.hour = rem / 3600;
    f.minute = rem / 60 % 60;
    f.second = rem % 60;
    int64_t z = days + 719468;
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    f.day = doy - (153 * mp + 2) / 5 + 1;
    f.month = mp < 10 ? mp + 3 : mp - 9;
    f.year = yoe + era * 400 + (f.month <= 2);
    return f;
}

static int64_t join(const struct fields *f)
{
    return days_from_civil(f->year, f->month, f->day) * DAY_S + f->hour * 3600 + f->minute * 60 +
           f->second;
}

static bool frozen(const struct rtc *rtc)
{
    return rtc->cmos[REG_B] & B_SET;
}

static int64_t seconds_at(const struct rtc *rtc, uint64_t now)
{
    if (frozen(rtc) || now < rtc->base_ns)
        return rtc->base_seconds;
    return rtc->base_seconds + (int64_t)((now - rtc->base_ns) / CLOCK_NS_PER_S);
}

static uint8_t encode(const struct rtc *rtc, unsigned v)
{
    return rtc->cmos[REG_B] & B_BINARY ? v : (v / 10 % 10) << 4 | v % 10;
}

static unsigned decode(const struct rtc *rtc, uint8_t v)
{
    return rtc->cmos[REG_B] & B_BINARY ? v : (v >> 4) * 10 + (v & 15);
}

static uint8_t encode_hour(const struct rtc *rtc, unsigned h)
{
    if (rtc->cmos[REG_B] & B_24H)
        return encode(rtc, h);
    return encode(rtc, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0);
}

static unsigned decode_hour(const struct rtc *rtc, uint8_t v)
{
    if (rtc->cmos[REG_B] & B_24H)
        return decode(rtc, v);
    return decode(rtc, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

static unsigned weekday(const struct rtc *rtc, int64_t seconds)
{
    /* 1970-01-01 was a Thursday (5 when Sunday is 1). */
    int64_t days = floor_div(seconds, DAY_S);
    return (unsigned)((days + 4 + rtc->weekday_adjust) % 7 + 7) % 7 + 1;
}

static bool alarm_field(uint8_t alarm, uint8_t value)
{
    return (alarm & 0xc0) == 0xc0 || alarm == value;
}

static bool alarm_matches(const struct rtc *rtc, int64_t seconds)
{
    struct fields f = split(seconds);
    return alarm_field(rtc->cmos[SEC_ALARM], encode(rtc, f.second)) &&
           alarm_field(rtc->cmos[MIN_ALARM], encode(rtc, f.minute)) &&
           alarm_field(rtc->cmos[HOUR_ALARM], encode_hour(rtc, f.hour));
}

/* Periodic interrupt period in 32.768 kHz cycles (rates 1 and 2 repeat 8 and 9), 0 for none. */
static uint64_t period_cycles(const struct rtc *rtc)
{
    unsigned rate = rtc->cmos[REG_A] & 15;
    if (rate == 0)
        return 0;
    return rate < 3 ? 1u << (rate + 6) : 1u << (rate - 1);
}

static void update_irq(struct rtc *rtc)
{
    bus_irq_set(rtc->bus, RTC_IRQ, rtc->flags & rtc->cmos[REG_B] & (B_PIE | B_AIE | B_UIE));
}

static void sync(struct rtc *rtc, uint64_t now)
{
    if (now <= rtc->seen_ns)
        return;
    uint64_t period = period_cycles(rtc);
    if (period && clock_ns_to_cycles(now - rtc->origin_ns, RTC_HZ) / period >
                      clock_ns_to_cycles(rtc->seen_ns - rtc->origin_ns, RTC_HZ) / period)
        rtc->flags |= C_PF;
    int64_t s0 = seconds_at(rtc, rtc->seen_ns), s1 = seconds_at(rtc, now);
    if (s1 > s0) {
        rtc->flags |= C_UF;
        /* A gap of more than a day holds every time of day. */
        for (int64_t s = s1 - s0 > DAY_S ? s1 - DAY_S : s0 + 1; s <= s1; s++)
            if (alarm_matches(rtc, s)) {
                rtc->flags |= C_AF;
                break;
            }
    }
    rtc->seen_ns = now;
    update_irq(rtc);
}

static void set_time(struct rtc *rtc, int64_t seconds, uint64_t now)
{
    rtc->base_seconds = seconds;
    rtc->base_ns = now;
    rtc->seen_ns = now;
}

static uint8_t read_time(struct rtc *rtc, unsigned index, uint64_t now)
{
    int64_t s = seconds_at(rtc, now);
    struct fields f = split(s);
    switch (index) {
    case SEC: return encode(rtc, f.second);
    case MIN: return encode(rtc, f.minute);
    case HOUR: return encode_hour(rtc, f.hour);
    case WEEKDAY: return encode(rtc, weekday(rtc, s));
    case DAY: return encode(rtc, f.day);
    case MONTH: return encode(rtc, f.month);
    case YEAR: return encode(rtc, (unsigned)(f.year % 100));
    default: return encode(rtc, (unsigned)(f.year / 100));
    }
}

static void write_time(struct rtc *rtc, unsigned index, uint8_t v, uint64_t now)
{
    int64_t s = seconds_at(rtc, now);
    struct fields f = split(s);
    switch (index) {
    case SEC: f.second = decode(rtc, v) % 60; break;
    case MIN: f.minute = decode(rtc, v) % 60; break;
    case HOUR: f.hour = decode_hour(rtc, v) % 24; break;
    case WEEKDAY:
        rtc->weekday_adjust = (rtc->weekday_adjust + 7 + decode(rtc, v) % 7 - weekday(rtc, s)) % 7;
        return;
    case DAY: f.day = decode(rtc, v); break;
    case MONTH: f.month = (decode(rtc, v) + 11) % 12 + 1; break;
    case YEAR: f.year = f.year / 100 * 100 + decode(rtc, v) % 100; break;
    default: f.year = decode(rtc, v) * 100 + f.year % 100; break;
    }
    set_time(rtc, join(&f), now);
}

static bool is_time(unsigned index)
{
    return index == CENTURY ||
           (index <= YEAR && index != SEC_ALARM && index != MIN_ALARM && index != HOUR_ALARM);
}

static bool uip(const struct rtc *rtc, uint64_t now)
{
    if (frozen(rtc) || now < rtc->base_ns)
        return false;
    return (now - rtc->base_ns) % CLOCK_NS_PER_S >= CLOCK_NS_PER_S - UIP_NS;
}

static uint32_t data_read(void *dev, uint32_t offset, unsigned size)
{
    struct rtc *rtc = dev;
    uint64_t now = bus_now(rtc->bus);
    sync(rtc, now);
    unsigned index = rtc->index;
    if (is_time(index))
        return read_time(rtc, index, now);
    switch (index) {
    case REG_A: return (rtc->cmos[REG_A] & 0x7f) | (uip(rtc, now) ? A_UIP : 0);
    case REG_C: {
        uint8_t c = rtc->flags;
        if (c & rtc->cmos[REG_B] & (B_PIE | B_AIE | B_UIE))
            c |= C_IRQF;
        rtc->flags = 0;
        update_irq(rtc);
        return c;
    }
    default: return rtc->cmos[index];
    }
}

static void data_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct rtc *rtc = dev;
    uint64_t now = bus_now(rtc->bus);
    sync(rtc, now);
    unsigned index = rtc->index;
    uint8_t v = value;
    if (is_time(index)) {
        write_time(rtc, index, v, now);
        return;
    }
    switch (index) {
    case REG_A: rtc->cmos[REG_A] = v & 0x7f; break;
    case REG_B:
        if ((v & B_SET) && !frozen(rtc)) {
            rtc->base_seconds = seconds_at(rtc, now);
            v &= ~B_UIE;
        }
        if (!(v & B_SET) && frozen(rtc))
            set_time(rtc, rtc->base_seconds, now);
        rtc->cmos[REG_B] = v;
        break;
    case REG_C:
    case REG_D: break;
    default: rtc->cmos[index] = v; break;
    }
    update_irq(rtc);
}

static void index_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct rtc *rtc = dev;
    rtc->index = value & 0x7f;
    rtc->nmi_disabled = value & 0x80;
}

static uint64_t rtc_tick(void *dev, uint64_t now_ns)
{
    struct rtc *rtc = dev;
    sync(rtc, now_ns);
    uint64_t next = BUS_NO_DEADLINE;
    uint64_t period = period_cycles(rtc);
    uint8_t enabled = rtc->cmos[REG_B];
    if ((enabled & B_PIE) && period) {
        uint64_t c = clock_ns_to_cycles(now_ns - rtc->origin_ns, RTC_HZ);
        next = rtc->origin_ns + clock_cycles_to_ns((c / period + 1) * period, RTC_HZ);
    }
    if ((enabled & (B_AIE | B_UIE)) && !frozen(rtc) && now_ns >= rtc->base_ns) {
        uint64_t into = (now_ns - rtc->base_ns) % CLOCK_NS_PER_S;
        uint64_t second = now_ns - into + CLOCK_NS_PER_S;
        if (second < next)
            next = second;
    }
    return next;
}

uint8_t rtc_cmos_get(const struct rtc *rtc, unsigned index)
{
    return rtc->cmos[index % RTC_CMOS_SIZE];
}

void rtc_cmos_set(struct rtc *rtc, unsigned index, uint8_t value)
{
    rtc->cmos[index % RTC_CMOS_SIZE] = value;
}

static void put16(struct rtc *rtc, unsigned index, uint32_t v)
{
    rtc->cmos[index] = v & 0xff;
    rtc->cmos[index + 1] = v >> 8 & 0xff;
}

void rtc_set_memory(struct rtc *rtc, uint64_t ram_bytes)
{
    const uint64_t kib = 1024, mib = 1024 * kib;
    uint64_t ext_kib = ram_bytes > mib ? (ram_bytes - mib) / kib : 0;
    uint64_t high_64k = ram_bytes > 16 * mib ? (ram_bytes - 16 * mib) / (64 * kib) : 0;
    uint64_t base_kib = ram_bytes < 640 * kib ? ram_bytes / kib : 640;
    put16(rtc, 0x15, base_kib);
    put16(rtc, 0x17, ext_kib > 0xffff ? 0xffff : ext_kib);
    put16(rtc, 0x30, ext_kib > 0xffff ? 0xffff : ext_kib);
    put16(rtc, 0x34, high_64k > 0xffff ? 0xffff : high_64k);
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2d; i++)
        sum += rtc->cmos[i];
    rtc->cmos[0x2e] = sum >> 8;
    rtc->cmos[0x2f] = sum & 0xff;
}

int rtc_init(struct rtc *rtc, struct bus *bus)
{
    *rtc = (struct rtc){.bus = bus};
    uint64_t now = bus_now(bus);
    struct bus_datetime dt;
    struct fields f = {1970, 1, 1, 0, 0, 0};
    bool have_host = bus_rtc_read(bus, &dt);
    if (have_host)
        f = (struct fields){dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second};
    /* Divider running at 32.768 kHz, 1024 Hz periodic rate; 24-hour BCD; RAM valid. */
    rtc->cmos[REG_A] = 0x26;
    rtc->cmos[REG_B] = B_24H;
    rtc->cmos[REG_D] = 0x80;
    rtc->origin_ns = now;
    set_time(rtc, join(&f), now);
    if (have_host)
        rtc->weekday_adjust = (7 + dt.weekday % 7 - weekday(rtc, rtc->base_seconds)) % 7;
    if (bus_port_register(bus, 0x70, 1, 1, NULL, index_write, rtc, "rtc-index") ||
        bus_port_register(bus, 0x71, 1, 1, data_read, data_write, rtc, "rtc-data") ||
        bus_timer_register(bus, rtc_tick, rtc))
        return -1;
    return 0;
}
