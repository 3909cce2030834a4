/* Privilege-level plumbing shared by interrupt delivery and far CALLs through call gates: the
 * stack of an inner ring from the current TSS (32- or 16-bit) with the checks the CPU applies to
 * the new SS (#TS, #SS), and frame pushes whose room is checked before any write, so a stack that
 * is too small gives #SS with the error code the caller names. */
#include "monitor/emu/emu-int.h"

int inner_stack(struct emu *e, unsigned dpl, unsigned ext, struct vcpu_seg *ss, uint32_t *esp)
{
    const struct vcpu_seg *tr = &e->w.tr;
    unsigned type = tr->attr & (SEG_S | SEG_TYPE_MASK);
    uint32_t tss_err = (tr->sel & 0xfffc) | ext;
    bool tss32 = type == 9 || type == 11;
    if ((tr->attr & SEG_UNUSABLE) || (!tss32 && type != 1 && type != 3))
        return emu_raise(e, EXC_TS, tss_err);
    /* 32-bit TSS: ESPn at 4 + 8n, SSn at 8 + 8n; 16-bit TSS: SPn at 2 + 4n, SSn at 4 + 4n. */
    unsigned w = tss32 ? 4 : 2;
    uint32_t at = tss32 ? dpl * 8 + 4 : dpl * 4 + 2, sp = 0, d[2];
    uint16_t sel;
    if (at + 2 * w - 1 > tr->limit)
        return emu_raise(e, EXC_TS, tss_err);
    int r = mem_lin_read(e, tr->base + at, &sp, w, 0);
    if (r == EMU_OK)
        r = mem_lin_read(e, tr->base + at + w, &sel, 2, 0);
    if (r != EMU_OK)
        return r;
    uint32_t sel_err = (sel & 0xfffc) | ext;
    if ((sel & 0xfffc) == 0)
        return emu_raise(e, EXC_TS, ext);
    if ((sel & 3) != dpl)
        return emu_raise(e, EXC_TS, sel_err);
    r = seg_read_desc(e, sel, d, EXC_TS, ext);
    if (r != EMU_OK)
        return r;
    unsigned attr = (d[1] >> 8) & 0xff;
    if (!(attr & SEG_S) || (attr & SEG_TYPE_CODE) || !(attr & SEG_TYPE_W) ||
        ((attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT) != dpl)
        return emu_raise(e, EXC_TS, sel_err);
    if (!(attr & SEG_P))
        return emu_raise(e, EXC_SS, sel_err);
    seg_from_desc(ss, sel, d);
    *esp = sp;
    return EMU_OK;
}

int frame_room(struct emu *e, unsigned n, unsigned size, uint32_t ss_err)
{
    uint32_t mask = stack_size(e) == 4 ? 0xffffffffu : 0xffffu, lin;
    for (unsigned i = 1; i <= n; i++) {
        int r = seg_linear(e, S_SS, (e->w.gpr[R_ESP] - i * size) & mask, size, true, &lin);
        if (r != EMU_OK) {
            e->exc->error = ss_err;
            return r;
        }
    }
    return EMU_OK;
}

int frame_push(struct emu *e, const uint32_t *v, unsigned n, unsigned size)
{
    for (unsigned i = 0; i < n; i++) {
        int r = push(e, v[i], size);
        if (r != EMU_OK)
            return r;
    }
    return EMU_OK;
}
