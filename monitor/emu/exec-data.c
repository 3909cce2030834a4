/* Data movement and the stack: MOV/MOVZX/MOVSX/LEA/XCHG/CMOVcc/XLAT/BSWAP, the sign extensions,
 * PUSH/POP (general and segment registers), PUSHA/POPA, ENTER/LEAVE, BOUND, ARPL, MOV Sreg and
 * the far-pointer loads LDS/LES/LFS/LGS/LSS. */
#include "monitor/emu/emu-int.h"

static int mov(struct emu *e)
{
    uint32_t v;
    int r = opnd_read(e, &e->in.operands[1], &v);
    return r != EMU_OK ? r : opnd_write(e, &e->in.operands[0], v);
}

static int movx(struct emu *e, bool sign)
{
    const struct x86_operand *s = &e->in.operands[1];
    uint32_t v;
    int r = opnd_read(e, s, &v);
    if (r != EMU_OK)
        return r;
    if (sign)
        v = s->size == 1 ? (uint32_t)(int8_t)v : (uint32_t)(int16_t)v;
    return opnd_write(e, &e->in.operands[0], v);
}

static int xchg(struct emu *e)
{
    const struct x86_operand *a = &e->in.operands[0], *b = &e->in.operands[1];
    uint32_t va, vb;
    if (b->type == X86_OPND_MEM) {
        const struct x86_operand *t = a;
        a = b;
        b = t;
    }
    int r = EMU_OK;
    if (a->type == X86_OPND_MEM)
        r = seg_check_write(e, a->mem.seg, ea_offset(e, &a->mem), a->size);
    if (r == EMU_OK)
        r = opnd_read(e, a, &va);
    if (r == EMU_OK)
        r = opnd_read(e, b, &vb);
    if (r == EMU_OK)
        r = opnd_write(e, b, va);
    return r == EMU_OK ? opnd_write(e, a, vb) : r;
}

static int xlat(struct emu *e)
{
    unsigned seg = e->in.seg_override != X86_SEG_NONE ? e->in.seg_override : S_DS;
    uint32_t off = e->w.gpr[R_EBX] + (e->w.gpr[R_EAX] & 0xff);
    uint8_t v;
    if (e->in.addrsize == 2)
        off &= 0xffff;
    int r = seg_read(e, seg, off, &v, 1);
    if (r == EMU_OK)
        reg_set(e, R_EAX, 1, v);
    return r;
}

static int push_op(struct emu *e)
{
    uint32_t v;
    int r = opnd_read(e, &e->in.operands[0], &v);
    return r != EMU_OK ? r : push(e, v, e->in.opsize);
}

static int pop_op(struct emu *e)
{
    struct x86_operand d = e->in.operands[0];
    uint32_t v;
    int r = pop(e, &v, e->in.opsize);
    /* A memory destination's address is computed with ESP already incremented. */
    if (d.type == X86_OPND_MEM && d.mem.base == X86_ESP)
        d.mem.disp += (int32_t)e->in.opsize;
    return r != EMU_OK ? r : opnd_write(e, &d, v);
}

/* A segment register pushed with a 32-bit operand size is written as a 16-bit store into the
 * 4-byte slot, leaving its upper half as it was (all recent Intel processors). */
/* With a 32-bit operand the SDM allows either a zero-extended push or a 16-bit store that leaves
 * the upper half alone (recent Intel cores). The virtual CPU zero-extends, as QEMU and older
 * processors do, so a guest sees the same value natively in QEMU and under nexus86. */
static int push_seg(struct emu *e)
{
    unsigned sz = e->in.opsize;
    uint32_t v = e->w.seg[e->in.operands[0].reg].sel;
    uint32_t sp = e->w.gpr[R_ESP] - sz;
    if (stack_size(e) == 2)
        sp &= 0xffff;
    int r = seg_check_write(e, S_SS, sp, sz);
    if (r == EMU_OK)
        r = seg_write(e, S_SS, sp, &v, sz);
    if (r != EMU_OK)
        return r;
    if (stack_size(e) == 2)
        e->w.gpr[R_ESP] = (e->w.gpr[R_ESP] & ~0xffffu) | sp;
    else
        e->w.gpr[R_ESP] = sp;
    return EMU_OK;
}

static int pop_seg(struct emu *e)
{
    unsigned sreg = e->in.operands[0].reg;
    uint32_t v;
    if (sreg == S_CS)
        return UD(e);
    int r = pop(e, &v, e->in.opsize);
    return r != EMU_OK ? r : seg_load(e, sreg, v);
}

static int mov_seg(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    uint32_t v;
    int r = opnd_read(e, s, &v);
    if (r != EMU_OK)
        return r;
    if (d->type == X86_OPND_REG && d->reg_class == X86_RC_SEG) {
        if (d->reg == S_CS || d->reg >= S_COUNT)
            return UD(e);
        return seg_load(e, d->reg, v);
    }
    return opnd_write(e, d, v);
}

static int load_far_ptr(struct emu *e, unsigned sreg)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    if (s->type != X86_OPND_MEM)
        return UD(e);
    uint32_t off = ea_offset(e, &s->mem), v = 0;
    uint16_t sel;
    int r = seg_read(e, s->mem.seg, off, &v, d->size);
    if (r == EMU_OK)
        r = seg_read(e, s->mem.seg, (off + d->size) & (s->mem.addrsize == 2 ? 0xffff : ~0u), &sel,
                     2);
    if (r == EMU_OK)
        r = seg_load(e, sreg, sel);
    return r == EMU_OK ? opnd_write(e, d, v) : r;
}

static int pusha(struct emu *e)
{
    uint32_t old[8];
    for (unsigned i = 0; i < 8; i++)
        old[i] = e->w.gpr[i];
    for (unsigned i = 0; i < 8; i++) {
        int r = push(e, old[i], e->in.opsize);
        if (r != EMU_OK)
            return r;
    }
    return EMU_OK;
}

static int popa(struct emu *e)
{
    unsigned sz = e->in.opsize;
    uint32_t v[8];
    for (int i = 7; i >= 0; i--) {
        int r = pop(e, &v[i], sz);
        if (r != EMU_OK)
            return r;
    }
    for (unsigned i = 0; i < 8; i++)
        if (i != R_ESP)
            reg_set(e, i, sz, v[i]);
    return EMU_OK;
}

static int enter(struct emu *e)
{
    unsigned sz = e->in.opsize, level = e->in.imm2 & 31;
    uint32_t mask = stack_size(e) == 4 ? 0xffffffffu : 0xffffu;
    int r = push(e, e->w.gpr[R_EBP], sz);
    if (r != EMU_OK)
        return r;
    uint32_t frame = e->w.gpr[R_ESP] & mask, bp = e->w.gpr[R_EBP];
    for (unsigned i = 1; i < level; i++) {
        uint32_t v = 0;
        bp = (bp & ~mask) | ((bp - sz) & mask);
        r = seg_read(e, S_SS, bp & mask, &v, sz);
        if (r == EMU_OK)
            r = push(e, v, sz);
        if (r != EMU_OK)
            return r;
    }
    if (level > 0 && (r = push(e, frame, sz)) != EMU_OK)
        return r;
    uint32_t sp = (e->w.gpr[R_ESP] - (e->in.imm & 0xffff)) & mask;
    r = seg_check_write(e, S_SS, sp, sz);
    if (r != EMU_OK)
        return r;
    reg_set(e, R_EBP, sz, frame);
    e->w.gpr[R_ESP] = (e->w.gpr[R_ESP] & ~mask) | sp;
    return EMU_OK;
}

static int leave(struct emu *e)
{
    uint32_t mask = stack_size(e) == 4 ? 0xffffffffu : 0xffffu, v;
    e->w.gpr[R_ESP] = (e->w.gpr[R_ESP] & ~mask) | (e->w.gpr[R_EBP] & mask);
    int r = pop(e, &v, e->in.opsize);
    if (r == EMU_OK)
        reg_set(e, R_EBP, e->in.opsize, v);
    return r;
}

static int bound(struct emu *e)
{
    const struct x86_operand *s = &e->in.operands[1];
    unsigned sz = e->in.opsize;
    if (s->type != X86_OPND_MEM)
        return UD(e);
    uint32_t off = ea_offset(e, &s->mem), lo = 0, hi = 0;
    int32_t v = (int32_t)e->w.gpr[e->in.operands[0].reg];
    if (sz == 2)
        v = (int16_t)v;
    /* The CPU compares with the lower bound before it reads the upper one. */
    int r = seg_read(e, s->mem.seg, off, &lo, sz);
    if (r != EMU_OK)
        return r;
    if (v < (sz == 2 ? (int16_t)lo : (int32_t)lo))
        return emu_raise_noerr(e, EXC_BR);
    r = seg_read(e, s->mem.seg, off + sz, &hi, sz);
    if (r != EMU_OK)
        return r;
    return v > (sz == 2 ? (int16_t)hi : (int32_t)hi) ? emu_raise_noerr(e, EXC_BR) : EMU_OK;
}

static int arpl(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0];
    if (!(e->w.cr0 & CR0_PE) || (e->w.eflags & FL_VM))
        return UD(e);
    uint32_t a, b;
    /* Not a locked read-modify-write: the destination is only written when RPL changes. */
    int r = opnd_read(e, d, &a);
    if (r == EMU_OK)
        r = opnd_read(e, &e->in.operands[1], &b);
    if (r != EMU_OK)
        return r;
    if ((a & 3) < (b & 3)) {
        e->w.eflags |= FL_ZF;
        return opnd_write(e, d, (a & ~3u) | (b & 3));
    }
    e->w.eflags &= ~FL_ZF;
    return EMU_OK;
}

static int sign_extend(struct emu *e)
{
    uint32_t *a = &e->w.gpr[R_EAX], *d = &e->w.gpr[R_EDX];
    bool wide = e->in.opsize == 4;
    if (e->in.op == X86_OP_CBW)
        *a = wide ? (uint32_t)(int16_t)*a : (*a & ~0xffffu) | (uint16_t)(int8_t)*a;
    else if (wide)
        *d = (*a & 0x80000000u) ? 0xffffffffu : 0;
    else
        *d = (*d & ~0xffffu) | ((*a & 0x8000) ? 0xffff : 0);
    return EMU_OK;
}

static int bswap(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0];
    uint32_t v = e->w.gpr[d->reg];
    if (d->size == 2) /* undefined in the SDM; every i686-class CPU clears the register half */
        reg_set(e, d->reg, 2, 0);
    else
        e->w.gpr[d->reg] = __builtin_bswap32(v);
    return EMU_OK;
}

static int cmov(struct emu *e)
{
    uint32_t v;
    int r = opnd_read(e, &e->in.operands[1], &v);
    if (r != EMU_OK || !cond_true(e->w.eflags, e->in.cond))
        return r;
    return opnd_write(e, &e->in.operands[0], v);
}

int exec_data(struct emu *e)
{
    const struct x86_insn *in = &e->in;
    switch (in->op) {
    case X86_OP_MOV: return mov(e);
    case X86_OP_MOVZX: return movx(e, false);
    case X86_OP_MOVSX: return movx(e, true);
    case X86_OP_LEA: return opnd_write(e, &in->operands[0], ea_offset(e, &in->operands[1].mem));
    case X86_OP_XCHG: return xchg(e);
    case X86_OP_XLAT: return xlat(e);
    case X86_OP_CMOVCC: return cmov(e);
    case X86_OP_CBW:
    case X86_OP_CWD: return sign_extend(e);
    case X86_OP_BSWAP: return bswap(e);
    case X86_OP_PUSH: return push_op(e);
    case X86_OP_POP: return pop_op(e);
    case X86_OP_PUSH_SEG: return push_seg(e);
    case X86_OP_POP_SEG: return pop_seg(e);
    case X86_OP_MOV_SEG: return mov_seg(e);
    case X86_OP_LDS: return load_far_ptr(e, S_DS);
    case X86_OP_LES: return load_far_ptr(e, S_ES);
    case X86_OP_LFS: return load_far_ptr(e, S_FS);
    case X86_OP_LGS: return load_far_ptr(e, S_GS);
    case X86_OP_LSS: return load_far_ptr(e, S_SS);
    case X86_OP_PUSHA: return pusha(e);
    case X86_OP_POPA: return popa(e);
    case X86_OP_ENTER: return enter(e);
    case X86_OP_LEAVE: return leave(e);
    case X86_OP_BOUND: return bound(e);
    case X86_OP_ARPL: return arpl(e);
    case X86_OP_NOP:
    case X86_OP_PAUSE:
    case X86_OP_PREFETCHNTA:
    case X86_OP_PREFETCHT0:
    case X86_OP_PREFETCHT1:
    case X86_OP_PREFETCHT2:
    case X86_OP_LFENCE:
    case X86_OP_MFENCE:
    case X86_OP_SFENCE: return EMU_OK;
    default: return -1;
    }
}
