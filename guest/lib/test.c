/* Check bookkeeping and the debug-exit port. If the exit port is missing (a run without
   isa-debug-exit) the guest halts with interrupts off instead of running on. */
#include "guest/lib/test.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include <stdarg.h>
#include <stdio.h>

static unsigned failures;

bool check(bool cond, const char *what, ...)
{
    char buf[160];
    va_list ap;
    va_start(ap, what);
    vsniprintf(buf, sizeof buf, what, ap);
    va_end(ap);
    gprintf("%s %s\n", cond ? "ok  " : "FAIL", buf);
    if (!cond)
        failures++;
    return cond;
}

void guest_exit(unsigned code)
{
    outb(DEBUG_EXIT_PORT, (uint8_t)code);
    for (;;)
        asm volatile("cli; hlt");
}

void assert_failed(const char *cond, const char *file, int line)
{
    gprintf("ASSERT %s (%s:%d)\n", cond, file, line);
    guest_exit(GUEST_EXIT_ABORT);
}

void test_done(void)
{
    if (failures)
        gprintf("%s: %u checks failed\n", guest_name, failures);
    gprintf("%s: done\n", guest_name);
    guest_exit(failures ? GUEST_EXIT_FAIL : GUEST_EXIT_PASS);
}
