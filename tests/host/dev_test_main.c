/* tests/host/dev_test_main.c: runs every device test group; fails if any test fails. */
#include "tests/host/dev_tests.h"

int main(void)
{
    int failed = 0;
    failed += dev_test_bus();
    failed += dev_test_pic();
    failed += dev_test_pit();
    failed += dev_test_uart();
    failed += dev_test_rtc();
    failed += dev_test_misc();
    return failed != 0;
}
