/* emu_step: fetch and decode at CS:EIP, run the operation on a working copy of the vCPU, and
 * commit registers and queued memory writes only when it completes, so a fault or a redirect
 * at any step leaves the vCPU as it was. REP string instructions commit element by element. */
#include <string.h>

#include "monitor/emu/emu-int.h"

/* Fetches up to 15 bytes within the CS limit; a fault on the second page only matters if the
 * decoder needs bytes from it. */
static int fetch_decode(struct emu *e)
{
    const struct vcpu_seg *cs = &e->w.seg[S_CS];
    uint8_t buf[X86_MAX_INSN_LEN];
    uint32_t eip = e->w.eip;
    unsigned acc = EMU_ACC_FETCH | emu_user_acc(e);
    if (eip > cs->limit)
        return GP0(e);
    unsigned max = X86_MAX_INSN_LEN;
    if (cs->limit - eip < max - 1)
        max = cs->limit - eip + 1;
    uint32_t lin = cs->base + eip;
    unsigned first = 0x1000 - (lin & 0xfff);
    if (first > max)
        first = max;
    int r = mem_lin_read(e, lin, buf, first, acc);
    if (r != EMU_OK)
        return r;
    unsigned avail = first;
    struct emu_exc second = {0};
    int r2 = EMU_OK;
    if (first < max) {
        struct emu_exc *saved = e->exc;
        e->exc = &second;
        r2 = mem_lin_read(e, lin + first, buf + first, max - first, acc);
        e->exc = saved;
        if (r2 == EMU_OK)
            avail = max;
    }
    switch (x86_decode(buf, avail, vcpu_code_size(&e->w), &e->in)) {
    case X86_OK: break;
    case X86_UD: return UD(e);
    case X86_GP: return GP0(e);
    case X86_NEED_MORE:
        if (avail < max) {
            *e->exc = second;
            return r2;
        }
        return GP0(e);
    }
    uint32_t next = eip + e->in.len;
    e->next_eip = (cs->attr & SEG_DB) ? next : next & 0xffff;
    return EMU_OK;
}

/* LOCK is #UD except on the read-modify-write forms with a memory destination. */
static bool lock_ok(const struct x86_insn *in)
{
    switch (in->op) {
    case X86_OP_ADD:
    case X86_OP_OR:
    case X86_OP_ADC:
    case X86_OP_SBB:
    case X86_OP_AND:
    case X86_OP_SUB:
    case X86_OP_XOR:
    case X86_OP_NOT:
    case X86_OP_NEG:
    case X86_OP_INC:
    case X86_OP_DEC:
    case X86_OP_XCHG:
    case X86_OP_XADD:
    case X86_OP_CMPXCHG:
    case X86_OP_CMPXCHG8B:
    case X86_OP_BTS:
    case X86_OP_BTR:
    case X86_OP_BTC: return in->noperands > 0 && in->operands[0].type == X86_OPND_MEM;
    default: return false;
    }
}

static bool is_string(unsigned op)
{
    return op == X86_OP_MOVS || op == X86_OP_CMPS || op == X86_OP_STOS || op == X86_OP_LODS ||
           op == X86_OP_SCAS || op == X86_OP_INS || op == X86_OP_OUTS;
}

void emu_begin(struct emu *e, struct vcpu *cpu, const struct emu_ops *ops, void *ctx,
               struct emu_exc *exc)
{
    e->ops = ops;
    e->ctx = ctx;
    e->cpu = cpu;
    e->w = *cpu;
    e->exc = exc;
    e->nwr = 0;
    e->commit_fault = false;
    memset(exc, 0, sizeof *exc);
}

void emu_commit(struct emu *e)
{
    mem_commit(e);
    *e->cpu = e->w;
}

/* STI that sets IF, MOV SS and POP SS hold off external interrupts for one instruction. */
static bool opens_shadow(const struct emu *e)
{
    switch (e->in.op) {
    case X86_OP_STI: return !(e->cpu->eflags & FL_IF) && (e->w.eflags & FL_IF);
    case X86_OP_MOV_SEG:
    case X86_OP_POP_SEG:
        return e->in.operands[0].type == X86_OPND_REG &&
               e->in.operands[0].reg_class == X86_RC_SEG && e->in.operands[0].reg == S_SS;
    default: return false;
    }
}

/* An instruction (or one REP element) completed: commit it, and with TF set when it began report
 * the single-step trap, except after MOV SS/POP SS, whose trap waits for the next instruction
 * (as their interrupt shadow does). */
static int complete(struct emu *e, bool tf, int r)
{
    bool shadow = opens_shadow(e);
    bool ss_shadow = shadow && e->in.op != X86_OP_STI;
    e->w.int_shadow = shadow;
    if (tf && !ss_shadow) {
        e->w.dr[6] |= DR6_BS;
        emu_raise_noerr(e, EXC_DB);
        r = EMU_TRAP;
    }
    emu_commit(e);
    return r;
}

int emu_step(struct vcpu *cpu, const struct emu_ops *ops, void *ctx, unsigned rep_budget,
             struct emu_exc *exc)
{
    struct emu em;
    struct emu *e = &em;
    emu_begin(e, cpu, ops, ctx, exc);
    /* Single-stepping traps after every element of a REP string instruction. */
    bool tf = cpu->eflags & FL_TF;
    int r = fetch_decode(e);
    if (r != EMU_OK)
        return r;
    if (e->in.lock && !lock_ok(&e->in))
        return UD(e);
    if (is_string(e->in.op)) {
        bool more = false;
        r = exec_string(e, tf || !rep_budget ? 1 : rep_budget, &more);
        if (r != EMU_OK)
            return r;
        if (!more)
            e->w.eip = e->next_eip;
        return complete(e, tf, EMU_OK);
    }
    r = exec_alu(e);
    if (r < 0)
        r = exec_data(e);
    if (r < 0)
        r = exec_flow(e);
    if (r < 0)
        r = exec_sys(e);
    if (r < 0)
        r = exec_far(e);
    if (r < 0)
        r = UD(e);
    if (r == EMU_OK || r == EMU_HALT) {
        e->w.eip = e->next_eip;
        return complete(e, tf, r);
    }
    if (r == EMU_EXCEPTION && e->commit_fault) {
        /* A task switch happened; the fault belongs to the new task. */
        e->w.eip = e->next_eip;
        e->w.int_shadow = 0;
        emu_commit(e);
    } else if (r == EMU_EXCEPTION && e->exc->soft) {
        /* INT n, INT3, INTO: a trap, delivered with EIP past the instruction. */
        e->cpu->eip = e->next_eip;
        e->cpu->int_shadow = 0;
    }
    return r;
}
