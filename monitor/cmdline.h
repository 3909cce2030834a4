/*
 * cmdline.h: the monitor's command line (see docs/command-line.md).
 */
#ifndef MONITOR_CMDLINE_H
#define MONITOR_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/log.h"

enum selftest_mode { SELFTEST_OFF, SELFTEST_ALL, SELFTEST_FAULT };

/* How sensitive instructions in scanned guest code reach the monitor (docs/architecture.md). */
enum vmethod {
    VMETHOD_INT3, /* INT3 planted, handled by the ring-0 monitor */
    VMETHOD_R3,   /* INT3 planted, handled by nexus code at ring 3 (ring 0 when it must) */
    VMETHOD_NEXUS, /* r3, and sites the nexus emulates patched with a far JMP to a stub */
};

/* The method's name on the command line. */
const char *cmdline_vmethod_name(enum vmethod m);

struct monitor_config {
    enum log_channel log_channel;
    enum log_level log_level;
    enum selftest_mode selftest;
    uint32_t guest_mem; /* bytes of guest RAM */
    enum vmethod vmethod;
    bool audit; /* single-step virtual ring 0 and check that only scanned code runs natively */
    uint32_t nexus_move; /* self-test: move the nexus every this many timer ticks (0: never) */
};

#define CONFIG_DEFAULT_GUEST_MEM (64u << 20)
#define CONFIG_MIN_GUEST_MEM     (1u << 20)
#define CONFIG_MAX_GUEST_MEM     (3072u << 20)

/*
 * Parses the command line into cfg (which starts from the defaults). A leading loader-supplied
 * path (a first word containing '/') is skipped. Returns NULL, or an error message written into
 * err (at most err_len bytes) naming the offending word.
 */
const char *cmdline_parse(const char *line, struct monitor_config *cfg, char *err,
                          unsigned err_len);

#endif
