/* Near control transfers: JMP, Jcc, CALL, RET, LOOP/LOOPE/LOOPNE/JCXZ, and the software
 * interrupts INT n/INT3/INTO/INT1, which come back as trap-like delivery requests. */
#include "monitor/emu/emu-int.h"

static uint32_t rel_target(struct emu *e)
{
    return x86_rel_target(&e->in, e->w.eip);
}

static int near_target(struct emu *e, uint32_t *t)
{
    const struct x86_operand *o = &e->in.operands[0];
    if (o->type == X86_OPND_REL) {
        *t = rel_target(e);
        return EMU_OK;
    }
    int r = opnd_read(e, o, t);
    if (e->in.opsize == 2)
        *t &= 0xffff;
    return r;
}

static int call(struct emu *e)
{
    uint32_t t, back = e->next_eip;
    int r = near_target(e, &t);
    if (r == EMU_OK)
        r = push(e, back, e->in.opsize);
    return r == EMU_OK ? jump_near(e, t) : r;
}

static int ret(struct emu *e)
{
    uint32_t t;
    int r = pop(e, &t, e->in.opsize);
    if (r != EMU_OK)
        return r;
    if (e->in.noperands > 0 && e->in.operands[0].type == X86_OPND_IMM) {
        uint32_t m = stack_size(e) == 4 ? 0xffffffffu : 0xffffu;
        uint32_t sp = e->w.gpr[R_ESP] + (e->in.operands[0].imm & 0xffff);
        e->w.gpr[R_ESP] = (e->w.gpr[R_ESP] & ~m) | (sp & m);
    }
    return jump_near(e, t);
}

static int loop(struct emu *e)
{
    unsigned asz = e->in.addrsize, op = e->in.op;
    uint32_t c = reg_get(e, R_ECX, asz);
    bool zf = e->w.eflags & FL_ZF, taken;
    if (op == X86_OP_JCXZ) {
        taken = c == 0;
    } else {
        c = (c - 1) & (asz == 2 ? 0xffff : 0xffffffffu);
        reg_set(e, R_ECX, asz, c);
        taken = c != 0 && (op == X86_OP_LOOP || (op == X86_OP_LOOPE ? zf : !zf));
    }
    return taken ? jump_near(e, rel_target(e)) : EMU_OK;
}

static int soft_int(struct emu *e, unsigned vector, unsigned soft)
{
    emu_raise_noerr(e, vector);
    e->exc->soft = soft;
    e->exc->insn_len = e->in.len;
    return EMU_EXCEPTION;
}

int exec_flow(struct emu *e)
{
    uint32_t t;
    int r;
    switch (e->in.op) {
    case X86_OP_JMP: r = near_target(e, &t); return r == EMU_OK ? jump_near(e, t) : r;
    case X86_OP_JCC:
        return cond_true(e->w.eflags, e->in.cond) ? jump_near(e, rel_target(e)) : EMU_OK;
    case X86_OP_CALL: return call(e);
    case X86_OP_RET: return ret(e);
    case X86_OP_LOOP:
    case X86_OP_LOOPE:
    case X86_OP_LOOPNE:
    case X86_OP_JCXZ: return loop(e);
    case X86_OP_INT:
        /* INT n is IOPL-sensitive in virtual-8086 mode (INT3, INTO and INT1 are not). */
        if ((e->w.eflags & FL_VM) && (e->w.eflags & FL_IOPL) != FL_IOPL)
            return GP0(e);
        return soft_int(e, e->in.imm & 0xff, EMU_SOFT_INT);
    case X86_OP_INT3: return soft_int(e, EXC_BP, EMU_SOFT_INT);
    case X86_OP_INTO: return (e->w.eflags & FL_OF) ? soft_int(e, EXC_OF, EMU_SOFT_INT) : EMU_OK;
    case X86_OP_INT1: return soft_int(e, EXC_DB, EMU_SOFT_ICEBP);
    default: return -1;
    }
}
