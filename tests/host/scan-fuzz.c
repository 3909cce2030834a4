/* tests/host/scan-fuzz.c: random testing of the prescanner. Each case fills a fake memory of a
 * few pages (one of them not RAM) with random bytes and random mixes of real instruction
 * sequences, then runs random steps: scan_ensure at random entries (both code sizes, sometimes
 * a non-zero code segment base), site hits (scan_site_done and the scan of where the emulated
 * instruction went), patches where scan_patch_plan allows them, branch targets noted in and
 * around them and their removal, guest writes into scanned code (self-modifying code),
 * invalidations and resets, with memory blocks small enough to force recycling. The invariant is
 * checked after every step (tests/host/scan-fake.c). Prints "N cases, M violations"; exits non-zero
 * on any.
 *
 *     scan-fuzz --seed S --count N [--steps K] [--verbose] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/decode.h"
#include "tests/host/scan-fake.h"

#define BASE   0x00400000u
#define NPAGES 20
#define HOLE   9 /* a page that is not RAM */

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static uint32_t below(uint32_t n)
{
    return rnd() % n;
}

/* Real instruction forms, with R8 / R16 / R32 marking a relative offset to fill in and I for
 * random immediate bytes. The first NPLAIN run natively anywhere (what a patch can displace). */
enum { END = 0x100, R8, R16, R32, I };
static const uint16_t forms[][8] = {
    {0x90, END},
    {0x40, END},
    {0x58, END},
    {0x50, END},
    {0x89, 0xC8, END},
    {0xB8, I, I, I, I, END},
    {0x66, 0xB8, I, I, END},
    {0x8B, 0x45, I, END},
    {0x9C, END},
    {0x9D, END}, /* PUSHF, POPF */
    {0x8C, 0xC8, END},
    {0x8E, 0xD8, END}, /* MOV eax, cs; MOV ds, eax */
    {0x0E, END},
    {0x0F, 0xA2, END}, /* PUSH CS, CPUID */
    {0x0F, 0x01, 0x01, END},
    {0xCF, END},                         /* SGDT [ecx], IRET */
    {0xEA, I, I, I, I, 0x08, 0x00, END}, /* JMP far */
    {0xFA, END},
    {0xFB, END},
    {0xF4, END},
    {0x0F, 0x20, 0xC0, END}, /* CLI STI HLT MOV eax,cr0 */
    {0xE4, 0x80, END},
    {0xCC, END},
    {0xCD, 0x80, END},
    {0xCE, END}, /* IN, INT3, INT 0x80, INTO */
    {0x0F, 0x0B, END},
    {0xC3, END},
    {0xC2, 0x04, 0x00, END},
    {0xFF, 0xE0, END}, /* UD2 RET RET n JMP eax */
    {0xFF, 0xD0, END},
    {0xFF, 0x10, END}, /* CALL eax, CALL [eax] */
    {0xEB, R8, END},
    {0x74, R8, END},
    {0x75, R8, END},
    {0xE2, R8, END},
    {0xE3, R8, END},
    {0xE8, R32, END},
    {0xE9, R32, END},
    {0x0F, 0x84, R32, END},
    {0x66, 0xE9, R16, END},
    {0x0F, 0x04, END}, /* JMP rel16, an undefined opcode */
};
#define NFORMS (sizeof forms / sizeof forms[0])
#define NPLAIN 8

/* Emit one form at lin, mostly a plain one if `plain`; returns its length. Relative offsets
 * mostly land inside the memory. */
static unsigned emit(uint8_t *buf, uint32_t lin, bool plain)
{
    const uint16_t *fm = forms[plain && below(4) ? below(NPLAIN) : below(NFORMS)];
    unsigned n = 0;
    for (; *fm != END; fm++) {
        if (*fm < 0x100) {
            buf[n++] = (uint8_t)*fm;
        } else if (*fm == I) {
            buf[n++] = (uint8_t)rnd();
        } else if (*fm == R8) {
            buf[n++] = (uint8_t)rnd();
        } else {
            unsigned w = *fm == R16 ? 2 : 4;
            uint32_t target = BASE + below(NPAGES * 4096);
            uint32_t rel = target - (lin + n + w);
            for (unsigned i = 0; i < w; i++)
                buf[n++] = (uint8_t)(rel >> (8 * i));
        }
    }
    return n;
}

/* Bytes for [lin, lin+len): random, or a stream of real instructions. */
static void gen_bytes(uint8_t *buf, uint32_t lin, unsigned len)
{
    unsigned style = below(10);
    unsigned n = 0;
    while (n < len) {
        uint8_t tmp[16];
        unsigned k;
        if (style == 0) {
            tmp[0] = (uint8_t)rnd();
            k = 1;
        } else if (style == 1) {
            tmp[0] = 0xCC;
            k = 1;
        } else {
            k = emit(tmp, lin + n, style == 2);
        }
        for (unsigned i = 0; i < k && n < len; i++)
            buf[n++] = tmp[i];
    }
}

static struct fake_mem fm;
static uint8_t *block;

struct ctx {
    int mode;
    uint32_t cs_base;
    unsigned violations, full, not_ram, patched;
    uint32_t cookie; /* the next patch's */
    bool verbose;
};

static uint32_t random_lin(void)
{
    return BASE + below(NPAGES * 4096);
}

/* Often a byte of a scanned instruction, for writes into code. */
static uint32_t near_code(void)
{
    for (unsigned tries = 0; tries < 256; tries++) {
        uint32_t lin = random_lin();
        int mode;
        uint32_t base;
        if (scan_insn_start(fm.sc, lin, &mode, &base))
            return lin + below(4);
    }
    return random_lin();
}

/* What scan_ensure answered must be true: a scanned start, or bytes that run into memory that
 * is not RAM. */
static void ensure_in(struct ctx *c, uint32_t lin, int mode, uint32_t base)
{
    int r = scan_ensure(fm.sc, base, lin - base, mode);
    int m;
    uint32_t b;
    if (r == SCAN_OK && !(scan_insn_start(fm.sc, lin, &m, &b) && m == mode && b == base)) {
        printf("scan_ensure(%08x) OK but not a scanned start\n", lin);
        c->violations++;
    }
    const struct fake_patch *p = fake_patch_over(&fm, lin);
    if ((r == SCAN_PATCHED) != (p && p->addr != lin)) {
        printf("scan_ensure(%08x) gave %d, and it is %sinside a patch\n", lin, r,
               p && p->addr != lin ? "" : "not ");
        c->violations++;
    }
    uint8_t bytes[X86_MAX_INSN_LEN];
    unsigned avail = 0;
    while (avail < sizeof bytes && scan_read_original(fm.sc, lin + avail, bytes + avail, 1))
        avail++;
    struct x86_insn in;
    if (r == SCAN_NOT_RAM && x86_decode(bytes, avail, mode, &in) != X86_NEED_MORE) {
        printf("scan_ensure(%08x) says not RAM, but its bytes are\n", lin);
        c->violations++;
    }
    c->full += r == SCAN_FULL;
    c->not_ram += r == SCAN_NOT_RAM;
    c->patched += r == SCAN_PATCHED;
    if (c->verbose)
        printf("  ensure %08x mode %d base %x -> %d\n", lin, mode, base, r);
}

/* A random entry, sometimes in the other code size or with base 0. */
static void ensure(struct ctx *c, uint32_t lin)
{
    ensure_in(c, lin, below(10) == 0 ? 48 - c->mode : c->mode, below(10) == 0 ? 0 : c->cs_base);
}

/* After the monitor emulated a site's instruction it scans where it went; here, often every
 * static successor, so that a second hit can take an edge out. */
static void after_site(struct ctx *c, const struct site_info *si)
{
    uint8_t b[15];
    struct x86_insn in;
    int mode;
    uint32_t base;
    if (!scan_insn_start(fm.sc, si->addr, &mode, &base) ||
        !scan_read_original(fm.sc, si->addr, b, 15) || x86_decode(b, 15, mode, &in) != X86_OK ||
        below(4) == 0) {
        ensure(c, random_lin());
        return;
    }
    bool all = below(4) != 0;
    if (in.target_kind == X86_TARGET_REL && (all || below(2)))
        ensure_in(c, base + x86_rel_target(&in, si->addr - base), mode, base);
    if (all || below(2))
        ensure_in(c, si->addr + in.len, mode, base);
}

/* A live patch chosen at random, or NULL. */
static const struct fake_patch *some_patch(void)
{
    unsigned n = 0;
    const struct fake_patch *pick = NULL;
    for (unsigned i = 0; i < FAKE_MAX_PATCHES; i++)
        if (fm.patches[i].live && below(++n) == 0)
            pick = &fm.patches[i];
    return pick;
}

/* The monitor patches a sensitive site where the scanner allows it: a far JMP's length, or any
 * length up to 16, written whole or in part. */
static void patch_site(struct ctx *c)
{
    static struct site_info sites[4096];
    unsigned n = scan_sites(fm.sc, sites, 4096);
    if (n > 4096)
        n = 4096;
    for (unsigned tries = 0; tries < 16 && n > 0; tries++) {
        const struct site_info *si = &sites[below(n)];
        if (si->kind != SITE_SENSITIVE)
            continue;
        struct scan_region r;
        uint32_t min_len = below(2) ? 7 : 1 + below(16);
        int why = scan_patch_plan(fm.sc, si->addr, min_len, &r);
        if (why != SCAN_PATCH_OK)
            continue;
        uint8_t bytes[SCAN_REGION_MAX_LEN] = {0xEA};
        for (unsigned i = 1; i < r.len; i++)
            bytes[i] = (uint8_t)rnd();
        unsigned nbytes = below(2) ? (r.len < 7 ? r.len : 7) : 1 + below(r.len);
        bool ok = fake_apply(&fm, &r, bytes, nbytes, c->cookie++);
        if (c->verbose)
            printf("  patch %08x+%u (%u written) -> %d\n", r.addr, r.len, nbytes, ok);
        return;
    }
}

static void step(struct ctx *c)
{
    unsigned what = below(100);
    if (what < 35) {
        ensure(c, random_lin());
    } else if (what < 65) {
        static struct site_info sites[4096];
        unsigned n = scan_sites(fm.sc, sites, 4096);
        if (n == 0) {
            ensure(c, random_lin());
            return;
        }
        if (n > 4096)
            n = 4096;
        struct site_info si = sites[below(n)];
        for (unsigned tries = 0; tries < 8 && si.kind != SITE_EDGE && below(2); tries++)
            si = sites[below(n)]; /* edges are the interesting ones */
        scan_site_done(fm.sc, si.addr);
        if (c->verbose)
            printf("  hit %08x kind %u\n", si.addr, si.kind);
        after_site(c, &si);
        if (below(2)) /* the next time through, the edge may resolve */
            scan_site_done(fm.sc, si.addr);
    } else if (what < 75) {
        patch_site(c);
    } else if (what < 78) {
        /* a branch target the monitor learns of, often in or at the edges of a patch */
        const struct fake_patch *p = some_patch();
        uint32_t lin = p && below(4) ? p->addr + below(p->len + 1u) : random_lin();
        scan_note_target(fm.sc, lin);
        if (c->verbose)
            printf("  target %08x\n", lin);
    } else if (what < 80) {
        /* the guest writes a jump into a patch's region somewhere, and runs it */
        const struct fake_patch *p = some_patch();
        if (!p || p->len < 2)
            return;
        uint32_t to = p->addr + 1 + below(p->len - 1u), at = random_lin(), rel = to - (at + 5);
        const uint8_t jmp[5] = {0xE9, (uint8_t)rel, (uint8_t)(rel >> 8), (uint8_t)(rel >> 16),
                                (uint8_t)(rel >> 24)};
        if (!fake_write(&fm, at, jmp, sizeof jmp, below(2))) {
            printf("write at %08x: page still protected after invalidation\n", at);
            c->violations++;
        }
        ensure_in(c, at, c->mode, c->cs_base);
        if (c->verbose)
            printf("  jump %08x -> %08x\n", at, to);
    } else if (what < 92) {
        uint8_t buf[32];
        unsigned where = below(6);
        uint32_t lin = where < 3   ? random_lin()
                       : where < 5 ? near_code()
                                   : BASE + below(NPAGES) * 4096 + below(3); /* straddler tails */
        unsigned len = 1 + below(below(2) ? 4 : sizeof buf);
        gen_bytes(buf, lin, len);
        if (!fake_write(&fm, lin, buf, len, below(2))) {
            printf("write at %08x: page still protected after invalidation\n", lin);
            c->violations++;
        }
        if (c->verbose)
            printf("  write %08x+%u\n", lin, len);
    } else if (what < 97) {
        scan_invalidate_page(fm.sc, random_lin());
    } else if (what < 99) {
        const struct fake_patch *p = some_patch();
        if (p)
            scan_patch_remove(fm.sc, p->addr);
    } else {
        scan_reset(fm.sc);
        if (c->verbose)
            printf("  reset\n");
    }
}

static size_t block_size(void)
{
    static const size_t sizes[] = {64 * 1024, 80 * 1024, 1024 * 1024};
    return sizes[below(3)];
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    unsigned count = 100, steps = 60;
    bool verbose = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--steps") && i + 1 < argc)
            steps = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--verbose"))
            verbose = true;
        else {
            fprintf(stderr, "usage: %s --seed S --count N [--steps K] [--verbose]\n", argv[0]);
            return 2;
        }
    }
    block = malloc(1024 * 1024);
    unsigned violations = 0;
    uint64_t recycled = 0, resolved = 0, replanted = 0, full = 0, not_ram = 0;
    uint64_t applied = 0, removed = 0, patched = 0;
    uint64_t by_kind[4] = {0};
    for (unsigned k = 0; k < count; k++) {
        rng_state = seed * 0x9E3779B97F4A7C15ull + k + 1;
        fake_init(&fm, BASE, NPAGES);
        fake_set_ram(&fm, HOLE, false);
        for (unsigned p = 0; p < NPAGES; p++)
            gen_bytes(fm.image[p], BASE + p * 4096, 4096);
        memcpy(fm.mem, fm.image, sizeof fm.mem);
        struct scan_ops ops = fake_ops(&fm);
        fm.sc = scan_init(block, block_size(), &ops);
        if (below(2)) {
            fm.policy = SCAN_POLICY_SITE_CLI_STI;
            scan_set_policy(fm.sc, fm.policy);
        }
        struct ctx c = {.mode = below(4) ? 32 : 16,
                        .cs_base = below(3) ? 0 : BASE - 0x8000 + below(0x10000),
                        .verbose = verbose};
        char tag[64];
        for (unsigned s = 0; s < steps; s++) {
            step(&c);
            snprintf(tag, sizeof tag, "case %u step %u", k, s);
            c.violations += fake_check(&fm, tag);
            if (c.violations)
                break;
        }
        if (c.violations)
            printf("case %u (seed %llu): %u violations\n", k, (unsigned long long)seed,
                   c.violations);
        violations += c.violations;
        const struct scan_stats *st = scan_stats(fm.sc);
        recycled += st->pages_recycled;
        resolved += st->edges_resolved;
        replanted += st->edges_replanted;
        for (int i = 0; i < 4; i++)
            by_kind[i] += st->sites_by_kind[i];
        full += c.full;
        not_ram += c.not_ram;
        applied += st->patches_applied;
        removed += st->patches_removed;
        patched += c.patched;
    }
    printf("coverage: sites sensitive %llu indirect %llu edge %llu overlap %llu; edges resolved "
           "%llu replanted %llu; pages recycled %llu; not RAM %llu; full %llu; patches applied "
           "%llu removed %llu, inside one %llu\n",
           (unsigned long long)by_kind[0], (unsigned long long)by_kind[1],
           (unsigned long long)by_kind[2], (unsigned long long)by_kind[3],
           (unsigned long long)resolved, (unsigned long long)replanted,
           (unsigned long long)recycled, (unsigned long long)not_ram, (unsigned long long)full,
           (unsigned long long)applied, (unsigned long long)removed, (unsigned long long)patched);
    printf("%u cases, %u violations\n", count, violations);
    free(block);
    return violations ? 1 : 0;
}
