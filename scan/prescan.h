/* scan/prescan.h: the public interface of the prescanner (scan-before-execute) and its site
 * table. The monitor calls scan_ensure before virtual-ring-0 code runs at an EIP; the scanner
 * decodes from there, plants INT3 at every instruction that must not run natively (a site), and
 * write-protects the pages it scanned. Invariant: from every scanned instruction that runs
 * natively, every way control can leave it leads to another scanned instruction start or into a
 * planted site. docs/scanner.md describes the model, the site kinds and the dependencies.
 * Freestanding: <stdint.h>, <stdbool.h>, <stddef.h> only. */
#ifndef NEXUS86_SCAN_PRESCAN_H
#define NEXUS86_SCAN_PRESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How the scanner reaches guest memory. Linear addresses (guest paging is off: linear ==
 * physical). page_ptr gives a host pointer to the page's current bytes (planted INT3s included),
 * or NULL when the page is not RAM; the scanner writes INT3s and restores bytes through it.
 * protect switches the write protection of a page the scanner depends on. */
struct scan_ops {
    void *ctx;
    uint8_t *(*page_ptr)(void *ctx, uint32_t page); /* page-aligned linear */
    void (*protect)(void *ctx, uint32_t page, bool write_protected);
};

enum site_kind {
    SITE_SENSITIVE, /* decoder class SENSITIVE (not INT n): always planted */
    SITE_INDIRECT,  /* near JMP/CALL r/m, RET, RET imm16: always planted */
    SITE_EDGE,      /* a successor is not (yet) scanned, or the instruction straddles a page:
                       taken out once its successors are scanned, planted again when one of
                       the pages it depends on is dropped */
    SITE_OVERLAP,   /* its bytes contain the first byte of another site: always planted */
};

struct site_info {
    uint32_t addr; /* linear address of the INT3 (the instruction's first byte) */
    uint8_t len;   /* length when scanned (the monitor decodes the original bytes itself) */
    uint8_t kind;  /* enum site_kind */
    uint8_t mode;  /* 16 or 32 */
    uint32_t hits; /* scan_site_done calls */
};

/* Monotonic counters (scan_reset keeps them). */
struct scan_stats {
    uint64_t pages_scanned;     /* pages that became scanned (first instruction scanned) */
    uint64_t pages_invalidated; /* pages dropped by scan_invalidate_page or a mode change */
    uint64_t pages_recycled;    /* pages dropped because the memory block was full */
    uint64_t insns_scanned;     /* instructions decoded and recorded as starts */
    uint64_t sites_planted;     /* site records created */
    uint64_t sites_by_kind[4];  /* sites that got each kind (created, or changed kind) */
    uint64_t edges_resolved;    /* edge sites taken out */
    uint64_t edges_replanted;   /* taken-out edge sites planted again */
    uint64_t scans;             /* scan_ensure calls that scanned */
};

enum scan_result {
    SCAN_OK,      /* the address is a scanned instruction start (maybe a planted site) */
    SCAN_NOT_RAM, /* its bytes are not all RAM: the monitor emulates the instruction */
    SCAN_FULL,    /* the memory block cannot hold even this one page's scan */
};

struct scanner;

/* Every table lives in mem (bytes long, e.g. 1 MiB holds about 290 pages of code; less than
 * SCAN_MIN_BYTES gives NULL). The scanner structure itself is placed at the start of mem. */
#define SCAN_MIN_BYTES (64u * 1024)
struct scanner *scan_init(void *mem, size_t bytes, const struct scan_ops *ops);

/* Policy flags (scan_set_policy). Default 0: only what must be virtualized becomes a site.
 * SCAN_POLICY_SITE_CLI_STI: CLI and STI, privileged (they #GP at ring 3 with IOPL 0 and ring 0
 * emulates them), become SENSITIVE sites too, so that an INT3 handled at ring 3 (vmethod=r3) or
 * an insert-call stub can take them without entering ring 0. Not for a CPU with CR4.PVI, where
 * CLI and STI act on VIF natively and need no site at all. */
#define SCAN_POLICY_SITE_CLI_STI 0x1u

/* Set the policy; meant before the first scan. A change drops every scan (as scan_reset does),
 * so no page keeps sites planted under another policy. */
void scan_set_policy(struct scanner *sc, unsigned flags);

/* Make sure cs_base+eip is a scanned instruction start in mode 16/32, scanning from it if
 * needed. Returns enum scan_result. */
int scan_ensure(struct scanner *sc, uint32_t cs_base, uint32_t eip, int mode);

/* The planted site whose INT3 is at linear `addr`, or false (a guest's own INT3). */
bool scan_site_at(struct scanner *sc, uint32_t addr, struct site_info *out);

/* After the monitor emulated the site's instruction: counts the hit; an edge whose successors
 * are now scanned is taken out. */
void scan_site_done(struct scanner *sc, uint32_t addr);

/* Copy guest bytes [linear, linear+len) as the guest wrote them (planted INT3s replaced by the
 * original bytes); len may cross pages. Returns false if a page is not RAM. */
bool scan_read_original(struct scanner *sc, uint32_t linear, void *buf, uint32_t len);

/* Is the page holding `linear` scanned (write-protected by the scanner)? */
bool scan_page_is_scanned(struct scanner *sc, uint32_t linear);

/* Is `linear` a scanned instruction start? If so, the mode and code segment base its page was
 * scanned with (the audit mode and the tests check the invariant with it). */
bool scan_insn_start(const struct scanner *sc, uint32_t linear, int *mode, uint32_t *cs_base);

/* A write hit a page the scanner protects: drop its scan, its sites and the edges that depended
 * on it. The monitor calls it before the write lands, also for its own emulated writes. */
void scan_invalidate_page(struct scanner *sc, uint32_t linear);

/* Would writing [linear, linear+len) change a byte of a scanned instruction? When it would not
 * (data sharing a page with code), the monitor may perform the guest's write to a protected page
 * itself and keep the page's scan; when it would, it calls scan_invalidate_page first. */
bool scan_write_hits_code(const struct scanner *sc, uint32_t linear, uint32_t len);

/* Drop everything (guest reset): every site restored, every page unprotected. */
void scan_reset(struct scanner *sc);

const struct scan_stats *scan_stats(const struct scanner *sc);

/* Copy up to max planted sites into out; returns how many are planted. */
unsigned scan_sites(const struct scanner *sc, struct site_info *out, unsigned max);

#endif
