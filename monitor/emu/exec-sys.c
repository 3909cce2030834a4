/* System instructions through the ops: port I/O and its permission checks, CLI/STI/PUSHF/POPF on
 * the virtual flags, HLT, MOV CRn/DRn, LGDT/LIDT/LLDT/LTR and their stores, SMSW/LMSW, CLTS,
 * CPUID, RDTSC, RDMSR/WRMSR, INVLPG, INVD/WBINVD, WAIT, UD0-2 and LAR/LSL/VERR/VERW. */
#include "monitor/emu/emu-int.h"

static bool pmode(struct emu *e)
{
    return (e->w.cr0 & CR0_PE) && !(e->w.eflags & FL_VM);
}

static unsigned iopl(struct emu *e)
{
    return (e->w.eflags & FL_IOPL) >> FL_IOPL_SHIFT;
}

/* Privileged instructions are #GP(0) outside CPL 0 (and in virtual-8086 mode). */
static bool cpl0(struct emu *e)
{
    return !(e->w.cr0 & CR0_PE) || (!(e->w.eflags & FL_VM) && e->w.cpl == 0);
}

int io_permitted(struct emu *e, uint16_t port, unsigned size)
{
    if (!(e->w.cr0 & CR0_PE) || (!(e->w.eflags & FL_VM) && e->w.cpl <= iopl(e)))
        return EMU_OK;
    const struct vcpu_seg *tr = &e->w.tr;
    unsigned type = tr->attr & SEG_TYPE_MASK;
    if ((tr->attr & SEG_UNUSABLE) || (type != 9 && type != 11) || tr->limit < 0x67)
        return GP0(e);
    uint16_t base, bits;
    int r = mem_lin_read(e, tr->base + 0x66, &base, 2, 0);
    if (r != EMU_OK)
        return r;
    uint32_t at = (uint32_t)base + port / 8;
    if (at + 1 > tr->limit)
        return GP0(e);
    r = mem_lin_read(e, tr->base + at, &bits, 2, 0);
    if (r != EMU_OK)
        return r;
    return (bits >> (port & 7)) & ((1u << size) - 1) ? GP0(e) : EMU_OK;
}

static int in_out(struct emu *e, bool in)
{
    const struct x86_operand *data = &e->in.operands[in ? 0 : 1];
    uint32_t port, v;
    int r = opnd_read(e, &e->in.operands[in ? 1 : 0], &port);
    port &= 0xffff;
    if (r == EMU_OK)
        r = io_permitted(e, port, data->size);
    if (r != EMU_OK)
        return r;
    if (!in) {
        e->ops->port_out(e->ctx, port, data->size, reg_get(e, R_EAX, data->size));
        return EMU_OK;
    }
    r = e->ops->port_in(e->ctx, port, data->size, &v);
    if (r == EMU_OK)
        reg_set(e, R_EAX, data->size, v);
    return r;
}

static int cli_sti(struct emu *e, bool set)
{
    if (pmode(e) ? e->w.cpl > iopl(e) : (e->w.eflags & FL_VM) && iopl(e) < 3)
        return GP0(e);
    if (set)
        e->w.eflags |= FL_IF;
    else
        e->w.eflags &= ~FL_IF;
    return EMU_OK;
}

static int pushf(struct emu *e)
{
    if ((e->w.eflags & FL_VM) && iopl(e) < 3)
        return GP0(e);
    return push(e, e->w.eflags & ~(FL_VM | FL_RF), e->in.opsize);
}

static int popf(struct emu *e)
{
    uint32_t v, mask = FL_ARITH | FL_TF | FL_DF | FL_NT | FL_AC | FL_ID;
    if ((e->w.eflags & FL_VM) && iopl(e) < 3)
        return GP0(e);
    int r = pop(e, &v, e->in.opsize);
    if (r != EMU_OK)
        return r;
    if (cpl0(e) && !(e->w.eflags & FL_VM))
        mask |= FL_IOPL;
    if (e->w.cpl <= iopl(e) || !(e->w.cr0 & CR0_PE) || (e->w.eflags & FL_VM))
        mask |= FL_IF;
    if (e->in.opsize == 2)
        mask &= 0xffff;
    e->w.eflags = (e->w.eflags & ~mask & ~FL_RF) | (v & mask) | FL_RSV1;
    return EMU_OK;
}

static int sys_write(struct emu *e, enum emu_sys what)
{
    return e->ops->sys_write(e->ctx, what, &e->w, e->exc);
}

static int set_cr0(struct emu *e, uint32_t v)
{
    if ((v & CR0_PG) && !(v & CR0_PE))
        return GP0(e);
    if ((v & 0x20000000u) && !(v & 0x40000000u)) /* NW without CD */
        return GP0(e);
    e->w.cr0 = v | 0x10; /* ET is hardwired on i686 */
    return sys_write(e, EMU_SYS_CR0);
}

static int mov_cr(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    bool to_cr = d->reg_class == X86_RC_CR;
    unsigned n = to_cr ? d->reg : s->reg;
    if (n == 1 || n > 4)
        return UD(e);
    if (!cpl0(e))
        return GP0(e);
    uint32_t *crs[5] = {&e->w.cr0, 0, &e->w.cr2, &e->w.cr3, &e->w.cr4};
    if (!to_cr)
        return opnd_write(e, d, *crs[n]);
    uint32_t v = e->w.gpr[s->reg];
    switch (n) {
    case 0: return set_cr0(e, v);
    case 4:
        if (v & ~0x7ffu)
            return GP0(e);
        e->w.cr4 = v;
        return sys_write(e, EMU_SYS_CR4);
    default: *crs[n] = v; return sys_write(e, n == 2 ? EMU_SYS_CR2 : EMU_SYS_CR3);
    }
}

static int mov_dr(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    bool to_dr = d->reg_class == X86_RC_DR;
    unsigned n = to_dr ? d->reg : s->reg;
    if ((n == 4 || n == 5) && (e->w.cr4 & 0x8))
        return UD(e);
    if (!cpl0(e))
        return GP0(e);
    if (n == 4 || n == 5)
        n += 2;
    if (!to_dr)
        return opnd_write(e, d, e->w.dr[n]);
    e->w.dr[n] = e->w.gpr[s->reg];
    return sys_write(e, EMU_SYS_DR);
}

static int load_dtr(struct emu *e, struct vcpu_dtr *dt, enum emu_sys what)
{
    const struct x86_operand *o = &e->in.operands[0];
    if (!cpl0(e))
        return GP0(e);
    if (o->type != X86_OPND_MEM)
        return UD(e);
    uint32_t off = ea_offset(e, &o->mem), base;
    uint16_t limit;
    int r = seg_read(e, o->mem.seg, off, &limit, 2);
    if (r == EMU_OK)
        r = seg_read(e, o->mem.seg, (off + 2) & (o->mem.addrsize == 2 ? 0xffff : ~0u), &base, 4);
    if (r != EMU_OK)
        return r;
    dt->limit = limit;
    dt->base = e->in.opsize == 2 ? base & 0xffffff : base;
    return sys_write(e, what);
}

static int store_dtr(struct emu *e, const struct vcpu_dtr *dt)
{
    const struct x86_operand *o = &e->in.operands[0];
    if (o->type != X86_OPND_MEM)
        return UD(e);
    uint8_t b[6] = {dt->limit,     dt->limit >> 8, dt->base,
                    dt->base >> 8, dt->base >> 16, dt->base >> 24};
    return seg_write(e, o->mem.seg, ea_offset(e, &o->mem), b, 6);
}

/* LLDT and LTR: a GDT system descriptor of the right type. */
static int load_sys_seg(struct emu *e, bool tr)
{
    uint32_t sel, d[2];
    if (!pmode(e))
        return UD(e);
    if (!cpl0(e))
        return GP0(e);
    int r = opnd_read(e, &e->in.operands[0], &sel);
    if (r != EMU_OK)
        return r;
    sel &= 0xffff;
    struct vcpu_seg *s = tr ? &e->w.tr : &e->w.ldtr;
    if ((sel & 0xfffc) == 0) {
        if (tr)
            return GP0(e);
        s->sel = sel;
        s->base = s->limit = 0;
        s->attr = SEG_UNUSABLE;
        return sys_write(e, EMU_SYS_LDTR);
    }
    if (sel & 4)
        return emu_raise(e, EXC_GP, sel & 0xfffc);
    r = seg_read_desc(e, sel, d, EXC_GP, 0);
    if (r != EMU_OK)
        return r;
    unsigned type = (d[1] >> 8) & 0x1f; /* S and type */
    if (tr ? (type != 9 && type != 1) : type != 2)
        return emu_raise(e, EXC_GP, sel & 0xfffc);
    if (!(d[1] & (SEG_P << 8)))
        return emu_raise(e, EXC_NP, sel & 0xfffc);
    if (tr) {
        uint8_t busy = (d[1] >> 8) | 2;
        r = mem_lin_write(e, e->w.gdtr.base + (sel & ~7u) + 5, &busy, 1, 0);
        if (r != EMU_OK)
            return r;
        d[1] |= 0x200;
    }
    seg_from_desc(s, sel, d);
    return sys_write(e, tr ? EMU_SYS_TR : EMU_SYS_LDTR);
}

/* SLDT, STR, SMSW: a register destination takes the operand size, memory takes 16 bits. */
static int store_word(struct emu *e, uint32_t v)
{
    return opnd_write(e, &e->in.operands[0], v);
}

static int lmsw_clts(struct emu *e, bool clts)
{
    uint32_t v;
    if (!cpl0(e))
        return GP0(e);
    if (clts)
        return set_cr0(e, e->w.cr0 & ~CR0_TS);
    int r = opnd_read(e, &e->in.operands[0], &v);
    if (r != EMU_OK)
        return r;
    /* LMSW sets PE but never clears it. */
    return set_cr0(e, (e->w.cr0 & ~0xeu) | (v & 0xf) | (e->w.cr0 & CR0_PE));
}

/* LAR, LSL, VERR, VERW: ZF says whether the selector passes; nothing faults on a bad one. */
static int check_sel(struct emu *e)
{
    unsigned op = e->in.op;
    uint32_t sel, d[2];
    if (!pmode(e))
        return UD(e);
    int r = opnd_read(e, &e->in.operands[op == X86_OP_LAR || op == X86_OP_LSL ? 1 : 0], &sel);
    if (r != EMU_OK)
        return r;
    sel &= 0xffff;
    bool ok = false;
    uint32_t tbl_limit = (sel & 4) ? e->w.ldtr.limit : e->w.gdtr.limit;
    bool tbl_ok = !(sel & 4) || !(e->w.ldtr.attr & SEG_UNUSABLE);
    if ((sel & 0xfffc) && tbl_ok && (sel | 7) <= tbl_limit) {
        r = seg_read_desc(e, sel, d, EXC_GP, 0);
        if (r != EMU_OK)
            return r;
        unsigned attr = (d[1] >> 8) & 0xff, type = attr & 0xf;
        unsigned dpl = (attr & SEG_DPL_MASK) >> SEG_DPL_SHIFT;
        bool code = (attr & SEG_S) && (type & 8), conforming = code && (type & 4);
        bool priv = conforming || (dpl >= e->w.cpl && dpl >= (sel & 3));
        if (!(attr & SEG_S)) {
            unsigned lar_types = 0x1a3e, lsl_types = 0x0a0e; /* bit per system type */
            ok = priv && ((op == X86_OP_LAR   ? lar_types
                           : op == X86_OP_LSL ? lsl_types
                                              : 0) >>
                              type &
                          1);
        } else if (op == X86_OP_VERR) {
            ok = (!code || (type & 2)) && priv;
        } else if (op == X86_OP_VERW) {
            ok = !code && (type & 2) && priv;
        } else {
            ok = priv;
        }
        if (ok && op == X86_OP_LAR) {
            r = opnd_write(e, &e->in.operands[0], d[1] & 0x00f0ff00u);
        } else if (ok && op == X86_OP_LSL) {
            struct vcpu_seg s;
            seg_from_desc(&s, sel, d);
            r = opnd_write(e, &e->in.operands[0], s.limit);
        }
    }
    if (ok)
        e->w.eflags |= FL_ZF;
    else
        e->w.eflags &= ~FL_ZF;
    return r;
}

static int misc(struct emu *e)
{
    uint32_t *g = e->w.gpr;
    uint64_t v;
    int r;
    switch (e->in.op) {
    case X86_OP_CPUID: {
        uint32_t out[4];
        e->ops->cpuid(e->ctx, g[R_EAX], g[R_ECX], out);
        g[R_EAX] = out[0];
        g[R_EBX] = out[1];
        g[R_ECX] = out[2];
        g[R_EDX] = out[3];
        return EMU_OK;
    }
    case X86_OP_RDTSC:
        if ((e->w.cr4 & CR4_TSD) && !cpl0(e))
            return GP0(e);
        v = e->ops->rdtsc(e->ctx);
        g[R_EAX] = v;
        g[R_EDX] = v >> 32;
        return EMU_OK;
    case X86_OP_RDMSR:
        if (!cpl0(e))
            return GP0(e);
        r = e->ops->rdmsr(e->ctx, g[R_ECX], &v, e->exc);
        if (r == EMU_OK) {
            g[R_EAX] = v;
            g[R_EDX] = v >> 32;
        }
        return r;
    case X86_OP_WRMSR:
        if (!cpl0(e))
            return GP0(e);
        return e->ops->wrmsr(e->ctx, g[R_ECX], ((uint64_t)g[R_EDX] << 32) | g[R_EAX], e->exc);
    case X86_OP_INVLPG: {
        const struct x86_operand *o = &e->in.operands[0];
        if (!cpl0(e))
            return GP0(e);
        if (o->type != X86_OPND_MEM)
            return UD(e);
        e->ops->invlpg(e->ctx, e->w.seg[o->mem.seg].base + ea_offset(e, &o->mem));
        return EMU_OK;
    }
    case X86_OP_INVD:
    case X86_OP_WBINVD: return cpl0(e) ? EMU_OK : GP0(e);
    case X86_OP_WAIT:
        return (e->w.cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS) ? emu_raise_noerr(e, EXC_NM)
                                                                   : EMU_OK;
    case X86_OP_HLT: return cpl0(e) ? EMU_HALT : GP0(e);
    default: return -1;
    }
}

int exec_sys(struct emu *e)
{
    switch (e->in.op) {
    case X86_OP_IN: return in_out(e, true);
    case X86_OP_OUT: return in_out(e, false);
    case X86_OP_CLI: return cli_sti(e, false);
    case X86_OP_STI: return cli_sti(e, true);
    case X86_OP_PUSHF: return pushf(e);
    case X86_OP_POPF: return popf(e);
    case X86_OP_MOV_CR: return mov_cr(e);
    case X86_OP_MOV_DR: return mov_dr(e);
    case X86_OP_LGDT: return load_dtr(e, &e->w.gdtr, EMU_SYS_GDTR);
    case X86_OP_LIDT: return load_dtr(e, &e->w.idtr, EMU_SYS_IDTR);
    case X86_OP_SGDT: return store_dtr(e, &e->w.gdtr);
    case X86_OP_SIDT: return store_dtr(e, &e->w.idtr);
    case X86_OP_LLDT: return load_sys_seg(e, false);
    case X86_OP_LTR: return load_sys_seg(e, true);
    case X86_OP_SLDT: return pmode(e) ? store_word(e, e->w.ldtr.sel) : UD(e);
    case X86_OP_STR: return pmode(e) ? store_word(e, e->w.tr.sel) : UD(e);
    case X86_OP_SMSW: return store_word(e, e->w.cr0);
    case X86_OP_LMSW: return lmsw_clts(e, false);
    case X86_OP_CLTS: return lmsw_clts(e, true);
    case X86_OP_LAR:
    case X86_OP_LSL:
    case X86_OP_VERR:
    case X86_OP_VERW: return check_sel(e);
    case X86_OP_UD0:
    case X86_OP_UD1:
    case X86_OP_UD2: return UD(e);
    default: return misc(e);
    }
}
