/* scan/decode-tables.c: the opcode tables of nexus86's decoder (one-byte map, 0F, 0F38, 0F3A,
 * ModRM groups, mandatory-prefix selections, x87 escapes). Layout follows the SDM Vol. 2,
 * Appendix A opcode maps; the format is described in decode-tables.h. Anything not listed is
 * #UD for the virtual CPU (see docs/decoder.md for the scope). */
#include "scan/decode-tables.h"
#include "scan/decode.h"

/* Operand specifications, named after the SDM's operand notation. */
#define NO     SPEC(S_NONE, Z_0, 0)
#define Eb     SPEC(S_E, Z_B, 0)
#define Ew     SPEC(S_E, Z_W, 0)
#define Ed     SPEC(S_E, Z_D, 0)
#define Ev     SPEC(S_E, Z_V, 0)
#define Emw    SPEC(S_E, Z_MW, 0)
#define Edw    SPEC(S_E, Z_DW, 0)
#define Gb     SPEC(S_G, Z_B, 0)
#define Gw     SPEC(S_G, Z_W, 0)
#define Gd     SPEC(S_G, Z_D, 0)
#define Gv     SPEC(S_G, Z_V, 0)
#define M0     SPEC(S_M, Z_0, 0)
#define Mw     SPEC(S_M, Z_W, 0)
#define Md     SPEC(S_M, Z_D, 0)
#define Mq     SPEC(S_M, Z_Q, 0)
#define Mdq    SPEC(S_M, Z_DQ, 0)
#define Mt     SPEC(S_M, Z_T, 0)
#define Mp     SPEC(S_M, Z_P, 0)
#define Ma     SPEC(S_M, Z_A, 0)
#define Ms     SPEC(S_M, Z_S, 0)
#define Menv   SPEC(S_M, Z_ENV, 0)
#define Msav   SPEC(S_M, Z_SAVE, 0)
#define Mfx    SPEC(S_M, Z_FX, 0)
#define Rd     SPEC(S_R, Z_D, 0)
#define Ib     SPEC(S_I, Z_B, 0)
#define Iw     SPEC(S_I, Z_W, 0)
#define Iz     SPEC(S_I, Z_V, 0)
#define Ibs    SPEC(S_IBS, Z_V, 0)
#define Jb     SPEC(S_J, Z_B, 0)
#define Jz     SPEC(S_J, Z_V, 0)
#define Ap     SPEC(S_A, Z_P, 0)
#define Ob     SPEC(S_O, Z_B, 0)
#define Ov     SPEC(S_O, Z_V, 0)
#define Sw     SPEC(S_S, Z_W, 0)
#define Cd     SPEC(S_C, Z_D, 0)
#define Dd     SPEC(S_D, Z_D, 0)
#define Xb     SPEC(S_X, Z_B, 0)
#define Xv     SPEC(S_X, Z_V, 0)
#define Yb     SPEC(S_Y, Z_B, 0)
#define Yv     SPEC(S_Y, Z_V, 0)
#define AL     SPEC(S_GPR, Z_B, X86_EAX)
#define CL     SPEC(S_GPR, Z_B, X86_ECX)
#define AX     SPEC(S_GPR, Z_W, X86_EAX)
#define DX     SPEC(S_GPR, Z_W, X86_EDX)
#define eAX    SPEC(S_GPR, Z_V, X86_EAX)
#define Zb     SPEC(S_ZR, Z_B, 0)
#define Zv     SPEC(S_ZR, Z_V, 0)
#define SEG(n) SPEC(S_SEG, Z_W, X86_SEG_##n)
#define ONE    SPEC(S_ONE, Z_B, 0)
#define St0    SPEC(S_ST0, Z_T, 0)
#define STi    SPEC(S_STI, Z_T, 0)
#define Pq     SPEC(S_P, Z_QDQ, 0)
#define Qq     SPEC(S_Q, Z_QDQ, 0)
#define Qd     SPEC(S_Q, Z_DDQ, 0)
#define Nq     SPEC(S_N, Z_QDQ, 0)
#define Pm     SPEC(S_P, Z_Q, 0) /* always MMX, even in an SSE form */
#define Qm     SPEC(S_Q, Z_Q, 0)
#define Nm     SPEC(S_N, Z_Q, 0)
#define Vdq    SPEC(S_V, Z_DQ, 0)
#define Vq     SPEC(S_V, Z_Q, 0)
#define Wdq    SPEC(S_W, Z_DQ, 0)
#define Wq     SPEC(S_W, Z_Q, 0)
#define Wd     SPEC(S_W, Z_D, 0)
#define Udq    SPEC(S_U, Z_DQ, 0)

/* Entry constructors. */
#define OP(o) X86_OP_##o
#define L(o, f, a, b, c)                                                                           \
    {                                                                                              \
        OP(o), DT_LEAF, 0, (f),                                                                    \
        {                                                                                          \
            a, b, c                                                                                \
        }                                                                                          \
    }
#define L0(o, f)       L(o, f, NO, NO, NO)
#define L1(o, f, a)    L(o, f, a, NO, NO)
#define L2(o, f, a, b) L(o, f, a, b, NO)
#define LC(o, cc, f, a, b)                                                                         \
    {                                                                                              \
        OP(o), DT_LEAF, (cc), (f),                                                                 \
        {                                                                                          \
            a, b, NO                                                                               \
        }                                                                                          \
    }
#define MMX2(o, a, b)                                                                              \
    {                                                                                              \
        OP(o), DT_MMX, 0, F_RW0,                                                                   \
        {                                                                                          \
            a, b, NO                                                                               \
        }                                                                                          \
    }
#define MMX3(o, a, b, c)                                                                           \
    {                                                                                              \
        OP(o), DT_MMX, 0, F_W0,                                                                    \
        {                                                                                          \
            a, b, c                                                                                \
        }                                                                                          \
    }
#define MMXA(o) MMX2(o, Pq, Qq)
#define NEXT(k, i)                                                                                 \
    {                                                                                              \
        0, (k), (i), 0,                                                                            \
        {                                                                                          \
            NO, NO, NO                                                                             \
        }                                                                                          \
    }
#define GRP(i)  NEXT(DT_GROUP, i)
#define GRPM(i) NEXT(DT_GROUPM, i)
#define PFX(i)  NEXT(DT_PFX, i)
#define X87(i)  NEXT(DT_X87, i)
#define BAD                                                                                        \
    {                                                                                              \
        0, DT_INVALID, 0, 0,                                                                       \
        {                                                                                          \
            NO, NO, NO                                                                             \
        }                                                                                          \
    }

/* The eight classic ALU operations share one layout in the one-byte map. */
#define ALU(base, o)                                                                               \
    [base + 0] = L2(o, F_RW0 | F_LOCK | F_BYTE, Eb, Gb),                                           \
            [base + 1] = L2(o, F_RW0 | F_LOCK, Ev, Gv),                                            \
            [base + 2] = L2(o, F_RW0 | F_BYTE, Gb, Eb), [base + 3] = L2(o, F_RW0, Gv, Ev),         \
            [base + 4] = L2(o, F_RW0 | F_BYTE, AL, Ib), [base + 5] = L2(o, F_RW0, eAX, Iz)

enum {
    G1_EB_IB,
    G1_EV_IZ,
    G1_EV_IBS,
    G1A,
    G2_EB_IB,
    G2_EV_IB,
    G2_EB_1,
    G2_EV_1,
    G2_EB_CL,
    G2_EV_CL,
    G11_EB,
    G11_EV,
    G3_EB,
    G3_EV,
    G4,
    G5,
    G6,
    G8,
    G12,
    G13,
    G14,
};

enum { GM7, GM16, GM15, GM9 };

enum { R7_1 };

enum { MOD_0F12, MOD_0F16 };

enum {
    P_90,
    P_0F10,
    P_0F11,
    P_0F12,
    P_0F13,
    P_0F14,
    P_0F15,
    P_0F16,
    P_0F17,
    P_0F28,
    P_0F29,
    P_0F2A,
    P_0F2B,
    P_0F2C,
    P_0F2D,
    P_0F2E,
    P_0F2F,
    P_0F50,
    P_0F51,
    P_0F52,
    P_0F53,
    P_0F54,
    P_0F55,
    P_0F56,
    P_0F57,
    P_0F58,
    P_0F59,
    P_0F5A,
    P_0F5B,
    P_0F5C,
    P_0F5D,
    P_0F5E,
    P_0F5F,
    P_0F6C,
    P_0F6D,
    P_0F6F,
    P_0F70,
    P_0F73_3,
    P_0F73_7,
    P_0F7C,
    P_0F7D,
    P_0F7E,
    P_0F7F,
    P_0FC2,
    P_0FC3,
    P_0FC6,
    P_0FD0,
    P_0FD6,
    P_0FE6,
    P_0FE7,
    P_0FF0,
    P_0FF7,
    P_COUNT,
};

const struct dt_entry dt_map1[256] = {
    ALU(0x00, ADD),
    [0x06] = L1(PUSH_SEG, F_R0, SEG(ES)),
    [0x07] = L1(POP_SEG, F_W0, SEG(ES)),
    ALU(0x08, OR),
    [0x0E] = L1(PUSH_SEG, F_R0, SEG(CS)),
    ALU(0x10, ADC),
    [0x16] = L1(PUSH_SEG, F_R0, SEG(SS)),
    [0x17] = L1(POP_SEG, F_W0, SEG(SS)),
    ALU(0x18, SBB),
    [0x1E] = L1(PUSH_SEG, F_R0, SEG(DS)),
    [0x1F] = L1(POP_SEG, F_W0, SEG(DS)),
    ALU(0x20, AND),
    [0x27] = L0(DAA, F_BYTE),
    ALU(0x28, SUB),
    [0x2F] = L0(DAS, F_BYTE),
    ALU(0x30, XOR),
    [0x37] = L0(AAA, F_BYTE),
    [0x38] = L2(CMP, F_R0 | F_BYTE, Eb, Gb),
    [0x39] = L2(CMP, F_R0, Ev, Gv),
    [0x3A] = L2(CMP, F_R0 | F_BYTE, Gb, Eb),
    [0x3B] = L2(CMP, F_R0, Gv, Ev),
    [0x3C] = L2(CMP, F_R0 | F_BYTE, AL, Ib),
    [0x3D] = L2(CMP, F_R0, eAX, Iz),
    [0x3F] = L0(AAS, F_BYTE),
    [0x40 ... 0x47] = L1(INC, F_RW0, Zv),
    [0x48 ... 0x4F] = L1(DEC, F_RW0, Zv),
    [0x50 ... 0x57] = L1(PUSH, F_R0, Zv),
    [0x58 ... 0x5F] = L1(POP, F_W0, Zv),
    [0x60] = L0(PUSHA, 0),
    [0x61] = L0(POPA, 0),
    [0x62] = L2(BOUND, F_R0, Gv, Ma),
    [0x63] = L2(ARPL, F_RW0 | F_W16, Ew, Gw),
    [0x68] = L1(PUSH, F_R0, Iz),
    [0x69] = L(IMUL, F_W0, Gv, Ev, Iz),
    [0x6A] = L1(PUSH, F_R0, Ibs),
    [0x6B] = L(IMUL, F_W0, Gv, Ev, Ibs),
    [0x6C] = L2(INS, F_W0 | F_BYTE, Yb, DX),
    [0x6D] = L2(INS, F_W0, Yv, DX),
    [0x6E] = L2(OUTS, F_R0 | F_BYTE, DX, Xb),
    [0x6F] = L2(OUTS, F_R0, DX, Xv),
    [0x70 ... 0x7F] = L1(JCC, F_COND, Jb),
    [0x80] = GRP(G1_EB_IB),
    [0x81] = GRP(G1_EV_IZ),
    [0x82] = GRP(G1_EB_IB),
    [0x83] = GRP(G1_EV_IBS),
    [0x84] = L2(TEST, F_R0 | F_BYTE, Eb, Gb),
    [0x85] = L2(TEST, F_R0, Ev, Gv),
    [0x86] = L2(XCHG, F_RW0 | F_W1 | F_LOCK | F_BYTE, Eb, Gb),
    [0x87] = L2(XCHG, F_RW0 | F_W1 | F_LOCK, Ev, Gv),
    [0x88] = L2(MOV, F_W0 | F_BYTE, Eb, Gb),
    [0x89] = L2(MOV, F_W0, Ev, Gv),
    [0x8A] = L2(MOV, F_W0 | F_BYTE, Gb, Eb),
    [0x8B] = L2(MOV, F_W0, Gv, Ev),
    [0x8C] = L2(MOV_SEG, F_W0, Emw, Sw),
    [0x8D] = L2(LEA, F_W0, Gv, M0),
    [0x8E] = L2(MOV_SEG, F_W0 | F_W16, Sw, Ew),
    [0x8F] = GRP(G1A),
    [0x90] = PFX(P_90),
    [0x91 ... 0x97] = L2(XCHG, F_RW0 | F_W1, Zv, eAX),
    [0x98] = L0(CBW, 0),
    [0x99] = L0(CWD, 0),
    [0x9A] = L1(CALLF, 0, Ap),
    [0x9B] = L0(WAIT, 0),
    [0x9C] = L0(PUSHF, 0),
    [0x9D] = L0(POPF, 0),
    [0x9E] = L0(SAHF, 0),
    [0x9F] = L0(LAHF, 0),
    [0xA0] = L2(MOV, F_W0 | F_BYTE, AL, Ob),
    [0xA1] = L2(MOV, F_W0, eAX, Ov),
    [0xA2] = L2(MOV, F_W0 | F_BYTE, Ob, AL),
    [0xA3] = L2(MOV, F_W0, Ov, eAX),
    [0xA4] = L2(MOVS, F_W0 | F_BYTE, Yb, Xb),
    [0xA5] = L2(MOVS, F_W0, Yv, Xv),
    [0xA6] = L2(CMPS, F_R0 | F_BYTE, Xb, Yb),
    [0xA7] = L2(CMPS, F_R0, Xv, Yv),
    [0xA8] = L2(TEST, F_R0 | F_BYTE, AL, Ib),
    [0xA9] = L2(TEST, F_R0, eAX, Iz),
    [0xAA] = L2(STOS, F_W0 | F_BYTE, Yb, AL),
    [0xAB] = L2(STOS, F_W0, Yv, eAX),
    [0xAC] = L2(LODS, F_W0 | F_BYTE, AL, Xb),
    [0xAD] = L2(LODS, F_W0, eAX, Xv),
    [0xAE] = L2(SCAS, F_R0 | F_BYTE, AL, Yb),
    [0xAF] = L2(SCAS, F_R0, eAX, Yv),
    [0xB0 ... 0xB7] = L2(MOV, F_W0 | F_BYTE, Zb, Ib),
    [0xB8 ... 0xBF] = L2(MOV, F_W0, Zv, Iz),
    [0xC0] = GRP(G2_EB_IB),
    [0xC1] = GRP(G2_EV_IB),
    [0xC2] = L1(RET, 0, Iw),
    [0xC3] = L0(RET, 0),
    [0xC4] = L2(LES, F_W0, Gv, Mp),
    [0xC5] = L2(LDS, F_W0, Gv, Mp),
    [0xC6] = GRP(G11_EB),
    [0xC7] = GRP(G11_EV),
    [0xC8] = L2(ENTER, 0, Iw, Ib),
    [0xC9] = L0(LEAVE, 0),
    [0xCA] = L1(RETF, 0, Iw),
    [0xCB] = L0(RETF, 0),
    [0xCC] = L0(INT3, 0),
    [0xCD] = L1(INT, 0, Ib),
    [0xCE] = L0(INTO, 0),
    [0xCF] = L0(IRET, 0),
    [0xD0] = GRP(G2_EB_1),
    [0xD1] = GRP(G2_EV_1),
    [0xD2] = GRP(G2_EB_CL),
    [0xD3] = GRP(G2_EV_CL),
    [0xD4] = L1(AAM, F_BYTE, Ib),
    [0xD5] = L1(AAD, F_BYTE, Ib),
    [0xD6] = L0(SALC, F_BYTE),
    [0xD7] = L0(XLAT, F_BYTE),
    [0xD8] = X87(0),
    [0xD9] = X87(1),
    [0xDA] = X87(2),
    [0xDB] = X87(3),
    [0xDC] = X87(4),
    [0xDD] = X87(5),
    [0xDE] = X87(6),
    [0xDF] = X87(7),
    [0xE0] = L1(LOOPNE, 0, Jb),
    [0xE1] = L1(LOOPE, 0, Jb),
    [0xE2] = L1(LOOP, 0, Jb),
    [0xE3] = L1(JCXZ, 0, Jb),
    [0xE4] = L2(IN, F_W0 | F_BYTE, AL, Ib),
    [0xE5] = L2(IN, F_W0, eAX, Ib),
    [0xE6] = L2(OUT, F_R0 | F_BYTE, Ib, AL),
    [0xE7] = L2(OUT, F_R0, Ib, eAX),
    [0xE8] = L1(CALL, 0, Jz),
    [0xE9] = L1(JMP, 0, Jz),
    [0xEA] = L1(JMPF, 0, Ap),
    [0xEB] = L1(JMP, 0, Jb),
    [0xEC] = L2(IN, F_W0 | F_BYTE, AL, DX),
    [0xED] = L2(IN, F_W0, eAX, DX),
    [0xEE] = L2(OUT, F_R0 | F_BYTE, DX, AL),
    [0xEF] = L2(OUT, F_R0, DX, eAX),
    [0xF1] = L0(INT1, 0),
    [0xF4] = L0(HLT, 0),
    [0xF5] = L0(CMC, 0),
    [0xF6] = GRP(G3_EB),
    [0xF7] = GRP(G3_EV),
    [0xF8] = L0(CLC, 0),
    [0xF9] = L0(STC, 0),
    [0xFA] = L0(CLI, 0),
    [0xFB] = L0(STI, 0),
    [0xFC] = L0(CLD, 0),
    [0xFD] = L0(STD, 0),
    [0xFE] = GRP(G4),
    [0xFF] = GRP(G5),
};

const struct dt_entry dt_map0f[256] = {
    [0x00] = GRP(G6),
    [0x01] = GRPM(GM7),
    [0x02] = L2(LAR, F_RW0, Gv, Emw),
    [0x03] = L2(LSL, F_RW0, Gv, Emw),
    [0x06] = L0(CLTS, 0),
    [0x08] = L0(INVD, 0),
    [0x09] = L0(WBINVD, 0),
    [0x0B] = L0(UD2, 0),
    [0x10] = PFX(P_0F10),
    [0x11] = PFX(P_0F11),
    [0x12] = PFX(P_0F12),
    [0x13] = PFX(P_0F13),
    [0x14] = PFX(P_0F14),
    [0x15] = PFX(P_0F15),
    [0x16] = PFX(P_0F16),
    [0x17] = PFX(P_0F17),
    [0x18] = GRPM(GM16),
    [0x19 ... 0x1F] = L2(NOP, 0, Ev, Gv),
    [0x20] = L2(MOV_CR, F_W0, Rd, Cd),
    [0x21] = L2(MOV_DR, F_W0, Rd, Dd),
    [0x22] = L2(MOV_CR, F_W0, Cd, Rd),
    [0x23] = L2(MOV_DR, F_W0, Dd, Rd),
    [0x28] = PFX(P_0F28),
    [0x29] = PFX(P_0F29),
    [0x2A] = PFX(P_0F2A),
    [0x2B] = PFX(P_0F2B),
    [0x2C] = PFX(P_0F2C),
    [0x2D] = PFX(P_0F2D),
    [0x2E] = PFX(P_0F2E),
    [0x2F] = PFX(P_0F2F),
    [0x30] = L0(WRMSR, 0),
    [0x31] = L0(RDTSC, 0),
    [0x32] = L0(RDMSR, 0),
    [0x33] = L0(RDPMC, 0),
    [0x34] = L0(SYSENTER, 0),
    [0x35] = L0(SYSEXIT, 0),
    [0x40 ... 0x4F] = L2(CMOVCC, F_RW0 | F_COND, Gv, Ev),
    [0x50] = PFX(P_0F50),
    [0x51] = PFX(P_0F51),
    [0x52] = PFX(P_0F52),
    [0x53] = PFX(P_0F53),
    [0x54] = PFX(P_0F54),
    [0x55] = PFX(P_0F55),
    [0x56] = PFX(P_0F56),
    [0x57] = PFX(P_0F57),
    [0x58] = PFX(P_0F58),
    [0x59] = PFX(P_0F59),
    [0x5A] = PFX(P_0F5A),
    [0x5B] = PFX(P_0F5B),
    [0x5C] = PFX(P_0F5C),
    [0x5D] = PFX(P_0F5D),
    [0x5E] = PFX(P_0F5E),
    [0x5F] = PFX(P_0F5F),
    [0x60] = MMX2(PUNPCKLBW, Pq, Qd),
    [0x61] = MMX2(PUNPCKLWD, Pq, Qd),
    [0x62] = MMX2(PUNPCKLDQ, Pq, Qd),
    [0x63] = MMXA(PACKSSWB),
    [0x64] = MMXA(PCMPGTB),
    [0x65] = MMXA(PCMPGTW),
    [0x66] = MMXA(PCMPGTD),
    [0x67] = MMXA(PACKUSWB),
    [0x68] = MMXA(PUNPCKHBW),
    [0x69] = MMXA(PUNPCKHWD),
    [0x6A] = MMXA(PUNPCKHDQ),
    [0x6B] = MMXA(PACKSSDW),
    [0x6C] = PFX(P_0F6C),
    [0x6D] = PFX(P_0F6D),
    [0x6E] = {OP(MOVD), DT_MMX, 0, F_W0, {Pq, Ed, NO}},
    [0x6F] = PFX(P_0F6F),
    [0x70] = PFX(P_0F70),
    [0x71] = GRP(G12),
    [0x72] = GRP(G13),
    [0x73] = GRP(G14),
    [0x74] = MMXA(PCMPEQB),
    [0x75] = MMXA(PCMPEQW),
    [0x76] = MMXA(PCMPEQD),
    [0x77] = L0(EMMS, F_NP),
    [0x7C] = PFX(P_0F7C),
    [0x7D] = PFX(P_0F7D),
    [0x7E] = PFX(P_0F7E),
    [0x7F] = PFX(P_0F7F),
    [0x80 ... 0x8F] = L1(JCC, F_COND, Jz),
    [0x90 ... 0x9F] = L1(SETCC, F_W0 | F_COND | F_BYTE, Eb),
    [0xA0] = L1(PUSH_SEG, F_R0, SEG(FS)),
    [0xA1] = L1(POP_SEG, F_W0, SEG(FS)),
    [0xA2] = L0(CPUID, 0),
    [0xA3] = L2(BT, F_R0, Ev, Gv),
    [0xA4] = L(SHLD, F_RW0, Ev, Gv, Ib),
    [0xA5] = L(SHLD, F_RW0, Ev, Gv, CL),
    [0xA8] = L1(PUSH_SEG, F_R0, SEG(GS)),
    [0xA9] = L1(POP_SEG, F_W0, SEG(GS)),
    [0xAA] = L0(RSM, 0),
    [0xAB] = L2(BTS, F_RW0 | F_LOCK, Ev, Gv),
    [0xAC] = L(SHRD, F_RW0, Ev, Gv, Ib),
    [0xAD] = L(SHRD, F_RW0, Ev, Gv, CL),
    [0xAE] = GRPM(GM15),
    [0xAF] = L2(IMUL, F_RW0, Gv, Ev),
    [0xB0] = L2(CMPXCHG, F_RW0 | F_LOCK | F_BYTE, Eb, Gb),
    [0xB1] = L2(CMPXCHG, F_RW0 | F_LOCK, Ev, Gv),
    [0xB2] = L2(LSS, F_W0, Gv, Mp),
    [0xB3] = L2(BTR, F_RW0 | F_LOCK, Ev, Gv),
    [0xB4] = L2(LFS, F_W0, Gv, Mp),
    [0xB5] = L2(LGS, F_W0, Gv, Mp),
    [0xB6] = L2(MOVZX, F_W0, Gv, Eb),
    [0xB7] = L2(MOVZX, F_W0, Gv, Ew),
    [0xB9] = L2(UD1, F_R0, Gd, Ed),
    [0xBA] = GRP(G8),
    [0xBB] = L2(BTC, F_RW0 | F_LOCK, Ev, Gv),
    [0xBC] = L2(BSF, F_RW0, Gv, Ev),
    [0xBD] = L2(BSR, F_RW0, Gv, Ev),
    [0xBE] = L2(MOVSX, F_W0, Gv, Eb),
    [0xBF] = L2(MOVSX, F_W0, Gv, Ew),
    [0xC0] = L2(XADD, F_RW0 | F_W1 | F_LOCK | F_BYTE, Eb, Gb),
    [0xC1] = L2(XADD, F_RW0 | F_W1 | F_LOCK, Ev, Gv),
    [0xC2] = PFX(P_0FC2),
    [0xC3] = PFX(P_0FC3),
    [0xC4] = {OP(PINSRW), DT_MMX, 0, F_RW0, {Pq, Edw, Ib}},
    [0xC5] = MMX3(PEXTRW, Gd, Nq, Ib),
    [0xC6] = PFX(P_0FC6),
    [0xC7] = GRPM(GM9),
    [0xC8 ... 0xCF] = L1(BSWAP, F_RW0, Zv),
    [0xD0] = PFX(P_0FD0),
    [0xD1] = MMXA(PSRLW),
    [0xD2] = MMXA(PSRLD),
    [0xD3] = MMXA(PSRLQ),
    [0xD4] = MMXA(PADDQ),
    [0xD5] = MMXA(PMULLW),
    [0xD6] = PFX(P_0FD6),
    [0xD7] = {OP(PMOVMSKB), DT_MMX, 0, F_W0, {Gd, Nq, NO}},
    [0xD8] = MMXA(PSUBUSB),
    [0xD9] = MMXA(PSUBUSW),
    [0xDA] = MMXA(PMINUB),
    [0xDB] = MMXA(PAND),
    [0xDC] = MMXA(PADDUSB),
    [0xDD] = MMXA(PADDUSW),
    [0xDE] = MMXA(PMAXUB),
    [0xDF] = MMXA(PANDN),
    [0xE0] = MMXA(PAVGB),
    [0xE1] = MMXA(PSRAW),
    [0xE2] = MMXA(PSRAD),
    [0xE3] = MMXA(PAVGW),
    [0xE4] = MMXA(PMULHUW),
    [0xE5] = MMXA(PMULHW),
    [0xE6] = PFX(P_0FE6),
    [0xE7] = PFX(P_0FE7),
    [0xE8] = MMXA(PSUBSB),
    [0xE9] = MMXA(PSUBSW),
    [0xEA] = MMXA(PMINSW),
    [0xEB] = MMXA(POR),
    [0xEC] = MMXA(PADDSB),
    [0xED] = MMXA(PADDSW),
    [0xEE] = MMXA(PMAXSW),
    [0xEF] = MMXA(PXOR),
    [0xF0] = PFX(P_0FF0),
    [0xF1] = MMXA(PSLLW),
    [0xF2] = MMXA(PSLLD),
    [0xF3] = MMXA(PSLLQ),
    [0xF4] = MMXA(PMULUDQ),
    [0xF5] = MMXA(PMADDWD),
    [0xF6] = MMXA(PSADBW),
    [0xF7] = PFX(P_0FF7),
    [0xF8] = MMXA(PSUBB),
    [0xF9] = MMXA(PSUBW),
    [0xFA] = MMXA(PSUBD),
    [0xFB] = MMXA(PSUBQ),
    [0xFC] = MMXA(PADDB),
    [0xFD] = MMXA(PADDW),
    [0xFE] = MMXA(PADDD),
    [0xFF] = L2(UD0, F_R0, Gd, Ed),
};

/* SSSE3: every form is MMX without a prefix and XMM with 66. */
const struct dt_entry dt_map0f38[256] = {
    [0x00] = MMXA(PSHUFB),
    [0x01] = MMXA(PHADDW),
    [0x02] = MMXA(PHADDD),
    [0x03] = MMXA(PHADDSW),
    [0x04] = MMXA(PMADDUBSW),
    [0x05] = MMXA(PHSUBW),
    [0x06] = MMXA(PHSUBD),
    [0x07] = MMXA(PHSUBSW),
    [0x08] = MMXA(PSIGNB),
    [0x09] = MMXA(PSIGNW),
    [0x0A] = MMXA(PSIGND),
    [0x0B] = MMXA(PMULHRSW),
    [0x1C] = {OP(PABSB), DT_MMX, 0, F_W0, {Pq, Qq, NO}},
    [0x1D] = {OP(PABSW), DT_MMX, 0, F_W0, {Pq, Qq, NO}},
    [0x1E] = {OP(PABSD), DT_MMX, 0, F_W0, {Pq, Qq, NO}},
};

const struct dt_entry dt_map0f3a[256] = {
    [0x0F] = {OP(PALIGNR), DT_MMX, 0, F_RW0, {Pq, Qq, Ib}},
};

#define G1(a, b)                                                                                   \
    {                                                                                              \
        L2(ADD, F_RW0 | F_LOCK | (b), a, Ib_##a), L2(OR, F_RW0 | F_LOCK | (b), a, Ib_##a),         \
            L2(ADC, F_RW0 | F_LOCK | (b), a, Ib_##a), L2(SBB, F_RW0 | F_LOCK | (b), a, Ib_##a),    \
            L2(AND, F_RW0 | F_LOCK | (b), a, Ib_##a), L2(SUB, F_RW0 | F_LOCK | (b), a, Ib_##a),    \
            L2(XOR, F_RW0 | F_LOCK | (b), a, Ib_##a), L2(CMP, F_R0 | (b), a, Ib_##a),              \
    }
#define G2(a, c, b)                                                                                \
    {                                                                                              \
        L2(ROL, F_RW0 | (b), a, c), L2(ROR, F_RW0 | (b), a, c), L2(RCL, F_RW0 | (b), a, c),        \
            L2(RCR, F_RW0 | (b), a, c), L2(SHL, F_RW0 | (b), a, c), L2(SHR, F_RW0 | (b), a, c),    \
            L2(SHL, F_RW0 | (b), a, c), L2(SAR, F_RW0 | (b), a, c),                                \
    }
#define G3(a, i, b)                                                                                \
    {                                                                                              \
        L2(TEST, F_R0 | (b), a, i), L2(TEST, F_R0 | (b), a, i), L1(NOT, F_RW0 | F_LOCK | (b), a),  \
            L1(NEG, F_RW0 | F_LOCK | (b), a), L1(MUL, F_R0 | (b), a), L1(IMUL, F_R0 | (b), a),     \
            L1(DIV, F_R0 | (b), a), L1(IDIV, F_R0 | (b), a),                                       \
    }
#define Ib_Eb  Ib
#define Ib_Ev  Iz
#define Ib_Evs Ibs
#define Evs    Ev

const struct dt_entry dt_group[][8] = {
    [G1_EB_IB] = G1(Eb, F_BYTE),
    [G1_EV_IZ] = G1(Ev, 0),
    [G1_EV_IBS] = G1(Evs, 0),
    [G1A] = {L1(POP, F_W0, Ev)},
    [G2_EB_IB] = G2(Eb, Ib, F_BYTE),
    [G2_EV_IB] = G2(Ev, Ib, 0),
    [G2_EB_1] = G2(Eb, ONE, F_BYTE),
    [G2_EV_1] = G2(Ev, ONE, 0),
    [G2_EB_CL] = G2(Eb, CL, F_BYTE),
    [G2_EV_CL] = G2(Ev, CL, 0),
    [G11_EB] = {L2(MOV, F_W0 | F_BYTE, Eb, Ib)},
    [G11_EV] = {L2(MOV, F_W0, Ev, Iz)},
    [G3_EB] = G3(Eb, Ib, F_BYTE),
    [G3_EV] = G3(Ev, Iz, 0),
    [G4] = {L1(INC, F_RW0 | F_LOCK | F_BYTE, Eb), L1(DEC, F_RW0 | F_LOCK | F_BYTE, Eb)},
    [G5] = {L1(INC, F_RW0 | F_LOCK, Ev), L1(DEC, F_RW0 | F_LOCK, Ev), L1(CALL, F_R0, Ev),
            L1(CALLF, F_R0, Mp), L1(JMP, F_R0, Ev), L1(JMPF, F_R0, Mp), L1(PUSH, F_R0, Ev)},
    [G6] = {L1(SLDT, F_W0, Emw), L1(STR, F_W0, Emw), L1(LLDT, F_R0, Ew), L1(LTR, F_R0, Ew),
            L1(VERR, F_R0, Ew), L1(VERW, F_R0, Ew)},
    [G8] = {[4] = L2(BT, F_R0, Ev, Ib),
            [5] = L2(BTS, F_RW0 | F_LOCK, Ev, Ib),
            [6] = L2(BTR, F_RW0 | F_LOCK, Ev, Ib),
            [7] = L2(BTC, F_RW0 | F_LOCK, Ev, Ib)},
    [G12] = {[2] = MMX2(PSRLW, Nq, Ib), [4] = MMX2(PSRAW, Nq, Ib), [6] = MMX2(PSLLW, Nq, Ib)},
    [G13] = {[2] = MMX2(PSRLD, Nq, Ib), [4] = MMX2(PSRAD, Nq, Ib), [6] = MMX2(PSLLD, Nq, Ib)},
    [G14] = {[2] = MMX2(PSRLQ, Nq, Ib),
             [3] = PFX(P_0F73_3),
             [6] = MMX2(PSLLQ, Nq, Ib),
             [7] = PFX(P_0F73_7)},
};

const struct dt_entry dt_groupm[][16] = {
    [GM7] = {L1(SGDT, F_W0, Ms), L1(SIDT, F_W0, Ms), L1(LGDT, F_R0, Ms), L1(LIDT, F_R0, Ms),
             L1(SMSW, F_W0, Emw), BAD, L1(LMSW, F_R0, Ew), L1(INVLPG, 0, M0),
             [9] = NEXT(DT_RM, R7_1), [12] = L1(SMSW, F_W0, Emw), [14] = L1(LMSW, F_R0, Ew)},
    [GM16] = {L1(PREFETCHNTA, 0, M0), L1(PREFETCHT0, 0, M0), L1(PREFETCHT1, 0, M0),
              L1(PREFETCHT2, 0, M0), [4 ... 15] = L1(NOP, 0, Ev)},
    [GM15] = {L1(FXSAVE, F_W0 | F_NP, Mfx), L1(FXRSTOR, F_R0 | F_NP, Mfx),
              L1(LDMXCSR, F_R0 | F_NP, Md),
              L1(STMXCSR, F_W0 | F_NP, Md), [7] = L1(CLFLUSH, F_NP, M0), [13] = L0(LFENCE, F_NP),
              [14] = L0(MFENCE, F_NP), [15] = L0(SFENCE, F_NP)},
    [GM9] = {[1] = L1(CMPXCHG8B, F_RW0 | F_LOCK, Mq)},
};

const struct dt_entry dt_rm[][8] = {
    [R7_1] = {L0(MONITOR, F_NP), L0(MWAIT, F_NP)},
};

const struct dt_entry dt_mod[][2] = {
    [MOD_0F12] = {L2(MOVLPS, F_W0, Vq, Mq), L2(MOVHLPS, F_W0, Vq, Udq)},
    [MOD_0F16] = {L2(MOVHPS, F_W0, Vq, Mq), L2(MOVLHPS, F_W0, Vq, Udq)},
};

/* SSE arithmetic: packed single, packed double, scalar single, scalar double. */
#define SSE4(a, b, c, d)                                                                           \
    {                                                                                              \
        L2(a, F_RW0, Vdq, Wdq), L2(b, F_RW0, Vdq, Wdq), L2(c, F_RW0, Vdq, Wd),                     \
            L2(d, F_RW0, Vdq, Wq)                                                                  \
    }
#define SSE2P(a, b)                                                                                \
    {                                                                                              \
        L2(a, F_RW0, Vdq, Wdq), L2(b, F_RW0, Vdq, Wdq), BAD, BAD                                   \
    }

const struct dt_entry dt_pfx[P_COUNT][4] = {
    [P_90] = {L0(NOP, 0), L0(NOP, 0), L0(PAUSE, 0), L0(NOP, 0)},
    [P_0F10] = {L2(MOVUPS, F_W0, Vdq, Wdq), L2(MOVUPD, F_W0, Vdq, Wdq), L2(MOVSS, F_W0, Vdq, Wd),
                L2(MOVSD_SSE, F_W0, Vdq, Wq)},
    [P_0F11] = {L2(MOVUPS, F_W0, Wdq, Vdq), L2(MOVUPD, F_W0, Wdq, Vdq), L2(MOVSS, F_W0, Wd, Vdq),
                L2(MOVSD_SSE, F_W0, Wq, Vdq)},
    [P_0F12] = {NEXT(DT_MOD, MOD_0F12), L2(MOVLPD, F_W0, Vq, Mq), L2(MOVSLDUP, F_W0, Vdq, Wdq),
                L2(MOVDDUP, F_W0, Vdq, Wq)},
    [P_0F13] = {L2(MOVLPS, F_W0, Mq, Vq), L2(MOVLPD, F_W0, Mq, Vq), BAD, BAD},
    [P_0F14] = SSE2P(UNPCKLPS, UNPCKLPD),
    [P_0F15] = SSE2P(UNPCKHPS, UNPCKHPD),
    [P_0F16] = {NEXT(DT_MOD, MOD_0F16), L2(MOVHPD, F_W0, Vq, Mq), L2(MOVSHDUP, F_W0, Vdq, Wdq),
                BAD},
    [P_0F17] = {L2(MOVHPS, F_W0, Mq, Vq), L2(MOVHPD, F_W0, Mq, Vq), BAD, BAD},
    [P_0F28] = {L2(MOVAPS, F_W0, Vdq, Wdq), L2(MOVAPD, F_W0, Vdq, Wdq), BAD, BAD},
    [P_0F29] = {L2(MOVAPS, F_W0, Wdq, Vdq), L2(MOVAPD, F_W0, Wdq, Vdq), BAD, BAD},
    [P_0F2A] = {L2(CVTPI2PS, F_W0, Vdq, Qm), L2(CVTPI2PD, F_W0, Vdq, Qm),
                L2(CVTSI2SS, F_RW0, Vdq, Ed), L2(CVTSI2SD, F_RW0, Vdq, Ed)},
    [P_0F2B] = {L2(MOVNTPS, F_W0, Mdq, Vdq), L2(MOVNTPD, F_W0, Mdq, Vdq), BAD, BAD},
    [P_0F2C] = {L2(CVTTPS2PI, F_W0, Pm, Wq), L2(CVTTPD2PI, F_W0, Pm, Wdq),
                L2(CVTTSS2SI, F_W0, Gd, Wd), L2(CVTTSD2SI, F_W0, Gd, Wq)},
    [P_0F2D] = {L2(CVTPS2PI, F_W0, Pm, Wq), L2(CVTPD2PI, F_W0, Pm, Wdq), L2(CVTSS2SI, F_W0, Gd, Wd),
                L2(CVTSD2SI, F_W0, Gd, Wq)},
    [P_0F2E] = {L2(UCOMISS, F_R0, Vdq, Wd), L2(UCOMISD, F_R0, Vdq, Wq), BAD, BAD},
    [P_0F2F] = {L2(COMISS, F_R0, Vdq, Wd), L2(COMISD, F_R0, Vdq, Wq), BAD, BAD},
    [P_0F50] = {L2(MOVMSKPS, F_W0, Gd, Udq), L2(MOVMSKPD, F_W0, Gd, Udq), BAD, BAD},
    [P_0F51] = {L2(SQRTPS, F_W0, Vdq, Wdq), L2(SQRTPD, F_W0, Vdq, Wdq), L2(SQRTSS, F_RW0, Vdq, Wd),
                L2(SQRTSD, F_RW0, Vdq, Wq)},
    [P_0F52] = {L2(RSQRTPS, F_W0, Vdq, Wdq), BAD, L2(RSQRTSS, F_W0, Vdq, Wd), BAD},
    [P_0F53] = {L2(RCPPS, F_W0, Vdq, Wdq), BAD, L2(RCPSS, F_W0, Vdq, Wd), BAD},
    [P_0F54] = SSE2P(ANDPS, ANDPD),
    [P_0F55] = SSE2P(ANDNPS, ANDNPD),
    [P_0F56] = SSE2P(ORPS, ORPD),
    [P_0F57] = SSE2P(XORPS, XORPD),
    [P_0F58] = SSE4(ADDPS, ADDPD, ADDSS, ADDSD),
    [P_0F59] = SSE4(MULPS, MULPD, MULSS, MULSD),
    [P_0F5A] = {L2(CVTPS2PD, F_W0, Vdq, Wq), L2(CVTPD2PS, F_W0, Vdq, Wdq),
                L2(CVTSS2SD, F_W0, Vdq, Wd), L2(CVTSD2SS, F_W0, Vdq, Wq)},
    [P_0F5B] = {L2(CVTDQ2PS, F_W0, Vdq, Wdq), L2(CVTPS2DQ, F_W0, Vdq, Wdq),
                L2(CVTTPS2DQ, F_W0, Vdq, Wdq), BAD},
    [P_0F5C] = SSE4(SUBPS, SUBPD, SUBSS, SUBSD),
    [P_0F5D] = SSE4(MINPS, MINPD, MINSS, MINSD),
    [P_0F5E] = SSE4(DIVPS, DIVPD, DIVSS, DIVSD),
    [P_0F5F] = SSE4(MAXPS, MAXPD, MAXSS, MAXSD),
    [P_0F6C] = {BAD, L2(PUNPCKLQDQ, F_RW0, Vdq, Wdq), BAD, BAD},
    [P_0F6D] = {BAD, L2(PUNPCKHQDQ, F_RW0, Vdq, Wdq), BAD, BAD},
    [P_0F6F] = {L2(MOVQ, F_W0, Pm, Qm), L2(MOVDQA, F_W0, Vdq, Wdq), L2(MOVDQU, F_W0, Vdq, Wdq),
                BAD},
    [P_0F70] = {L(PSHUFW, F_W0, Pm, Qm, Ib), L(PSHUFD, F_W0, Vdq, Wdq, Ib),
                L(PSHUFHW, F_W0, Vdq, Wdq, Ib), L(PSHUFLW, F_W0, Vdq, Wdq, Ib)},
    [P_0F73_3] = {BAD, L2(PSRLDQ, F_RW0, Udq, Ib), BAD, BAD},
    [P_0F73_7] = {BAD, L2(PSLLDQ, F_RW0, Udq, Ib), BAD, BAD},
    [P_0F7C] = {BAD, L2(HADDPD, F_RW0, Vdq, Wdq), BAD, L2(HADDPS, F_RW0, Vdq, Wdq)},
    [P_0F7D] = {BAD, L2(HSUBPD, F_RW0, Vdq, Wdq), BAD, L2(HSUBPS, F_RW0, Vdq, Wdq)},
    [P_0F7E] = {L2(MOVD, F_W0, Ed, Pm), L2(MOVD, F_W0, Ed, Vdq), L2(MOVQ, F_W0, Vdq, Wq), BAD},
    [P_0F7F] = {L2(MOVQ, F_W0, Qm, Pm), L2(MOVDQA, F_W0, Wdq, Vdq), L2(MOVDQU, F_W0, Wdq, Vdq),
                BAD},
    [P_0FC2] = {L(CMPPS, F_RW0, Vdq, Wdq, Ib), L(CMPPD, F_RW0, Vdq, Wdq, Ib),
                L(CMPSS, F_RW0, Vdq, Wd, Ib), L(CMPSD_SSE, F_RW0, Vdq, Wq, Ib)},
    [P_0FC3] = {L2(MOVNTI, F_W0, Md, Gd), BAD, BAD, BAD},
    [P_0FC6] = {L(SHUFPS, F_RW0, Vdq, Wdq, Ib), L(SHUFPD, F_RW0, Vdq, Wdq, Ib), BAD, BAD},
    [P_0FD0] = {BAD, L2(ADDSUBPD, F_RW0, Vdq, Wdq), BAD, L2(ADDSUBPS, F_RW0, Vdq, Wdq)},
    [P_0FD6] = {BAD, L2(MOVQ, F_W0, Wq, Vq), L2(MOVQ2DQ, F_W0, Vdq, Nm),
                L2(MOVDQ2Q, F_W0, Pm, Udq)},
    [P_0FE6] = {BAD, L2(CVTTPD2DQ, F_W0, Vdq, Wdq), L2(CVTDQ2PD, F_W0, Vdq, Wq),
                L2(CVTPD2DQ, F_W0, Vdq, Wdq)},
    [P_0FE7] = {L2(MOVNTQ, F_W0, Mq, Pm), L2(MOVNTDQ, F_W0, Mdq, Vdq), BAD, BAD},
    [P_0FF0] = {BAD, BAD, BAD, L2(LDDQU, F_W0, Vdq, Mdq)},
    [P_0FF7] = {L2(MASKMOVQ, F_R0, Pm, Nm), L2(MASKMOVDQU, F_R0, Vdq, Udq), BAD, BAD},
};

/* x87: memory forms by ModRM.reg, then register forms by ModRM - 0xC0 (SDM Vol. 2, A.5). */
#define XM(o, f, m) L1(o, f, m)
#define XR8(r, e)   [8 + 8 * (r)... 8 + 8 * (r) + 7] = e
#define XARITH(m)                                                                                  \
    XM(FADD, F_R0, m), XM(FMUL, F_R0, m), XM(FCOM, F_R0, m), XM(FCOMP, F_R0, m),                   \
        XM(FSUB, F_R0, m), XM(FSUBR, F_R0, m), XM(FDIV, F_R0, m), XM(FDIVR, F_R0, m)
#define XIARITH(m)                                                                                 \
    XM(FIADD, F_R0, m), XM(FIMUL, F_R0, m), XM(FICOM, F_R0, m), XM(FICOMP, F_R0, m),               \
        XM(FISUB, F_R0, m), XM(FISUBR, F_R0, m), XM(FIDIV, F_R0, m), XM(FIDIVR, F_R0, m)
#define XFCMOV(r, cc) XR8(r, LC(FCMOVCC, X86_CC_##cc, F_RW0, St0, STi))

const struct dt_entry dt_x87[8][72] = {
    [0] = {XARITH(Md), XR8(0, L2(FADD, F_RW0, St0, STi)), XR8(1, L2(FMUL, F_RW0, St0, STi)),
           XR8(2, L1(FCOM, F_R0, STi)), XR8(3, L1(FCOMP, F_R0, STi)),
           XR8(4, L2(FSUB, F_RW0, St0, STi)), XR8(5, L2(FSUBR, F_RW0, St0, STi)),
           XR8(6, L2(FDIV, F_RW0, St0, STi)), XR8(7, L2(FDIVR, F_RW0, St0, STi))},
    [1] = {XM(FLD, F_R0, Md),           BAD,
           XM(FST, F_W0, Md),           XM(FSTP, F_W0, Md),
           XM(FLDENV, F_R0, Menv),      XM(FLDCW, F_R0, Mw),
           XM(FNSTENV, F_W0, Menv),     XM(FNSTCW, F_W0, Mw),
           XR8(0, L1(FLD, F_R0, STi)),  XR8(1, L1(FXCH, F_RW0, STi)),
           [8 + 0x10] = L0(FNOP, 0),    XR8(3, L1(FSTP, F_W0, STi)),
           [8 + 0x20] = L0(FCHS, 0),    [8 + 0x21] = L0(FABS, 0),
           [8 + 0x24] = L0(FTST, 0),    [8 + 0x25] = L0(FXAM, 0),
           [8 + 0x28] = L0(FLD1, 0),    [8 + 0x29] = L0(FLDL2T, 0),
           [8 + 0x2A] = L0(FLDL2E, 0),  [8 + 0x2B] = L0(FLDPI, 0),
           [8 + 0x2C] = L0(FLDLG2, 0),  [8 + 0x2D] = L0(FLDLN2, 0),
           [8 + 0x2E] = L0(FLDZ, 0),    [8 + 0x30] = L0(F2XM1, 0),
           [8 + 0x31] = L0(FYL2X, 0),   [8 + 0x32] = L0(FPTAN, 0),
           [8 + 0x33] = L0(FPATAN, 0),  [8 + 0x34] = L0(FXTRACT, 0),
           [8 + 0x35] = L0(FPREM1, 0),  [8 + 0x36] = L0(FDECSTP, 0),
           [8 + 0x37] = L0(FINCSTP, 0), [8 + 0x38] = L0(FPREM, 0),
           [8 + 0x39] = L0(FYL2XP1, 0), [8 + 0x3A] = L0(FSQRT, 0),
           [8 + 0x3B] = L0(FSINCOS, 0), [8 + 0x3C] = L0(FRNDINT, 0),
           [8 + 0x3D] = L0(FSCALE, 0),  [8 + 0x3E] = L0(FSIN, 0),
           [8 + 0x3F] = L0(FCOS, 0)},
    [2] = {XIARITH(Md), XFCMOV(0, B), XFCMOV(1, E), XFCMOV(2, BE), XFCMOV(3, P),
           [8 + 0x29] = L0(FUCOMPP, 0)},
    [3] = {XM(FILD, F_R0, Md), XM(FISTTP, F_W0, Md), XM(FIST, F_W0, Md), XM(FISTP, F_W0, Md), BAD,
           XM(FLD, F_R0, Mt), BAD, XM(FSTP, F_W0, Mt), XFCMOV(0, AE), XFCMOV(1, NE), XFCMOV(2, A),
           XFCMOV(3, NP), [8 + 0x20] = L0(FNENI, 0), [8 + 0x21] = L0(FNDISI, 0),
           [8 + 0x22] = L0(FNCLEX, 0), [8 + 0x23] = L0(FNINIT, 0), [8 + 0x24] = L0(FNSETPM, 0),
           XR8(5, L2(FUCOMI, F_R0, St0, STi)), XR8(6, L2(FCOMI, F_R0, St0, STi))},
    [4] = {XARITH(Mq), XR8(0, L2(FADD, F_RW0, STi, St0)), XR8(1, L2(FMUL, F_RW0, STi, St0)),
           XR8(2, L1(FCOM, F_R0, STi)), XR8(3, L1(FCOMP, F_R0, STi)),
           XR8(4, L2(FSUBR, F_RW0, STi, St0)), XR8(5, L2(FSUB, F_RW0, STi, St0)),
           XR8(6, L2(FDIVR, F_RW0, STi, St0)), XR8(7, L2(FDIV, F_RW0, STi, St0))},
    [5] = {XM(FLD, F_R0, Mq), XM(FISTTP, F_W0, Mq), XM(FST, F_W0, Mq), XM(FSTP, F_W0, Mq),
           XM(FRSTOR, F_R0, Msav), BAD, XM(FNSAVE, F_W0, Msav), XM(FNSTSW, F_W0, Mw),
           XR8(0, L1(FFREE, F_R0, STi)), XR8(1, L1(FXCH, F_RW0, STi)), XR8(2, L1(FST, F_W0, STi)),
           XR8(3, L1(FSTP, F_W0, STi)), XR8(4, L1(FUCOM, F_R0, STi)),
           XR8(5, L1(FUCOMP, F_R0, STi))},
    [6] = {XIARITH(Mw), XR8(0, L2(FADDP, F_RW0, STi, St0)), XR8(1, L2(FMULP, F_RW0, STi, St0)),
           XR8(2, L1(FCOMP, F_R0, STi)), [8 + 0x19] = L0(FCOMPP, 0),
           XR8(4, L2(FSUBRP, F_RW0, STi, St0)), XR8(5, L2(FSUBP, F_RW0, STi, St0)),
           XR8(6, L2(FDIVRP, F_RW0, STi, St0)), XR8(7, L2(FDIVP, F_RW0, STi, St0))},
    [7] = {XM(FILD, F_R0, Mw), XM(FISTTP, F_W0, Mw), XM(FIST, F_W0, Mw), XM(FISTP, F_W0, Mw),
           XM(FBLD, F_R0, Mt), XM(FILD, F_R0, Mq), XM(FBSTP, F_W0, Mt), XM(FISTP, F_W0, Mq),
           XR8(0, L1(FFREEP, F_R0, STi)), XR8(1, L1(FXCH, F_RW0, STi)), XR8(2, L1(FSTP, F_W0, STi)),
           XR8(3, L1(FSTP, F_W0, STi)), [8 + 0x20] = L1(FNSTSW, F_W0, AX),
           XR8(5, L2(FUCOMIP, F_R0, St0, STi)), XR8(6, L2(FCOMIP, F_R0, St0, STi))},
};
