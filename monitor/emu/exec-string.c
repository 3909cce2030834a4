/* String instructions (MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS) in both address sizes, with
 * REP/REPE/REPNE. Each element is its own commit: a fault in element k leaves elements before it
 * done and ECX/ESI/EDI as the CPU leaves them, EIP on the instruction, so it restarts there. */
#include "monitor/emu/alu.h"
#include "monitor/emu/emu-int.h"

static void advance(struct emu *e, unsigned reg, int32_t delta)
{
    uint32_t m = e->in.addrsize == 2 ? 0xffff : 0xffffffffu;
    e->w.gpr[reg] = (e->w.gpr[reg] & ~m) | ((e->w.gpr[reg] + delta) & m);
}

static uint32_t index_of(struct emu *e, unsigned reg)
{
    return reg_get(e, reg, e->in.addrsize);
}

static int element(struct emu *e, unsigned size, int32_t delta)
{
    unsigned src = e->in.seg_override != X86_SEG_NONE ? e->in.seg_override : S_DS;
    uint32_t a = 0, b = 0, port = e->w.gpr[R_EDX] & 0xffff;
    int r;
    uint32_t ls, ld;
    unsigned acc = emu_user_acc(e);
    switch (e->in.op) {
    case X86_OP_MOVS:
        r = seg_read(e, src, index_of(e, R_ESI), &a, size);
        if (r == EMU_OK)
            r = seg_write(e, S_ES, index_of(e, R_EDI), &a, size);
        if (r != EMU_OK)
            return r;
        advance(e, R_ESI, delta);
        advance(e, R_EDI, delta);
        return EMU_OK;
    case X86_OP_CMPS:
        /* Both segment checks come before either read (a #GP on ES:EDI wins over a #PF on the
         * source, unlike MOVS). */
        r = seg_linear(e, src, index_of(e, R_ESI), size, false, &ls);
        if (r == EMU_OK)
            r = seg_linear(e, S_ES, index_of(e, R_EDI), size, false, &ld);
        if (r == EMU_OK)
            r = seg_align_check(e, ls, size, acc);
        if (r == EMU_OK)
            r = mem_lin_read(e, ls, &a, size, acc);
        if (r == EMU_OK)
            r = seg_align_check(e, ld, size, acc);
        if (r == EMU_OK)
            r = mem_lin_read(e, ld, &b, size, acc);
        if (r != EMU_OK)
            return r;
        alu2(ALU_CMP, size, a, b, &e->w.eflags);
        advance(e, R_ESI, delta);
        advance(e, R_EDI, delta);
        return EMU_OK;
    case X86_OP_STOS:
        a = e->w.gpr[R_EAX];
        r = seg_write(e, S_ES, index_of(e, R_EDI), &a, size);
        if (r == EMU_OK)
            advance(e, R_EDI, delta);
        return r;
    case X86_OP_LODS:
        r = seg_read(e, src, index_of(e, R_ESI), &a, size);
        if (r != EMU_OK)
            return r;
        reg_set(e, R_EAX, size, a);
        advance(e, R_ESI, delta);
        return EMU_OK;
    case X86_OP_SCAS:
        r = seg_read(e, S_ES, index_of(e, R_EDI), &b, size);
        if (r != EMU_OK)
            return r;
        alu2(ALU_CMP, size, e->w.gpr[R_EAX], b, &e->w.eflags);
        advance(e, R_EDI, delta);
        return EMU_OK;
    case X86_OP_INS:
        /* The destination is checked before the port is read: the read cannot be undone. */
        r = seg_check_write(e, S_ES, index_of(e, R_EDI), size);
        if (r == EMU_OK)
            r = e->ops->port_in(e->ctx, port, size, &a);
        if (r == EMU_OK)
            r = seg_write(e, S_ES, index_of(e, R_EDI), &a, size);
        if (r == EMU_OK)
            advance(e, R_EDI, delta);
        return r;
    default: /* OUTS */
        r = seg_read(e, src, index_of(e, R_ESI), &a, size);
        if (r != EMU_OK)
            return r;
        e->ops->port_out(e->ctx, port, size, a);
        advance(e, R_ESI, delta);
        return EMU_OK;
    }
}

int exec_string(struct emu *e, unsigned budget, bool *more)
{
    unsigned size = e->in.width, op = e->in.op, rep = e->in.rep, asz = e->in.addrsize;
    int32_t delta = (e->w.eflags & FL_DF) ? -(int32_t)size : (int32_t)size;
    bool compares = op == X86_OP_CMPS || op == X86_OP_SCAS;
    *more = false;
    /* I/O permission is checked even when the count is zero. */
    if (op == X86_OP_INS || op == X86_OP_OUTS) {
        int r = io_permitted(e, e->w.gpr[R_EDX] & 0xffff, size);
        if (r != EMU_OK)
            return r;
    }
    if (!rep)
        return element(e, size, delta);
    for (unsigned n = 0;; n++) {
        if (reg_get(e, R_ECX, asz) == 0)
            return EMU_OK;
        if (n == budget) {
            *more = true;
            return EMU_OK;
        }
        int r = element(e, size, delta);
        if (r != EMU_OK)
            return r;
        reg_set(e, R_ECX, asz, reg_get(e, R_ECX, asz) - 1);
        mem_commit(e);
        *e->cpu = e->w;
        if (compares && ((rep == 0xF3) != !!(e->w.eflags & FL_ZF)))
            return EMU_OK;
    }
}
