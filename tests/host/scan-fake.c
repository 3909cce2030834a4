/* tests/host/scan-fake.c: the fake guest memory behind the prescanner's host tests, the patch
 * records of the monitor's side, and the invariant checker. The checker does not reuse the
 * scanner's logic: it decodes the guest's own bytes (the image) and applies the rules of
 * docs/scanner.md directly; where patches are it knows from its own records (what was applied
 * and what the scanner said it removed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/decode.h"
#include "tests/host/scan-fake.h"

void fake_init(struct fake_mem *f, uint32_t base, unsigned npages)
{
    memset(f, 0, sizeof *f);
    f->base = base;
    f->npages = npages;
    for (unsigned p = 0; p < npages; p++)
        f->ram[p] = true;
}

void fake_set_ram(struct fake_mem *f, unsigned page, bool ram)
{
    f->ram[page] = ram;
}

int fake_scanner_init(struct fake_mem *f, uint32_t base, unsigned npages, void *block, size_t bytes)
{
    fake_init(f, base, npages);
    struct scan_ops ops = fake_ops(f);
    f->sc = scan_init(block, bytes, &ops);
    return f->sc ? 0 : -1;
}

int fake_page(const struct fake_mem *f, uint32_t lin)
{
    uint32_t rel = lin - f->base;
    return rel / 4096 < f->npages ? (int)(rel / 4096) : -1;
}

static int ram_page(const struct fake_mem *f, uint32_t lin)
{
    int p = fake_page(f, lin);
    return p >= 0 && f->ram[p] ? p : -1;
}

static uint8_t *cb_page_ptr(void *ctx, uint32_t page)
{
    struct fake_mem *f = ctx;
    int p = ram_page(f, page);
    return p >= 0 ? f->mem[p] : NULL;
}

static void cb_protect(void *ctx, uint32_t page, bool wp)
{
    struct fake_mem *f = ctx;
    int p = ram_page(f, page);
    if (p < 0 || (page & 0xFFF) || f->prot[p] == wp) {
        f->protect_errors++;
        return;
    }
    f->prot[p] = wp;
}

/* Mark the bytes of patch record i (value i + 1) or clear them (0). */
static void mark_over(struct fake_mem *f, unsigned i, uint16_t value)
{
    const struct fake_patch *p = &f->patches[i];
    for (unsigned k = 0; k < p->len; k++) {
        int pg = fake_page(f, p->addr + k);
        if (pg >= 0)
            f->over[pg][(p->addr + k) & 0xFFF] = value;
    }
}

static void cb_patch_removed(void *ctx, uint32_t addr, uint32_t cookie)
{
    struct fake_mem *f = ctx;
    f->removals++;
    for (unsigned i = 0; i < FAKE_MAX_PATCHES; i++) {
        struct fake_patch *p = &f->patches[i];
        if (p->live && p->addr == addr && p->cookie == cookie) {
            mark_over(f, i, 0);
            p->live = false;
            return;
        }
    }
    f->patch_errors++;
}

struct scan_ops fake_ops(struct fake_mem *f)
{
    return (struct scan_ops){.ctx = f,
                             .page_ptr = cb_page_ptr,
                             .protect = cb_protect,
                             .patch_removed = cb_patch_removed};
}

bool fake_apply(struct fake_mem *f, const struct scan_region *r, const uint8_t *bytes,
                unsigned nbytes, uint32_t cookie)
{
    unsigned i = 0;
    while (i < FAKE_MAX_PATCHES && f->patches[i].live)
        i++;
    if (i == FAKE_MAX_PATCHES || !scan_patch_apply(f->sc, r, bytes, nbytes, cookie))
        return false;
    struct fake_patch *slot = &f->patches[i];
    *slot = (struct fake_patch){
        .addr = r->addr, .cookie = cookie, .len = r->len, .nbytes = (uint8_t)nbytes, .live = true};
    memcpy(slot->bytes, bytes, nbytes);
    mark_over(f, i, (uint16_t)(i + 1));
    return true;
}

const struct fake_patch *fake_patch_over(const struct fake_mem *f, uint32_t lin)
{
    int pg = fake_page(f, lin);
    unsigned i = pg >= 0 ? f->over[pg][lin & 0xFFF] : 0;
    return i ? &f->patches[i - 1] : NULL;
}

/* Strictly inside a live patch's region: native code must never get there. */
static bool patch_interior(const struct fake_mem *f, uint32_t lin)
{
    const struct fake_patch *p = fake_patch_over(f, lin);
    return p && lin != p->addr;
}

void fake_load(struct fake_mem *f, uint32_t lin, const void *bytes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        int p = fake_page(f, lin + i);
        if (p < 0)
            continue;
        f->mem[p][(lin + i) & 0xFFF] = ((const uint8_t *)bytes)[i];
        f->image[p][(lin + i) & 0xFFF] = ((const uint8_t *)bytes)[i];
    }
}

void fake_load_hex(struct fake_mem *f, uint32_t lin, const char *hex)
{
    uint8_t b[256];
    unsigned n = 0;
    for (char *end; *hex && n < sizeof b; hex = end) {
        unsigned long v = strtoul(hex, &end, 16);
        if (end == hex)
            break;
        b[n++] = (uint8_t)v;
    }
    fake_load(f, lin, b, n);
}

bool fake_protected(const struct fake_mem *f, uint32_t lin)
{
    int p = fake_page(f, lin);
    return p >= 0 && f->prot[p];
}

uint8_t fake_byte(const struct fake_mem *f, uint32_t lin)
{
    return f->mem[fake_page(f, lin)][lin & 0xFFF];
}

bool fake_insn_start(const struct fake_mem *f, uint32_t lin)
{
    int mode;
    uint32_t base;
    return scan_insn_start(f->sc, lin, &mode, &base);
}

int fake_site_kind(const struct fake_mem *f, uint32_t lin)
{
    struct site_info si;
    if (!scan_site_at(f->sc, lin, &si))
        return -1;
    return si.addr == lin ? si.kind : -2;
}

bool fake_write(struct fake_mem *f, uint32_t lin, const void *bytes, unsigned n, bool keep)
{
    for (unsigned i = 0; i < n; i++) {
        int p = ram_page(f, lin + i);
        if (p < 0)
            continue;
        if (f->prot[p] && !(keep && !scan_write_hits_code(f->sc, lin + i, 1))) {
            scan_invalidate_page(f->sc, lin + i);
            if (f->prot[p])
                return false;
        }
        f->mem[p][(lin + i) & 0xFFF] = ((const uint8_t *)bytes)[i];
        f->image[p][(lin + i) & 0xFFF] = ((const uint8_t *)bytes)[i];
    }
    return true;
}

/* Decode the guest's bytes at lin; false if the instruction runs into memory that is not RAM. */
static bool decode_image(const struct fake_mem *f, uint32_t lin, int mode, struct x86_insn *in,
                         enum x86_status *st)
{
    uint8_t b[X86_MAX_INSN_LEN];
    unsigned n = 0;
    for (; n < X86_MAX_INSN_LEN; n++) {
        int p = ram_page(f, lin + n);
        if (p < 0)
            break;
        b[n] = f->image[p][(lin + n) & 0xFFF];
    }
    *st = x86_decode(b, n, mode, in);
    return *st != X86_NEED_MORE;
}

struct checker {
    struct fake_mem *f;
    const char *tag;
    unsigned violations;
};

static void fail(struct checker *c, uint32_t lin, const char *what)
{
    if (c->violations < 20)
        printf("%s: %08x: %s\n", c->tag, lin, what);
    c->violations++;
}

static bool is_site(struct fake_mem *f, uint32_t lin)
{
    struct site_info si;
    return scan_site_at(f->sc, lin, &si);
}

/* A successor of a natively running instruction: a scanned start of the same code segment
 * (a planted site is one too). */
static void need_start(struct checker *c, uint32_t from, uint32_t t, int mode, uint32_t base)
{
    int m;
    uint32_t b;
    if (patch_interior(c->f, t)) {
        char what[64];
        snprintf(what, sizeof what, "successor %08x is inside a patch", t);
        fail(c, from, what);
    } else if (!scan_insn_start(c->f->sc, t, &m, &b) || m != mode || b != base) {
        char what[64];
        snprintf(what, sizeof what, "successor %08x is not a scanned start", t);
        fail(c, from, what);
    }
}

/* A scanned instruction that is not a site runs natively: check it may, and where it leads. */
static void check_native(struct checker *c, uint32_t lin, int mode, uint32_t base)
{
    struct x86_insn in;
    enum x86_status st;
    if (!decode_image(c->f, lin, mode, &in, &st)) {
        fail(c, lin, "native instruction runs into memory that is not RAM");
        return;
    }
    for (unsigned d = 1; d < in.len; d++)
        if (is_site(c->f, lin + d))
            fail(c, lin, "native instruction covers a planted site");
    if (((lin + in.len - 1) & ~0xFFFu) != (lin & ~0xFFFu) &&
        !fake_protected(c->f, lin + in.len - 1))
        fail(c, lin, "native straddler's tail page is not protected");
    if (st != X86_OK)
        return; /* faults natively */
    if (in.cls == X86_CLASS_SENSITIVE && in.xfer != X86_XFER_INT) {
        fail(c, lin, "sensitive instruction runs natively");
        return;
    }
    if ((c->f->policy & SCAN_POLICY_SITE_CLI_STI) && (in.op == X86_OP_CLI || in.op == X86_OP_STI)) {
        fail(c, lin, "CLI or STI runs natively under SCAN_POLICY_SITE_CLI_STI");
        return;
    }
    uint32_t next = lin + in.len;
    switch (in.xfer) {
    case X86_XFER_NONE:
        if (in.op != X86_OP_UD0 && in.op != X86_OP_UD1 && in.op != X86_OP_UD2)
            need_start(c, lin, next, mode, base);
        break;
    case X86_XFER_JMP:
    case X86_XFER_CALL:
        if (in.xfer_flags & X86_XF_INDIRECT)
            fail(c, lin, "indirect transfer runs natively");
        else
            need_start(c, lin, base + x86_rel_target(&in, lin - base), mode, base);
        break;
    case X86_XFER_JCC:
    case X86_XFER_LOOP:
        need_start(c, lin, base + x86_rel_target(&in, lin - base), mode, base);
        need_start(c, lin, next, mode, base);
        break;
    case X86_XFER_RET: fail(c, lin, "return runs natively"); break;
    case X86_XFER_INT:
        if (in.xfer_flags & X86_XF_COND)
            need_start(c, lin, next, mode, base);
        break;
    default: break;
    }
}

/* Does an instruction scanned in the page before p straddle into p? */
static bool has_straddler_into(struct fake_mem *f, unsigned p)
{
    if (p == 0)
        return false;
    uint32_t end = f->base + p * 4096;
    for (uint32_t lin = end - (X86_MAX_INSN_LEN - 1); lin < end; lin++) {
        int mode;
        uint32_t base;
        struct x86_insn in;
        enum x86_status st;
        if (scan_insn_start(f->sc, lin, &mode, &base) && decode_image(f, lin, mode, &in, &st) &&
            lin + in.len > end)
            return true;
    }
    return false;
}

/* A live patch: what the scanner says about it, the bytes in memory, and the region as the
 * guest's bytes decode (the site's instruction, then plain instructions the stub can run, then
 * a scanned start the stub jumps back to). */
static void check_patch(struct checker *c, const struct fake_patch *p)
{
    struct fake_mem *f = c->f;
    struct scan_region r;
    uint32_t cookie;
    struct site_info si;
    int mode;
    uint32_t base;
    if (!scan_patch_at(f->sc, p->addr, &r, &cookie) || cookie != p->cookie || r.len != p->len ||
        r.addr != p->addr) {
        fail(c, p->addr, "scan_patch_at does not give the patch applied");
        return;
    }
    if (!scan_site_at(f->sc, p->addr, &si) || si.kind != SITE_SENSITIVE ||
        !scan_insn_start(f->sc, p->addr, &mode, &base) || mode != 32) {
        fail(c, p->addr, "patch not on a sensitive site of 32-bit code");
        return;
    }
    int pg = fake_page(f, p->addr);
    if (pg < 0 || fake_page(f, p->addr + p->len) != pg) {
        fail(c, p->addr, "patch region or the byte after it leaves the page");
        return;
    }
    const uint8_t *mem = &f->mem[pg][p->addr & 0xFFF], *img = &f->image[pg][p->addr & 0xFFF];
    if (memcmp(mem, p->bytes, p->nbytes) ||
        memcmp(mem + p->nbytes, img + p->nbytes, p->len - p->nbytes))
        fail(c, p->addr, "patch region bytes are not the patch then the guest's");
    uint32_t at = p->addr;
    for (unsigned i = 0; at < p->addr + p->len; i++) {
        struct x86_insn in;
        enum x86_status st;
        if (!decode_image(f, at, 32, &in, &st) || st != X86_OK ||
            (i > 0 && (in.cls != X86_CLASS_NORMAL || in.xfer != X86_XFER_NONE ||
                       (in.prefixes & X86_PFX_CS) || is_site(f, at)))) {
            fail(c, at, "displaced instruction is not plain");
            return;
        }
        at += in.len;
    }
    if (at != p->addr + p->len)
        fail(c, p->addr, "patch region does not end at an instruction boundary");
    else
        need_start(c, p->addr, at, 32, base);
}

unsigned fake_check(struct fake_mem *f, const char *tag)
{
    struct checker c = {f, tag, 0};
    if (f->protect_errors)
        fail(&c, 0, "protect() called for a page not RAM or without a change");
    f->protect_errors = 0;
    if (f->patch_errors)
        fail(&c, 0, "patch_removed() for a patch that is not live");
    f->patch_errors = 0;
    for (unsigned i = 0; i < FAKE_MAX_PATCHES; i++)
        if (f->patches[i].live)
            check_patch(&c, &f->patches[i]);
    for (unsigned p = 0; p < f->npages; p++) {
        uint32_t page = f->base + p * 4096;
        if (!f->ram[p]) {
            if (f->prot[p] || scan_page_is_scanned(f->sc, page))
                fail(&c, page, "a page that is not RAM is protected or scanned");
            continue;
        }
        uint8_t orig[4096];
        if (!scan_read_original(f->sc, page, orig, 4096) || memcmp(orig, f->image[p], 4096))
            fail(&c, page, "scan_read_original differs from the guest's bytes");
        bool scanned = scan_page_is_scanned(f->sc, page);
        if (scanned && !f->prot[p])
            fail(&c, page, "scanned page not protected");
        if (f->prot[p] && !scanned && !has_straddler_into(f, p))
            fail(&c, page, "protected page neither scanned nor a straddle tail");
        for (uint32_t off = 0; off < 4096; off++) {
            uint32_t lin = page + off;
            bool site = is_site(f, lin);
            const struct fake_patch *patch = fake_patch_over(f, lin);
            bool patched = patch && lin < patch->addr + patch->nbytes;
            if (f->mem[p][off] != f->image[p][off] && !site && !patched)
                fail(&c, lin, "byte changed without a site");
            if (site && f->mem[p][off] != 0xCC && !(patch && lin == patch->addr))
                fail(&c, lin, "planted site without INT3");
            if (scan_patch_at(f->sc, lin, NULL, NULL) && !(patch && lin == patch->addr))
                fail(&c, lin, "a patch the monitor was told is gone, or never applied");
            int mode;
            uint32_t base;
            bool start = scan_insn_start(f->sc, lin, &mode, &base);
            if (site && !start)
                fail(&c, lin, "site is not a scanned start");
            if (start && patch && lin != patch->addr)
                fail(&c, lin, "a scanned start inside a patch");
            else if (start && !site)
                check_native(&c, lin, mode, base);
        }
    }
    return c.violations;
}
