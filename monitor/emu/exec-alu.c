/* Arithmetic, logic, shifts, multiply/divide, bit operations, decimal adjusts and the flag
 * instructions. Results and flags come from alu.c's native helpers; memory destinations are
 * checked for writing before they are read, as the CPU reports a read-modify-write fault. */
#include "monitor/emu/alu.h"
#include "monitor/emu/emu-int.h"

/* Reads an operand that will be written back, checking the write first. */
static int rmw_read(struct emu *e, const struct x86_operand *o, uint32_t *val)
{
    if (o->type == X86_OPND_MEM) {
        int r = seg_check_write(e, o->mem.seg, ea_offset(e, &o->mem), o->size);
        if (r != EMU_OK)
            return r;
    }
    return opnd_read(e, o, val);
}

static int binary(struct emu *e, enum alu_op op, bool writes)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    uint32_t a, b;
    int r = writes ? rmw_read(e, d, &a) : opnd_read(e, d, &a);
    if (r == EMU_OK)
        r = opnd_read(e, s, &b);
    if (r != EMU_OK)
        return r;
    uint32_t res = alu2(op, d->size, a, b, &e->w.eflags);
    return writes ? opnd_write(e, d, res) : EMU_OK;
}

static int unary(struct emu *e, enum alu_op op)
{
    const struct x86_operand *d = &e->in.operands[0];
    uint32_t a;
    int r = rmw_read(e, d, &a);
    if (r != EMU_OK)
        return r;
    return opnd_write(e, d, alu2(op, d->size, a, 0, &e->w.eflags));
}

static int invert(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0];
    uint32_t a;
    int r = rmw_read(e, d, &a);
    return r != EMU_OK ? r : opnd_write(e, d, ~a);
}

static int shift(struct emu *e, enum alu_op op)
{
    const struct x86_operand *d = &e->in.operands[0];
    uint32_t a, count = 1;
    int r = EMU_OK;
    if (e->in.noperands > 1 && e->in.operands[1].method != X86_M_ONE)
        r = opnd_read(e, &e->in.operands[1], &count);
    if (r == EMU_OK)
        r = rmw_read(e, d, &a);
    if (r != EMU_OK)
        return r;
    return opnd_write(e, d, alu2(op, d->size, a, count & 0xff, &e->w.eflags));
}

static int shift_double(struct emu *e, bool left)
{
    const struct x86_operand *d = &e->in.operands[0];
    uint32_t a, b, count;
    int r = opnd_read(e, &e->in.operands[2], &count);
    if (r == EMU_OK)
        r = opnd_read(e, &e->in.operands[1], &b);
    if (r == EMU_OK)
        r = rmw_read(e, d, &a);
    if (r != EMU_OK)
        return r;
    return opnd_write(e, d, alu_shd(left, d->size, a, b, count & 0xff, &e->w.eflags));
}

/* The r/m operand of the one-operand MUL/IMUL/DIV/IDIV forms. */
static const struct x86_operand *rm_operand(struct emu *e)
{
    for (unsigned i = 0; i < e->in.noperands; i++)
        if (e->in.operands[i].method == X86_M_E)
            return &e->in.operands[i];
    return &e->in.operands[e->in.noperands - 1];
}

static int muldiv(struct emu *e, enum alu_md op)
{
    const struct x86_operand *s = rm_operand(e);
    uint32_t v;
    int r = opnd_read(e, s, &v);
    if (r != EMU_OK)
        return r;
    if (alu_muldiv(op, s->size, &e->w.gpr[R_EAX], &e->w.gpr[R_EDX], v, &e->w.eflags))
        return emu_raise_noerr(e, EXC_DE);
    return EMU_OK;
}

static int imul(struct emu *e)
{
    const struct x86_insn *in = &e->in;
    bool multi = false;
    for (unsigned i = 0; i < in->noperands; i++)
        multi |= in->operands[i].method == X86_M_G;
    if (!multi)
        return muldiv(e, ALU_IMUL1);
    uint32_t a, b;
    const struct x86_operand *d = &in->operands[0];
    int r = opnd_read(e, &in->operands[1], &a);
    if (r == EMU_OK)
        r = in->noperands > 2 ? opnd_read(e, &in->operands[2], &b) : opnd_read(e, d, &b);
    if (r != EMU_OK)
        return r;
    return opnd_write(e, d, alu2(ALU_IMUL2, d->size, a, b, &e->w.eflags));
}

/* BT*: a register bit offset reaches outside a memory operand (signed, in operand units). */
static int bit_test(struct emu *e, enum alu_op op)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    unsigned bits = d->size * 8;
    uint32_t off, val;
    int r = opnd_read(e, s, &off);
    if (r != EMU_OK)
        return r;
    struct x86_operand m = *d;
    if (d->type == X86_OPND_MEM && s->type == X86_OPND_REG) {
        /* Arithmetic shifts: the offset is signed and rounds towards minus infinity. */
        int32_t units = bits == 16 ? (int16_t)off >> 4 : (int32_t)off >> 5;
        m.mem.disp += units * (int32_t)d->size;
    }
    off &= bits - 1;
    r = op == ALU_BT ? opnd_read(e, &m, &val) : rmw_read(e, &m, &val);
    if (r != EMU_OK)
        return r;
    uint32_t res = alu2(op, d->size, val, off, &e->w.eflags);
    return op == ALU_BT ? EMU_OK : opnd_write(e, &m, res);
}

static int bit_scan(struct emu *e, enum alu_op op)
{
    const struct x86_operand *d = &e->in.operands[0];
    uint32_t s, old;
    int r = opnd_read(e, &e->in.operands[1], &s);
    if (r != EMU_OK)
        return r;
    opnd_read(e, d, &old);
    return opnd_write(e, d, alu2(op, d->size, old, s, &e->w.eflags));
}

static int cmpxchg(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    uint32_t a, b, acc = e->w.gpr[R_EAX];
    int r = rmw_read(e, d, &a);
    if (r == EMU_OK)
        r = opnd_read(e, s, &b);
    if (r != EMU_OK)
        return r;
    uint32_t res = alu_cmpxchg(d->size, a, b, &acc, &e->w.eflags);
    e->w.gpr[R_EAX] = acc;
    return opnd_write(e, d, res);
}

static int cmpxchg8b(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0];
    if (d->type != X86_OPND_MEM)
        return UD(e);
    uint32_t off = ea_offset(e, &d->mem), m[2];
    int r = seg_check_write(e, d->mem.seg, off, 8);
    if (r == EMU_OK)
        r = seg_read(e, d->mem.seg, off, m, 8);
    if (r != EMU_OK)
        return r;
    uint32_t w[2] = {m[0], m[1]};
    if (m[0] == e->w.gpr[R_EAX] && m[1] == e->w.gpr[R_EDX]) {
        w[0] = e->w.gpr[R_EBX];
        w[1] = e->w.gpr[R_ECX];
        e->w.eflags |= FL_ZF;
    } else {
        e->w.gpr[R_EAX] = m[0];
        e->w.gpr[R_EDX] = m[1];
        e->w.eflags &= ~FL_ZF;
    }
    return seg_write(e, d->mem.seg, off, w, 8);
}

static int xadd(struct emu *e)
{
    const struct x86_operand *d = &e->in.operands[0], *s = &e->in.operands[1];
    uint32_t a, b;
    int r = rmw_read(e, d, &a);
    if (r == EMU_OK)
        r = opnd_read(e, s, &b);
    if (r != EMU_OK)
        return r;
    uint32_t sum = alu_xadd(d->size, a, &b, &e->w.eflags);
    r = opnd_write(e, s, b);
    return r == EMU_OK ? opnd_write(e, d, sum) : r;
}

static int adjust(struct emu *e)
{
    uint32_t *eax = &e->w.gpr[R_EAX];
    uint8_t al = *eax, ah = *eax >> 8, imm = e->in.imm;
    switch (e->in.op) {
    case X86_OP_DAA: *eax = alu_bcd(ALU_DAA, *eax, &e->w.eflags); break;
    case X86_OP_DAS: *eax = alu_bcd(ALU_DAS, *eax, &e->w.eflags); break;
    case X86_OP_AAA: *eax = alu_bcd(ALU_AAA, *eax, &e->w.eflags); break;
    case X86_OP_AAS: *eax = alu_bcd(ALU_AAS, *eax, &e->w.eflags); break;
    case X86_OP_AAM:
        if (imm == 0)
            return emu_raise_noerr(e, EXC_DE);
        ah = al / imm;
        al = alu2(ALU_OR, 1, al % imm, 0, &e->w.eflags);
        *eax = (*eax & ~0xffffu) | ((uint32_t)ah << 8) | al;
        break;
    case X86_OP_AAD:
        /* The CPU computes AL + AH * imm with its adder, so the flags are an 8-bit ADD's. */
        al = alu2(ALU_ADD, 1, al, (uint8_t)(ah * imm), &e->w.eflags);
        *eax = (*eax & ~0xffffu) | al;
        break;
    default: return -1;
    }
    return EMU_OK;
}

static int flags_op(struct emu *e)
{
    uint32_t *f = &e->w.eflags, *eax = &e->w.gpr[R_EAX];
    switch (e->in.op) {
    case X86_OP_CLC: *f &= ~FL_CF; break;
    case X86_OP_STC: *f |= FL_CF; break;
    case X86_OP_CMC: *f ^= FL_CF; break;
    case X86_OP_CLD: *f &= ~FL_DF; break;
    case X86_OP_STD: *f |= FL_DF; break;
    case X86_OP_LAHF:
        *eax = (*eax & ~0xff00u) | ((((*f & (FL_ARITH & ~FL_OF)) | FL_RSV1) & 0xff) << 8);
        break;
    case X86_OP_SAHF: *f = (*f & ~0xd5u) | ((*eax >> 8) & 0xd5); break;
    case X86_OP_SALC: *eax = (*eax & ~0xffu) | ((*f & FL_CF) ? 0xff : 0); break;
    case X86_OP_SETCC: return opnd_write(e, &e->in.operands[0], cond_true(*f, e->in.cond));
    default: return -1;
    }
    return EMU_OK;
}

int exec_alu(struct emu *e)
{
    switch (e->in.op) {
    case X86_OP_ADD: return binary(e, ALU_ADD, true);
    case X86_OP_OR: return binary(e, ALU_OR, true);
    case X86_OP_ADC: return binary(e, ALU_ADC, true);
    case X86_OP_SBB: return binary(e, ALU_SBB, true);
    case X86_OP_AND: return binary(e, ALU_AND, true);
    case X86_OP_SUB: return binary(e, ALU_SUB, true);
    case X86_OP_XOR: return binary(e, ALU_XOR, true);
    case X86_OP_CMP: return binary(e, ALU_CMP, false);
    case X86_OP_TEST: return binary(e, ALU_TEST, false);
    case X86_OP_INC: return unary(e, ALU_INC);
    case X86_OP_DEC: return unary(e, ALU_DEC);
    case X86_OP_NEG: return unary(e, ALU_NEG);
    case X86_OP_NOT: return invert(e);
    case X86_OP_ROL: return shift(e, ALU_ROL);
    case X86_OP_ROR: return shift(e, ALU_ROR);
    case X86_OP_RCL: return shift(e, ALU_RCL);
    case X86_OP_RCR: return shift(e, ALU_RCR);
    case X86_OP_SHL: return shift(e, ALU_SHL);
    case X86_OP_SHR: return shift(e, ALU_SHR);
    case X86_OP_SAR: return shift(e, ALU_SAR);
    case X86_OP_SHLD: return shift_double(e, true);
    case X86_OP_SHRD: return shift_double(e, false);
    case X86_OP_MUL: return muldiv(e, ALU_MUL);
    case X86_OP_IMUL: return imul(e);
    case X86_OP_DIV: return muldiv(e, ALU_DIV);
    case X86_OP_IDIV: return muldiv(e, ALU_IDIV);
    case X86_OP_BT: return bit_test(e, ALU_BT);
    case X86_OP_BTS: return bit_test(e, ALU_BTS);
    case X86_OP_BTR: return bit_test(e, ALU_BTR);
    case X86_OP_BTC: return bit_test(e, ALU_BTC);
    case X86_OP_BSF: return bit_scan(e, ALU_BSF);
    case X86_OP_BSR: return bit_scan(e, ALU_BSR);
    case X86_OP_CMPXCHG: return cmpxchg(e);
    case X86_OP_CMPXCHG8B: return cmpxchg8b(e);
    case X86_OP_XADD: return xadd(e);
    }
    int r = adjust(e);
    return r >= 0 ? r : flags_op(e);
}
