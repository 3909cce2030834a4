/* Hardware task switches: far JMP/CALL to a TSS descriptor or through a task gate, IRET with NT
 * set (back to the task in the back-link), and interrupts through a task gate. The checks that
 * come before the switch fault with nothing changed; once the old task's state is saved and TR
 * names the new task, faults (loading LDTR, CS, SS and the data segments, the handler's error
 * code push, the EIP limit) belong to the new task: e->commit_fault tells the caller to commit the
 * switch and then raise them. 32-bit and 16-bit TSSes; CR3 is loaded (through sys_write) from a
 * 32-bit TSS when paging is on; the TSS's T bit (debug trap) is not honoured. */
#include <string.h>

#include "monitor/emu/emu-int.h"

/* Offsets in a 32-bit and a 16-bit TSS. */
struct tss_layout {
    uint8_t eip, eflags, gpr, sreg, nsreg, ldt, width, min_limit;
};
static const struct tss_layout tss32 = {0x20, 0x24, 0x28, 0x48, 6, 0x60, 4, 0x67};
static const struct tss_layout tss16 = {0x0e, 0x10, 0x12, 0x22, 4, 0x2a, 2, 0x2b};

static const struct tss_layout *layout_of(uint32_t attr)
{
    return (attr & 8) ? &tss32 : &tss16;
}

int task_target(struct emu *e, uint16_t sel, uint32_t d[2], bool busy, unsigned ext)
{
    unsigned vec = busy ? EXC_TS : EXC_GP;
    uint32_t err = (sel & 0xfffc) | ext;
    if (sel & 4)
        return emu_raise(e, vec, err);
    int r = seg_read_desc(e, sel, d, vec, ext);
    if (r != EMU_OK)
        return r;
    unsigned type = (d[1] >> 8) & 0x1f;
    if (busy ? type != 3 && type != 11 : type != 1 && type != 9)
        return emu_raise(e, vec, err);
    if (!(d[1] & (SEG_P << 8)))
        return emu_raise(e, EXC_NP, err);
    return EMU_OK;
}

static int set_busy(struct emu *e, uint16_t sel, bool busy)
{
    uint32_t at = e->w.gdtr.base + (sel & ~7u) + 5;
    uint8_t b;
    int r = mem_lin_read(e, at, &b, 1, 0);
    if (r != EMU_OK)
        return r;
    b = busy ? b | 2 : b & ~2;
    return mem_lin_write(e, at, &b, 1, 0);
}

static int save_state(struct emu *e, uint32_t eflags, uint32_t eip)
{
    const struct vcpu_seg *tr = &e->w.tr;
    const struct tss_layout *l = layout_of(tr->attr);
    unsigned w = l->width;
    if ((tr->attr & SEG_UNUSABLE) || tr->limit < l->min_limit)
        return emu_raise(e, EXC_TS, tr->sel & 0xfffc);
    int r = mem_lin_write(e, tr->base + l->eip, &eip, w, 0);
    if (r == EMU_OK)
        r = mem_lin_write(e, tr->base + l->eflags, &eflags, w, 0);
    for (unsigned i = 0; i < 8 && r == EMU_OK; i++)
        r = mem_lin_write(e, tr->base + l->gpr + i * w, &e->w.gpr[i], w, 0);
    for (unsigned i = 0; i < l->nsreg && r == EMU_OK; i++)
        r = mem_lin_write(e, tr->base + l->sreg + i * w, &e->w.seg[i].sel, 2, 0);
    return r;
}

/* Loads one segment register of the new task; the checks are MOV Sreg's (CS: a code segment
 * whose DPL matches its RPL, or is at most it when conforming) with #TS in place of #GP. */
static int load_task_seg(struct emu *e, unsigned sreg, uint16_t sel)
{
    if (sreg != S_CS) {
        int r = seg_load(e, sreg, sel);
        if (r == EMU_EXCEPTION && e->exc->vector == EXC_GP)
            e->exc->vector = EXC_TS;
        return r;
    }
    uint32_t d[2], err = sel & 0xfffc;
    if (!err)
        return emu_raise(e, EXC_TS, 0);
    int r = seg_read_desc(e, sel, d, EXC_TS, 0);
    if (r != EMU_OK)
        return r;
    unsigned attr = (d[1] >> 8) & 0xff, dpl = (attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT;
    bool conf = attr & SEG_TYPE_C;
    if (!(attr & SEG_S) || !(attr & SEG_TYPE_CODE) || (conf ? dpl > (sel & 3u) : dpl != (sel & 3u)))
        return emu_raise(e, EXC_TS, err);
    if (!(attr & SEG_P))
        return emu_raise(e, EXC_NP, err);
    seg_from_desc(&e->w.seg[S_CS], sel, d);
    return EMU_OK;
}

static int load_task_ldt(struct emu *e, uint16_t sel)
{
    uint32_t d[2];
    struct vcpu_seg *l = &e->w.ldtr;
    if ((sel & 0xfffc) == 0) {
        *l = (struct vcpu_seg){.sel = sel, .attr = SEG_UNUSABLE};
    } else {
        if (sel & 4)
            return emu_raise(e, EXC_TS, sel & 0xfffc);
        int r = seg_read_desc(e, sel, d, EXC_TS, 0);
        if (r != EMU_OK)
            return r;
        if (((d[1] >> 8) & 0x1f) != 2 || !(d[1] & (SEG_P << 8)))
            return emu_raise(e, EXC_TS, sel & 0xfffc);
        seg_from_desc(l, sel, d);
    }
    return e->ops->sys_write(e->ctx, EMU_SYS_LDTR, &e->w, e->exc);
}

/* The new task's registers, LDTR and segments from its TSS image t. */
static int load_state(struct emu *e, const uint8_t *t, const struct tss_layout *l, bool nest)
{
    uint32_t v = 0, eflags = 0;
    unsigned w = l->width;
    memcpy(&eflags, t + l->eflags, w);
    eflags = (eflags & 0x003f7fd5u) | FL_RSV1 | (nest ? FL_NT : 0);
    if (w == 2)
        eflags |= e->w.eflags & 0xffff0000u & ~FL_VM;
    memcpy(&v, t + l->eip, w);
    e->next_eip = v;
    for (unsigned i = 0; i < 8; i++) {
        v = 0;
        memcpy(&v, t + l->gpr + i * w, w);
        if (w == 2)
            v |= e->w.gpr[i] & 0xffff0000u;
        e->w.gpr[i] = v;
    }
    uint16_t sel[S_COUNT], ldt;
    for (unsigned i = 0; i < l->nsreg; i++) {
        memcpy(&sel[i], t + l->sreg + i * w, 2);
        e->w.seg[i] = (struct vcpu_seg){.sel = sel[i], .attr = SEG_UNUSABLE};
    }
    memcpy(&ldt, t + l->ldt, 2);
    e->w.eflags = eflags;
    /* From here on a fault is the new task's. */
    e->commit_fault = true;
    int r = EMU_OK;
    if (w == 4 && (e->w.cr0 & CR0_PG)) {
        memcpy(&e->w.cr3, t + 0x1c, 4);
        r = e->ops->sys_write(e->ctx, EMU_SYS_CR3, &e->w, e->exc);
    }
    if (r == EMU_OK)
        r = load_task_ldt(e, ldt);
    if (r != EMU_OK)
        return r;
    if (eflags & FL_VM) {
        e->w.cpl = 3;
        for (unsigned i = 0; i < S_COUNT; i++)
            e->w.seg[i] = (struct vcpu_seg){sel[i], (uint32_t)sel[i] << 4, 0xffff, 0xf3};
        return EMU_OK;
    }
    static const unsigned order[] = {S_CS, S_SS, S_DS, S_ES, S_FS, S_GS};
    e->w.cpl = sel[S_CS] & 3;
    for (unsigned i = 0; i < S_COUNT && r == EMU_OK; i++)
        if (order[i] < l->nsreg)
            r = load_task_seg(e, order[i], sel[order[i]]);
    return r;
}

int task_switch(struct emu *e, uint16_t sel, const uint32_t d[2], enum task_why why, uint32_t eip,
                unsigned ext)
{
    struct vcpu_seg nt;
    seg_from_desc(&nt, sel, d);
    const struct tss_layout *l = layout_of(nt.attr);
    uint8_t t[0x68];
    if (nt.limit < l->min_limit)
        return emu_raise(e, EXC_TS, (sel & 0xfffc) | ext);
    uint32_t eflags = e->w.eflags & ~(why == TASK_IRET ? FL_NT : 0);
    uint16_t old = e->w.tr.sel;
    bool nest = why == TASK_CALL || why == TASK_INT;
    int r = save_state(e, eflags, eip);
    if (r == EMU_OK && (why == TASK_JMP || why == TASK_IRET))
        r = set_busy(e, old, false);
    if (r == EMU_OK && why != TASK_IRET)
        r = set_busy(e, sel, true);
    if (r == EMU_OK && nest)
        r = mem_lin_write(e, nt.base, &old, 2, 0);
    /* Read after the writes above: a task may switch to a TSS that shares the old one's page. */
    if (r == EMU_OK)
        r = mem_lin_read(e, nt.base, t, l->min_limit + 1, 0);
    if (r != EMU_OK)
        return r;
    e->w.tr = nt;
    e->w.tr.attr |= 2; /* busy */
    r = e->ops->sys_write(e->ctx, EMU_SYS_TR, &e->w, e->exc);
    if (r == EMU_OK && !(e->w.cr0 & CR0_TS)) {
        e->w.cr0 |= CR0_TS;
        r = e->ops->sys_write(e->ctx, EMU_SYS_CR0, &e->w, e->exc);
    }
    if (r == EMU_OK)
        r = load_state(e, t, l, nest);
    if (r == EMU_OK && e->next_eip > e->w.seg[S_CS].limit)
        r = GP0(e);
    return r;
}

int task_jmp_call(struct emu *e, uint16_t sel, const uint32_t d[2], bool call)
{
    unsigned type = (d[1] >> 8) & 0x1f, dpl = (d[1] >> 13) & 3;
    uint16_t tsel = sel;
    uint32_t t[2] = {d[0], d[1]};
    if (dpl < e->w.cpl || dpl < (sel & 3u))
        return emu_raise(e, EXC_GP, sel & 0xfffc);
    if (type == 5) {
        if (!(d[1] & (SEG_P << 8)))
            return emu_raise(e, EXC_NP, sel & 0xfffc);
        tsel = d[0] >> 16;
    }
    int r = task_target(e, tsel, t, false, 0);
    if (r != EMU_OK)
        return r;
    return task_switch(e, tsel, t, call ? TASK_CALL : TASK_JMP, e->next_eip, 0);
}

int task_iret(struct emu *e)
{
    uint16_t link;
    uint32_t d[2];
    int r = mem_lin_read(e, e->w.tr.base, &link, 2, 0);
    if (r == EMU_OK)
        r = task_target(e, link, d, true, 0);
    return r != EMU_OK ? r : task_switch(e, link, d, TASK_IRET, e->next_eip, 0);
}
