/*
 * timer.c: PIT channel 2 (gated through port 0x61, no interrupt) measures how many TSC cycles pass
 * in a fixed number of PIT periods; channel 0 then runs in mode 2 at TIMER_HZ and drives IRQ 0.
 * All the arithmetic is integer: the monitor never touches the FPU.
 */
#include "arch/x86/timer.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "arch/x86/pic8259.h"

#define PIT_HZ      1193182u
#define PIT_CH0     0x40
#define PIT_CH2     0x42
#define PIT_CMD     0x43
#define PORT_B      0x61
#define CAL_PERIODS 59659u /* 50 ms of PIT input clock */

static volatile uint64_t ticks;
static uint64_t tsc_base;
static uint32_t tsc_khz;

static void calibrate_tsc(void)
{
    uint8_t b = inb(PORT_B);
    outb(PORT_B, (uint8_t)((b & ~0x02) | 0x01)); /* gate channel 2 on, speaker off */
    outb(PIT_CMD, 0xB0);                         /* channel 2, lo/hi, mode 0 */
    outb(PIT_CH2, CAL_PERIODS & 0xFF);
    outb(PIT_CH2, CAL_PERIODS >> 8);
    uint64_t start = rdtsc();
    /* Mode 0 raises OUT2 (port 0x61 bit 5) at terminal count; bound the wait on TSC cycles
     * too (10^10: seconds even on fast CPUs) in case the channel never counts. */
    while (!(inb(PORT_B) & 0x20) && rdtsc() - start < 10000000000ull)
        continue;
    uint64_t cycles = rdtsc() - start;
    outb(PORT_B, b);
    tsc_khz = (uint32_t)(cycles * PIT_HZ / CAL_PERIODS / 1000);
    if (tsc_khz == 0)
        tsc_khz = 1;
    tsc_base = rdtsc();
}

void timer_init(void)
{
    calibrate_tsc();
    uint32_t divisor = PIT_HZ / TIMER_HZ;
    outb(PIT_CMD, 0x34); /* channel 0, lo/hi, mode 2 rate generator */
    outb(PIT_CH0, divisor & 0xFF);
    outb(PIT_CH0, divisor >> 8);
    pic8259_unmask(IRQ_TIMER);
}

void timer_tick(void)
{
    ticks++;
}

uint64_t timer_ticks(void)
{
    return ticks;
}

uint64_t timer_ns(void)
{
    if (!tsc_khz)
        return 0;
    uint64_t cycles = rdtsc() - tsc_base;
    return cycles / tsc_khz * 1000000ull + cycles % tsc_khz * 1000000ull / tsc_khz;
}

uint32_t timer_tsc_khz(void)
{
    return tsc_khz;
}
