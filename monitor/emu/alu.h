/* Native ALU helpers: the emulator's arithmetic runs the real instruction on register operands,
 * with the guest's arithmetic flags loaded before and read back after, so results and flags
 * (including the ones the SDM calls undefined) are what this CPU produces. */
#ifndef NEXUS86_EMU_ALU_H
#define NEXUS86_EMU_ALU_H

#include <stdint.h>

enum alu_op {
    /* two operands: dst op= src (CMP/TEST/BT leave dst as it was) */
    ALU_ADD,
    ALU_OR,
    ALU_ADC,
    ALU_SBB,
    ALU_AND,
    ALU_SUB,
    ALU_XOR,
    ALU_CMP, /* group-1 order */
    ALU_ROL,
    ALU_ROR,
    ALU_RCL,
    ALU_RCR,
    ALU_SHL,
    ALU_SHR,
    ALU_SAL,
    ALU_SAR, /* group-2 order */
    ALU_TEST,
    ALU_BT,
    ALU_BTS,
    ALU_BTR,
    ALU_BTC,
    ALU_BSF,
    ALU_BSR,
    ALU_IMUL2,
    /* one operand */
    ALU_INC,
    ALU_DEC,
    ALU_NEG,
};

/* dst op src at size 1, 2 or 4 bytes; *eflags: the guest's flags in, with the arithmetic flags
 * replaced by the native result out. Shifts and rotates take the raw count in src (the CPU masks
 * it); BT* take the bit offset already reduced to the operand width; INC/DEC/NEG ignore src. */
uint32_t alu2(enum alu_op op, unsigned size, uint32_t dst, uint32_t src, uint32_t *eflags);

/* SHLD (left = 1) or SHRD at size 2 or 4, count raw. */
uint32_t alu_shd(int left, unsigned size, uint32_t dst, uint32_t src, uint8_t count,
                 uint32_t *eflags);

/* CMPXCHG: compares *acc with dst; returns the new dst, updates *acc. */
uint32_t alu_cmpxchg(unsigned size, uint32_t dst, uint32_t src, uint32_t *acc, uint32_t *eflags);

/* XADD: returns the sum for dst, *src receives the old dst. */
uint32_t alu_xadd(unsigned size, uint32_t dst, uint32_t *src, uint32_t *eflags);

enum alu_md { ALU_MUL, ALU_IMUL1, ALU_DIV, ALU_IDIV };
/* One-operand MUL/IMUL/DIV/IDIV on AL/AX/EAX (and AH/DX/EDX). Returns -1 (registers untouched)
 * when the CPU would raise #DE, 0 otherwise. */
int alu_muldiv(enum alu_md op, unsigned size, uint32_t *eax, uint32_t *edx, uint32_t src,
               uint32_t *eflags);

enum alu_bcd { ALU_DAA, ALU_DAS, ALU_AAA, ALU_AAS };
/* The decimal adjusts on AL/AX. */
uint32_t alu_bcd(enum alu_bcd op, uint32_t eax, uint32_t *eflags);

#endif
