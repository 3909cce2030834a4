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
    /* Optional (NULL: not told): the patch at addr applied with this cookie is gone, its
     * original bytes are back and the site's INT3 is planted again. Called from inside the
     * scanner (a page drop, a branch target found inside the region, scan_patch_remove...):
     * it must not call the scanner. */
    void (*patch_removed)(void *ctx, uint32_t addr, uint32_t cookie);
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
    uint64_t patches_applied;   /* scan_patch_apply calls that wrote a patch */
    uint64_t patches_removed;   /* patches taken away (original bytes back), for any reason */
};

enum scan_result {
    SCAN_OK,      /* the address is a scanned instruction start (maybe a planted site) */
    SCAN_NOT_RAM, /* its bytes are not all RAM: the monitor emulates the instruction */
    SCAN_FULL,    /* the memory block cannot hold even this one page's scan */
    SCAN_PATCHED, /* strictly inside a patch's region: the monitor emulates this instruction
                     (from the original bytes, scan_read_original) and asks again */
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
 * scanned with (the audit mode and the tests check the invariant with it). False strictly
 * inside a patch's region (its first byte stays a start). */
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

/* Patches (insert-call). A planted SENSITIVE site in a page scanned in mode 32 can have its
 * region, the site's instruction and as many whole following instructions as make at least
 * min_len bytes, overwritten by the monitor's bytes (a far JMP to a stub that emulates the site
 * and runs the displaced instructions, then jumps back to the first byte after the region).
 * The following instructions are scanned starts of the same page, no site (planted or
 * dormant), plain (decoder class NORMAL, no control transfer or INT, no CS segment override),
 * and no byte after the region's first is a known branch target or the start of another
 * decode; the byte after the region is a scanned start of the same page. The site stays a site
 * (scan_site_at finds it); the scanner keeps the original bytes (scan_read_original returns them),
 * and takes the patch away when the page is dropped or a branch target is found or noted strictly
 * inside the region. */
#define SCAN_REGION_MAX_INSNS 8
#define SCAN_REGION_MAX_LEN   32

struct scan_region {
    uint32_t addr;    /* linear address of the site (the region's first byte) */
    uint32_t cs_base; /* code segment base the page was scanned with */
    uint8_t len;      /* bytes in the region, the site's instruction included */
    uint8_t ninsns;   /* instructions in it: [0] is the site's, then the displaced ones */
    uint8_t mode;     /* 32 */
    uint8_t insn_off[SCAN_REGION_MAX_INSNS]; /* each instruction's offset from addr */
    uint8_t insn_len[SCAN_REGION_MAX_INSNS];
};

/* What scan_patch_plan found; the monitor counts the reasons (scan_patch_reason_name). */
enum scan_patch_result {
    SCAN_PATCH_OK,
    SCAN_PATCH_NO_SITE,         /* no planted site at addr */
    SCAN_PATCH_NOT_SENSITIVE,   /* the site is an edge, an overlap or an indirect transfer */
    SCAN_PATCH_NOT_MODE32,      /* the page is scanned as 16-bit code */
    SCAN_PATCH_PATCHED,         /* a patch is there already */
    SCAN_PATCH_PAGE_END,        /* the region, or the byte after it, would leave the page */
    SCAN_PATCH_NEXT_UNSCANNED,  /* an instruction needed (or the one after the region) is not a
                                   scanned start */
    SCAN_PATCH_NEXT_SITE,       /* a following instruction is a site (planted or dormant) */
    SCAN_PATCH_NEXT_TRANSFER,   /* a following instruction is a control transfer or INT */
    SCAN_PATCH_NEXT_PRIVILEGED, /* a following instruction is privileged */
    SCAN_PATCH_NEXT_NOT_PLAIN,  /* not class NORMAL, a CS override, or it does not decode */
    SCAN_PATCH_TOO_LONG,        /* more than SCAN_REGION_MAX_INSNS or SCAN_REGION_MAX_LEN */
    SCAN_PATCH_TARGET_INSIDE,   /* a known branch target after the region's first byte */
    SCAN_PATCH_OVERLAP_INSIDE,  /* another decode starts inside the region (overlapping code) */
    SCAN_PATCH_NO_ROOM,         /* every patch record is in use */
    SCAN_PATCH_REASONS,         /* how many results there are */
};

/* Plan the region for a patch of at least min_len bytes at the site at addr. Returns enum
 * scan_patch_result; *out is set on SCAN_PATCH_OK. Changes nothing. */
int scan_patch_plan(struct scanner *sc, uint32_t addr, uint32_t min_len, struct scan_region *out);

/* Short lower-case text of an enum scan_patch_result ("next instruction is a site"). */
const char *scan_patch_reason_name(int result);

/* Apply a planned patch: checks the plan still holds (the same region), keeps the region's
 * original bytes, writes bytes[0 .. nbytes) at r->addr (1 <= nbytes <= r->len; the rest of the
 * region keeps its original bytes) and records the patch with the monitor's cookie. False (and
 * nothing changed) if the plan no longer holds or the arguments do not fit. */
bool scan_patch_apply(struct scanner *sc, const struct scan_region *r, const uint8_t *bytes,
                      uint32_t nbytes, uint32_t cookie);

/* Take the patch at addr away, if there is one (patch_removed is called as for any removal). */
void scan_patch_remove(struct scanner *sc, uint32_t addr);

/* Is there a patch starting at addr? If so its region and cookie (either pointer may be NULL). */
bool scan_patch_at(const struct scanner *sc, uint32_t addr, struct scan_region *out,
                   uint32_t *cookie);

/* Native code can reach `linear` by a way the scanner does not see (a RET or indirect JMP
 * target the nexus caches): a known branch target from now on, while its page stays scanned.
 * A patch whose region holds it after its first byte is taken away. */
void scan_note_target(struct scanner *sc, uint32_t linear);

#endif
