/* scan/prescan-int.h: the scanner's internal tables, shared by prescan-mem.c (the memory block,
 * page states, recycling), sites.c (site records, overlap, dependencies, original bytes),
 * patch.c (patches and known branch targets) and prescan.c (the scan itself, edge resolution,
 * the public entry points). Records are indices into arrays carved out of the caller's block;
 * SCAN_NIL ends every list. */
#ifndef NEXUS86_SCAN_PRESCAN_INT_H
#define NEXUS86_SCAN_PRESCAN_INT_H

#include "scan/decode.h"
#include "scan/prescan.h"

#define SCAN_PAGE      4096u
#define SCAN_PAGE_MASK 0xFFFFF000u
#define SCAN_NIL       UINT32_MAX
/* Bytes of the next page a straddling instruction can cover (a 15-byte one starting at the
 * last byte of a page). */
#define SCAN_MAX_TAIL (X86_MAX_INSN_LEN - 1)

#define PAGE_USED      0x01
#define PAGE_PROTECTED 0x02

/* One page of guest code. A page has a state while it is scanned (mode != 0) or while a
 * straddling instruction of the previous page depends on it (deps_in). */
struct scan_page {
    uint32_t page;      /* linear, page-aligned */
    uint32_t cs_base;   /* code segment base it was scanned with */
    uint32_t hash_next; /* page hash chain; free list link when unused */
    uint32_t sites;     /* first site record in this page (site.page_next) */
    uint32_t deps_in;   /* first dependency on this page (dep.in_next) */
    uint32_t patches;   /* first patch in this page (patch.next) */
    uint32_t stamp;     /* operation that last scanned or entered it (recycling order) */
    uint32_t pin;       /* operation using it: never recycled or freed during that one */
    uint16_t prev_tail; /* bytes 0..13 covered by previous-page straddlers depending on it */
    uint8_t mode;       /* 16 or 32 when scanned, 0 when only a straddle tail */
    uint8_t flags;      /* PAGE_* */
    uint8_t starts[SCAN_PAGE / 8];  /* scanned instruction starts */
    uint8_t tail[SCAN_PAGE / 8];    /* bytes of scanned instructions other than their first */
    uint8_t targets[SCAN_PAGE / 8]; /* known branch targets: where native code can jump in */
};

/* A site: the instruction at addr, planted (INT3 in memory, orig kept here) or, for a resolved
 * edge, dormant (original byte back in memory, the record kept with its dependencies so that
 * planting it again never needs memory). */
struct scan_site {
    uint32_t addr;
    uint32_t hits;
    uint32_t hash_next; /* site hash chain; free list link when unused */
    uint32_t page_next; /* next site of the same page */
    uint32_t deps;      /* first dependency of this site (dep.site_next) */
    uint8_t orig;       /* the guest's byte under the INT3 */
    uint8_t len;
    uint8_t kind; /* enum site_kind */
    bool planted;
};

/* Site `site` (a resolved edge or a straddler) relies on page state `page`: on that page's
 * successors being scanned, or on its bytes (a straddler's tail). Dropping the page plants the
 * site again. */
struct scan_dep {
    uint32_t site;
    uint32_t page;
    uint32_t site_next;        /* next dependency of the same site; free list link */
    uint32_t in_next, in_prev; /* the target page's list */
};

/* A patch over the region of a planted SENSITIVE site: the monitor's bytes in memory from
 * region.addr, the guest's here. The site record stays planted; its INT3 is written back when
 * the patch goes. */
struct scan_patch {
    struct scan_region region;
    uint32_t cookie;
    uint32_t next; /* next patch of the same page; free list link */
    uint8_t nbytes;
    uint8_t orig[SCAN_REGION_MAX_LEN];
};

#define SCAN_MAX_PINS 8

struct scanner {
    struct scan_ops ops;
    struct scan_stats stats;
    uint32_t op;     /* operation counter (pins and recycling stamps) */
    unsigned policy; /* SCAN_POLICY_* */

    struct scan_page *pages;
    uint32_t npages, pages_free, page_hash_bits;
    uint32_t *page_hash;
    struct scan_site *sites;
    uint32_t nsites, sites_free, site_hash_bits;
    uint32_t *site_hash;
    struct scan_dep *deps;
    uint32_t ndeps, deps_free;
    struct scan_patch *patches;
    uint32_t npatches, patches_free;
    uint32_t patches_live; /* patches applied: every lookup is skipped while there are none */

    uint32_t pins[SCAN_MAX_PINS]; /* page states pinned by the current operation */
    unsigned npins;

    /* Scratch of one scan: the same-page worklist and the overlap cascade, as page offsets. */
    uint16_t work[SCAN_PAGE];
    uint8_t queued[SCAN_PAGE / 8];
    uint16_t cover[SCAN_PAGE];
};

static inline bool bit_get(const uint8_t *map, uint32_t i)
{
    return (map[i >> 3] >> (i & 7)) & 1;
}

static inline void bit_set(uint8_t *map, uint32_t i)
{
    map[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static inline uint32_t page_of(uint32_t lin)
{
    return lin & SCAN_PAGE_MASK;
}

static inline uint32_t page_idx(const struct scanner *sc, const struct scan_page *ps)
{
    return (uint32_t)(ps - sc->pages);
}

static inline bool is_start(const struct scan_page *ps, uint32_t lin)
{
    return bit_get(ps->starts, lin & ~SCAN_PAGE_MASK);
}

/* prescan-mem.c */
bool mem_layout(struct scanner *sc, uint8_t *base, size_t bytes);
void mem_reset(struct scanner *sc);
void op_begin(struct scanner *sc);
void op_end(struct scanner *sc);
struct scan_page *page_find(const struct scanner *sc, uint32_t page);
struct scan_page *page_get(struct scanner *sc, uint32_t page, bool create);
void page_pin(struct scanner *sc, struct scan_page *ps);
void page_update(struct scanner *sc, struct scan_page *ps);
void page_drop(struct scanner *sc, struct scan_page *ps);
uint32_t site_alloc(struct scanner *sc);
void site_release(struct scanner *sc, uint32_t i);
uint32_t dep_alloc(struct scanner *sc);
void dep_free(struct scanner *sc, uint32_t d);
uint32_t patch_alloc(struct scanner *sc);
void patch_release(struct scanner *sc, uint32_t i);

/* sites.c */
struct scan_site *site_find(const struct scanner *sc, uint32_t addr);
bool read_original(struct scanner *sc, uint32_t lin, uint8_t *buf, uint32_t len);
bool decode_at(struct scanner *sc, uint32_t lin, int mode, struct x86_insn *insn,
               enum x86_status *st);
struct scan_site *site_create(struct scanner *sc, struct scan_page *ps, uint32_t lin, uint8_t len,
                              int kind);
void site_plant(struct scanner *sc, struct scan_site *s);
void site_unplant(struct scanner *sc, struct scan_site *s);
void site_set_kind(struct scanner *sc, struct scan_site *s, int kind);
bool tail_has_site(struct scanner *sc, uint32_t lin, uint8_t len);
bool site_depends(const struct scanner *sc, const struct scan_site *s, uint32_t page_index);
void dep_link(struct scanner *sc, uint32_t d, struct scan_site *s, struct scan_page *target);
void site_free_all(struct scanner *sc, struct scan_page *ps);
void deps_in_drop(struct scanner *sc, struct scan_page *ps);

/* patch.c */
struct scan_patch *patch_inside(const struct scanner *sc, const struct scan_page *ps, uint32_t lin);
void patch_remove(struct scanner *sc, struct scan_page *ps, struct scan_patch *p);
void patches_drop(struct scanner *sc, struct scan_page *ps);
void patch_overlay(const struct scanner *sc, uint32_t lin, uint8_t *buf, uint32_t len);
void mark_target(struct scanner *sc, struct scan_page *ps, uint32_t lin);

#endif
