/* emu-fuzz's case generator: random prefixes, an opcode from the integer instruction families,
 * random ModRM/SIB/displacement/immediate bytes, decoded by the shared decoder; then the state
 * is bent so that memory operands, the stack and branch targets land where both the native run
 * and the emulator can follow them (scratch pages, their guards and segment limits, the INT3
 * code area, or addresses below 64 KiB that are never mapped). */
#include <string.h>

#include "tests/host/emu-fuzz.h"

static uint64_t rng;

void gen_seed(uint64_t seed)
{
    rng = seed * 0x9e3779b97f4a7c15ull + 1;
}

uint32_t gen_rand(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t below(uint32_t n)
{
    return gen_rand() % n;
}

void gen_fill_scratch(void)
{
    uint32_t *p = (uint32_t *)FZ_SCR;
    for (unsigned i = 0; i < FZ_SCR_SIZE / 4; i++)
        p[i] = gen_rand();
}

/* One-byte opcodes of the integer families (system ones included where ring 3 faults). */
static const uint8_t map1[] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x10,
    0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
    0x21, 0x22, 0x23, 0x24, 0x25, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2f, 0x30, 0x31, 0x32,
    0x33, 0x34, 0x35, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44,
    0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54,
    0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63, 0x68,
    0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
    0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
    0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
    0x99, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
    0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9,
    0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9,
    0xca, 0xcb, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xe0, 0xe1, 0xe2, 0xe3,
    0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef, 0xf4, 0xf5, 0xf6, 0xf7,
    0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

/* 0F-map opcodes: CMOVcc, Jcc, SETcc, bit ops, SHLD/SHRD, IMUL, CMPXCHG, MOVZX/MOVSX, XADD,
 * CMPXCHG8B, BSWAP, PUSH/POP FS, LSS/LFS, and the privileged ones that fault at ring 3. */
static const uint8_t map2[] = {
    0x00, 0x01, 0x06, 0x08, 0x09, 0x0b, 0x20, 0x21, 0x22, 0x23, 0x30, 0x32, 0x40, 0x41, 0x42, 0x43,
    0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x80, 0x81, 0x82, 0x83,
    0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93,
    0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa3, 0xa4,
    0xa5, 0xab, 0xac, 0xad, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb6, 0xb7, 0xba, 0xbb, 0xbc, 0xbd,
    0xbe, 0xbf, 0xc0, 0xc1, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
};

static const uint8_t prefixes[] = {0x66, 0x66, 0x67, 0x67, 0xf3, 0xf2, 0x2e,
                                   0x36, 0x3e, 0x26, 0x64, 0x66, 0xf0};

/* Operations that cannot be compared in a ring-3 process: the results depend on the kernel
 * (UMIP emulation of the stores, INT n gates, CPUID/RDTSC values, descriptor contents the mock
 * does not mirror), on the INT3 that ends the run, or they would load GS, which this process
 * needs for its thread pointer. */
static bool excluded(const struct x86_insn *in)
{
    switch (in->op) {
    case X86_OP_INT:
    case X86_OP_INT3:
    case X86_OP_INT1:
    case X86_OP_SGDT:
    case X86_OP_SIDT:
    case X86_OP_SMSW:
    case X86_OP_SLDT:
    case X86_OP_STR:
    case X86_OP_LAR:
    case X86_OP_LSL:
    case X86_OP_VERR:
    case X86_OP_VERW:
    case X86_OP_CPUID:
    case X86_OP_RDTSC:
    case X86_OP_RDPMC:
    case X86_OP_SYSENTER:
    case X86_OP_SYSEXIT:
    case X86_OP_LGS: return true;
    default: break;
    }
    /* With F3, BSF/BSR are TZCNT/LZCNT on this host; the i686 guest CPU has neither. */
    if ((in->op == X86_OP_BSF || in->op == X86_OP_BSR) && (in->prefixes & X86_PFX_REP))
        return true;
    if (in->seg_override == X86_SEG_GS)
        return true;
    for (unsigned i = 0; i < in->noperands; i++)
        if (in->operands[i].reg_class > X86_RC_DR && in->operands[i].type == X86_OPND_REG)
            return true;
    return false;
}

static uint32_t value(void)
{
    static const uint32_t special[] = {0,      1,      0xffffffffu, 0x80000000u, 0x7fffffffu,
                                       0x8000, 0xffff, 0x80,        0x7f,        0xff};
    switch (below(8)) {
    case 0: return special[below(10)];
    case 1: return below(256);
    case 2: return below(0x10000);
    default: return gen_rand();
    }
}

static uint32_t code_target(void)
{
    return below(5) ? FZ_CODE + 0x1000 - 0x300 + below(0x600) : 0x1000 + below(0xf000);
}

static void put(uint8_t *p, unsigned size, uint32_t v)
{
    memcpy(p, &v, size);
}

/* The memory operand of the ModRM or moffs form, if any. */
static const struct x86_operand *mem_operand(const struct x86_insn *in)
{
    for (unsigned i = 0; i < in->noperands; i++) {
        const struct x86_operand *o = &in->operands[i];
        if (o->type == X86_OPND_MEM && o->method != X86_M_X && o->method != X86_M_Y)
            return o;
    }
    return NULL;
}

static void set_reg16or32(struct fz_state *st, int reg, unsigned asz, uint32_t v)
{
    if (asz == 2)
        st->gpr[reg] = (st->gpr[reg] & 0xffff0000u) | (v & 0xffff);
    else
        st->gpr[reg] = v;
}

/* Offset to aim at, in the segment's own terms. */
static uint32_t pick_offset(unsigned seg, unsigned size)
{
    uint32_t off;
    switch (below(20)) {
    case 0: off = (uint32_t)(int32_t)(below(16) - 8); break;            /* around the start */
    case 1: off = FZ_SCR_SIZE - size + below(9) - 4; break;             /* around the end */
    case 2: off = 0x1000 * (1 + below(3)) - 1 - below(size + 1); break; /* across pages */
    default: off = below(FZ_SCR_SIZE - size + 1); break;
    }
    if (seg == X86_SEG_SS)
        return FZ_SCR + off;
    if (seg == X86_SEG_CS)
        return FZ_CODE + (off & (FZ_CODE_SIZE - 1));
    return off;
}

/* Aims the memory operand; false when the address cannot be placed safely. */
static bool aim(struct fz_case *c, const struct x86_operand *o)
{
    const struct x86_mem *m = &o->mem;
    struct fz_state *st = &c->st;
    unsigned asz = m->addrsize;
    uint32_t amask = asz == 2 ? 0xffff : 0xffffffffu;
    uint32_t t = pick_offset(m->seg, o->size ? o->size : 1);
    uint32_t disp = (uint32_t)m->disp;
    if (m->base == X86_NOREG && m->index == X86_NOREG) {
        put(c->bytes + c->insn.disp_off, c->insn.disp_size, t);
    } else if (m->base == X86_ESP) {
        if (m->index != X86_NOREG)
            st->gpr[m->index] = below(64);
    } else if (m->base == X86_NOREG) {
        uint32_t v = (t - disp) / m->scale;
        set_reg16or32(st, m->index, asz, v);
    } else if (m->index == m->base) {
        set_reg16or32(st, m->base, asz, (t - disp) / (1u + m->scale));
    } else {
        uint32_t iv = 0;
        if (m->index != X86_NOREG) {
            iv = below(3) ? below(0x100) : gen_rand();
            set_reg16or32(st, m->index, asz, iv);
            iv = st->gpr[m->index];
        }
        set_reg16or32(st, m->base, asz, t - iv * m->scale - disp);
    }
    if (x86_decode(c->bytes, c->len, 32, &c->insn) != X86_OK)
        return false;
    /* Flat segments must stay inside the mapped areas or their guards. */
    const struct x86_mem *mm = &mem_operand(&c->insn)->mem;
    uint32_t ea = (uint32_t)mm->disp + (mm->base != X86_NOREG ? st->gpr[mm->base] : 0) +
                  (mm->index != X86_NOREG ? st->gpr[mm->index] * mm->scale : 0);
    ea &= amask;
    if (mm->seg == X86_SEG_SS)
        return ea < 0x10000 || (ea >= FZ_SCR - 0x1000 && ea < FZ_SCR + FZ_SCR_SIZE + 0x1000);
    if (mm->seg == X86_SEG_CS)
        return ea < 0x10000 || (ea >= FZ_CODE - 0x1000 && ea < FZ_CODE + FZ_CODE_SIZE + 0x1000);
    return true;
}

/* Keeps 32-bit displacements and relative branches small enough to stay in known areas. */
static void tame(struct fz_case *c)
{
    struct x86_insn *in = &c->insn;
    if (in->disp_size == 4 && in->has_modrm)
        put(c->bytes + in->disp_off, 4, (uint32_t)(int32_t)(below(0x200) - 0x100));
    if (in->target_kind == X86_TARGET_REL && in->imm_size == 4)
        put(c->bytes + in->imm_off, 4, (uint32_t)(int32_t)(below(0x400) - 0x200));
}

static void base_state(struct fz_state *st)
{
    for (unsigned i = 0; i < 8; i++)
        st->gpr[i] = value();
    st->gpr[R_ESP] = below(8) ? FZ_SCR + 0x100 + below(FZ_SCR_SIZE - 0x200) : FZ_SCR + below(24);
    st->gpr[R_EBP] = FZ_SCR + below(FZ_SCR_SIZE);
    st->gpr[R_ESI] = (st->gpr[R_ESI] & 0xffff0000u) | below(FZ_SCR_SIZE);
    st->gpr[R_EDI] = (st->gpr[R_EDI] & 0xffff0000u) | below(FZ_SCR_SIZE);
    if (below(4) == 0) {
        st->gpr[R_ESI] &= 0xffff;
        st->gpr[R_EDI] &= 0xffff;
    }
    st->eflags = (gen_rand() & FL_ARITH) | (below(4) ? 0 : FL_DF) | FL_IF | FL_RSV1;
    st->sreg[S_ES] = st->sreg[S_DS] = st->sreg[S_FS] = FZ_SEL_DATA;
    st->sreg[S_CS] = FZ_SEL_CS;
    st->sreg[S_SS] = FZ_SEL_SS;
}

static bool is_string(unsigned op)
{
    return op == X86_OP_MOVS || op == X86_OP_CMPS || op == X86_OP_STOS || op == X86_OP_LODS ||
           op == X86_OP_SCAS || op == X86_OP_INS || op == X86_OP_OUTS;
}

/* Where a memory operand lands, when that is inside the scratch (so values can be put there). */
static bool scratch_at(const struct fz_state *st, const struct x86_operand *m, unsigned size,
                       uint32_t *at)
{
    uint32_t ea = (uint32_t)m->mem.disp + (m->mem.base != X86_NOREG ? st->gpr[m->mem.base] : 0) +
                  (m->mem.index != X86_NOREG ? st->gpr[m->mem.index] * m->mem.scale : 0);
    if (m->mem.addrsize == 2)
        ea &= 0xffff;
    *at = (m->mem.seg == X86_SEG_SS || m->mem.seg == X86_SEG_CS) ? ea : FZ_SCR + ea;
    return *at >= FZ_SCR && *at + size <= FZ_SCR + FZ_SCR_SIZE;
}

/* Selectors whose descriptors the mock GDT/LDT mirror, or whose load fails the same way in both
 * (kernel and system descriptors, beyond a table limit). TLS selectors are never used, and the
 * 64-bit __USER_CS (0x30-0x33) never reaches CS. */
static uint16_t pick_sel(bool for_cs)
{
    static const uint16_t sels[] = {0x00, 0x03, 0x04, 0x07, 0x0c, 0x0f, 0x10, 0x1b,
                                    0x20, 0x23, 0x28, 0x2b, 0x2a, 0x38, 0x31, 0x33};
    uint16_t s;
    do {
        s = sels[below(sizeof sels / sizeof sels[0])];
    } while (for_cs && (s & ~3u) == 0x30);
    return s;
}

static void put_at(uint32_t at, uint32_t v, unsigned size)
{
    memcpy((void *)at, &v, size);
}

/* Branch targets, popped flags and loaded selectors go where the instruction will read them;
 * flags without TF and AC, which would trap or check alignment inside this process. */
static bool place_operands(struct fz_case *c, const struct x86_operand *m)
{
    const struct x86_insn *in = &c->insn;
    struct fz_state *st = &c->st;
    unsigned os = in->opsize;
    uint32_t at, target = code_target(), sp = st->gpr[R_ESP];
    bool stack_ok = sp >= FZ_SCR && sp + 3 * os <= FZ_SCR + FZ_SCR_SIZE;
    bool far = in->op == X86_OP_JMPF || in->op == X86_OP_CALLF || in->op == X86_OP_RETF ||
               in->op == X86_OP_IRET;
    uint16_t sel = pick_sel(far);
    if (os == 2)
        target &= 0xffff;
    if (target - st->eip < c->len)
        return false;
    switch (in->op) {
    case X86_OP_JMP:
    case X86_OP_CALL:
        if (in->operands[0].type == X86_OPND_REL)
            return true;
        if (in->operands[0].type == X86_OPND_MEM) {
            if (!scratch_at(st, m, os, &at))
                return false;
            put_at(at, target, os);
        } else if (in->operands[0].reg != X86_ESP) {
            /* CALL ESP keeps its stack and jumps into the (non-executable) scratch. */
            st->gpr[in->operands[0].reg] = target;
        }
        return true;
    case X86_OP_RET:
    case X86_OP_RETF:
    case X86_OP_IRET:
        if (stack_ok) {
            put_at(sp, target, os);
            put_at(sp + os, sel, os);
            put_at(sp + 2 * os, gen_rand() & ~(FL_TF | FL_AC), os);
        }
        return true;
    case X86_OP_POPF:
        if (stack_ok)
            put_at(sp, gen_rand() & ~(FL_TF | FL_AC), os);
        return true;
    case X86_OP_POP_SEG:
        if (stack_ok)
            put_at(sp, sel, os);
        return in->operands[0].reg != X86_SEG_GS;
    case X86_OP_JMPF:
    case X86_OP_CALLF:
        if (in->operands[0].type == X86_OPND_FAR) {
            put(c->bytes + in->imm_off, os, target);
            put(c->bytes + in->imm_off + os, 2, sel);
            return x86_decode(c->bytes, c->len, 32, &c->insn) == X86_OK;
        }
        if (!scratch_at(st, m, os + 2u, &at))
            return false;
        put_at(at, target, os);
        put_at(at + os, sel, 2);
        return true;
    case X86_OP_LDS:
    case X86_OP_LES:
    case X86_OP_LFS:
    case X86_OP_LSS:
        if (m && scratch_at(st, m, os + 2u, &at))
            put_at(at + os, sel, 2);
        return true;
    case X86_OP_MOV_SEG:
        if (in->operands[0].type != X86_OPND_REG || in->operands[0].reg_class != X86_RC_SEG)
            return true;
        if (in->operands[0].reg == X86_SEG_GS)
            return false;
        if (in->operands[1].type == X86_OPND_REG)
            st->gpr[in->operands[1].reg] = (st->gpr[in->operands[1].reg] & ~0xffffu) | sel;
        else if (scratch_at(st, m, 2, &at))
            put_at(at, sel, 2);
        return true;
    default: return true;
    }
}

static bool build(struct fz_case *c)
{
    unsigned n = 0, np = below(4) == 0 ? below(3) : (below(3) == 0);
    for (unsigned i = 0; i < np; i++)
        c->bytes[n++] = prefixes[below(sizeof prefixes)];
    if (below(10) < 7) {
        c->bytes[n++] = map1[below(sizeof map1)];
    } else {
        c->bytes[n++] = 0x0f;
        c->bytes[n++] = map2[below(sizeof map2)];
    }
    while (n < X86_MAX_INSN_LEN)
        c->bytes[n++] = gen_rand();
    if (x86_decode(c->bytes, X86_MAX_INSN_LEN, 32, &c->insn) != X86_OK)
        return false;
    c->len = c->insn.len;
    if (excluded(&c->insn))
        return false;
    tame(c);
    if (x86_decode(c->bytes, c->len, 32, &c->insn) != X86_OK)
        return false;
    struct fz_state *st = &c->st;
    base_state(st);
    st->eip = FZ_CODE + 0x1000 - below(X86_MAX_INSN_LEN + 1);
    /* A branch into its own bytes would run them as other instructions, or forever. */
    if (c->insn.target_kind == X86_TARGET_REL &&
        x86_rel_target(&c->insn, st->eip) - st->eip < c->len)
        return false;
    const struct x86_insn *in = &c->insn;
    if (is_string(in->op) || in->op == X86_OP_LOOP || in->op == X86_OP_LOOPE ||
        in->op == X86_OP_LOOPNE || in->op == X86_OP_JCXZ)
        set_reg16or32(st, R_ECX, in->addrsize, below(4) ? below(12) : 0);
    /* A string source through CS or SS is a flat address: aim it at the code or scratch. */
    bool flat_src = in->seg_override == X86_SEG_CS || in->seg_override == X86_SEG_SS;
    if (is_string(in->op) && flat_src)
        set_reg16or32(st, R_ESI, in->addrsize, pick_offset(in->seg_override, in->width));
    const struct x86_operand *m = mem_operand(in);
    if (m && m->access && !aim(c, m))
        return false;
    in = &c->insn;
    m = mem_operand(in);
    if (!place_operands(c, m))
        return false;
    /* A BT* bit offset in a register reaches up to 256 MiB away: keep it near the target. */
    bool bit_op =
        in->op == X86_OP_BT || in->op == X86_OP_BTS || in->op == X86_OP_BTR || in->op == X86_OP_BTC;
    if (bit_op && m && in->operands[1].type == X86_OPND_REG) {
        int reg = in->operands[1].reg;
        if (reg == m->mem.base || reg == m->mem.index)
            return false;
        st->gpr[reg] = (uint32_t)(int32_t)(below(0x800) - 0x400);
    }
    if (in->op == X86_OP_XLAT) {
        unsigned seg = in->seg_override != X86_SEG_NONE ? in->seg_override : X86_SEG_DS;
        set_reg16or32(st, R_EBX, in->addrsize, pick_offset(seg, 256));
    }
    return true;
}

void gen_case(struct fz_case *c)
{
    do {
        memset(c, 0, sizeof *c);
    } while (!build(c));
}
