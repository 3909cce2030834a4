/* scan/sites.c: the site table. Site records (planted INT3s and dormant resolved edges) hashed by
 * address, the guest's original bytes behind them and behind patches, decoding from those, the
 * overlap rule, and the dependency records that plant a resolved edge again when a page it
 * relies on is dropped.
 *
 * The overlap rule: every scanned instruction whose bytes after the first include the first
 * byte of a site record (planted or dormant) is itself a planted site. Such an instruction
 * would read an INT3 inside itself if it ran natively; keeping the rule for dormant records too
 * means planting one again never needs a new record, so dropping pages never allocates. */
#include <string.h>

#include "scan/prescan-int.h"

static uint32_t site_hash(const struct scanner *sc, uint32_t addr)
{
    return (addr * 0x9E3779B1u) >> (32 - sc->site_hash_bits);
}

struct scan_site *site_find(const struct scanner *sc, uint32_t addr)
{
    for (uint32_t i = sc->site_hash[site_hash(sc, addr)]; i != SCAN_NIL; i = sc->sites[i].hash_next)
        if (sc->sites[i].addr == addr)
            return &sc->sites[i];
    return NULL;
}

static uint8_t *byte_ptr(struct scanner *sc, uint32_t lin)
{
    return sc->ops.page_ptr(sc->ops.ctx, page_of(lin)) + (lin & ~SCAN_PAGE_MASK);
}

bool read_original(struct scanner *sc, uint32_t lin, uint8_t *buf, uint32_t len)
{
    uint32_t done = 0;
    while (done < len) {
        uint32_t a = lin + done, off = a & ~SCAN_PAGE_MASK;
        uint32_t n = SCAN_PAGE - off < len - done ? SCAN_PAGE - off : len - done;
        const uint8_t *mem = sc->ops.page_ptr(sc->ops.ctx, page_of(a));
        if (!mem)
            return false;
        memcpy(buf + done, mem + off, n);
        for (uint32_t i = 0; i < n; i++) {
            if (buf[done + i] != 0xCC)
                continue;
            const struct scan_site *s = site_find(sc, a + i);
            if (s && s->planted)
                buf[done + i] = s->orig;
        }
        if (sc->patches_live)
            patch_overlay(sc, a, buf + done, n);
        done += n;
    }
    return true;
}

/* Decode the original bytes at lin, taking the next page only when the instruction needs it.
 * False when a byte it needs is not RAM. On a failed decode insn->len is the bytes examined. */
bool decode_at(struct scanner *sc, uint32_t lin, int mode, struct x86_insn *insn,
               enum x86_status *st)
{
    uint8_t buf[X86_MAX_INSN_LEN];
    uint32_t avail = SCAN_PAGE - (lin & ~SCAN_PAGE_MASK);
    if (avail > X86_MAX_INSN_LEN)
        avail = X86_MAX_INSN_LEN;
    if (!read_original(sc, lin, buf, avail))
        return false;
    *st = x86_decode(buf, avail, mode, insn);
    if (*st == X86_NEED_MORE) {
        if (!read_original(sc, lin + avail, buf + avail, X86_MAX_INSN_LEN - avail))
            return false;
        *st = x86_decode(buf, X86_MAX_INSN_LEN, mode, insn);
    }
    return true;
}

void site_set_kind(struct scanner *sc, struct scan_site *s, int kind)
{
    if (s->kind != kind) {
        s->kind = (uint8_t)kind;
        sc->stats.sites_by_kind[kind]++;
    }
}

/* Put the INT3 back on a dormant record. */
void site_plant(struct scanner *sc, struct scan_site *s)
{
    if (s->planted)
        return;
    *byte_ptr(sc, s->addr) = 0xCC;
    s->planted = true;
    sc->stats.edges_replanted++;
}

void site_unplant(struct scanner *sc, struct scan_site *s)
{
    *byte_ptr(sc, s->addr) = s->orig;
    s->planted = false;
}

static struct scan_site *record_new(struct scanner *sc, struct scan_page *ps, uint32_t lin,
                                    uint8_t len, int kind)
{
    uint32_t i = site_alloc(sc);
    if (i == SCAN_NIL)
        return NULL;
    struct scan_site *s = &sc->sites[i];
    uint8_t *b = byte_ptr(sc, lin);
    *s = (struct scan_site){.addr = lin,
                            .deps = SCAN_NIL,
                            .orig = *b,
                            .len = len,
                            .kind = (uint8_t)kind,
                            .planted = true};
    *b = 0xCC;
    uint32_t *bucket = &sc->site_hash[site_hash(sc, lin)];
    s->hash_next = *bucket;
    *bucket = i;
    s->page_next = ps->sites;
    ps->sites = i;
    sc->stats.sites_planted++;
    sc->stats.sites_by_kind[kind]++;
    return s;
}

/* An existing record found covering a new one becomes (or stays) an always-planted site. */
static void make_overlap(struct scanner *sc, struct scan_site *s)
{
    if (s->kind == SITE_EDGE)
        site_set_kind(sc, s, SITE_OVERLAP);
    site_plant(sc, s);
}

/* Is offset x of ps a byte after the first of some scanned instruction? */
static bool covered(const struct scan_page *ps, uint32_t x)
{
    return bit_get(ps->tail, x) || (x < SCAN_MAX_TAIL && ((ps->prev_tail >> x) & 1));
}

/* The overlap rule for a new record at lin: every instruction covering it becomes a site, and
 * every new record made so is checked the same way (a chain of overlapping decodes). Covering
 * instructions in the previous page straddle, and straddlers always have records already. */
static bool cover_sites(struct scanner *sc, struct scan_page *ps, uint32_t lin)
{
    unsigned n = 0;
    sc->cover[n++] = (uint16_t)(lin & ~SCAN_PAGE_MASK);
    while (n > 0) {
        uint32_t x = sc->cover[--n];
        if (!covered(ps, x))
            continue;
        for (uint32_t d = 1; d <= SCAN_MAX_TAIL; d++) {
            uint32_t o = ps->page + x - d;
            if (d > x) {
                struct scan_site *s = site_find(sc, o);
                if (s && s->len > d)
                    make_overlap(sc, s);
                continue;
            }
            if (!is_start(ps, o))
                continue;
            struct x86_insn in;
            enum x86_status st;
            if (!decode_at(sc, o, ps->mode, &in, &st) || in.len <= d)
                continue;
            struct scan_site *s = site_find(sc, o);
            if (s) {
                make_overlap(sc, s);
            } else {
                if (!record_new(sc, ps, o, in.len, SITE_OVERLAP))
                    return false;
                sc->cover[n++] = (uint16_t)(x - d);
            }
        }
    }
    return true;
}

/* Plant a new site at lin (a scanned start of ps). NULL when memory is exhausted. */
struct scan_site *site_create(struct scanner *sc, struct scan_page *ps, uint32_t lin, uint8_t len,
                              int kind)
{
    struct scan_site *s = record_new(sc, ps, lin, len, kind);
    if (!s || !cover_sites(sc, ps, lin))
        return NULL;
    return s;
}

/* Does a byte after the first of the instruction [lin, lin+len) hold a site record? */
bool tail_has_site(struct scanner *sc, uint32_t lin, uint8_t len)
{
    for (uint32_t d = 1; d < len; d++) {
        const struct scan_page *ps = page_find(sc, page_of(lin + d));
        if (ps && is_start(ps, lin + d) && site_find(sc, lin + d))
            return true;
    }
    return false;
}

bool site_depends(const struct scanner *sc, const struct scan_site *s, uint32_t page_index)
{
    for (uint32_t d = s->deps; d != SCAN_NIL; d = sc->deps[d].site_next)
        if (sc->deps[d].page == page_index)
            return true;
    return false;
}

void dep_link(struct scanner *sc, uint32_t d, struct scan_site *s, struct scan_page *target)
{
    struct scan_dep *dep = &sc->deps[d];
    dep->site = (uint32_t)(s - sc->sites);
    dep->page = page_idx(sc, target);
    dep->site_next = s->deps;
    s->deps = d;
    dep->in_prev = SCAN_NIL;
    dep->in_next = target->deps_in;
    if (target->deps_in != SCAN_NIL)
        sc->deps[target->deps_in].in_prev = d;
    target->deps_in = d;
    page_update(sc, target);
}

static void dep_unlink_in(struct scanner *sc, uint32_t d)
{
    struct scan_dep *dep = &sc->deps[d];
    if (dep->in_prev != SCAN_NIL)
        sc->deps[dep->in_prev].in_next = dep->in_next;
    else
        sc->pages[dep->page].deps_in = dep->in_next;
    if (dep->in_next != SCAN_NIL)
        sc->deps[dep->in_next].in_prev = dep->in_prev;
}

/* Free every record of ps: original bytes back in memory, dependencies on other pages gone. */
void site_free_all(struct scanner *sc, struct scan_page *ps)
{
    while (ps->sites != SCAN_NIL) {
        uint32_t i = ps->sites;
        struct scan_site *s = &sc->sites[i];
        ps->sites = s->page_next;
        if (s->planted)
            site_unplant(sc, s);
        while (s->deps != SCAN_NIL) {
            uint32_t d = s->deps;
            s->deps = sc->deps[d].site_next;
            dep_unlink_in(sc, d);
            struct scan_page *target = &sc->pages[sc->deps[d].page];
            dep_free(sc, d);
            page_update(sc, target);
        }
        uint32_t *link = &sc->site_hash[site_hash(sc, s->addr)];
        while (*link != i)
            link = &sc->sites[*link].hash_next;
        *link = s->hash_next;
        site_release(sc, i);
    }
}

/* Plant again every site that depended on ps, and forget those dependencies. */
void deps_in_drop(struct scanner *sc, struct scan_page *ps)
{
    while (ps->deps_in != SCAN_NIL) {
        uint32_t d = ps->deps_in;
        dep_unlink_in(sc, d);
        struct scan_site *s = &sc->sites[sc->deps[d].site];
        uint32_t *link = &s->deps;
        while (*link != d)
            link = &sc->deps[*link].site_next;
        *link = sc->deps[d].site_next;
        dep_free(sc, d);
        site_plant(sc, s);
    }
}
