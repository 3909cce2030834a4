/*
 * cmos.h: the real machine's CMOS real-time clock, read for the virtual RTC's start time.
 */
#ifndef ARCH_X86_CMOS_H
#define ARCH_X86_CMOS_H

#include <stdbool.h>
#include <stdint.h>

struct cmos_time {
    uint16_t year;
    uint8_t month, day, hour, minute, second, weekday;
};

/* Reads the clock in binary, 24-hour form; false if it never left its update cycle. */
bool cmos_read_time(struct cmos_time *t);

#endif
