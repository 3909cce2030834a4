/* Checks, verdicts and the end of a guest run through QEMU's isa-debug-exit port.
   A guest provides guest_main(); the runtime calls it after setting up the machine, then ends the
   run with GUEST_EXIT_PASS if no check failed. QEMU exits with status (code << 1) | 1. */
#ifndef GUEST_LIB_TEST_H
#define GUEST_LIB_TEST_H

#include <stdbool.h>

#define DEBUG_EXIT_PORT  0xf4
#define GUEST_EXIT_PASS  0x10 /* QEMU status 33 */
#define GUEST_EXIT_FAIL  0x11 /* QEMU status 35: a check failed */
#define GUEST_EXIT_TRAP  0x12 /* QEMU status 37: an exception nobody expected */
#define GUEST_EXIT_ABORT 0x13 /* QEMU status 39: an assertion stopped the guest */

/* The guest's name, printed on the first and last lines. */
extern const char guest_name[];
void guest_main(void);

/* Prints "ok   WHAT" or "FAIL WHAT" and remembers failures; returns cond. */
bool check(bool cond, const char *what, ...) __attribute__((format(printf, 2, 3)));

/* Stops the guest at once when cond is false: for preconditions later checks rely on. */
#define ASSERT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            assert_failed(#cond, __FILE__, __LINE__);                                              \
    } while (0)

void assert_failed(const char *cond, const char *file, int line) __attribute__((noreturn));
void guest_exit(unsigned code) __attribute__((noreturn));
/* Ends the run: prints "NAME: done" and exits with the pass or fail code. */
void test_done(void) __attribute__((noreturn));

#endif
