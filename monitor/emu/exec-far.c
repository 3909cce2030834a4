/* Far transfers with the protected-mode checks: JMP/CALL far to a code segment (same privilege;
 * conforming or not) or through a 32- or 16-bit call gate (a CALL to an inner ring switches to
 * the TSS stack and copies the parameters), RETF and IRET to the same or an outer privilege level
 * (with the stack switch and the nulling of data segments the new CPL may not use). JMP/CALL to
 * a TSS or task gate and IRET with NT go to task.c. IRET to virtual-8086 mode is refused with
 * #GP, see docs/emulator.md. Real and virtual-8086 mode use base = sel << 4. */
#include "monitor/emu/emu-int.h"

static bool pmode(struct emu *e)
{
    return (e->w.cr0 & CR0_PE) && !(e->w.eflags & FL_VM);
}

/* Checks a code-segment selector for a transfer at privilege rpl (CPL for JMP/CALL, the
 * selector's RPL for a return) and fills *cs. */
static int code_target(struct emu *e, uint16_t sel, bool ret, struct vcpu_seg *cs)
{
    uint32_t d[2];
    if (!pmode(e)) {
        *cs = e->w.seg[S_CS];
        cs->sel = sel;
        cs->base = (uint32_t)sel << 4;
        return EMU_OK;
    }
    if ((sel & 0xfffc) == 0)
        return GP0(e);
    int r = seg_read_desc(e, sel, d, EXC_GP, 0);
    if (r != EMU_OK)
        return r;
    unsigned attr = (d[1] >> 8) & 0xff, rpl = sel & 3, cpl = e->w.cpl;
    unsigned dpl = (attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT;
    if (!(attr & SEG_S) || !(attr & SEG_TYPE_CODE))
        return emu_raise(e, EXC_GP, sel & 0xfffc);
    bool conf = attr & SEG_TYPE_C;
    bool bad = ret ? (rpl < cpl || (conf ? dpl > rpl : dpl != rpl))
                   : (conf ? dpl > cpl : (rpl > cpl || dpl != cpl));
    if (bad)
        return emu_raise(e, EXC_GP, sel & 0xfffc);
    if (!(attr & SEG_P))
        return emu_raise(e, EXC_NP, sel & 0xfffc);
    seg_from_desc(cs, ret ? sel : (uint16_t)((sel & ~3u) | cpl), d);
    return EMU_OK;
}

static int enter_cs(struct emu *e, const struct vcpu_seg *cs, uint32_t off)
{
    if (e->in.opsize == 2)
        off &= 0xffff;
    if (off > cs->limit)
        return GP0(e);
    e->w.seg[S_CS] = *cs;
    e->next_eip = off;
    return EMU_OK;
}

/* The far pointer operand: direct (Ap) or m16:16/m16:32. */
static int far_pointer(struct emu *e, uint16_t *sel, uint32_t *off)
{
    const struct x86_operand *o = &e->in.operands[0];
    unsigned sz = e->in.opsize;
    if (o->type == X86_OPND_FAR) {
        *sel = o->sel;
        *off = o->imm;
        return EMU_OK;
    }
    if (o->type != X86_OPND_MEM)
        return UD(e);
    uint32_t a = ea_offset(e, &o->mem), v = 0;
    int r = seg_read(e, o->mem.seg, a, &v, sz);
    if (r == EMU_OK)
        r = seg_read(e, o->mem.seg, (a + sz) & (o->mem.addrsize == 2 ? 0xffff : ~0u), sel, 2);
    *off = v;
    return r;
}

/* Through a call gate g (type 4: 16-bit, 12: 32-bit; the gate's size sets the size of what is
 * pushed). A CALL to a more privileged non-conforming segment switches to that ring's stack from
 * the TSS and copies the gate's parameter count of dwords (words) from the old stack; a JMP
 * must stay at CPL. */
static int via_call_gate(struct emu *e, uint16_t gsel, const uint32_t g[2], bool call)
{
    unsigned cpl = e->w.cpl, gdpl = (g[1] >> 13) & 3, count = g[1] & 0x1f;
    bool gate32 = (g[1] & 0xf00) == 0xc00;
    unsigned size = gate32 ? 4 : 2;
    uint16_t sel = g[0] >> 16;
    uint32_t off = (g[0] & 0xffff) | (gate32 ? g[1] & 0xffff0000u : 0), d[2];
    if (gdpl < cpl || gdpl < (gsel & 3u))
        return emu_raise(e, EXC_GP, gsel & 0xfffc);
    if (!(g[1] & 0x8000))
        return emu_raise(e, EXC_NP, gsel & 0xfffc);
    if ((sel & 0xfffc) == 0)
        return GP0(e);
    int r = seg_read_desc(e, sel, d, EXC_GP, 0);
    if (r != EMU_OK)
        return r;
    unsigned attr = (d[1] >> 8) & 0xff, dpl = (attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT;
    bool conf = attr & SEG_TYPE_C;
    if (!(attr & SEG_S) || !(attr & SEG_TYPE_CODE) || dpl > cpl || (!call && !conf && dpl != cpl))
        return emu_raise(e, EXC_GP, sel & 0xfffc);
    if (!(attr & SEG_P))
        return emu_raise(e, EXC_NP, sel & 0xfffc);
    bool inner = call && !conf && dpl < cpl;
    unsigned new_cpl = inner ? dpl : cpl, n = 0;
    uint32_t frame[36], ss_err = 0;
    struct vcpu_seg cs;
    seg_from_desc(&cs, (sel & ~3u) | new_cpl, d);
    if (!gate32)
        off &= 0xffff;
    if (inner) {
        struct vcpu_seg ss;
        uint32_t esp;
        r = inner_stack(e, new_cpl, 0, &ss, &esp);
        if (r != EMU_OK)
            return r;
        frame[n++] = e->w.seg[S_SS].sel;
        frame[n++] = e->w.gpr[R_ESP];
        for (unsigned i = count; i-- > 0;) {
            r = stack_peek(e, i * size, &frame[n++], size);
            if (r != EMU_OK)
                return r;
        }
        e->w.seg[S_SS] = ss;
        e->w.gpr[R_ESP] = esp;
        e->w.cpl = new_cpl;
        ss_err = ss.sel & 0xfffc;
    }
    if (call) {
        frame[n++] = e->w.seg[S_CS].sel;
        frame[n++] = e->next_eip;
    }
    r = frame_room(e, n, size, ss_err);
    if (r != EMU_OK)
        return r;
    if (off > cs.limit)
        return GP0(e);
    r = frame_push(e, frame, n, size);
    if (r != EMU_OK)
        return r;
    e->w.seg[S_CS] = cs;
    e->next_eip = off;
    return EMU_OK;
}

static int jmp_call_far(struct emu *e, bool call)
{
    uint16_t sel = 0;
    uint32_t off = 0, d[2];
    struct vcpu_seg cs;
    int r = far_pointer(e, &sel, &off);
    if (r == EMU_OK && pmode(e) && (sel & 0xfffc)) {
        r = seg_read_desc(e, sel, d, EXC_GP, 0);
        if (r != EMU_OK)
            return r;
        unsigned type = (d[1] >> 8) & 0x1f;
        if (type == 4 || type == 12)
            return via_call_gate(e, sel, d, call);
        if (type == 1 || type == 9 || type == 5)
            return task_jmp_call(e, sel, d, call);
    }
    if (r == EMU_OK)
        r = code_target(e, sel, false, &cs);
    if (r == EMU_OK && call) {
        r = push(e, e->w.seg[S_CS].sel, e->in.opsize);
        if (r == EMU_OK)
            r = push(e, e->next_eip, e->in.opsize);
    }
    return r == EMU_OK ? enter_cs(e, &cs, off) : r;
}

static void add_sp(struct emu *e, uint32_t n)
{
    uint32_t m = stack_size(e) == 4 ? 0xffffffffu : 0xffffu;
    e->w.gpr[R_ESP] = (e->w.gpr[R_ESP] & ~m) | ((e->w.gpr[R_ESP] + n) & m);
}

/* After a return to an outer level, data segments the new CPL may not use become null. */
static void null_inaccessible(struct emu *e)
{
    static const unsigned regs[] = {S_ES, S_DS, S_FS, S_GS};
    for (unsigned i = 0; i < 4; i++) {
        struct vcpu_seg *s = &e->w.seg[regs[i]];
        unsigned dpl = (s->attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT;
        bool conf_code = (s->attr & SEG_TYPE_CODE) && (s->attr & SEG_TYPE_C);
        if (!(s->attr & SEG_UNUSABLE) && !conf_code && dpl < e->w.cpl) {
            s->sel = 0;
            s->attr = SEG_UNUSABLE;
        }
    }
}

static uint32_t iret_flags(struct emu *e, uint32_t v, unsigned old_cpl)
{
    uint32_t mask = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_AC | FL_ID | FL_RF;
    unsigned iopl = (e->w.eflags & FL_IOPL) >> FL_IOPL_SHIFT;
    if (old_cpl == 0 || !(e->w.cr0 & CR0_PE))
        mask |= FL_IOPL | FL_VIF | FL_VIP;
    if (old_cpl <= iopl || !(e->w.cr0 & CR0_PE))
        mask |= FL_IF;
    if (e->in.opsize == 2)
        mask &= 0xffff;
    return (e->w.eflags & ~mask) | (v & mask) | FL_RSV1;
}

static int far_return(struct emu *e, bool iret)
{
    unsigned sz = e->in.opsize, old_cpl = e->w.cpl;
    uint32_t eip, sel, fl = 0, imm = 0;
    struct vcpu_seg cs;
    if (iret && pmode(e) && (e->w.eflags & FL_NT))
        return task_iret(e);
    if (!iret && e->in.noperands > 0 && e->in.operands[0].type == X86_OPND_IMM)
        imm = e->in.operands[0].imm & 0xffff;
    int r = pop(e, &eip, sz);
    if (r == EMU_OK)
        r = pop(e, &sel, sz);
    if (r == EMU_OK && iret)
        r = pop(e, &fl, sz);
    if (r != EMU_OK)
        return r;
    sel &= 0xffff;
    if (iret && pmode(e) && (fl & FL_VM) && sz == 4 && old_cpl == 0)
        return GP0(e);
    r = code_target(e, sel, true, &cs);
    if (r != EMU_OK)
        return r;
    if (!pmode(e) || (sel & 3) == old_cpl) {
        add_sp(e, imm);
    } else {
        uint32_t esp, ss;
        add_sp(e, imm);
        r = pop(e, &esp, sz);
        if (r == EMU_OK)
            r = pop(e, &ss, sz);
        if (r != EMU_OK)
            return r;
        e->w.cpl = sel & 3;
        r = seg_load(e, S_SS, ss);
        if (r != EMU_OK)
            return r;
        e->w.gpr[R_ESP] = esp;
        if (stack_size(e) == 2)
            e->w.gpr[R_ESP] &= 0xffff;
        add_sp(e, imm);
        null_inaccessible(e);
    }
    r = enter_cs(e, &cs, eip);
    if (r == EMU_OK && iret)
        e->w.eflags = iret_flags(e, fl, old_cpl);
    return r;
}

int exec_far(struct emu *e)
{
    switch (e->in.op) {
    case X86_OP_JMPF: return jmp_call_far(e, false);
    case X86_OP_CALLF: return jmp_call_far(e, true);
    case X86_OP_RETF: return far_return(e, false);
    case X86_OP_IRET: return far_return(e, true);
    default: return -1;
    }
}
