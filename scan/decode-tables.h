/* scan/decode-tables.h: the internal format of the decoder's opcode tables (decode-tables.c),
 * shared only by the decoder engine (decode.c). One entry describes one opcode form: the
 * operation, how to find the next table level (ModRM.reg group, mandatory prefix, x87 escape)
 * and up to three operand specifications in Intel order. */
#ifndef NEXUS86_SCAN_DECODE_TABLES_H
#define NEXUS86_SCAN_DECODE_TABLES_H

#include <stdint.h>

/* How an entry continues. */
enum dt_kind {
    DT_INVALID, /* #UD */
    DT_LEAF,    /* a complete instruction form */
    DT_MMX,     /* leaf with the MMX convention: no prefix = MMX, 66 = XMM, F2/F3 = #UD */
    DT_GROUP,   /* next level indexed by ModRM.reg (8 entries, any mod) */
    DT_GROUPM,  /* next level indexed by ModRM.reg, mem forms [0..7], register forms [8..15] */
    DT_RM,      /* next level indexed by ModRM.rm (register forms of 0F 01) */
    DT_MOD,     /* next level indexed by ModRM.mod: [0] memory, [1] register */
    DT_PFX,     /* next level indexed by mandatory prefix: none, 66, F3, F2 */
    DT_X87,     /* x87 escape D8+idx */
};

/* Operand specification kinds (internal superset of enum x86_opnd_method). */
enum dt_spec {
    S_NONE,
    S_E,   /* r/m general register or memory */
    S_G,   /* reg field general register */
    S_M,   /* r/m memory only */
    S_R,   /* r/m general register whatever mod says (MOV CR/DR ignore mod) */
    S_I,   /* immediate, zero-extended (or exact) */
    S_IBS, /* 8-bit immediate sign-extended to the operand size */
    S_J,   /* relative offset */
    S_A,   /* direct far pointer */
    S_O,   /* moffs */
    S_S,   /* reg field segment register */
    S_C,   /* reg field control register */
    S_D,   /* reg field debug register */
    S_X,   /* DS:eSI */
    S_Y,   /* ES:eDI */
    S_GPR, /* fixed general register (reg = number) */
    S_ZR,  /* general register from the opcode's low three bits */
    S_SEG, /* fixed segment register (reg = number) */
    S_ONE, /* constant 1 */
    S_ST0, /* x87 ST(0) */
    S_STI, /* x87 ST(rm) */
    S_P,   /* reg field MMX (XMM under DT_MMX with 66) */
    S_Q,   /* r/m MMX or memory (XMM under DT_MMX with 66) */
    S_N,   /* r/m MMX only (XMM under DT_MMX with 66) */
    S_V,   /* reg field XMM */
    S_W,   /* r/m XMM or memory */
    S_U,   /* r/m XMM only */
};

/* Operand size codes. */
enum dt_size {
    Z_0,    /* no data access (LEA, INVLPG, hints) */
    Z_B,    /* 1 */
    Z_W,    /* 2 */
    Z_D,    /* 4 */
    Z_Q,    /* 8 */
    Z_DQ,   /* 16 */
    Z_V,    /* operand size */
    Z_P,    /* far pointer: operand size + 2 */
    Z_A,    /* BOUND pair: 2 * operand size */
    Z_S,    /* pseudo-descriptor: 6 */
    Z_T,    /* 10: x87 extended real / BCD */
    Z_ENV,  /* x87 environment: 14 or 28 */
    Z_SAVE, /* x87 state: 94 or 108 */
    Z_FX,   /* FXSAVE area: 512 */
    Z_MW,   /* memory 2, register operand size (MOV from Sreg, SLDT, STR, SMSW) */
    Z_QDQ,  /* MMX: 8, XMM under DT_MMX with 66: 16 */
    Z_DW,   /* memory 2, register 4 (PINSRW's r32/m16) */
    Z_DDQ,  /* MMX: 4, XMM under DT_MMX with 66: 16 (PUNPCKL*'s mm/m32, xmm/m128) */
};

/* An operand specification packed into one integer, so that table macros can pass it around as a
 * single argument: kind (enum dt_spec), size (enum dt_size), fixed register number. */
#define SPEC(kind, size, reg) ((uint32_t)(kind) | (uint32_t)(size) << 8 | (uint32_t)(reg) << 16)
#define SPEC_KIND(s)          ((s)&0xFF)
#define SPEC_SIZE(s)          (((s) >> 8) & 0xFF)
#define SPEC_REG(s)           (((s) >> 16) & 0xFF)

/* Entry flags. */
#define F_BYTE 0x0001 /* byte form: width 1 */
#define F_LOCK 0x0002 /* LOCK allowed (with a memory destination) */
#define F_R0   0x0004 /* operand 0 is read */
#define F_W0   0x0008 /* operand 0 is written */
#define F_W1   0x0010 /* operand 1 is written too (XCHG, XADD) */
#define F_COND 0x0020 /* condition code in the opcode's low four bits */
#define F_NP   0x0040 /* 66, F2 or F3 make the form #UD (the SDM's "NP") */
#define F_W16  0x0080 /* operation width is 16 bits whatever the operand size (ARPL...) */

#define F_RW0 (F_R0 | F_W0)

struct dt_entry {
    uint16_t op;    /* enum x86_op (leaves) */
    uint8_t kind;   /* enum dt_kind */
    uint8_t idx;    /* group/prefix/x87 table index, or condition code */
    uint16_t flags; /* F_* */
    uint32_t s[3];  /* SPEC() */
};

extern const struct dt_entry dt_map1[256];
extern const struct dt_entry dt_map0f[256];
extern const struct dt_entry dt_map0f38[256];
extern const struct dt_entry dt_map0f3a[256];
extern const struct dt_entry dt_group[][8];
extern const struct dt_entry dt_groupm[][16];
extern const struct dt_entry dt_rm[][8];
extern const struct dt_entry dt_pfx[][4];
extern const struct dt_entry dt_mod[][2];
/* x87: [esc][0..7] memory forms by reg, [esc][8..71] register forms by ModRM - 0xC0. */
extern const struct dt_entry dt_x87[8][72];

#endif
