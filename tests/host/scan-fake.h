/* tests/host/scan-fake.h: a fake guest memory for the prescanner's host tests (a few pages of
 * RAM at a linear base, some of them "not RAM"), the scan_ops callbacks over it, the guest's own
 * view of its bytes, the patches applied as the monitor would record them, and an invariant
 * checker written independently of the scanner. */
#ifndef NEXUS86_TESTS_SCAN_FAKE_H
#define NEXUS86_TESTS_SCAN_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/prescan.h"

#define FAKE_MAX_PAGES   32
#define FAKE_MAX_PATCHES 256

/* A patch the monitor applied and has not been told is gone. */
struct fake_patch {
    uint32_t addr, cookie;
    uint8_t len, nbytes;
    uint8_t bytes[SCAN_REGION_MAX_LEN];
    bool live;
};

struct fake_mem {
    uint32_t base; /* linear address of page 0 */
    unsigned npages;
    uint8_t mem[FAKE_MAX_PAGES][4096];   /* what the CPU fetches (planted INT3s included) */
    uint8_t image[FAKE_MAX_PAGES][4096]; /* what the guest wrote */
    bool ram[FAKE_MAX_PAGES];
    bool prot[FAKE_MAX_PAGES];
    unsigned protect_errors; /* protect() on a page not RAM, or that changed nothing */
    unsigned policy;         /* the SCAN_POLICY_* the scanner was given (the checker's rules) */
    struct fake_patch patches[FAKE_MAX_PATCHES];
    uint16_t over[FAKE_MAX_PAGES][4096]; /* 1 + index of the live patch over each byte, or 0 */
    unsigned removals;                   /* patch_removed calls */
    unsigned patch_errors;               /* patch_removed for a patch that is not live */
    struct scanner *sc;
};

/* npages pages of RAM from base, zero-filled; all RAM until fake_set_ram says otherwise. */
void fake_init(struct fake_mem *f, uint32_t base, unsigned npages);
void fake_set_ram(struct fake_mem *f, unsigned page, bool ram);
/* fake_init, then a scanner over it in block (bytes long), kept in f->sc. Returns 0, or -1 if
 * scan_init refused the block (a cmocka setup's convention). */
int fake_scanner_init(struct fake_mem *f, uint32_t base, unsigned npages, void *block,
                      size_t bytes);
struct scan_ops fake_ops(struct fake_mem *f);
/* Page index of a linear address, or -1 outside the fake memory. */
int fake_page(const struct fake_mem *f, uint32_t lin);
/* Put bytes in place before anything was scanned there (no invalidation). */
void fake_load(struct fake_mem *f, uint32_t lin, const void *bytes, unsigned n);
/* The same with the bytes in hex, separated by spaces ("9C 58 C3"). */
void fake_load_hex(struct fake_mem *f, uint32_t lin, const char *hex);
/* A guest write: on a write-protected page the monitor either performs the write itself when
 * it hits no scanned instruction (if `keep` and scan_write_hits_code allows), or invalidates
 * the page first. Returns false if it hit a page still protected after that. */
bool fake_write(struct fake_mem *f, uint32_t lin, const void *bytes, unsigned n, bool keep);
bool fake_protected(const struct fake_mem *f, uint32_t lin);
/* The byte the CPU fetches at lin (a planted INT3 or a patch's byte included). */
uint8_t fake_byte(const struct fake_mem *f, uint32_t lin);
/* Is lin a scanned instruction start (in any mode and code segment)? */
bool fake_insn_start(const struct fake_mem *f, uint32_t lin);
/* The kind of the planted site at lin, -1 if there is none, or -2 if scan_site_at answers for
 * lin with a site at another address (wrong whatever a test expects). */
int fake_site_kind(const struct fake_mem *f, uint32_t lin);
/* The monitor's side of a patch: scan_patch_apply, and a record of it on success (false when
 * the scanner refused, or every record is live). */
bool fake_apply(struct fake_mem *f, const struct scan_region *r, const uint8_t *bytes,
                unsigned nbytes, uint32_t cookie);
/* The live patch whose region holds lin (its first byte included), or NULL. */
const struct fake_patch *fake_patch_over(const struct fake_mem *f, uint32_t lin);

/* Check the scanner's invariant over the whole fake memory; prints each violation (prefixed
 * with `tag`) and returns how many there were. */
unsigned fake_check(struct fake_mem *f, const char *tag);

#endif
