/* scan/patch.c: patches (insert-call) and known branch targets. A patch overwrites the region of
 * a planted SENSITIVE site (the site's instruction and whole plain instructions after it) with
 * the monitor's bytes, a far JMP to a stub that does the region's work; the scanner keeps the
 * guest's bytes and takes the patch away when its page is dropped or when native code could
 * enter the region after its first byte, which the stub's copy would not see. Each page keeps a
 * bitmap of known branch targets for that: direct transfer targets the scan found, successors
 * in another page once an edge is taken out, and targets the monitor notes
 * (scan_note_target). docs/scanner.md has the rules. */
#include <string.h>

#include "scan/prescan-int.h"

static uint8_t *page_bytes(const struct scanner *sc, uint32_t lin)
{
    return sc->ops.page_ptr(sc->ops.ctx, page_of(lin));
}

/* The patch starting at addr in ps, or NULL. */
static struct scan_patch *patch_at(const struct scanner *sc, const struct scan_page *ps,
                                   uint32_t addr)
{
    for (uint32_t i = ps->patches; i != SCAN_NIL; i = sc->patches[i].next)
        if (sc->patches[i].region.addr == addr)
            return &sc->patches[i];
    return NULL;
}

/* The patch whose region holds lin after its first byte, or NULL. */
struct scan_patch *patch_inside(const struct scanner *sc, const struct scan_page *ps, uint32_t lin)
{
    for (uint32_t i = ps->patches; i != SCAN_NIL; i = sc->patches[i].next) {
        const struct scan_region *r = &sc->patches[i].region;
        if (lin > r->addr && lin < r->addr + r->len)
            return &sc->patches[i];
    }
    return NULL;
}

/* The guest's bytes back, the site's INT3 planted again, the record freed, the monitor told. */
void patch_remove(struct scanner *sc, struct scan_page *ps, struct scan_patch *p)
{
    uint32_t i = (uint32_t)(p - sc->patches), addr = p->region.addr, cookie = p->cookie;
    uint8_t *mem = page_bytes(sc, addr) + (addr & ~SCAN_PAGE_MASK);
    memcpy(mem, p->orig, p->nbytes);
    mem[0] = 0xCC;
    uint32_t *link = &ps->patches;
    while (*link != i)
        link = &sc->patches[*link].next;
    *link = p->next;
    patch_release(sc, i);
    sc->patches_live--;
    sc->stats.patches_removed++;
    if (sc->ops.patch_removed)
        sc->ops.patch_removed(sc->ops.ctx, addr, cookie);
}

void patches_drop(struct scanner *sc, struct scan_page *ps)
{
    while (ps->patches != SCAN_NIL)
        patch_remove(sc, ps, &sc->patches[ps->patches]);
}

/* Put the guest's bytes of patched regions into buf, which holds [lin, lin+len) of one page as
 * memory has them. */
void patch_overlay(const struct scanner *sc, uint32_t lin, uint8_t *buf, uint32_t len)
{
    const struct scan_page *ps = page_find(sc, page_of(lin));
    if (!ps)
        return;
    for (uint32_t i = ps->patches; i != SCAN_NIL; i = sc->patches[i].next) {
        const struct scan_patch *p = &sc->patches[i];
        uint32_t from = p->region.addr > lin ? p->region.addr : lin;
        uint32_t end = p->region.addr + p->region.len;
        if (end > lin + len)
            end = lin + len;
        if (from < end)
            memcpy(buf + (from - lin), p->orig + (from - p->region.addr), end - from);
    }
}

/* Native code can jump to lin (ps is its page, scanned): a patch over it must go. */
void mark_target(struct scanner *sc, struct scan_page *ps, uint32_t lin)
{
    bit_set(ps->targets, lin & ~SCAN_PAGE_MASK);
    if (sc->patches_live) {
        struct scan_patch *p = patch_inside(sc, ps, lin);
        if (p)
            patch_remove(sc, ps, p);
    }
}

void scan_note_target(struct scanner *sc, uint32_t linear)
{
    struct scan_page *ps = page_find(sc, page_of(linear));
    if (ps && ps->mode)
        mark_target(sc, ps, linear);
}

/* May a displaced instruction at lin run in a stub? SCAN_PATCH_OK with its length if so. */
static int displaced(struct scanner *sc, const struct scan_page *ps, uint32_t lin, uint8_t *len)
{
    if (!is_start(ps, lin))
        return SCAN_PATCH_NEXT_UNSCANNED;
    if (site_find(sc, lin))
        return SCAN_PATCH_NEXT_SITE;
    struct x86_insn in;
    enum x86_status st;
    if (!decode_at(sc, lin, ps->mode, &in, &st) || st != X86_OK)
        return SCAN_PATCH_NEXT_NOT_PLAIN;
    if (in.xfer != X86_XFER_NONE)
        return SCAN_PATCH_NEXT_TRANSFER;
    if (in.cls == X86_CLASS_PRIVILEGED)
        return SCAN_PATCH_NEXT_PRIVILEGED;
    /* In the stub CS is the nexus segment: a CS override would read the nexus. */
    if (in.cls != X86_CLASS_NORMAL || (in.prefixes & X86_PFX_CS))
        return SCAN_PATCH_NEXT_NOT_PLAIN;
    *len = in.len;
    return SCAN_PATCH_OK;
}

int scan_patch_plan(struct scanner *sc, uint32_t addr, uint32_t min_len, struct scan_region *out)
{
    const struct scan_site *s = site_find(sc, addr);
    if (!s || !s->planted)
        return SCAN_PATCH_NO_SITE;
    if (s->kind != SITE_SENSITIVE)
        return SCAN_PATCH_NOT_SENSITIVE;
    const struct scan_page *ps = page_find(sc, page_of(addr));
    if (ps->mode != 32)
        return SCAN_PATCH_NOT_MODE32;
    if (patch_at(sc, ps, addr))
        return SCAN_PATCH_PATCHED;

    struct scan_region r;
    memset(&r, 0, sizeof r);
    r.addr = addr;
    r.cs_base = ps->cs_base;
    r.mode = ps->mode;
    uint32_t off = addr & ~SCAN_PAGE_MASK, len = 0;
    uint8_t ilen = s->len;
    for (;;) {
        if (off + len + ilen > SCAN_PAGE)
            return SCAN_PATCH_PAGE_END;
        if (r.ninsns == SCAN_REGION_MAX_INSNS || len + ilen > SCAN_REGION_MAX_LEN)
            return SCAN_PATCH_TOO_LONG;
        r.insn_off[r.ninsns] = (uint8_t)len;
        r.insn_len[r.ninsns++] = ilen;
        len += ilen;
        if (len >= min_len)
            break;
        if (off + len == SCAN_PAGE)
            return SCAN_PATCH_PAGE_END;
        int why = displaced(sc, ps, addr + len, &ilen);
        if (why != SCAN_PATCH_OK)
            return why;
    }
    /* The stub jumps back to the byte after the region: native code, so a scanned start. */
    if (off + len == SCAN_PAGE)
        return SCAN_PATCH_PAGE_END;
    if (!is_start(ps, addr + len))
        return SCAN_PATCH_NEXT_UNSCANNED;
    for (uint32_t i = 1; i < len; i++)
        if (bit_get(ps->targets, off + i))
            return SCAN_PATCH_TARGET_INSIDE;
    /* Starts of other decodes inside (sites among them, the site's own bytes included) would
     * have their bytes overwritten: a site's INT3, a dormant record planted again later. */
    uint32_t ours = 0;
    for (unsigned k = 0; k < r.ninsns; k++)
        ours |= 1u << r.insn_off[k];
    for (uint32_t i = 1; i < len; i++)
        if (!(ours >> i & 1) && is_start(ps, addr + i))
            return SCAN_PATCH_OVERLAP_INSIDE;
    if (sc->patches_free == SCAN_NIL)
        return SCAN_PATCH_NO_ROOM;
    r.len = (uint8_t)len;
    *out = r;
    return SCAN_PATCH_OK;
}

const char *scan_patch_reason_name(int result)
{
    static const char *const names[SCAN_PATCH_REASONS] = {
        [SCAN_PATCH_OK] = "patchable",
        [SCAN_PATCH_NO_SITE] = "no planted site",
        [SCAN_PATCH_NOT_SENSITIVE] = "not a sensitive site",
        [SCAN_PATCH_NOT_MODE32] = "not 32-bit code",
        [SCAN_PATCH_PATCHED] = "already patched",
        [SCAN_PATCH_PAGE_END] = "region would leave the page",
        [SCAN_PATCH_NEXT_UNSCANNED] = "next instruction not scanned",
        [SCAN_PATCH_NEXT_SITE] = "next instruction is a site",
        [SCAN_PATCH_NEXT_TRANSFER] = "next instruction is a transfer",
        [SCAN_PATCH_NEXT_PRIVILEGED] = "next instruction is privileged",
        [SCAN_PATCH_NEXT_NOT_PLAIN] = "next instruction not plain",
        [SCAN_PATCH_TOO_LONG] = "region too long",
        [SCAN_PATCH_TARGET_INSIDE] = "branch target inside",
        [SCAN_PATCH_OVERLAP_INSIDE] = "another decode inside",
        [SCAN_PATCH_NO_ROOM] = "no patch record free",
    };
    return result >= 0 && result < SCAN_PATCH_REASONS ? names[result] : "?";
}

static bool same_region(const struct scan_region *a, const struct scan_region *b)
{
    if (a->addr != b->addr || a->cs_base != b->cs_base || a->len != b->len ||
        a->ninsns != b->ninsns || a->mode != b->mode)
        return false;
    for (unsigned i = 0; i < a->ninsns; i++)
        if (a->insn_off[i] != b->insn_off[i] || a->insn_len[i] != b->insn_len[i])
            return false;
    return true;
}

bool scan_patch_apply(struct scanner *sc, const struct scan_region *r, const uint8_t *bytes,
                      uint32_t nbytes, uint32_t cookie)
{
    struct scan_region now;
    if (nbytes == 0 || nbytes > r->len ||
        scan_patch_plan(sc, r->addr, r->len, &now) != SCAN_PATCH_OK || !same_region(&now, r))
        return false;
    struct scan_page *ps = page_find(sc, page_of(r->addr));
    uint32_t i = patch_alloc(sc);
    struct scan_patch *p = &sc->patches[i];
    p->region = now;
    p->cookie = cookie;
    p->nbytes = (uint8_t)nbytes;
    read_original(sc, now.addr, p->orig, now.len);
    memcpy(page_bytes(sc, now.addr) + (now.addr & ~SCAN_PAGE_MASK), bytes, nbytes);
    p->next = ps->patches;
    ps->patches = i;
    sc->patches_live++;
    sc->stats.patches_applied++;
    return true;
}

void scan_patch_remove(struct scanner *sc, uint32_t addr)
{
    struct scan_page *ps = page_find(sc, page_of(addr));
    struct scan_patch *p = ps ? patch_at(sc, ps, addr) : NULL;
    if (p)
        patch_remove(sc, ps, p);
}

bool scan_patch_at(const struct scanner *sc, uint32_t addr, struct scan_region *out,
                   uint32_t *cookie)
{
    const struct scan_page *ps = sc->patches_live ? page_find(sc, page_of(addr)) : NULL;
    const struct scan_patch *p = ps ? patch_at(sc, ps, addr) : NULL;
    if (!p)
        return false;
    if (out)
        *out = p->region;
    if (cookie)
        *cookie = p->cookie;
    return true;
}
