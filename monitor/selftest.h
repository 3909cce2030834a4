/*
 * selftest.h: built-in checks run at boot with the `selftest` option.
 */
#ifndef MONITOR_SELFTEST_H
#define MONITOR_SELFTEST_H

#include "monitor/cmdline.h"

/* Runs the checks, reports each on the log, and exits with the pass or fail code. */
__attribute__((noreturn)) void selftest_run(enum selftest_mode mode);

#endif
