/* tests/host/dev_fake_host.h: a fake host backend for the device tests: a clock the test sets,
 * a serial line with recorded output and queued input, an RTC, debug-exit and log capture. */
#ifndef NEXUS86_TESTS_DEV_FAKE_HOST_H
#define NEXUS86_TESTS_DEV_FAKE_HOST_H

#include "devices/bus.h"

#define FAKE_BUF  256
#define FAKE_LOGS 64

struct fake_host {
    uint64_t now;
    uint8_t tx[FAKE_BUF];
    unsigned ntx;
    uint8_t rx[FAKE_BUF];
    unsigned rx_head, rx_len;
    bool have_rtc;
    struct bus_datetime rtc;
    uint32_t exit_value;
    unsigned exit_size, exits;
    char log[FAKE_LOGS][160];
    unsigned nlog;
};

extern struct fake_host fake;

/* Reset the fake and initialise bus on it. */
void fake_bus(struct bus *bus);
void fake_rx_push(const char *bytes);
/* Log lines containing needle. */
unsigned fake_log_count(const char *needle);

#endif
