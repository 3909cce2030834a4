/*
 * cmos.c: reading the real RTC. The registers change during the update cycle, so the time is
 * read when update-in-progress is clear, twice, until two reads agree; status register B says
 * whether the values are BCD and whether the hour is 12-hour with a PM bit.
 */
#include "arch/x86/cmos.h"
#include "arch/x86/cpu.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define NMI_OFF    0x80 /* keep NMIs masked while the index is set, as firmware does */

static uint8_t cmos_get(uint8_t reg)
{
    outb(CMOS_INDEX, NMI_OFF | reg);
    return inb(CMOS_DATA);
}

/* Waits (bounded) until the clock is outside its update cycle. */
static bool settled(void)
{
    for (unsigned i = 0; i < 1000000; i++)
        if (!(cmos_get(0x0a) & 0x80))
            return true;
    return false;
}

static void raw_read(uint8_t r[8])
{
    static const uint8_t regs[8] = {0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32};
    for (int i = 0; i < 8; i++)
        r[i] = cmos_get(regs[i]);
}

static uint8_t from_bcd(uint8_t v, bool bcd)
{
    return bcd ? (uint8_t)((v >> 4) * 10 + (v & 15)) : v;
}

bool cmos_read_time(struct cmos_time *t)
{
    uint8_t a[8], b[8];
    for (int tries = 0; tries < 1000; tries++) {
        if (!settled())
            return false;
        raw_read(a);
        if (!settled())
            return false;
        raw_read(b);
        bool same = true;
        for (int i = 0; i < 8; i++)
            same = same && a[i] == b[i];
        if (!same)
            continue;
        uint8_t status_b = cmos_get(0x0b);
        bool bcd = !(status_b & 0x04);
        bool pm = !(status_b & 0x02) && (a[2] & 0x80);
        t->second = from_bcd(a[0], bcd);
        t->minute = from_bcd(a[1], bcd);
        t->hour = from_bcd(a[2] & 0x7f, bcd);
        if (!(status_b & 0x02))
            t->hour = (uint8_t)(t->hour % 12 + (pm ? 12 : 0));
        t->weekday = from_bcd(a[3], bcd);
        t->day = from_bcd(a[4], bcd);
        t->month = from_bcd(a[5], bcd);
        uint8_t century = from_bcd(a[7], bcd);
        t->year =
            (uint16_t)((century >= 19 && century <= 21 ? century : 20) * 100 + from_bcd(a[6], bcd));
        return true;
    }
    return false;
}
