/*
 * monitor_test.c: host unit tests of the monitor's command-line parser (monitor/cmdline.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "monitor/cmdline.h"

static struct monitor_config defaults(void)
{
    return (struct monitor_config){
        LOG_COM2, LOG_INFO, SELFTEST_OFF, CONFIG_DEFAULT_GUEST_MEM, VMETHOD_INT3, false, 0};
}

static const char *parse(const char *line, struct monitor_config *cfg)
{
    static char err[256];
    *cfg = defaults();
    return cmdline_parse(line, cfg, err, sizeof(err));
}

static void empty_line_keeps_defaults(void **state)
{
    struct monitor_config cfg;
    assert_null(parse("", &cfg));
    assert_int_equal(cfg.log_channel, LOG_COM2);
    assert_int_equal(cfg.guest_mem, 64u << 20);
    assert_int_equal(cfg.selftest, SELFTEST_OFF);
}

static void loader_path_is_skipped(void **state)
{
    struct monitor_config cfg;
    assert_null(parse("/boot/nexus86.elf log=e9", &cfg));
    assert_int_equal(cfg.log_channel, LOG_E9);
    /* Only a first word may be the loader's path. */
    assert_non_null(parse("log=e9 /boot/x", &cfg));
}

static void every_option_parses(void **state)
{
    struct monitor_config cfg;
    assert_null(parse("  log=com1\tloglevel=debug selftest mem=128M ", &cfg));
    assert_int_equal(cfg.log_channel, LOG_COM1);
    assert_int_equal(cfg.log_level, LOG_DEBUG);
    assert_int_equal(cfg.selftest, SELFTEST_ALL);
    assert_int_equal(cfg.guest_mem, 128u << 20);
    assert_null(parse("selftest=fault mem=65536K", &cfg));
    assert_int_equal(cfg.selftest, SELFTEST_FAULT);
    assert_int_equal(cfg.guest_mem, 64u << 20);
    assert_null(parse("mem=1G", &cfg));
    assert_int_equal(cfg.guest_mem, 1u << 30);
    assert_null(parse("vmethod=int3", &cfg));
    assert_int_equal(cfg.vmethod, VMETHOD_INT3);
    assert_null(parse("vmethod=r3", &cfg));
    assert_int_equal(cfg.vmethod, VMETHOD_R3);
    assert_null(parse("vmethod=nexus", &cfg));
    assert_int_equal(cfg.vmethod, VMETHOD_NEXUS);
    assert_null(parse("audit", &cfg));
    assert_true(cfg.audit);
    assert_non_null(parse("audit=yes", &cfg));
    assert_null(parse("nexus_move=1", &cfg));
    assert_int_equal(cfg.nexus_move, 1);
    assert_null(parse("nexus_move=4294967295", &cfg));
    assert_int_equal(cfg.nexus_move, 4294967295u);
}

static void nexus_move_needs_a_tick_count(void **state)
{
    struct monitor_config cfg;
    const char *e = parse("nexus_move=0", &cfg);
    assert_non_null(e);
    assert_non_null(strstr(e, "bad value in 'nexus_move=0'"));
    assert_non_null(parse("nexus_move", &cfg));
    assert_non_null(parse("nexus_move=", &cfg));
    assert_non_null(parse("nexus_move=-1", &cfg));
    assert_non_null(parse("nexus_move=10x", &cfg));
    assert_non_null(parse("nexus_move=4294967296", &cfg));
}

static void unknown_methods_are_refused(void **state)
{
    struct monitor_config cfg;
    const char *e = parse("vmethod=fast", &cfg);
    assert_non_null(e);
    assert_non_null(strstr(e, "bad value in 'vmethod=fast'"));
}

static void errors_name_the_word(void **state)
{
    struct monitor_config cfg;
    const char *e = parse("log=com2 frobnicate", &cfg);
    assert_non_null(e);
    assert_non_null(strstr(e, "unknown option 'frobnicate'"));
    e = parse("log=com3", &cfg);
    assert_non_null(e);
    assert_non_null(strstr(e, "bad value in 'log=com3'"));
    assert_non_null(parse("loglevel=loud", &cfg));
    assert_non_null(parse("selftest=some", &cfg));
    assert_non_null(parse("log", &cfg));
}

static void guest_memory_is_bounded(void **state)
{
    struct monitor_config cfg;
    assert_non_null(parse("mem=12Q", &cfg));
    assert_non_null(parse("mem=", &cfg));
    assert_non_null(parse("mem=512K", &cfg));    /* below 1 MiB */
    assert_non_null(parse("mem=4G", &cfg));      /* above 3 GiB */
    assert_non_null(parse("mem=1048577", &cfg)); /* not whole pages */
    assert_non_null(parse("mem=99999999999999999999", &cfg));
    assert_null(parse("mem=1M", &cfg));
    assert_null(parse("mem=3072M", &cfg));
}

static void overlong_word_is_rejected(void **state)
{
    struct monitor_config cfg;
    char line[300];
    memset(line, 'a', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    const char *e = parse(line, &cfg);
    assert_non_null(e);
    assert_non_null(strstr(e, "too long"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_line_keeps_defaults),
        cmocka_unit_test(loader_path_is_skipped),
        cmocka_unit_test(every_option_parses),
        cmocka_unit_test(errors_name_the_word),
        cmocka_unit_test(guest_memory_is_bounded),
        cmocka_unit_test(overlong_word_is_rejected),
        cmocka_unit_test(unknown_methods_are_refused),
        cmocka_unit_test(nexus_move_needs_a_tick_count),
    };
    return cmocka_run_group_tests_name("monitor", tests, NULL, NULL);
}
