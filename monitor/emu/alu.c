/* Native ALU helpers (see alu.h): each operation is the real instruction on registers, bracketed
 * by loading the guest's arithmetic flags into EFLAGS and reading EFLAGS back. Only the six
 * arithmetic flags cross over, so the monitor's own IF/TF/DF/AC are never disturbed. */
#include "monitor/emu/alu.h"
#include "monitor/emu/vcpu.h"

#define FLIN  "pushfl\n\tandl $~0x8d5,(%%esp)\n\torl %[fi],(%%esp)\n\tpopfl\n\t"
#define FLOUT "\n\tpushfl\n\tpopl %[fo]"

/* One asm statement per width; D is the destination operand text, S the source text. */
#define NAT2(insn, D, S, sc)                                                                       \
    do {                                                                                           \
        switch (size) {                                                                            \
        case 1: {                                                                                  \
            uint8_t d8 = dst, s8 = src;                                                            \
            asm(FLIN insn "b " S "," D FLOUT                                                       \
                : [d] "+q"(d8), [fo] "=&r"(fo)                                                     \
                : [s] sc(s8), [fi] "r"(fi)                                                         \
                : "cc");                                                                           \
            r = d8;                                                                                \
            break;                                                                                 \
        }                                                                                          \
        case 2: {                                                                                  \
            uint16_t d16 = dst, s16 = src;                                                         \
            asm(FLIN insn "w " S "," D FLOUT                                                       \
                : [d] "+r"(d16), [fo] "=&r"(fo)                                                    \
                : [s] sc(s16), [fi] "r"(fi)                                                        \
                : "cc");                                                                           \
            r = d16;                                                                               \
            break;                                                                                 \
        }                                                                                          \
        default: {                                                                                 \
            uint32_t d32 = dst, s32 = src;                                                         \
            asm(FLIN insn "l " S "," D FLOUT                                                       \
                : [d] "+r"(d32), [fo] "=&r"(fo)                                                    \
                : [s] sc(s32), [fi] "r"(fi)                                                        \
                : "cc");                                                                           \
            r = d32;                                                                               \
            break;                                                                                 \
        }                                                                                          \
        }                                                                                          \
    } while (0)

/* Forms without an 8-bit encoding (BT*, BSF/BSR, IMUL r,r/m). */
#define NAT2W(insn)                                                                                \
    do {                                                                                           \
        if (size == 2) {                                                                           \
            uint16_t d16 = dst, s16 = src;                                                         \
            asm(FLIN insn "w %[s],%[d]" FLOUT                                                      \
                : [d] "+r"(d16), [fo] "=&r"(fo)                                                    \
                : [s] "r"(s16), [fi] "r"(fi)                                                       \
                : "cc");                                                                           \
            r = d16;                                                                               \
        } else {                                                                                   \
            uint32_t d32 = dst, s32 = src;                                                         \
            asm(FLIN insn "l %[s],%[d]" FLOUT                                                      \
                : [d] "+r"(d32), [fo] "=&r"(fo)                                                    \
                : [s] "r"(s32), [fi] "r"(fi)                                                       \
                : "cc");                                                                           \
            r = d32;                                                                               \
        }                                                                                          \
    } while (0)

#define NAT1(insn)                                                                                 \
    do {                                                                                           \
        switch (size) {                                                                            \
        case 1: {                                                                                  \
            uint8_t d8 = dst;                                                                      \
            asm(FLIN insn "b %[d]" FLOUT : [d] "+q"(d8), [fo] "=&r"(fo) : [fi] "r"(fi) : "cc");    \
            r = d8;                                                                                \
            break;                                                                                 \
        }                                                                                          \
        case 2: {                                                                                  \
            uint16_t d16 = dst;                                                                    \
            asm(FLIN insn "w %[d]" FLOUT : [d] "+r"(d16), [fo] "=&r"(fo) : [fi] "r"(fi) : "cc");   \
            r = d16;                                                                               \
            break;                                                                                 \
        }                                                                                          \
        default: {                                                                                 \
            uint32_t d32 = dst;                                                                    \
            asm(FLIN insn "l %[d]" FLOUT : [d] "+r"(d32), [fo] "=&r"(fo) : [fi] "r"(fi) : "cc");   \
            r = d32;                                                                               \
            break;                                                                                 \
        }                                                                                          \
        }                                                                                          \
    } while (0)

#define ALU(insn)   NAT2(insn, "%[d]", "%[s]", "q")
#define SHIFT(insn) NAT2(insn, "%[d]", "%b[s]", "c")

static uint32_t merge(uint32_t eflags, uint32_t native)
{
    return (eflags & ~FL_ARITH) | (native & FL_ARITH);
}

uint32_t alu2(enum alu_op op, unsigned size, uint32_t dst, uint32_t src, uint32_t *eflags)
{
    uint32_t fi = *eflags & FL_ARITH, fo = fi, r = dst;
    switch (op) {
    case ALU_ADD: ALU("add"); break;
    case ALU_OR: ALU("or"); break;
    case ALU_ADC: ALU("adc"); break;
    case ALU_SBB: ALU("sbb"); break;
    case ALU_AND: ALU("and"); break;
    case ALU_SUB: ALU("sub"); break;
    case ALU_XOR: ALU("xor"); break;
    case ALU_CMP: ALU("cmp"); break;
    case ALU_TEST: ALU("test"); break;
    case ALU_ROL: SHIFT("rol"); break;
    case ALU_ROR: SHIFT("ror"); break;
    case ALU_RCL: SHIFT("rcl"); break;
    case ALU_RCR: SHIFT("rcr"); break;
    case ALU_SHL: SHIFT("shl"); break;
    case ALU_SHR: SHIFT("shr"); break;
    case ALU_SAL: SHIFT("sal"); break;
    case ALU_SAR: SHIFT("sar"); break;
    case ALU_BT: NAT2W("bt"); break;
    case ALU_BTS: NAT2W("bts"); break;
    case ALU_BTR: NAT2W("btr"); break;
    case ALU_BTC: NAT2W("btc"); break;
    case ALU_BSF: NAT2W("bsf"); break;
    case ALU_BSR: NAT2W("bsr"); break;
    case ALU_IMUL2: NAT2W("imul"); break;
    case ALU_INC: NAT1("inc"); break;
    case ALU_DEC: NAT1("dec"); break;
    case ALU_NEG: NAT1("neg"); break;
    }
    *eflags = merge(*eflags, fo);
    return r;
}

uint32_t alu_shd(int left, unsigned size, uint32_t dst, uint32_t src, uint8_t count,
                 uint32_t *eflags)
{
    uint32_t fi = *eflags & FL_ARITH, fo, r;
    if (size == 2) {
        uint16_t d16 = dst, s16 = src;
        if (left)
            asm(FLIN "shldw %%cl,%[s],%[d]" FLOUT
                : [d] "+r"(d16), [fo] "=&r"(fo)
                : [s] "r"(s16), "c"(count), [fi] "r"(fi)
                : "cc");
        else
            asm(FLIN "shrdw %%cl,%[s],%[d]" FLOUT
                : [d] "+r"(d16), [fo] "=&r"(fo)
                : [s] "r"(s16), "c"(count), [fi] "r"(fi)
                : "cc");
        r = d16;
    } else {
        uint32_t d32 = dst;
        if (left)
            asm(FLIN "shldl %%cl,%[s],%[d]" FLOUT
                : [d] "+r"(d32), [fo] "=&r"(fo)
                : [s] "r"(src), "c"(count), [fi] "r"(fi)
                : "cc");
        else
            asm(FLIN "shrdl %%cl,%[s],%[d]" FLOUT
                : [d] "+r"(d32), [fo] "=&r"(fo)
                : [s] "r"(src), "c"(count), [fi] "r"(fi)
                : "cc");
        r = d32;
    }
    *eflags = merge(*eflags, fo);
    return r;
}

uint32_t alu_cmpxchg(unsigned size, uint32_t dst, uint32_t src, uint32_t *acc, uint32_t *eflags)
{
    uint32_t fi = *eflags & FL_ARITH, fo, r, a = *acc;
    switch (size) {
    case 1: {
        uint8_t d8 = dst, s8 = src, a8 = a;
        asm(FLIN "cmpxchgb %[s],%[d]" FLOUT
            : [d] "+q"(d8), [fo] "=&r"(fo), "+a"(a8)
            : [s] "q"(s8), [fi] "r"(fi)
            : "cc");
        r = d8;
        a = (a & ~0xffu) | a8;
        break;
    }
    case 2: {
        uint16_t d16 = dst, s16 = src, a16 = a;
        asm(FLIN "cmpxchgw %[s],%[d]" FLOUT
            : [d] "+r"(d16), [fo] "=&r"(fo), "+a"(a16)
            : [s] "r"(s16), [fi] "r"(fi)
            : "cc");
        r = d16;
        a = (a & ~0xffffu) | a16;
        break;
    }
    default:
        r = dst;
        asm(FLIN "cmpxchgl %[s],%[d]" FLOUT
            : [d] "+r"(r), [fo] "=&r"(fo), "+a"(a)
            : [s] "r"(src), [fi] "r"(fi)
            : "cc");
        break;
    }
    *acc = a;
    *eflags = merge(*eflags, fo);
    return r;
}

uint32_t alu_xadd(unsigned size, uint32_t dst, uint32_t *src, uint32_t *eflags)
{
    uint32_t fi = *eflags & FL_ARITH, fo, r;
    switch (size) {
    case 1: {
        uint8_t d8 = dst, s8 = *src;
        asm(FLIN "xaddb %[s],%[d]" FLOUT
            : [d] "+q"(d8), [s] "+q"(s8), [fo] "=&r"(fo)
            : [fi] "r"(fi)
            : "cc");
        r = d8;
        *src = s8;
        break;
    }
    case 2: {
        uint16_t d16 = dst, s16 = *src;
        asm(FLIN "xaddw %[s],%[d]" FLOUT
            : [d] "+r"(d16), [s] "+r"(s16), [fo] "=&r"(fo)
            : [fi] "r"(fi)
            : "cc");
        r = d16;
        *src = s16;
        break;
    }
    default:
        r = dst;
        asm(FLIN "xaddl %[s],%[d]" FLOUT
            : [d] "+r"(r), [s] "+r"(*src), [fo] "=&r"(fo)
            : [fi] "r"(fi)
            : "cc");
        break;
    }
    *eflags = merge(*eflags, fo);
    return r;
}

/* Division would fault in the monitor itself; the #DE conditions are decided here first. */
static int div_faults(enum alu_md op, unsigned size, uint32_t eax, uint32_t edx, uint32_t src)
{
    uint64_t dividend;
    unsigned bits = size * 8;
    if (size == 1)
        dividend = eax & 0xffff;
    else if (size == 2)
        dividend = ((edx & 0xffff) << 16) | (eax & 0xffff);
    else
        dividend = ((uint64_t)edx << 32) | eax;
    uint32_t mask = size == 4 ? 0xffffffffu : (1u << bits) - 1;
    src &= mask;
    if (src == 0)
        return 1;
    if (op == ALU_DIV)
        return dividend / src > mask;
    /* Sign-extend dividend (2*bits wide) and divisor (bits wide). */
    int64_t sd =
        size == 4 ? (int64_t)dividend : (int64_t)(dividend << (64 - 2 * bits)) >> (64 - 2 * bits);
    int64_t ss = (int64_t)((uint64_t)src << (64 - bits)) >> (64 - bits);
    if (sd == INT64_MIN && ss == -1)
        return 1;
    int64_t q = sd / ss;
    int64_t lim = (int64_t)1 << (bits - 1);
    return q >= lim || q < -lim;
}

int alu_muldiv(enum alu_md op, unsigned size, uint32_t *eax, uint32_t *edx, uint32_t src,
               uint32_t *eflags)
{
    uint32_t fi = *eflags & FL_ARITH, fo = fi, a = *eax, d = *edx;
    if ((op == ALU_DIV || op == ALU_IDIV) && div_faults(op, size, a, d, src))
        return -1;
#define MD(insn)                                                                                   \
    do {                                                                                           \
        if (size == 1) {                                                                           \
            uint8_t s8 = src;                                                                      \
            uint16_t ax = a;                                                                       \
            asm(FLIN insn "b %[s]" FLOUT                                                           \
                : "+a"(ax), [fo] "=&r"(fo)                                                         \
                : [s] "q"(s8), [fi] "r"(fi)                                                        \
                : "cc");                                                                           \
            a = (a & ~0xffffu) | ax;                                                               \
        } else if (size == 2) {                                                                    \
            uint16_t s16 = src, ax = a, dx = d;                                                    \
            asm(FLIN insn "w %[s]" FLOUT                                                           \
                : "+a"(ax), "+d"(dx), [fo] "=&r"(fo)                                               \
                : [s] "r"(s16), [fi] "r"(fi)                                                       \
                : "cc");                                                                           \
            a = (a & ~0xffffu) | ax;                                                               \
            d = (d & ~0xffffu) | dx;                                                               \
        } else {                                                                                   \
            asm(FLIN insn "l %[s]" FLOUT                                                           \
                : "+a"(a), "+d"(d), [fo] "=&r"(fo)                                                 \
                : [s] "r"(src), [fi] "r"(fi)                                                       \
                : "cc");                                                                           \
        }                                                                                          \
    } while (0)
    switch (op) {
    case ALU_MUL: MD("mul"); break;
    case ALU_IMUL1: MD("imul"); break;
    case ALU_DIV: MD("div"); break;
    case ALU_IDIV: MD("idiv"); break;
    }
#undef MD
    *eax = a;
    *edx = d;
    *eflags = merge(*eflags, fo);
    return 0;
}

uint32_t alu_bcd(enum alu_bcd op, uint32_t eax, uint32_t *eflags)
{
    uint32_t fi = *eflags & FL_ARITH, fo = fi;
    uint16_t ax = eax;
    switch (op) {
    case ALU_DAA: asm(FLIN "daa" FLOUT : "+a"(ax), [fo] "=&r"(fo) : [fi] "r"(fi) : "cc"); break;
    case ALU_DAS: asm(FLIN "das" FLOUT : "+a"(ax), [fo] "=&r"(fo) : [fi] "r"(fi) : "cc"); break;
    case ALU_AAA: asm(FLIN "aaa" FLOUT : "+a"(ax), [fo] "=&r"(fo) : [fi] "r"(fi) : "cc"); break;
    case ALU_AAS: asm(FLIN "aas" FLOUT : "+a"(ax), [fo] "=&r"(fo) : [fi] "r"(fi) : "cc"); break;
    }
    *eflags = merge(*eflags, fo);
    return (eax & ~0xffffu) | ax;
}
