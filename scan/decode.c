/* scan/decode.c: the decoding engine: legacy prefixes, opcode maps, walking the table levels
 * (groups, mandatory prefixes, x87), ModRM/SIB/displacement/immediates in 16- and 32-bit
 * addressing, the 15-byte limit, and building the operands, class and static target the
 * scanner and the emulator read. The tables themselves are in decode-tables.c. */
#include "scan/decode.h"
#include "scan/decode-tables.h"

struct cursor {
    const uint8_t *bytes;
    unsigned avail;
    unsigned pos;
    unsigned nimm; /* immediates stored so far (insn.imm, then insn.imm2) */
};

/* Bytes are consumed only if they fit in 15 and are available, in that order of checks, so an
 * over-long instruction is #GP even when the caller could not supply its tail. */
static enum x86_status take(struct cursor *c, unsigned n, uint32_t *value)
{
    if (c->pos + n > X86_MAX_INSN_LEN)
        return X86_GP;
    if (c->pos + n > c->avail)
        return X86_NEED_MORE;
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint32_t)c->bytes[c->pos + i] << (8 * i);
    c->pos += n;
    *value = v;
    return X86_OK;
}

static int prefix_seg(uint8_t b)
{
    switch (b) {
    case 0x26: return X86_SEG_ES;
    case 0x2E: return X86_SEG_CS;
    case 0x36: return X86_SEG_SS;
    case 0x3E: return X86_SEG_DS;
    case 0x64: return X86_SEG_FS;
    case 0x65: return X86_SEG_GS;
    default: return -1;
    }
}

static bool spec_uses_modrm(uint32_t spec)
{
    switch (SPEC_KIND(spec)) {
    case S_E:
    case S_G:
    case S_M:
    case S_R:
    case S_S:
    case S_C:
    case S_D:
    case S_STI:
    case S_P:
    case S_Q:
    case S_N:
    case S_V:
    case S_W:
    case S_U: return true;
    default: return false;
    }
}

/* r/m names memory (so SIB and displacement follow when mod != 3). */
static bool spec_rm_mem(uint32_t spec)
{
    switch (SPEC_KIND(spec)) {
    case S_E:
    case S_M:
    case S_Q:
    case S_W: return true;
    default: return false;
    }
}

static unsigned size_bytes(const struct x86_insn *in, uint32_t spec, bool xmm)
{
    switch (SPEC_SIZE(spec)) {
    case Z_B: return 1;
    case Z_W: return 2;
    case Z_D: return 4;
    case Z_Q: return 8;
    case Z_DQ: return 16;
    case Z_V: return in->opsize;
    case Z_P: return in->opsize + 2u;
    case Z_A: return 2u * in->opsize;
    case Z_S: return 6;
    case Z_T: return 10;
    case Z_ENV: return in->opsize == 2 ? 14 : 28;
    case Z_SAVE: return in->opsize == 2 ? 94 : 108;
    case Z_FX: return 512;
    case Z_MW: return in->mod == 3 ? in->opsize : 2;
    case Z_QDQ: return xmm ? 16 : 8;
    case Z_DW: return in->mod == 3 ? 4 : 2;
    case Z_DDQ: return xmm ? 16 : 4;
    default: return 0;
    }
}

static enum x86_status read_modrm(struct cursor *c, struct x86_insn *in)
{
    if (in->has_modrm)
        return X86_OK;
    uint32_t b;
    enum x86_status st = take(c, 1, &b);
    if (st != X86_OK)
        return st;
    in->has_modrm = true;
    in->modrm_off = (uint8_t)(c->pos - 1);
    in->modrm = (uint8_t)b;
    in->mod = (uint8_t)(b >> 6);
    in->reg = (uint8_t)((b >> 3) & 7);
    in->rm = (uint8_t)(b & 7);
    return X86_OK;
}

/* Walk group, prefix and x87 levels down to a leaf. */
static enum x86_status resolve(struct cursor *c, struct x86_insn *in, uint8_t cand,
                               const struct dt_entry **out, bool *xmm)
{
    const struct dt_entry *e;
    switch (in->map) {
    case X86_MAP_0F: e = &dt_map0f[in->opcode]; break;
    case X86_MAP_0F38: e = &dt_map0f38[in->opcode]; break;
    case X86_MAP_0F3A: e = &dt_map0f3a[in->opcode]; break;
    default: e = &dt_map1[in->opcode]; break;
    }
    *xmm = false;
    for (;;) {
        enum x86_status st;
        switch (e->kind) {
        case DT_LEAF: *out = e; return X86_OK;
        case DT_MMX:
            if (cand == 0xF2 || cand == 0xF3)
                return X86_UD;
            if (cand == 0x66) {
                *xmm = true;
                in->mandatory = 0x66;
            }
            *out = e;
            return X86_OK;
        case DT_GROUP:
            if ((st = read_modrm(c, in)) != X86_OK)
                return st;
            e = &dt_group[e->idx][in->reg];
            break;
        case DT_GROUPM:
            if ((st = read_modrm(c, in)) != X86_OK)
                return st;
            e = &dt_groupm[e->idx][(in->mod == 3 ? 8 : 0) + in->reg];
            break;
        case DT_RM: e = &dt_rm[e->idx][in->rm]; break;
        case DT_MOD:
            if ((st = read_modrm(c, in)) != X86_OK)
                return st;
            e = &dt_mod[e->idx][in->mod == 3];
            break;
        case DT_X87:
            if ((st = read_modrm(c, in)) != X86_OK)
                return st;
            e = &dt_x87[e->idx][in->mod == 3 ? 8u + (in->modrm & 0x3F) : in->reg];
            break;
        case DT_PFX: {
            unsigned i = cand == 0x66 ? 1 : cand == 0xF3 ? 2 : cand == 0xF2 ? 3 : 0;
            in->mandatory = cand;
            e = &dt_pfx[e->idx][i];
            break;
        }
        default: return X86_UD;
        }
    }
}

/* SIB and displacement of a memory r/m, filling the memory form of the operand. */
static enum x86_status read_mem(struct cursor *c, struct x86_insn *in, struct x86_mem *m)
{
    enum x86_status st;
    uint32_t v;
    unsigned dsize = 0;
    m->base = X86_NOREG;
    m->index = X86_NOREG;
    m->scale = 1;
    m->addrsize = in->addrsize;
    uint8_t defseg = X86_SEG_DS;
    if (in->addrsize == 2) {
        static const int8_t base16[8] = {X86_EBX, X86_EBX, X86_EBP, X86_EBP,
                                         X86_ESI, X86_EDI, X86_EBP, X86_EBX};
        static const int8_t index16[8] = {X86_ESI,   X86_EDI,   X86_ESI,   X86_EDI,
                                          X86_NOREG, X86_NOREG, X86_NOREG, X86_NOREG};
        if (in->mod == 0 && in->rm == 6) {
            dsize = 2;
        } else {
            m->base = base16[in->rm];
            m->index = index16[in->rm];
            dsize = in->mod == 1 ? 1 : in->mod == 2 ? 2 : 0;
            if (m->base == X86_EBP)
                defseg = X86_SEG_SS;
        }
    } else {
        int base = in->rm;
        if (in->rm == 4) {
            if ((st = take(c, 1, &v)) != X86_OK)
                return st;
            in->has_sib = true;
            in->sib = (uint8_t)v;
            in->scale = (uint8_t)(v >> 6);
            in->index = (uint8_t)((v >> 3) & 7);
            in->base = (uint8_t)(v & 7);
            base = in->base;
            if (in->index != 4) {
                m->index = (int8_t)in->index;
                m->scale = (uint8_t)(1u << in->scale);
            }
        }
        if (in->mod == 0 && base == 5) {
            dsize = 4;
        } else {
            m->base = (int8_t)base;
            dsize = in->mod == 1 ? 1 : in->mod == 2 ? 4 : 0;
            if (base == X86_ESP || base == X86_EBP)
                defseg = X86_SEG_SS;
        }
    }
    m->seg = in->seg_override != X86_SEG_NONE ? in->seg_override : defseg;
    if (dsize) {
        in->disp_off = (uint8_t)c->pos;
        if ((st = take(c, dsize, &v)) != X86_OK)
            return st;
        in->disp_size = (uint8_t)dsize;
        in->disp = dsize == 1 ? (int8_t)v : dsize == 2 ? (int16_t)v : (int32_t)v;
    }
    m->disp = in->disp;
    return X86_OK;
}

static enum x86_status read_imm(struct cursor *c, struct x86_insn *in, unsigned n, uint32_t *v)
{
    unsigned off = c->pos;
    enum x86_status st = take(c, n, v);
    if (st != X86_OK)
        return st;
    if (in->imm_size == 0) {
        in->imm_off = (uint8_t)off;
        in->imm_size = (uint8_t)n;
    } else {
        in->imm2_size = (uint8_t)n;
    }
    return X86_OK;
}

static void set_imm(struct cursor *c, struct x86_insn *in, uint32_t value)
{
    if (c->nimm++ == 0)
        in->imm = value;
    else
        in->imm2 = value;
}

static uint32_t truncate(uint32_t v, unsigned size)
{
    return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void set_reg(struct x86_operand *o, uint8_t rc, unsigned reg)
{
    o->type = X86_OPND_REG;
    o->reg_class = rc;
    o->reg = (uint8_t)reg;
}

/* Build one operand; immediates are read here, in operand order, as the encoding has them. */
static enum x86_status operand(struct cursor *c, struct x86_insn *in, uint32_t spec, bool xmm,
                               const struct x86_mem *mem, struct x86_operand *o)
{
    static const uint8_t method[] = {
        [S_E] = X86_M_E,       [S_G] = X86_M_G,     [S_M] = X86_M_M,       [S_R] = X86_M_R,
        [S_I] = X86_M_I,       [S_IBS] = X86_M_I,   [S_J] = X86_M_J,       [S_A] = X86_M_A,
        [S_O] = X86_M_O,       [S_S] = X86_M_S,     [S_C] = X86_M_C,       [S_D] = X86_M_D,
        [S_X] = X86_M_X,       [S_Y] = X86_M_Y,     [S_GPR] = X86_M_FIXED, [S_ZR] = X86_M_OPREG,
        [S_SEG] = X86_M_FIXED, [S_ONE] = X86_M_ONE, [S_ST0] = X86_M_ST,    [S_STI] = X86_M_STI,
        [S_P] = X86_M_P,       [S_Q] = X86_M_Q,     [S_N] = X86_M_N,       [S_V] = X86_M_V,
        [S_W] = X86_M_W,       [S_U] = X86_M_U,
    };
    unsigned kind = SPEC_KIND(spec);
    unsigned size = size_bytes(in, spec, xmm);
    enum x86_status st;
    uint32_t v;
    uint8_t mmx = xmm ? X86_RC_XMM : X86_RC_MMX;
    o->method = method[kind];
    if (xmm && (kind == S_P || kind == S_Q || kind == S_N))
        o->method = kind == S_P ? X86_M_V : kind == S_Q ? X86_M_W : X86_M_U;
    o->size = (uint16_t)size;
    switch (kind) {
    case S_E:
    case S_M:
    case S_Q:
    case S_W:
        if (in->mod == 3) {
            set_reg(o, kind == S_Q ? mmx : kind == S_W ? X86_RC_XMM : X86_RC_GPR, in->rm);
        } else {
            o->type = X86_OPND_MEM;
            o->mem = *mem;
        }
        break;
    case S_G: set_reg(o, X86_RC_GPR, in->reg); break;
    case S_R: set_reg(o, X86_RC_GPR, in->rm); break;
    case S_N: set_reg(o, mmx, in->rm); break;
    case S_U: set_reg(o, X86_RC_XMM, in->rm); break;
    case S_P: set_reg(o, mmx, in->reg); break;
    case S_V: set_reg(o, X86_RC_XMM, in->reg); break;
    case S_S:
        if (in->reg > X86_SEG_GS)
            return X86_UD;
        set_reg(o, X86_RC_SEG, in->reg);
        break;
    case S_C:
        if (in->reg == 1 || in->reg > 4)
            return X86_UD;
        set_reg(o, X86_RC_CR, in->reg);
        break;
    case S_D: set_reg(o, X86_RC_DR, in->reg); break;
    case S_GPR: set_reg(o, X86_RC_GPR, SPEC_REG(spec)); break;
    case S_ZR: set_reg(o, X86_RC_GPR, in->opcode & 7u); break;
    case S_SEG: set_reg(o, X86_RC_SEG, SPEC_REG(spec)); break;
    case S_ST0: set_reg(o, X86_RC_X87, 0); break;
    case S_STI: set_reg(o, X86_RC_X87, in->rm); break;
    case S_ONE:
        o->type = X86_OPND_IMM;
        o->imm = 1;
        break;
    case S_I:
        if ((st = read_imm(c, in, size, &v)) != X86_OK)
            return st;
        o->type = X86_OPND_IMM;
        o->imm = v;
        set_imm(c, in, v);
        break;
    case S_IBS:
        if ((st = read_imm(c, in, 1, &v)) != X86_OK)
            return st;
        o->type = X86_OPND_IMM;
        o->imm = truncate((uint32_t)(int32_t)(int8_t)v, size);
        set_imm(c, in, o->imm);
        break;
    case S_J:
        if ((st = read_imm(c, in, size, &v)) != X86_OK)
            return st;
        o->type = X86_OPND_REL;
        o->rel = size == 1 ? (int8_t)v : size == 2 ? (int16_t)v : (int32_t)v;
        set_imm(c, in, (uint32_t)o->rel);
        break;
    case S_A: {
        uint32_t sel;
        if ((st = read_imm(c, in, in->opsize, &v)) != X86_OK ||
            (st = read_imm(c, in, 2, &sel)) != X86_OK)
            return st;
        o->type = X86_OPND_FAR;
        o->imm = v;
        o->sel = (uint16_t)sel;
        set_imm(c, in, v);
        set_imm(c, in, sel);
        o->size = (uint16_t)(in->opsize + 2u);
        break;
    }
    case S_O:
        in->disp_off = (uint8_t)c->pos;
        if ((st = take(c, in->addrsize, &v)) != X86_OK)
            return st;
        in->disp_size = in->addrsize;
        in->disp = (int32_t)v;
        o->type = X86_OPND_MEM;
        o->mem.seg = in->seg_override != X86_SEG_NONE ? in->seg_override : X86_SEG_DS;
        o->mem.base = X86_NOREG;
        o->mem.index = X86_NOREG;
        o->mem.scale = 1;
        o->mem.addrsize = in->addrsize;
        o->mem.disp = (int32_t)v;
        break;
    case S_X:
    case S_Y:
        o->type = X86_OPND_MEM;
        o->mem.base = kind == S_X ? X86_ESI : X86_EDI;
        o->mem.index = X86_NOREG;
        o->mem.scale = 1;
        o->mem.addrsize = in->addrsize;
        o->mem.seg = kind == S_Y                        ? X86_SEG_ES
                     : in->seg_override != X86_SEG_NONE ? in->seg_override
                                                        : X86_SEG_DS;
        break;
    default: break;
    }
    return X86_OK;
}

static void set_transfer(struct x86_insn *in)
{
    in->cls = (uint8_t)x86_op_class(in->op);
    in->xfer = (uint8_t)x86_op_xfer(in->op);
    if (in->xfer == X86_XFER_NONE)
        return;
    switch (in->op) {
    case X86_OP_JCC:
    case X86_OP_LOOP:
    case X86_OP_LOOPE:
    case X86_OP_LOOPNE:
    case X86_OP_JCXZ:
    case X86_OP_INTO:
    case X86_OP_BOUND: in->xfer_flags |= X86_XF_COND; break;
    case X86_OP_JMPF:
    case X86_OP_CALLF:
    case X86_OP_RETF:
    case X86_OP_IRET:
    case X86_OP_SYSENTER:
    case X86_OP_SYSEXIT: in->xfer_flags |= X86_XF_FAR; break;
    default: break;
    }
    const struct x86_operand *o = &in->operands[0];
    if ((in->op == X86_OP_JMP || in->op == X86_OP_CALL || in->op == X86_OP_JMPF ||
         in->op == X86_OP_CALLF) &&
        (o->type == X86_OPND_REG || o->type == X86_OPND_MEM))
        in->xfer_flags |= X86_XF_INDIRECT;
    if (o->type == X86_OPND_REL) {
        in->target_kind = X86_TARGET_REL;
        in->target_rel = o->rel;
    } else if (o->type == X86_OPND_FAR) {
        in->target_kind = X86_TARGET_FAR;
        in->target_sel = o->sel;
        in->target_off = o->imm;
    }
}

static enum x86_status decode(struct cursor *c, int mode, struct x86_insn *in)
{
    enum x86_status st;
    uint32_t b;
    uint8_t cand = 0;
    in->mode = mode == 16 ? 2 : 4;
    in->seg_override = X86_SEG_NONE;
    for (;;) {
        if ((st = take(c, 1, &b)) != X86_OK)
            return st;
        int seg = prefix_seg((uint8_t)b);
        if (seg >= 0) {
            in->prefixes |= (uint16_t)(X86_PFX_ES << seg);
            in->seg_override = (uint8_t)seg;
        } else if (b == 0xF0) {
            in->prefixes |= X86_PFX_LOCK;
            in->lock = true;
        } else if (b == 0xF2 || b == 0xF3) {
            in->prefixes |= b == 0xF2 ? X86_PFX_REPNE : X86_PFX_REP;
            cand = (uint8_t)b;
        } else if (b == 0x66) {
            in->prefixes |= X86_PFX_OPSZ;
            if (!cand)
                cand = 0x66;
        } else if (b == 0x67) {
            in->prefixes |= X86_PFX_ADSZ;
        } else {
            break;
        }
        in->nprefixes++;
    }
    in->opcode_off = in->nprefixes;
    in->map = X86_MAP_1BYTE;
    if (b == 0x0F) {
        in->map = X86_MAP_0F;
        if ((st = take(c, 1, &b)) != X86_OK)
            return st;
        if (b == 0x38 || b == 0x3A) {
            in->map = b == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
            if ((st = take(c, 1, &b)) != X86_OK)
                return st;
        }
    }
    in->opcode = (uint8_t)b;

    const struct dt_entry *e;
    bool xmm;
    if ((st = resolve(c, in, cand, &e, &xmm)) != X86_OK)
        return st;
    if ((e->flags & F_NP) && (in->prefixes & (X86_PFX_OPSZ | X86_PFX_REP | X86_PFX_REPNE)))
        return X86_UD;

    bool opsz = (in->prefixes & X86_PFX_OPSZ) && in->mandatory != 0x66;
    in->opsize = (uint8_t)(opsz ? 6 - in->mode : in->mode);
    in->addrsize = (uint8_t)((in->prefixes & X86_PFX_ADSZ) ? 6 - in->mode : in->mode);
    if ((cand == 0xF2 || cand == 0xF3) && in->mandatory != cand)
        in->rep = cand;

    bool need_modrm = in->has_modrm, rm_mem = false;
    for (int i = 0; i < 3; i++) {
        need_modrm |= spec_uses_modrm(e->s[i]);
        rm_mem |= spec_rm_mem(e->s[i]);
    }
    struct x86_mem mem = {0};
    if (need_modrm) {
        if ((st = read_modrm(c, in)) != X86_OK)
            return st;
        for (int i = 0; i < 3; i++) {
            unsigned k = SPEC_KIND(e->s[i]);
            if ((k == S_M && in->mod == 3) || ((k == S_N || k == S_U) && in->mod != 3))
                return X86_UD;
        }
        if (rm_mem && in->mod != 3 && (st = read_mem(c, in, &mem)) != X86_OK)
            return st;
    }

    in->op = e->op;
    in->cond = (uint8_t)((e->flags & F_COND) ? (in->opcode & 0xF) : e->idx);
    in->width = (uint8_t)((e->flags & F_BYTE) ? 1 : (e->flags & F_W16) ? 2 : in->opsize);
    for (int i = 0; i < 3 && SPEC_KIND(e->s[i]) != S_NONE; i++) {
        struct x86_operand *o = &in->operands[i];
        if ((st = operand(c, in, e->s[i], xmm, &mem, o)) != X86_OK)
            return st;
        if (o->type == X86_OPND_REG || o->type == X86_OPND_MEM) {
            if (i == 0)
                o->access = (uint8_t)(((e->flags & F_R0) ? X86_ACC_READ : 0) |
                                      ((e->flags & F_W0) ? X86_ACC_WRITE : 0));
            else
                o->access =
                    (uint8_t)(X86_ACC_READ | ((i == 1 && (e->flags & F_W1)) ? X86_ACC_WRITE : 0));
            if (SPEC_SIZE(e->s[i]) == Z_0)
                o->access = 0;
        }
        in->noperands = (uint8_t)(i + 1);
    }
    if (in->op == X86_OP_MOV_SEG && in->operands[0].type == X86_OPND_REG &&
        in->operands[0].reg_class == X86_RC_SEG && in->operands[0].reg == X86_SEG_CS)
        return X86_UD;
    if (in->lock && !((e->flags & F_LOCK) && in->has_modrm && in->mod != 3))
        return X86_UD;
    set_transfer(in);
    return X86_OK;
}

enum x86_status x86_decode(const uint8_t *bytes, unsigned avail, int mode, struct x86_insn *out)
{
    struct cursor c = {bytes, avail, 0, 0};
    *out = (struct x86_insn){0};
    enum x86_status st = decode(&c, mode, out);
    out->len = (uint8_t)c.pos;
    return st;
}
