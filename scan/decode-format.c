/* scan/decode-format.c: the compact Intel-syntax printer for decoded instructions, used by the
 * monitor's log and debugger and by the host tests. It formats numbers itself so that it needs
 * nothing from libc (no printf family, no floating point) in the freestanding monitor. */
#include "scan/decode.h"

static const char *const op_names[X86_OP_COUNT] = {
#define X86_OP_NAME_(name, text) text,
    X86_OP_LIST(X86_OP_NAME_)
#undef X86_OP_NAME_
};

const char *x86_op_name(unsigned op)
{
    return op < X86_OP_COUNT ? op_names[op] : op_names[X86_OP_INVALID];
}

struct out {
    char *buf;
    size_t len;
    size_t pos;
};

static void put_char(struct out *o, char ch)
{
    if (o->pos + 1 < o->len)
        o->buf[o->pos] = ch;
    o->pos++;
}

static void put_str(struct out *o, const char *s)
{
    while (*s)
        put_char(o, *s++);
}

static void put_hex(struct out *o, uint32_t v)
{
    char digits[8];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    put_str(o, "0x");
    while (n)
        put_char(o, digits[--n]);
}

static void put_dec(struct out *o, unsigned v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        put_char(o, digits[--n]);
}

static const char *const cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g"};

static const char *gpr_name(unsigned reg, unsigned size)
{
    static const char *const r8[8] = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    static const char *const r16[8] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    static const char *const r32[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    return size == 1 ? r8[reg & 7] : size == 2 ? r16[reg & 7] : r32[reg & 7];
}

static const char *const seg_names[6] = {"es", "cs", "ss", "ds", "fs", "gs"};

static bool is_string_op(unsigned op)
{
    return op == X86_OP_MOVS || op == X86_OP_CMPS || op == X86_OP_STOS || op == X86_OP_LODS ||
           op == X86_OP_SCAS || op == X86_OP_INS || op == X86_OP_OUTS;
}

static void put_mnemonic(struct out *o, const struct x86_insn *in)
{
    static const char *const fcmov_cc[16] = {
        [X86_CC_B] = "b",   [X86_CC_E] = "e",   [X86_CC_BE] = "be", [X86_CC_P] = "u",
        [X86_CC_AE] = "nb", [X86_CC_NE] = "ne", [X86_CC_A] = "nbe", [X86_CC_NP] = "nu"};
    bool wide = in->opsize == 4;
    if (in->lock)
        put_str(o, "lock ");
    if (is_string_op(in->op) && in->rep)
        put_str(o, in->rep == 0xF2                                    ? "repne "
                   : (in->op == X86_OP_CMPS || in->op == X86_OP_SCAS) ? "repe "
                                                                      : "rep ");
    switch (in->op) {
    case X86_OP_CBW: put_str(o, wide ? "cwde" : "cbw"); return;
    case X86_OP_CWD: put_str(o, wide ? "cdq" : "cwd"); return;
    case X86_OP_JCXZ: put_str(o, in->addrsize == 4 ? "jecxz" : "jcxz"); return;
    default: break;
    }
    put_str(o, x86_op_name(in->op));
    switch (in->op) {
    case X86_OP_JCC:
    case X86_OP_SETCC:
    case X86_OP_CMOVCC: put_str(o, cc_names[in->cond & 15]); break;
    case X86_OP_FCMOVCC: put_str(o, fcmov_cc[in->cond & 15]); break;
    case X86_OP_PUSHA:
    case X86_OP_POPA:
    case X86_OP_PUSHF:
    case X86_OP_POPF:
    case X86_OP_IRET:
        if (wide)
            put_char(o, 'd');
        break;
    default:
        if (is_string_op(in->op))
            put_char(o, in->width == 1 ? 'b' : in->width == 2 ? 'w' : 'd');
        break;
    }
}

static void put_mem(struct out *o, const struct x86_insn *in, const struct x86_operand *op)
{
    static const char *const ptr[17] = {
        [1] = "byte ptr ",  [2] = "word ptr ",   [4] = "dword ptr ",   [6] = "fword ptr ",
        [8] = "qword ptr ", [10] = "tbyte ptr ", [16] = "xmmword ptr "};
    const struct x86_mem *m = &op->mem;
    bool any = false;
    if (op->size < 17 && ptr[op->size])
        put_str(o, ptr[op->size]);
    if (in->seg_override != X86_SEG_NONE && m->seg == in->seg_override) {
        put_str(o, seg_names[m->seg]);
        put_char(o, ':');
    }
    put_char(o, '[');
    if (m->base != X86_NOREG) {
        put_str(o, gpr_name((unsigned)m->base, m->addrsize));
        any = true;
    }
    if (m->index != X86_NOREG) {
        if (any)
            put_char(o, '+');
        put_str(o, gpr_name((unsigned)m->index, m->addrsize));
        if (m->scale > 1) {
            put_char(o, '*');
            put_dec(o, m->scale);
        }
        any = true;
    }
    if (m->disp || !any) {
        uint32_t d = (uint32_t)m->disp;
        if (any && m->disp < 0) {
            put_char(o, '-');
            d = 0u - d;
        } else if (any) {
            put_char(o, '+');
        }
        put_hex(o, m->addrsize == 2 ? (d & 0xFFFF) : d);
    }
    put_char(o, ']');
}

static void put_operand(struct out *o, const struct x86_insn *in, const struct x86_operand *op)
{
    switch (op->type) {
    case X86_OPND_REG:
        switch (op->reg_class) {
        case X86_RC_GPR: put_str(o, gpr_name(op->reg, op->size)); break;
        case X86_RC_SEG: put_str(o, seg_names[op->reg % 6]); break;
        case X86_RC_CR:
            put_str(o, "cr");
            put_dec(o, op->reg);
            break;
        case X86_RC_DR:
            put_str(o, "dr");
            put_dec(o, op->reg);
            break;
        case X86_RC_X87:
            put_str(o, "st(");
            put_dec(o, op->reg);
            put_char(o, ')');
            break;
        case X86_RC_MMX:
            put_str(o, "mm");
            put_dec(o, op->reg);
            break;
        default:
            put_str(o, "xmm");
            put_dec(o, op->reg);
            break;
        }
        break;
    case X86_OPND_MEM: put_mem(o, in, op); break;
    case X86_OPND_IMM: put_hex(o, op->imm); break;
    case X86_OPND_REL: {
        /* Relative to the instruction's own start, NASM style, since no address is known. */
        int32_t from_start = op->rel + in->len;
        put_str(o, from_start < 0 ? "$-" : "$+");
        put_hex(o, from_start < 0 ? 0u - (uint32_t)from_start : (uint32_t)from_start);
        break;
    }
    case X86_OPND_FAR:
        put_hex(o, op->sel);
        put_char(o, ':');
        put_hex(o, op->imm);
        break;
    default: break;
    }
}

int x86_format(const struct x86_insn *insn, char *buf, size_t len)
{
    struct out o = {buf, len, 0};
    put_mnemonic(&o, insn);
    for (unsigned i = 0; i < insn->noperands; i++) {
        put_str(&o, i ? ", " : " ");
        put_operand(&o, insn, &insn->operands[i]);
    }
    if (len)
        buf[o.pos < len ? o.pos : len - 1] = '\0';
    return (int)o.pos;
}
