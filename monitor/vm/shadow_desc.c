/*
 * shadow_desc.c: the GDT and LDT shadows (shadow_desc.h). Both are synchronised on every entry
 * into the guest by comparing the guest's table with the copy the shadow was made from, which
 * costs a few hundred bytes of comparison for the small tables 32-bit kernels use; a guest that
 * rewrites a descriptor of a segment it has loaded keeps the old hidden part, as on the CPU.
 */
#include "monitor/vm/shadow_desc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "monitor/vm/guest_space.h"

#include <string.h>

#define LDT_ENTRIES        8192u
#define GDT_IDX_SHADOW_LDT (GDT_MON_FIRST + 6)
#define SEL_SHADOW_LDT     (GDT_IDX_SHADOW_LDT << 3)

#define DESC_S    (1u << 12)
#define DESC_DPL3 (3u << 13)
#define DESC_A    (1u << 8)

static struct seg_desc shadow_ldt[LDT_ENTRIES] __attribute__((aligned(8)));
/* The guest descriptors the shadows were last made from, and how many entries are in use. */
static struct seg_desc gdt_copy[GDT_MON_FIRST];
static struct seg_desc ldt_copy[LDT_ENTRIES];
static unsigned gdt_used, ldt_used;
static uint16_t ldt_loaded = 0xffff;
/* Shadow entries overwritten with a segment register's hidden part at the last entry: put back
 * from the guest's table before the next one. */
static uint16_t installed[S_COUNT];
static unsigned installed_count;

/* Copies guest bytes from linear (= physical) memory; unmapped bytes read as zero. */
static void guest_read(uint32_t linear, void *dst, uint32_t len)
{
    uint8_t *out = dst;
    while (len > 0) {
        uint32_t chunk = 4096 - (linear & 4095);
        if (chunk > len)
            chunk = len;
        const uint8_t *src = guest_space_ptr(linear);
        if (src)
            memcpy(out, src, chunk);
        else
            memset(out, 0, chunk);
        out += chunk;
        linear += chunk;
        len -= chunk;
    }
}

static struct seg_desc compress(struct seg_desc d)
{
    if (!(d.hi & DESC_S))
        return (struct seg_desc){0, 0};
    d.hi |= DESC_DPL3 | DESC_A;
    return d;
}

/* Brings shadow[0 .. count) up to date with the guest's table at base; entries past count that
 * the previous sync filled are cleared. */
static void sync_table(struct seg_desc *shadow, struct seg_desc *copy, unsigned *used,
                       uint32_t base, unsigned count)
{
    static struct seg_desc chunk[64];
    for (unsigned i = 0; i < count; i += 64) {
        unsigned n = count - i < 64 ? count - i : 64;
        guest_read(base + i * 8, chunk, n * 8);
        if (i + n <= *used && memcmp(chunk, &copy[i], n * 8) == 0)
            continue;
        for (unsigned j = 0; j < n; j++) {
            copy[i + j] = chunk[j];
            shadow[i + j] = compress(chunk[j]);
        }
    }
    for (unsigned i = count; i < *used; i++)
        shadow[i] = copy[i] = (struct seg_desc){0, 0};
    *used = count;
}

static unsigned table_entries(uint32_t limit, unsigned max)
{
    unsigned n = (limit + 1) / 8;
    return n < max ? n : max;
}

static struct seg_desc desc_from_cache(const struct vcpu_seg *s)
{
    uint32_t limit = s->attr & SEG_G ? s->limit >> 12 : s->limit;
    struct seg_desc d;
    d.lo = (limit & 0xffff) | (s->base << 16);
    d.hi = ((s->base >> 16) & 0xff) | ((s->attr & 0xff) << 8) | (limit & 0xf0000) |
           (((s->attr >> 12) & 0xf) << 20) | (s->base & 0xff000000);
    return compress(d);
}

uint16_t shadow_desc_selector(const struct vcpu *cpu, enum vcpu_sreg s)
{
    uint16_t sel = cpu->seg[s].sel;
    if (s == S_CS || s == S_SS)
        return sel | 3;
    return (sel & ~3u) == 0 ? 0 : sel;
}

static void restore_installed(void)
{
    for (unsigned i = 0; i < installed_count; i++) {
        uint16_t sel = installed[i];
        unsigned index = sel >> 3;
        if (sel & 4)
            shadow_ldt[index] =
                index < ldt_used ? compress(ldt_copy[index]) : (struct seg_desc){0, 0};
        else
            gdt[index] = index < gdt_used ? compress(gdt_copy[index]) : (struct seg_desc){0, 0};
    }
    installed_count = 0;
}

const char *shadow_desc_sync(const struct vcpu *cpu)
{
    restore_installed();
    sync_table(gdt, gdt_copy, &gdt_used, cpu->gdtr.base,
               table_entries(cpu->gdtr.limit, GDT_MON_FIRST));
    gdt[0] = (struct seg_desc){0, 0};
    unsigned ldt_count = 0;
    if ((cpu->ldtr.sel & ~3u) != 0 && (cpu->ldtr.attr & SEG_P))
        ldt_count = table_entries(cpu->ldtr.limit, LDT_ENTRIES);
    sync_table(shadow_ldt, ldt_copy, &ldt_used, cpu->ldtr.base, ldt_count);

    for (int s = 0; s < S_COUNT; s++) {
        uint16_t sel = shadow_desc_selector(cpu, s);
        unsigned index = sel >> 3;
        if ((sel & ~3u) == 0)
            continue;
        if (!(sel & 4) && index >= GDT_MON_FIRST)
            return "a segment register holds a selector in the monitor's GDT slots";
        if (sel & 4)
            shadow_ldt[index] = desc_from_cache(&cpu->seg[s]);
        else
            gdt[index] = desc_from_cache(&cpu->seg[s]);
        installed[installed_count++] = sel;
    }

    uint16_t want = ldt_count ? SEL_SHADOW_LDT : 0;
    for (int s = 0; s < S_COUNT && !want; s++)
        if (cpu->seg[s].sel & 4)
            want = SEL_SHADOW_LDT;
    if (want) {
        gdt[GDT_IDX_SHADOW_LDT] =
            seg_desc_make((uint32_t)shadow_ldt, sizeof(shadow_ldt) - 1, 0x82, 0);
    }
    if (want != ldt_loaded) {
        __asm__ volatile("lldt %0" : : "r"(want));
        ldt_loaded = want;
    }
    return 0;
}

bool shadow_desc_load(const struct vcpu *cpu, uint16_t sel, struct vcpu_seg *out)
{
    uint32_t base = sel & 4 ? cpu->ldtr.base : cpu->gdtr.base;
    uint32_t limit = sel & 4 ? cpu->ldtr.limit : cpu->gdtr.limit;
    if ((sel | 7u) > limit)
        return false;
    struct seg_desc d;
    guest_read(base + (sel & ~7u), &d, sizeof d);
    out->sel = sel;
    out->base = (d.lo >> 16) | ((d.hi & 0xff) << 16) | (d.hi & 0xff000000);
    out->limit = (d.lo & 0xffff) | (d.hi & 0xf0000);
    out->attr = ((d.hi >> 8) & 0xff) | (((d.hi >> 20) & 0xf) << 12) | SEG_TYPE_A;
    if (out->attr & SEG_G)
        out->limit = (out->limit << 12) | 0xfff;
    return true;
}
