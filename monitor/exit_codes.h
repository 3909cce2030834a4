/*
 * exit_codes.h: the codes the monitor itself writes to the exit port. QEMU exits with
 * (code << 1) | 1, so these are statuses 33, 35, 37 and 39. Guests keep every other code.
 */
#ifndef MONITOR_EXIT_CODES_H
#define MONITOR_EXIT_CODES_H

#define MON_EXIT_PASS   0x10 /* self-test passed */
#define MON_EXIT_FAIL   0x11 /* self-test failed */
#define MON_EXIT_PANIC  0x12 /* the monitor faulted or panicked */
#define MON_EXIT_CONFIG 0x13 /* bad command line, boot information, guest or machine */

#endif
