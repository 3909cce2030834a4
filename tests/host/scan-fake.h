/* tests/host/scan-fake.h: a fake guest memory for the prescanner's host tests (a few pages of
 * RAM at a linear base, some of them "not RAM"), the scan_ops callbacks over it, the guest's own
 * view of its bytes, and an invariant checker written independently of the scanner. */
#ifndef NEXUS86_TESTS_SCAN_FAKE_H
#define NEXUS86_TESTS_SCAN_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "scan/prescan.h"

#define FAKE_MAX_PAGES 32

struct fake_mem {
    uint32_t base; /* linear address of page 0 */
    unsigned npages;
    uint8_t mem[FAKE_MAX_PAGES][4096];   /* what the CPU fetches (planted INT3s included) */
    uint8_t image[FAKE_MAX_PAGES][4096]; /* what the guest wrote */
    bool ram[FAKE_MAX_PAGES];
    bool prot[FAKE_MAX_PAGES];
    unsigned protect_errors; /* protect() on a page not RAM, or that changed nothing */
    unsigned policy;         /* the SCAN_POLICY_* the scanner was given (the checker's rules) */
    struct scanner *sc;
};

/* npages pages of RAM from base, zero-filled; all RAM until fake_set_ram says otherwise. */
void fake_init(struct fake_mem *f, uint32_t base, unsigned npages);
void fake_set_ram(struct fake_mem *f, unsigned page, bool ram);
struct scan_ops fake_ops(struct fake_mem *f);
/* Page index of a linear address, or -1 outside the fake memory. */
int fake_page(const struct fake_mem *f, uint32_t lin);
/* Put bytes in place before anything was scanned there (no invalidation). */
void fake_load(struct fake_mem *f, uint32_t lin, const void *bytes, unsigned n);
/* A guest write: on a write-protected page the monitor either performs the write itself when
 * it hits no scanned instruction (if `keep` and scan_write_hits_code allows), or invalidates
 * the page first. Returns false if it hit a page still protected after that. */
bool fake_write(struct fake_mem *f, uint32_t lin, const void *bytes, unsigned n, bool keep);
bool fake_protected(const struct fake_mem *f, uint32_t lin);

/* Check the scanner's invariant over the whole fake memory; prints each violation (prefixed
 * with `tag`) and returns how many there were. */
unsigned fake_check(struct fake_mem *f, const char *tag);

#endif
