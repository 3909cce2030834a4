/* tests/host/dev_fake_host.c: the fake host backend behind the device tests. */
#include "tests/host/dev_fake_host.h"

#include <string.h>

struct fake_host fake;

static uint64_t fake_now(void *ctx)
{
    return fake.now;
}

static void fake_log(void *ctx, const char *line)
{
    if (fake.nlog < FAKE_LOGS)
        strncpy(fake.log[fake.nlog], line, sizeof(fake.log[0]) - 1);
    fake.nlog++;
}

static void fake_tx(void *ctx, uint8_t byte)
{
    if (fake.ntx < FAKE_BUF)
        fake.tx[fake.ntx++] = byte;
}

static bool fake_rx(void *ctx, uint8_t *byte)
{
    if (fake.rx_head == fake.rx_len)
        return false;
    *byte = fake.rx[fake.rx_head++];
    return true;
}

static bool fake_rtc(void *ctx, struct bus_datetime *out)
{
    if (fake.have_rtc)
        *out = fake.rtc;
    return fake.have_rtc;
}

static void fake_exit(void *ctx, uint32_t value, unsigned size)
{
    fake.exit_value = value;
    fake.exit_size = size;
    fake.exits++;
}

void fake_bus(struct bus *bus)
{
    memset(&fake, 0, sizeof(fake));
    struct bus_host host = {
        .now_ns = fake_now,
        .log = fake_log,
        .serial_tx = fake_tx,
        .serial_rx = fake_rx,
        .rtc_read = fake_rtc,
        .debug_exit = fake_exit,
    };
    bus_init(bus, &host);
}

void fake_rx_push(const char *bytes)
{
    while (*bytes && fake.rx_len < FAKE_BUF)
        fake.rx[fake.rx_len++] = (uint8_t)*bytes++;
}

unsigned fake_log_count(const char *needle)
{
    unsigned n = 0;
    for (unsigned i = 0; i < fake.nlog && i < FAKE_LOGS; i++)
        n += strstr(fake.log[i], needle) != NULL;
    return n;
}
