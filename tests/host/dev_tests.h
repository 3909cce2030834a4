/* tests/host/dev_tests.h: the device test groups, one per file, run by dev_test_main.c. */
#ifndef NEXUS86_TESTS_DEV_TESTS_H
#define NEXUS86_TESTS_DEV_TESTS_H

int dev_test_bus(void);
int dev_test_pic(void);
int dev_test_pit(void);
int dev_test_uart(void);
int dev_test_rtc(void);
int dev_test_misc(void);

#endif
