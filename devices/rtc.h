/* devices/rtc.h: the MC146818 CMOS real-time clock and its 128 bytes of CMOS RAM (index port
 * 0x70 with the NMI-disable bit, data port 0x71, IRQ8). The time starts from the host's RTC and
 * runs on the monitor's clock. */
#ifndef NEXUS86_DEVICES_RTC_H
#define NEXUS86_DEVICES_RTC_H

#include "devices/bus.h"

#define RTC_CMOS_SIZE 128
#define RTC_HZ        32768u /* the time base the periodic rates divide */

struct rtc {
    struct bus *bus;
    uint8_t index;
    bool nmi_disabled;
    uint8_t cmos[RTC_CMOS_SIZE]; /* RAM, alarms, registers A, B, D; time bytes are computed */
    uint8_t flags;               /* register C: PF, AF, UF */
    int64_t base_seconds;        /* seconds since 1970-01-01 at base_ns (the time while SET) */
    uint64_t base_ns;
    uint64_t origin_ns; /* the periodic divider's phase */
    uint64_t seen_ns;   /* events before this time are in flags */
    uint8_t weekday_adjust;
};

/* Register ports 0x70-0x71 and the tick and read the host's clock (1970-01-01 without one);
 * 0 or -1. */
int rtc_init(struct rtc *rtc, struct bus *bus);

/* Fill the memory size fields a BIOS would (base, extended, above 16 MiB) and the checksum. */
void rtc_set_memory(struct rtc *rtc, uint64_t ram_bytes);

/* Raw CMOS RAM access for the monitor (bytes 0x0e-0x7f). */
uint8_t rtc_cmos_get(const struct rtc *rtc, unsigned index);
void rtc_cmos_set(struct rtc *rtc, unsigned index, uint8_t value);

#endif
