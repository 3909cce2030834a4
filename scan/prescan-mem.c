/* scan/prescan-mem.c: the scanner's memory. Carves the caller's block into the page states, site
 * records, dependency records, patch records and the hash tables; allocates and frees them; keeps
 * each page's write protection in step with what depends on it; and when a pool is empty, drops
 * whole pages, least recently scanned or entered first, never one the current operation uses
 * (pinned). A dropped page is simply rescanned when it runs again, so recycling is always correct.
 */
#include <string.h>

#include "scan/prescan-int.h"

/* Pool sizes per page state: kernel code has a site every few dozen bytes (returns, calls to
 * other pages, sensitive instructions) and about one dependency per call to another page. */
#define SITES_PER_PAGE 64
#define DEPS_PER_PAGE  32
/* Patches go on hot sensitive sites only: one record for every eight site records. */
#define PATCHES_PER_PAGE (SITES_PER_PAGE / 8)

/* Hash tables get the largest power of two not above their record count (at least 16): chains
 * average at most two records. */
static uint32_t bits_for(uint32_t n)
{
    uint32_t b = 4;
    while ((2u << b) <= n)
        b++;
    return b;
}

static size_t layout_bytes(uint32_t npages)
{
    uint32_t nsites = npages * SITES_PER_PAGE;
    return npages * sizeof(struct scan_page) + nsites * sizeof(struct scan_site) +
           npages * DEPS_PER_PAGE * sizeof(struct scan_dep) +
           npages * PATCHES_PER_PAGE * sizeof(struct scan_patch) +
           ((size_t)1 << bits_for(npages)) * sizeof(uint32_t) +
           ((size_t)1 << bits_for(nsites)) * sizeof(uint32_t);
}

static void tables_clear(struct scanner *sc)
{
    for (uint32_t i = 0; i < sc->npages; i++) {
        sc->pages[i].flags = 0;
        sc->pages[i].hash_next = i + 1 < sc->npages ? i + 1 : SCAN_NIL;
    }
    sc->pages_free = 0;
    for (uint32_t i = 0; i < sc->nsites; i++) {
        sc->sites[i].planted = false;
        sc->sites[i].hash_next = i + 1 < sc->nsites ? i + 1 : SCAN_NIL;
    }
    sc->sites_free = 0;
    for (uint32_t i = 0; i < sc->ndeps; i++)
        sc->deps[i].site_next = i + 1 < sc->ndeps ? i + 1 : SCAN_NIL;
    sc->deps_free = 0;
    for (uint32_t i = 0; i < sc->npatches; i++)
        sc->patches[i].next = i + 1 < sc->npatches ? i + 1 : SCAN_NIL;
    sc->patches_free = 0;
    sc->patches_live = 0;
    memset(sc->page_hash, 0xFF, ((size_t)1 << sc->page_hash_bits) * sizeof(uint32_t));
    memset(sc->site_hash, 0xFF, ((size_t)1 << sc->site_hash_bits) * sizeof(uint32_t));
}

/* Place the tables in [base, base+bytes), as many pages as fit. */
bool mem_layout(struct scanner *sc, uint8_t *base, size_t bytes)
{
    size_t unit = sizeof(struct scan_page) + SITES_PER_PAGE * sizeof(struct scan_site) +
                  DEPS_PER_PAGE * sizeof(struct scan_dep) +
                  PATCHES_PER_PAGE * sizeof(struct scan_patch) +
                  (1 + SITES_PER_PAGE) * sizeof(uint32_t);
    uint32_t n = (uint32_t)(bytes / unit);
    while (n > 0 && layout_bytes(n) > bytes)
        n--;
    if (n < 4)
        return false;
    sc->npages = n;
    sc->nsites = n * SITES_PER_PAGE;
    sc->ndeps = n * DEPS_PER_PAGE;
    sc->npatches = n * PATCHES_PER_PAGE;
    sc->page_hash_bits = bits_for(n);
    sc->site_hash_bits = bits_for(sc->nsites);
    /* Largest alignment first: every record is made of 32-bit words. */
    sc->pages = (struct scan_page *)base;
    base += n * sizeof(struct scan_page);
    sc->sites = (struct scan_site *)base;
    base += sc->nsites * sizeof(struct scan_site);
    sc->deps = (struct scan_dep *)base;
    base += sc->ndeps * sizeof(struct scan_dep);
    sc->patches = (struct scan_patch *)base;
    base += sc->npatches * sizeof(struct scan_patch);
    sc->page_hash = (uint32_t *)base;
    base += ((size_t)1 << sc->page_hash_bits) * sizeof(uint32_t);
    sc->site_hash = (uint32_t *)base;
    tables_clear(sc);
    return true;
}

void mem_reset(struct scanner *sc)
{
    for (uint32_t i = 0; i < sc->npages; i++) {
        struct scan_page *ps = &sc->pages[i];
        if (!(ps->flags & PAGE_USED))
            continue;
        patches_drop(sc, ps);
        uint8_t *mem = sc->ops.page_ptr(sc->ops.ctx, ps->page);
        for (uint32_t s = ps->sites; s != SCAN_NIL; s = sc->sites[s].page_next)
            if (sc->sites[s].planted)
                mem[sc->sites[s].addr & ~SCAN_PAGE_MASK] = sc->sites[s].orig;
        if (ps->flags & PAGE_PROTECTED)
            sc->ops.protect(sc->ops.ctx, ps->page, false);
    }
    tables_clear(sc);
}

void op_begin(struct scanner *sc)
{
    if (++sc->op == 0)
        sc->op = 1; /* 0 means "not pinned" */
    sc->npins = 0;
}

/* Pages emptied while pinned were kept until now. */
void op_end(struct scanner *sc)
{
    for (unsigned i = 0; i < sc->npins; i++) {
        struct scan_page *ps = &sc->pages[sc->pins[i]];
        if (ps->flags & PAGE_USED) {
            ps->pin = 0;
            page_update(sc, ps);
        }
    }
    sc->npins = 0;
}

static uint32_t page_hash(const struct scanner *sc, uint32_t page)
{
    return ((page >> 12) * 0x9E3779B1u) >> (32 - sc->page_hash_bits);
}

struct scan_page *page_find(const struct scanner *sc, uint32_t page)
{
    for (uint32_t i = sc->page_hash[page_hash(sc, page)]; i != SCAN_NIL; i = sc->pages[i].hash_next)
        if (sc->pages[i].page == page)
            return &sc->pages[i];
    return NULL;
}

void page_pin(struct scanner *sc, struct scan_page *ps)
{
    if (ps->pin == sc->op)
        return;
    ps->pin = sc->op;
    /* An operation pins at most four pages (its page, the next one, two successor pages). */
    if (sc->npins < SCAN_MAX_PINS)
        sc->pins[sc->npins++] = page_idx(sc, ps);
}

static void page_free(struct scanner *sc, struct scan_page *ps)
{
    if (ps->flags & PAGE_PROTECTED)
        sc->ops.protect(sc->ops.ctx, ps->page, false);
    uint32_t *link = &sc->page_hash[page_hash(sc, ps->page)];
    while (*link != page_idx(sc, ps))
        link = &sc->pages[*link].hash_next;
    *link = ps->hash_next;
    ps->flags = 0;
    ps->hash_next = sc->pages_free;
    sc->pages_free = page_idx(sc, ps);
}

/* The page stays protected while it is scanned or something depends on its bytes; a page with
 * neither is freed, unless the current operation still uses it (op_end comes back to it). */
void page_update(struct scanner *sc, struct scan_page *ps)
{
    bool want = ps->mode != 0 || ps->deps_in != SCAN_NIL;
    if (!want && ps->pin != sc->op) {
        page_free(sc, ps);
        return;
    }
    if (want != !!(ps->flags & PAGE_PROTECTED)) {
        sc->ops.protect(sc->ops.ctx, ps->page, want);
        ps->flags ^= PAGE_PROTECTED;
    }
}

/* Drop a page with everything in it: its patches and sites (original bytes back), their
 * dependencies on other pages, the straddle tails they left in the next page, and the sites
 * that depended on this page, which are planted again. */
void page_drop(struct scanner *sc, struct scan_page *ps)
{
    struct scan_page *next = page_find(sc, ps->page + SCAN_PAGE);
    if (next)
        next->prev_tail = 0;
    patches_drop(sc, ps);
    site_free_all(sc, ps);
    deps_in_drop(sc, ps);
    ps->mode = 0;
    page_free(sc, ps);
}

/* Drop the least recently used page the current operation does not use. */
static bool recycle(struct scanner *sc)
{
    struct scan_page *victim = NULL;
    for (uint32_t i = 0; i < sc->npages; i++) {
        struct scan_page *ps = &sc->pages[i];
        if ((ps->flags & PAGE_USED) && ps->pin != sc->op &&
            (!victim || (int32_t)(ps->stamp - victim->stamp) < 0))
            victim = ps;
    }
    if (!victim)
        return false;
    page_drop(sc, victim);
    sc->stats.pages_recycled++;
    return true;
}

struct scan_page *page_get(struct scanner *sc, uint32_t page, bool create)
{
    struct scan_page *ps = page_find(sc, page);
    if (!ps && create) {
        while (sc->pages_free == SCAN_NIL)
            if (!recycle(sc))
                return NULL;
        uint32_t i = sc->pages_free;
        ps = &sc->pages[i];
        sc->pages_free = ps->hash_next;
        memset(ps, 0, sizeof *ps);
        ps->page = page;
        ps->flags = PAGE_USED;
        ps->sites = ps->deps_in = ps->patches = SCAN_NIL;
        ps->stamp = sc->op;
        uint32_t *bucket = &sc->page_hash[page_hash(sc, page)];
        ps->hash_next = *bucket;
        *bucket = i;
    }
    if (ps)
        page_pin(sc, ps);
    return ps;
}

uint32_t site_alloc(struct scanner *sc)
{
    while (sc->sites_free == SCAN_NIL)
        if (!recycle(sc))
            return SCAN_NIL;
    uint32_t i = sc->sites_free;
    sc->sites_free = sc->sites[i].hash_next;
    return i;
}

void site_release(struct scanner *sc, uint32_t i)
{
    sc->sites[i].planted = false;
    sc->sites[i].hash_next = sc->sites_free;
    sc->sites_free = i;
}

uint32_t dep_alloc(struct scanner *sc)
{
    while (sc->deps_free == SCAN_NIL)
        if (!recycle(sc))
            return SCAN_NIL;
    uint32_t i = sc->deps_free;
    sc->deps_free = sc->deps[i].site_next;
    return i;
}

void dep_free(struct scanner *sc, uint32_t d)
{
    sc->deps[d].site_next = sc->deps_free;
    sc->deps_free = d;
}

uint32_t patch_alloc(struct scanner *sc)
{
    uint32_t i = sc->patches_free;
    if (i != SCAN_NIL)
        sc->patches_free = sc->patches[i].next;
    return i;
}

void patch_release(struct scanner *sc, uint32_t i)
{
    sc->patches[i].next = sc->patches_free;
    sc->patches_free = i;
}
