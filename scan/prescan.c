/* scan/prescan.c: the prescanner proper. Decides what each instruction needs (its successors,
 * whether it must be a site), scans a page from an entry with a same-page worklist, resolves
 * edge sites once their successors are scanned, records branch targets for the patches, and
 * implements the public entry points on top of the site table (sites.c), the patches (patch.c)
 * and the memory block (prescan-mem.c). docs/scanner.md has the
 * model; the invariant kept here: every way control leaves a natively running scanned
 * instruction leads to a scanned start (of a page scanned in the same mode and code segment
 * base) or into a planted site. */
#include <string.h>

#include "scan/prescan-int.h"

/* Where control goes after one instruction. */
struct flow {
    enum x86_status st;
    struct x86_insn insn;
    int kind;         /* SITE_SENSITIVE or SITE_INDIRECT by its nature, else -1 */
    uint32_t succ[2]; /* linear addresses control reaches natively from it */
    unsigned nsucc;
    unsigned direct; /* bit i: succ[i] is the target of a direct transfer (not a fall-through) */
    bool hint;       /* `after` is reached only through the monitor (after a site, INT n), */
    uint32_t after;  /* so it is scanned when in the same page, never made an edge for */
};

static bool is_ud(unsigned op)
{
    return op == X86_OP_UD0 || op == X86_OP_UD1 || op == X86_OP_UD2;
}

/* Privileged instructions the policy makes sites (emulated, then resumed after, like PUSHF). */
static bool site_by_policy(const struct scanner *sc, const struct x86_insn *in)
{
    return (sc->policy & SCAN_POLICY_SITE_CLI_STI) &&
           (in->op == X86_OP_CLI || in->op == X86_OP_STI);
}

/* Decode lin and work out its flow. False when its bytes are not all RAM. */
static bool flow_of(struct scanner *sc, uint32_t lin, int mode, uint32_t cs_base, struct flow *f)
{
    if (!decode_at(sc, lin, mode, &f->insn, &f->st))
        return false;
    f->kind = -1;
    f->nsucc = 0;
    f->direct = 0;
    f->hint = false;
    if (f->st != X86_OK)
        return true; /* the bytes fault natively: the path ends */
    const struct x86_insn *in = &f->insn;
    uint32_t next = lin + in->len;
    uint32_t target =
        in->target_kind == X86_TARGET_REL ? cs_base + x86_rel_target(in, lin - cs_base) : 0;
    if (in->xfer == X86_XFER_INT) {
        /* INT n, INT3, INT1 always trap to the monitor, which resumes the guest after the
         * guest's handler returns (IRET is a site); INTO and BOUND fall through natively when
         * their condition does not hold. */
        if (in->xfer_flags & X86_XF_COND) {
            f->succ[f->nsucc++] = next;
        } else {
            f->hint = true;
            f->after = next;
        }
        return true;
    }
    if (in->cls == X86_CLASS_SENSITIVE || site_by_policy(sc, in)) {
        f->kind = SITE_SENSITIVE;
        if (in->xfer == X86_XFER_NONE) {
            f->hint = true;
            f->after = next;
        }
        return true;
    }
    switch (in->xfer) {
    case X86_XFER_NONE:
        /* Privileged instructions count as falling through natively too: with CR4.PVI CLI and
         * STI do (the monitor then leaves SCAN_POLICY_SITE_CLI_STI off). */
        if (!is_ud(in->op))
            f->succ[f->nsucc++] = next;
        break;
    case X86_XFER_JMP:
    case X86_XFER_CALL: /* the return comes back through a RET site */
        if (in->xfer_flags & X86_XF_INDIRECT) {
            f->kind = SITE_INDIRECT;
        } else {
            f->direct = 1;
            f->succ[f->nsucc++] = target;
        }
        break;
    case X86_XFER_RET: f->kind = SITE_INDIRECT; break;
    case X86_XFER_JCC:
    case X86_XFER_LOOP:
        f->direct = 1;
        f->succ[f->nsucc++] = target;
        f->succ[f->nsucc++] = next;
        break;
    default: break; /* SYSEXIT: privileged, no native successor */
    }
    return true;
}

/* Can a same-page successor be decoded? Only one near the page end can need a page that is
 * not RAM. */
static bool scannable(struct scanner *sc, const struct scan_page *ps, uint32_t lin)
{
    if ((lin & ~SCAN_PAGE_MASK) <= SCAN_PAGE - X86_MAX_INSN_LEN)
        return true;
    struct x86_insn in;
    enum x86_status st;
    return decode_at(sc, lin, ps->mode, &in, &st);
}

static void push(struct scanner *sc, unsigned *n, uint32_t lin)
{
    uint32_t off = lin & ~SCAN_PAGE_MASK;
    if (!bit_get(sc->queued, off)) {
        bit_set(sc->queued, off);
        sc->work[(*n)++] = (uint16_t)off;
    }
}

static uint16_t tail_mask(uint32_t lin, uint8_t len)
{
    uint32_t beyond = (lin & ~SCAN_PAGE_MASK) + len - SCAN_PAGE;
    return (uint16_t)((1u << beyond) - 1);
}

/* A straddler depends on the next page's bytes: that page is protected while it does. */
static bool straddle_dep(struct scanner *sc, struct scan_page *ps, struct scan_site *s)
{
    struct scan_page *next = page_get(sc, ps->page + SCAN_PAGE, true);
    if (!next)
        return false;
    if (!site_depends(sc, s, page_idx(sc, next))) {
        uint32_t d = dep_alloc(sc);
        if (d == SCAN_NIL)
            return false;
        dep_link(sc, d, s, next);
    }
    next->prev_tail |= tail_mask(s->addr, s->len);
    return true;
}

/* Scan the instruction at offset off of ps and queue its same-page successors. False when
 * memory ran out. */
static bool scan_one(struct scanner *sc, struct scan_page *ps, uint32_t off, unsigned *n)
{
    uint32_t lin = ps->page + off;
    struct flow f;
    if (!flow_of(sc, lin, ps->mode, ps->cs_base, &f))
        return true; /* a hint running into a page that is not RAM: left to scan_ensure */
    uint8_t len = f.insn.len;
    if (sc->patches_live) {
        /* A new decode starting inside a patch's region: the region is no longer only the
         * instructions the stub runs. */
        struct scan_patch *p = patch_inside(sc, ps, lin);
        if (p)
            patch_remove(sc, ps, p);
    }
    bit_set(ps->starts, off);
    for (uint32_t i = off + 1; i < off + len && i < SCAN_PAGE; i++)
        bit_set(ps->tail, i);
    sc->stats.insns_scanned++;

    bool straddle = off + len > SCAN_PAGE, edge = straddle;
    for (unsigned i = 0; i < f.nsucc; i++) {
        uint32_t t = f.succ[i];
        if (page_of(t) == ps->page && (f.direct >> i & 1))
            mark_target(sc, ps, t);
        if (page_of(t) != ps->page)
            edge = true;
        else if (is_start(ps, t))
            continue;
        else if (scannable(sc, ps, t))
            push(sc, n, t);
        else
            edge = true;
    }
    if (f.hint && page_of(f.after) == ps->page && !is_start(ps, f.after))
        push(sc, n, f.after);

    int kind = f.kind;
    if (kind < 0 && edge)
        kind = SITE_EDGE;
    if ((kind < 0 || kind == SITE_EDGE) && tail_has_site(sc, lin, len))
        kind = SITE_OVERLAP;
    if (kind < 0)
        return true;
    struct scan_site *s = site_create(sc, ps, lin, len, kind);
    if (!s)
        return false;
    return !straddle || straddle_dep(sc, ps, s);
}

/* Scan ps (pinned, mode and cs_base set) from lin with a worklist of same-page successors. When
 * memory runs out the whole page is dropped, which keeps the invariant. */
static int scan_from(struct scanner *sc, struct scan_page *ps, uint32_t lin)
{
    unsigned n = 0;
    memset(sc->queued, 0, sizeof sc->queued);
    push(sc, &n, lin);
    while (n > 0) {
        uint32_t off = sc->work[--n];
        if (bit_get(ps->starts, off))
            continue;
        if (!scan_one(sc, ps, off, &n)) {
            page_drop(sc, ps);
            return SCAN_FULL;
        }
    }
    return SCAN_OK;
}

int scan_ensure(struct scanner *sc, uint32_t cs_base, uint32_t eip, int mode)
{
    op_begin(sc);
    uint32_t lin = cs_base + eip;
    struct scan_page *ps = page_get(sc, page_of(lin), false);
    int r = SCAN_OK;
    if (ps && ps->mode && (ps->mode != mode || ps->cs_base != cs_base)) {
        page_drop(sc, ps); /* scanned for another code segment: start over */
        sc->stats.pages_invalidated++;
        ps = NULL;
    }
    if (ps && ps->mode && sc->patches_live && patch_inside(sc, ps, lin)) {
        ps->stamp = sc->op;
        r = SCAN_PATCHED;
        goto out;
    }
    if (ps && ps->mode && is_start(ps, lin)) {
        ps->stamp = sc->op;
        goto out;
    }
    struct x86_insn in;
    enum x86_status st;
    if (!decode_at(sc, lin, mode, &in, &st)) {
        r = SCAN_NOT_RAM;
        goto out;
    }
    ps = page_get(sc, page_of(lin), true);
    if (!ps) {
        r = SCAN_FULL;
        goto out;
    }
    if (!ps->mode) {
        ps->mode = (uint8_t)mode;
        ps->cs_base = cs_base;
        sc->stats.pages_scanned++;
        page_update(sc, ps);
    }
    ps->stamp = sc->op;
    sc->stats.scans++;
    r = scan_from(sc, ps, lin);
out:
    op_end(sc);
    return r;
}

/* Take an edge site out if every successor is now a scanned start, recording what it then
 * depends on. Anything short of that leaves it planted, which is always correct. */
static void resolve(struct scanner *sc, struct scan_site *s)
{
    struct scan_page *ps = page_get(sc, page_of(s->addr), false);
    struct flow f;
    if (!flow_of(sc, s->addr, ps->mode, ps->cs_base, &f))
        return;
    if (f.kind >= 0) { /* a straddler whose tail was rewritten */
        site_set_kind(sc, s, f.kind);
        return;
    }
    s->len = f.insn.len;
    for (unsigned i = 0; i < f.nsucc; i++)
        if (page_of(f.succ[i]) == ps->page && !is_start(ps, f.succ[i]) &&
            scan_from(sc, ps, f.succ[i]) != SCAN_OK)
            return; /* the page (and s) is gone */
    if (!s->planted || s->kind != SITE_EDGE)
        return;

    /* Successors in other pages (a straddler's fall-through among them) and direct targets
     * are branch targets from now on: a patch over one goes, even before the edge can be
     * taken out, so that the target can be scanned the next time through. */
    bool straddle = (s->addr & ~SCAN_PAGE_MASK) + s->len > SCAN_PAGE;
    for (unsigned i = 0; i < f.nsucc; i++) {
        uint32_t t = f.succ[i];
        struct scan_page *q = page_get(sc, page_of(t), false);
        if (q && q->mode == ps->mode && q->cs_base == ps->cs_base &&
            (q != ps || straddle || (f.direct >> i & 1)))
            mark_target(sc, q, t);
    }
    struct scan_page *need[3];
    unsigned nneed = 0;
    for (unsigned i = 0; i < f.nsucc; i++) {
        uint32_t t = f.succ[i];
        struct scan_page *q = page_get(sc, page_of(t), false);
        if (!q || q->mode != ps->mode || q->cs_base != ps->cs_base || !is_start(q, t))
            return;
        if (q != ps)
            need[nneed++] = q;
    }
    if (straddle) {
        struct scan_page *q = page_get(sc, ps->page + SCAN_PAGE, true);
        if (!q)
            return;
        need[nneed++] = q;
    }
    if (tail_has_site(sc, s->addr, s->len)) {
        site_set_kind(sc, s, SITE_OVERLAP);
        return;
    }
    uint32_t d[3];
    struct scan_page *add[3];
    unsigned nd = 0;
    for (unsigned i = 0; i < nneed; i++) {
        bool dup = site_depends(sc, s, page_idx(sc, need[i]));
        for (unsigned j = 0; j < nd; j++)
            dup |= add[j] == need[i];
        if (dup)
            continue;
        d[nd] = dep_alloc(sc);
        if (d[nd] == SCAN_NIL) {
            while (nd > 0)
                dep_free(sc, d[--nd]);
            return;
        }
        add[nd++] = need[i];
    }
    for (unsigned i = 0; i < nd; i++)
        dep_link(sc, d[i], s, add[i]);
    if (straddle)
        page_find(sc, ps->page + SCAN_PAGE)->prev_tail |= tail_mask(s->addr, s->len);
    site_unplant(sc, s);
    sc->stats.edges_resolved++;
}

void scan_site_done(struct scanner *sc, uint32_t addr)
{
    op_begin(sc);
    struct scan_site *s = site_find(sc, addr);
    if (s && s->planted) {
        s->hits++;
        if (s->kind == SITE_EDGE)
            resolve(sc, s);
    }
    op_end(sc);
}

void scan_invalidate_page(struct scanner *sc, uint32_t linear)
{
    op_begin(sc);
    struct scan_page *ps = page_find(sc, page_of(linear));
    if (ps) {
        page_drop(sc, ps);
        sc->stats.pages_invalidated++;
    }
    op_end(sc);
}

struct scanner *scan_init(void *mem, size_t bytes, const struct scan_ops *ops)
{
    uintptr_t a = ((uintptr_t)mem + 7) & ~(uintptr_t)7;
    size_t skip = a - (uintptr_t)mem + sizeof(struct scanner);
    if (bytes < SCAN_MIN_BYTES || bytes < skip)
        return NULL;
    struct scanner *sc = (struct scanner *)a;
    memset(sc, 0, sizeof *sc);
    sc->ops = *ops;
    if (!mem_layout(sc, (uint8_t *)(sc + 1), bytes - skip))
        return NULL;
    return sc;
}

void scan_reset(struct scanner *sc)
{
    mem_reset(sc);
}

void scan_set_policy(struct scanner *sc, unsigned flags)
{
    if (flags != sc->policy) {
        mem_reset(sc);
        sc->policy = flags;
    }
}

bool scan_site_at(struct scanner *sc, uint32_t addr, struct site_info *out)
{
    const struct scan_site *s = site_find(sc, addr);
    if (!s || !s->planted)
        return false;
    *out = (struct site_info){.addr = s->addr,
                              .len = s->len,
                              .kind = s->kind,
                              .mode = page_find(sc, page_of(addr))->mode,
                              .hits = s->hits};
    return true;
}

unsigned scan_sites(const struct scanner *sc, struct site_info *out, unsigned max)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < sc->nsites; i++) {
        const struct scan_site *s = &sc->sites[i];
        if (!s->planted)
            continue;
        if (n < max)
            out[n] = (struct site_info){.addr = s->addr,
                                        .len = s->len,
                                        .kind = s->kind,
                                        .mode = page_find(sc, page_of(s->addr))->mode,
                                        .hits = s->hits};
        n++;
    }
    return n;
}

bool scan_read_original(struct scanner *sc, uint32_t linear, void *buf, uint32_t len)
{
    return read_original(sc, linear, buf, len);
}

bool scan_page_is_scanned(struct scanner *sc, uint32_t linear)
{
    const struct scan_page *ps = page_find(sc, page_of(linear));
    return ps && ps->mode;
}

bool scan_insn_start(const struct scanner *sc, uint32_t linear, int *mode, uint32_t *cs_base)
{
    const struct scan_page *ps = page_find(sc, page_of(linear));
    if (!ps || !ps->mode || !is_start(ps, linear) ||
        (sc->patches_live && patch_inside(sc, ps, linear)))
        return false;
    *mode = ps->mode;
    *cs_base = ps->cs_base;
    return true;
}

bool scan_write_hits_code(const struct scanner *sc, uint32_t linear, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        uint32_t lin = linear + i, off = lin & ~SCAN_PAGE_MASK;
        const struct scan_page *ps = page_find(sc, page_of(lin));
        if (ps && (bit_get(ps->starts, off) || bit_get(ps->tail, off) ||
                   (off < SCAN_MAX_TAIL && ((ps->prev_tail >> off) & 1))))
            return true;
    }
    return false;
}

const struct scan_stats *scan_stats(const struct scanner *sc)
{
    return &sc->stats;
}
