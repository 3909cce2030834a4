/* The virtual CPU state the emulator executes against: everything an i686 guest can observe or
 * change through an instruction, as the guest believes it to be (virtual CPL, virtual IF/IOPL).
 * The monitor keeps one per guest; the emulator works on a copy and commits it only when an
 * instruction (or one element of a REP string instruction) completes. */
#ifndef NEXUS86_EMU_VCPU_H
#define NEXUS86_EMU_VCPU_H

#include <stdint.h>

enum vcpu_gpr { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };
enum vcpu_sreg { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_COUNT };

/* EFLAGS bits. */
#define FL_CF         0x00000001u
#define FL_RSV1       0x00000002u
#define FL_PF         0x00000004u
#define FL_AF         0x00000010u
#define FL_ZF         0x00000040u
#define FL_SF         0x00000080u
#define FL_TF         0x00000100u
#define FL_IF         0x00000200u
#define FL_DF         0x00000400u
#define FL_OF         0x00000800u
#define FL_IOPL       0x00003000u
#define FL_NT         0x00004000u
#define FL_RF         0x00010000u
#define FL_VM         0x00020000u
#define FL_AC         0x00040000u
#define FL_VIF        0x00080000u
#define FL_VIP        0x00100000u
#define FL_ID         0x00200000u
#define FL_ARITH      (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)
#define FL_IOPL_SHIFT 12

/* Control register bits the emulator itself looks at. */
#define CR0_PE  0x00000001u
#define CR0_MP  0x00000002u
#define CR0_EM  0x00000004u
#define CR0_TS  0x00000008u
#define CR0_WP  0x00010000u
#define CR0_AM  0x00040000u
#define CR0_PG  0x80000000u
#define CR4_TSD 0x00000004u

/* DR6: single step. */
#define DR6_BS 0x00004000u

/* Hidden descriptor attributes, in the layout of the access-rights word LAR returns shifted right
 * by 8: type in 0-3, S in 4, DPL in 5-6, P in 7, AVL in 12, D/B in 14, G in 15. SEG_UNUSABLE
 * marks a segment register holding a null selector (any access through it is #GP(0)). */
#define SEG_TYPE_MASK 0x000fu
#define SEG_TYPE_A    0x0001u /* accessed */
#define SEG_TYPE_W    0x0002u /* data: writable */
#define SEG_TYPE_R    0x0002u /* code: readable */
#define SEG_TYPE_E    0x0004u /* data: expand-down */
#define SEG_TYPE_C    0x0004u /* code: conforming */
#define SEG_TYPE_CODE 0x0008u
#define SEG_S         0x0010u
#define SEG_DPL_SHIFT 5
#define SEG_DPL_MASK  0x0060u
#define SEG_P         0x0080u
#define SEG_AVL       0x1000u
#define SEG_DB        0x4000u
#define SEG_G         0x8000u
#define SEG_UNUSABLE  0x10000u

struct vcpu_seg {
    uint16_t sel;
    uint32_t base;
    uint32_t limit; /* byte granular, already scaled when G is set */
    uint32_t attr;
};

struct vcpu_dtr {
    uint32_t base;
    uint16_t limit;
};

struct vcpu {
    uint32_t gpr[8];
    uint32_t eip;
    uint32_t eflags;
    struct vcpu_seg seg[S_COUNT];
    struct vcpu_seg ldtr, tr;
    struct vcpu_dtr gdtr, idtr;
    uint32_t cr0, cr2, cr3, cr4;
    uint32_t dr[8];
    uint8_t cpl; /* 3 in virtual-8086 mode */
    /* Set by emu_step after an STI that set IF, a MOV SS or a POP SS, cleared after any other
     * instruction it completes and by emu_deliver: external interrupts (and NMI) wait one more
     * instruction. The monitor consults it before injecting an interrupt and clears it itself
     * when the next instruction runs natively. */
    uint8_t int_shadow;
};

/* The default operand and address size of the code segment: 16 or 32 (the decoder's mode). */
static inline int vcpu_code_size(const struct vcpu *cpu)
{
    return cpu->seg[S_CS].attr & SEG_DB ? 32 : 16;
}

#endif
