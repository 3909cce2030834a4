/* Segmentation: offset to linear address with the type and limit checks of protected mode
 * (#GP(0), or #SS(0) through SS), the alignment check of CPL 3 data accesses (#AC), descriptor-
 * table reads, and loading data/stack segment registers with the checks of MOV Sreg. Real mode
 * and virtual-8086 mode load base = sel << 4. */
#include "monitor/emu/emu-int.h"

unsigned emu_user_acc(struct emu *e)
{
    return e->w.cpl == 3 ? EMU_ACC_USER : 0;
}

static bool protected_mode(const struct vcpu *v)
{
    return (v->cr0 & CR0_PE) && !(v->eflags & FL_VM);
}

int seg_linear(struct emu *e, unsigned sreg, uint32_t off, unsigned size, bool write, uint32_t *lin)
{
    const struct vcpu_seg *s = &e->w.seg[sreg];
    unsigned vec = sreg == S_SS ? EXC_SS : EXC_GP;
    uint32_t last = off + size - 1;
    if (protected_mode(&e->w)) {
        if (s->attr & SEG_UNUSABLE)
            return emu_raise(e, vec, 0);
        if (s->attr & SEG_TYPE_CODE) {
            if (write || !(s->attr & SEG_TYPE_R))
                return emu_raise(e, vec, 0);
        } else if (write && !(s->attr & SEG_TYPE_W)) {
            return emu_raise(e, vec, 0);
        }
    }
    if (!(s->attr & SEG_TYPE_CODE) && (s->attr & SEG_TYPE_E)) {
        uint32_t upper = (s->attr & SEG_DB) ? 0xffffffffu : 0xffffu;
        if (off <= s->limit || last > upper || last < off)
            return emu_raise(e, vec, 0);
    } else if (last < off || last > s->limit) {
        return emu_raise(e, vec, 0);
    }
    *lin = s->base + off;
    return EMU_OK;
}

int seg_align_check(struct emu *e, uint32_t lin, unsigned size, unsigned acc)
{
    unsigned align = size >= 8 ? 8 : size >= 4 ? 4 : size;
    if (!(e->w.cr0 & CR0_AM) || !(e->w.eflags & FL_AC) || e->w.cpl != 3 || !(lin & (align - 1)))
        return EMU_OK;
    /* The access's own page faults come first. */
    int r = mem_lin_check(e, lin, size, acc);
    return r != EMU_OK ? r : emu_raise(e, EXC_AC, 0);
}

int seg_read(struct emu *e, unsigned sreg, uint32_t off, void *buf, unsigned size)
{
    uint32_t lin;
    unsigned acc = emu_user_acc(e);
    int r = seg_linear(e, sreg, off, size, false, &lin);
    if (r == EMU_OK)
        r = seg_align_check(e, lin, size, acc);
    return r != EMU_OK ? r : mem_lin_read(e, lin, buf, size, acc);
}

int seg_write(struct emu *e, unsigned sreg, uint32_t off, const void *buf, unsigned size)
{
    uint32_t lin;
    unsigned acc = emu_user_acc(e);
    int r = seg_linear(e, sreg, off, size, true, &lin);
    if (r == EMU_OK)
        r = seg_align_check(e, lin, size, acc | EMU_ACC_WRITE);
    return r != EMU_OK ? r : mem_lin_write(e, lin, buf, size, acc);
}

int seg_check_write(struct emu *e, unsigned sreg, uint32_t off, unsigned size)
{
    uint32_t lin;
    int r = seg_linear(e, sreg, off, size, true, &lin);
    return r != EMU_OK ? r : mem_lin_check(e, lin, size, emu_user_acc(e) | EMU_ACC_WRITE);
}

int seg_read_desc(struct emu *e, uint16_t sel, uint32_t d[2], unsigned vec, unsigned ext)
{
    uint32_t base, limit, idx = sel & ~7u;
    if (sel & 4) {
        if (e->w.ldtr.attr & SEG_UNUSABLE)
            return emu_raise(e, vec, (sel & 0xfffc) | ext);
        base = e->w.ldtr.base;
        limit = e->w.ldtr.limit;
    } else {
        base = e->w.gdtr.base;
        limit = e->w.gdtr.limit;
    }
    if (idx + 7 > limit)
        return emu_raise(e, vec, (sel & 0xfffc) | ext);
    return mem_lin_read(e, base + idx, d, 8, 0);
}

/* The CPU marks a descriptor accessed when it loads it. */
static int set_accessed(struct emu *e, uint16_t sel, uint32_t d[2])
{
    if (d[1] & (SEG_TYPE_A << 8))
        return EMU_OK;
    d[1] |= SEG_TYPE_A << 8;
    uint32_t base = (sel & 4) ? e->w.ldtr.base : e->w.gdtr.base;
    uint8_t b = d[1] >> 8;
    return mem_lin_write(e, base + (sel & ~7u) + 5, &b, 1, 0);
}

void seg_from_desc(struct vcpu_seg *s, uint16_t sel, const uint32_t d[2])
{
    s->sel = sel;
    s->base = (d[0] >> 16) | ((d[1] & 0xff) << 16) | (d[1] & 0xff000000u);
    s->limit = (d[0] & 0xffff) | (d[1] & 0xf0000);
    s->attr = (d[1] >> 8) & 0xf0ff;
    if (s->attr & SEG_G)
        s->limit = (s->limit << 12) | 0xfff;
}

int seg_load(struct emu *e, unsigned sreg, uint16_t sel)
{
    struct vcpu_seg *s = &e->w.seg[sreg];
    uint32_t d[2];
    if (!protected_mode(&e->w)) {
        s->sel = sel;
        s->base = (uint32_t)sel << 4;
        return EMU_OK;
    }
    unsigned cpl = e->w.cpl, rpl = sel & 3;
    if ((sel & 0xfffc) == 0) {
        if (sreg == S_SS)
            return GP0(e);
        s->sel = sel;
        s->base = 0;
        s->limit = 0;
        s->attr = SEG_UNUSABLE;
        return EMU_OK;
    }
    int r = seg_read_desc(e, sel, d, EXC_GP, 0);
    if (r != EMU_OK)
        return r;
    uint32_t attr = (d[1] >> 8) & 0xf0ff;
    unsigned dpl = (attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT;
    bool code = attr & SEG_TYPE_CODE;
    if (!(attr & SEG_S))
        return emu_raise(e, EXC_GP, sel & 0xfffc);
    if (sreg == S_SS) {
        if (code || !(attr & SEG_TYPE_W) || rpl != cpl || dpl != cpl)
            return emu_raise(e, EXC_GP, sel & 0xfffc);
        if (!(attr & SEG_P))
            return emu_raise(e, EXC_SS, sel & 0xfffc);
    } else {
        if (code && !(attr & SEG_TYPE_R))
            return emu_raise(e, EXC_GP, sel & 0xfffc);
        if ((!code || !(attr & SEG_TYPE_C)) && (rpl > dpl || cpl > dpl))
            return emu_raise(e, EXC_GP, sel & 0xfffc);
        if (!(attr & SEG_P))
            return emu_raise(e, EXC_NP, sel & 0xfffc);
    }
    r = set_accessed(e, sel, d);
    if (r != EMU_OK)
        return r;
    seg_from_desc(s, sel, d);
    return EMU_OK;
}
