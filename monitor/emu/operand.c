/* Operand access for the execution files: general registers in their 8/16/32-bit views,
 * effective addresses, decoded operands (register, memory, immediate), the stack in its own
 * width (SS's B bit, not the operand size), conditions and near jumps with the CS limit check. */
#include "monitor/emu/emu-int.h"

int emu_raise(struct emu *e, unsigned vector, uint32_t error)
{
    e->exc->vector = vector;
    e->exc->has_error = 1;
    e->exc->soft = 0;
    e->exc->error = error;
    e->exc->cr2 = 0;
    return EMU_EXCEPTION;
}

int emu_raise_noerr(struct emu *e, unsigned vector)
{
    emu_raise(e, vector, 0);
    e->exc->has_error = 0;
    return EMU_EXCEPTION;
}

uint32_t reg_get(struct emu *e, unsigned reg, unsigned size)
{
    if (size == 1)
        return reg < 4 ? e->w.gpr[reg] & 0xff : (e->w.gpr[reg - 4] >> 8) & 0xff;
    if (size == 2)
        return e->w.gpr[reg] & 0xffff;
    return e->w.gpr[reg];
}

void reg_set(struct emu *e, unsigned reg, unsigned size, uint32_t val)
{
    uint32_t *g;
    if (size == 1) {
        g = &e->w.gpr[reg & 3];
        if (reg < 4)
            *g = (*g & ~0xffu) | (val & 0xff);
        else
            *g = (*g & ~0xff00u) | ((val & 0xff) << 8);
    } else if (size == 2) {
        g = &e->w.gpr[reg];
        *g = (*g & ~0xffffu) | (val & 0xffff);
    } else {
        e->w.gpr[reg] = val;
    }
}

/* From the registers as the instruction found them, so a write-back after a register operand
 * changed (XADD, XCHG with ESP, ...) goes to the address the CPU computed. */
uint32_t ea_offset(struct emu *e, const struct x86_mem *m)
{
    uint32_t off = (uint32_t)m->disp;
    if (m->base != X86_NOREG)
        off += e->cpu->gpr[m->base];
    if (m->index != X86_NOREG)
        off += e->cpu->gpr[m->index] * m->scale;
    return m->addrsize == 2 ? off & 0xffff : off;
}

int opnd_read(struct emu *e, const struct x86_operand *o, uint32_t *val)
{
    switch (o->type) {
    case X86_OPND_REG:
        if (o->reg_class == X86_RC_GPR)
            *val = reg_get(e, o->reg, o->size);
        else if (o->reg_class == X86_RC_SEG)
            *val = e->w.seg[o->reg].sel;
        else
            return UD(e);
        return EMU_OK;
    case X86_OPND_MEM: {
        uint32_t v = 0;
        int r = seg_read(e, o->mem.seg, ea_offset(e, &o->mem), &v, o->size);
        *val = v;
        return r;
    }
    case X86_OPND_IMM: *val = o->imm; return EMU_OK;
    case X86_OPND_REL: *val = (uint32_t)o->rel; return EMU_OK;
    default: return UD(e);
    }
}

int opnd_write(struct emu *e, const struct x86_operand *o, uint32_t val)
{
    if (o->type == X86_OPND_REG && o->reg_class == X86_RC_GPR) {
        reg_set(e, o->reg, o->size, val);
        return EMU_OK;
    }
    if (o->type == X86_OPND_MEM)
        return seg_write(e, o->mem.seg, ea_offset(e, &o->mem), &val, o->size);
    return UD(e);
}

unsigned stack_size(struct emu *e)
{
    return (e->w.seg[S_SS].attr & SEG_DB) ? 4 : 2;
}

static uint32_t sp_mask(struct emu *e)
{
    return stack_size(e) == 4 ? 0xffffffffu : 0xffffu;
}

static void set_sp(struct emu *e, uint32_t sp)
{
    uint32_t m = sp_mask(e);
    e->w.gpr[R_ESP] = (e->w.gpr[R_ESP] & ~m) | (sp & m);
}

int push(struct emu *e, uint32_t val, unsigned size)
{
    uint32_t sp = (e->w.gpr[R_ESP] - size) & sp_mask(e);
    int r = seg_write(e, S_SS, sp, &val, size);
    if (r == EMU_OK)
        set_sp(e, sp);
    return r;
}

int stack_peek(struct emu *e, uint32_t delta, uint32_t *val, unsigned size)
{
    uint32_t v = 0, sp = (e->w.gpr[R_ESP] + delta) & sp_mask(e);
    int r = seg_read(e, S_SS, sp, &v, size);
    *val = v;
    return r;
}

int pop(struct emu *e, uint32_t *val, unsigned size)
{
    int r = stack_peek(e, 0, val, size);
    if (r == EMU_OK)
        set_sp(e, e->w.gpr[R_ESP] + size);
    return r;
}

bool cond_true(uint32_t f, unsigned cond)
{
    bool cf = f & FL_CF, zf = f & FL_ZF, sf = f & FL_SF, of = f & FL_OF, pf = f & FL_PF;
    bool r;
    switch (cond >> 1) {
    case 0: r = of; break;
    case 1: r = cf; break;
    case 2: r = zf; break;
    case 3: r = cf || zf; break;
    case 4: r = sf; break;
    case 5: r = pf; break;
    case 6: r = sf != of; break;
    default: r = zf || sf != of; break;
    }
    return (cond & 1) ? !r : r;
}

int jump_near(struct emu *e, uint32_t target)
{
    if (target > e->w.seg[S_CS].limit)
        return GP0(e);
    e->next_eip = target;
    return EMU_OK;
}
