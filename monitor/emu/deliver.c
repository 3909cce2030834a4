/* emu_deliver: exceptions, software interrupts and external interrupts delivered to the guest as
 * the CPU delivers them: through the IDT's interrupt and trap gates (32- and 16-bit, same or
 * inner privilege with the TSS stack, from virtual-8086 mode too) in protected mode, through the
 * IVT in real mode, task gates through task.c, with the double-fault rules when delivery itself
 * faults. Like emu_step it
 * works on a copy of the vCPU and queues its stack writes, so a delivery that faults changes
 * nothing; the fault is then delivered (or becomes #DF, or a triple fault) from the same state. */
#include "monitor/emu/emu-int.h"

static unsigned cur_cpl(const struct vcpu *v)
{
    return (v->eflags & FL_VM) ? 3 : v->cpl;
}

/* Real mode: a 4-byte far pointer per vector at IDTR.base; FLAGS, CS, IP pushed (16 bits each);
 * no error code. */
static int deliver_real(struct emu *e, const struct emu_exc *x)
{
    uint32_t at = (uint32_t)x->vector * 4;
    uint16_t ptr[2];
    if (at + 3 > e->w.idtr.limit)
        return GP0(e);
    int r = mem_lin_read(e, e->w.idtr.base + at, ptr, 4, 0);
    if (r != EMU_OK)
        return r;
    uint32_t frame[3] = {e->w.eflags & 0xffff, e->w.seg[S_CS].sel, e->w.eip & 0xffff};
    r = frame_room(e, 3, 2, 0);
    if (r == EMU_OK)
        r = frame_push(e, frame, 3, 2);
    if (r != EMU_OK)
        return r;
    e->w.seg[S_CS].sel = ptr[1];
    e->w.seg[S_CS].base = (uint32_t)ptr[1] << 4;
    e->w.eip = ptr[0];
    e->w.eflags &= ~(FL_IF | FL_TF | FL_AC | FL_RF);
    return EMU_OK;
}

/* Through an interrupt or trap gate d (type 6/7 16-bit, 14/15 32-bit). */
static int through_gate(struct emu *e, const struct emu_exc *x, unsigned ext, const uint32_t g[2])
{
    unsigned type = (g[1] >> 8) & 0xf, cpl = cur_cpl(&e->w);
    bool gate32 = type & 8, vm = e->w.eflags & FL_VM;
    uint16_t sel = g[0] >> 16;
    uint32_t off = (g[0] & 0xffff) | (gate32 ? g[1] & 0xffff0000u : 0), d[2];
    uint32_t sel_err = (sel & 0xfffc) | ext;
    if ((sel & 0xfffc) == 0)
        return emu_raise(e, EXC_GP, ext);
    int r = seg_read_desc(e, sel, d, EXC_GP, ext);
    if (r != EMU_OK)
        return r;
    unsigned attr = (d[1] >> 8) & 0xff, dpl = (attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT;
    if (!(attr & SEG_S) || !(attr & SEG_TYPE_CODE) || dpl > cpl)
        return emu_raise(e, EXC_GP, sel_err);
    if (!(attr & SEG_P))
        return emu_raise(e, EXC_NP, sel_err);
    bool inner = !(attr & SEG_TYPE_C) && dpl < cpl;
    /* From virtual-8086 mode only a ring-0 non-conforming handler will do. */
    if (vm && (!inner || dpl != 0))
        return emu_raise(e, EXC_GP, sel_err);
    unsigned new_cpl = inner ? dpl : cpl, size = gate32 ? 4 : 2, n = 0;
    uint32_t frame[10], ss_err = ext;
    struct vcpu_seg cs;
    seg_from_desc(&cs, (sel & ~3u) | new_cpl, d);
    if (inner) {
        struct vcpu_seg ss;
        uint32_t esp;
        r = inner_stack(e, new_cpl, ext, &ss, &esp);
        if (r != EMU_OK)
            return r;
        if (vm) {
            frame[n++] = e->w.seg[S_GS].sel;
            frame[n++] = e->w.seg[S_FS].sel;
            frame[n++] = e->w.seg[S_DS].sel;
            frame[n++] = e->w.seg[S_ES].sel;
        }
        frame[n++] = e->w.seg[S_SS].sel;
        frame[n++] = e->w.gpr[R_ESP];
        e->w.seg[S_SS] = ss;
        e->w.gpr[R_ESP] = esp;
        ss_err = (ss.sel & 0xfffc) | ext;
    }
    frame[n++] = e->w.eflags;
    frame[n++] = e->w.seg[S_CS].sel;
    frame[n++] = e->w.eip;
    if (x->has_error && !x->soft)
        frame[n++] = x->error;
    /* The frame goes onto the new stack as the handler's privilege level writes it. */
    e->w.eflags &= ~(FL_TF | FL_NT | FL_RF | FL_VM | (type & 1 ? 0 : FL_IF));
    e->w.cpl = new_cpl;
    r = frame_room(e, n, size, ss_err);
    if (r != EMU_OK)
        return r;
    if (!gate32)
        off &= 0xffff;
    if (off > cs.limit)
        return emu_raise(e, EXC_GP, ext);
    r = frame_push(e, frame, n, size);
    if (r != EMU_OK)
        return r;
    if (vm) {
        static const unsigned data[] = {S_ES, S_DS, S_FS, S_GS};
        for (unsigned i = 0; i < 4; i++)
            e->w.seg[data[i]] = (struct vcpu_seg){.attr = SEG_UNUSABLE};
    }
    e->w.seg[S_CS] = cs;
    e->w.eip = off;
    return EMU_OK;
}

/* A task switch to the TSS the gate names, then the error code on the new task's stack. */
static int through_task_gate(struct emu *e, const struct emu_exc *x, unsigned ext, uint16_t sel)
{
    uint32_t d[2];
    int r = task_target(e, sel, d, false, ext);
    if (r == EMU_OK)
        r = task_switch(e, sel, d, TASK_INT, e->w.eip, ext);
    if (r != EMU_OK)
        return r;
    e->w.eip = e->next_eip;
    if (!x->has_error || x->soft)
        return EMU_OK;
    uint32_t v = x->error;
    unsigned size = (e->w.tr.attr & 8) ? 4 : 2;
    r = frame_room(e, 1, size, 0);
    return r == EMU_OK ? frame_push(e, &v, 1, size) : r;
}

static int deliver_protected(struct emu *e, const struct emu_exc *x, unsigned ext)
{
    unsigned vec = x->vector;
    uint32_t idt_err = vec * 8 + 2 + ext, g[2];
    if (vec * 8 + 7 > e->w.idtr.limit)
        return emu_raise(e, EXC_GP, idt_err);
    int r = mem_lin_read(e, e->w.idtr.base + vec * 8, g, 8, 0);
    if (r != EMU_OK)
        return r;
    unsigned type = (g[1] >> 8) & 0x1f, dpl = (g[1] >> 13) & 3;
    if (type != 5 && type != 6 && type != 7 && type != 14 && type != 15)
        return emu_raise(e, EXC_GP, idt_err);
    if (x->soft == EMU_SOFT_INT && dpl < cur_cpl(&e->w))
        return emu_raise(e, EXC_GP, vec * 8 + 2);
    if (!(g[1] & 0x8000))
        return emu_raise(e, EXC_NP, idt_err);
    if (type == 5)
        return through_task_gate(e, x, ext, g[0] >> 16);
    return through_gate(e, x, ext, g);
}

enum event_class { BENIGN, CONTRIBUTORY, PAGE_FAULT };

static enum event_class event_class(const struct emu_exc *x)
{
    if (x->soft)
        return BENIGN;
    switch (x->vector) {
    case EXC_DE:
    case EXC_TS:
    case EXC_NP:
    case EXC_SS:
    case EXC_GP: return CONTRIBUTORY;
    case EXC_PF: return PAGE_FAULT;
    default: return BENIGN;
    }
}

int emu_deliver(struct vcpu *cpu, const struct emu_ops *ops, void *ctx, const struct emu_exc *exc,
                int ext)
{
    struct emu_exc cur = *exc, fault;
    unsigned cur_ext = ext ? 1 : 0;
    uint32_t cr2 = cpu->cr2;
    /* Set once a software interrupt's delivery faulted: the fault belongs to the instruction. */
    uint32_t rewind = 0;
    for (;;) {
        struct emu em;
        if (cur.vector == EXC_PF && !cur.soft)
            cr2 = cur.cr2;
        emu_begin(&em, cpu, ops, ctx, &fault);
        em.w.eip -= rewind;
        em.w.cr2 = cr2;
        em.w.int_shadow = 0;
        int r =
            (em.w.cr0 & CR0_PE) ? deliver_protected(&em, &cur, cur_ext) : deliver_real(&em, &cur);
        if (r == EMU_OK)
            emu_commit(&em);
        if (r != EMU_EXCEPTION)
            return r;
        if (em.commit_fault) {
            /* A task gate switched tasks; the fault is the new task's, a new event. */
            em.w.eip = em.next_eip;
            emu_commit(&em);
            cur = fault;
            cur.soft = 0;
            cur_ext = 1;
            rewind = 0;
            continue;
        }
        if (cur.vector == EXC_DF && !cur.soft)
            return EMU_SHUTDOWN;
        if (cur.soft)
            rewind = cur.insn_len;
        enum event_class first = event_class(&cur), second = event_class(&fault);
        if (fault.vector == EXC_PF)
            cr2 = fault.cr2;
        if ((first == CONTRIBUTORY && second == CONTRIBUTORY) ||
            (first == PAGE_FAULT && second != BENIGN))
            cur = (struct emu_exc){.vector = EXC_DF, .has_error = 1};
        else
            cur = fault;
        cur.soft = 0;
        cur_ext = 1;
    }
}
