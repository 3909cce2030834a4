/* tests/host/vga_test_main.c: runs every group of the VGA unit tests. */
#include "tests/host/vga_test.h"

int main(void)
{
    int failed = 0;
    failed += vga_test_regs();
    failed += vga_test_mem();
    failed += vga_test_render();
    failed += vga_test_bus();
    return failed ? 1 : 0;
}
