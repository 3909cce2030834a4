/* scan/decode.h: the public interface of nexus86's one x86 decoder, shared by the prescanner
 * (length, class, transfer kind and static target) and the instruction emulator (prefixes,
 * operand/address size, operation identity and fully decoded operands). Freestanding: it needs
 * only <stdint.h>, <stdbool.h> and <stddef.h>, so the monitor and host tests include it as is.
 *
 * Scope: IA-32 in 16- and 32-bit default size: the one-byte map, 0F, 0F38, 0F3A, x87, MMX, SSE,
 * SSE2, SSE3 and SSSE3. VEX/EVEX/XOP and later extensions are #UD for the virtual CPU (CPUID
 * does not advertise them). See docs/decoder.md. */
#ifndef NEXUS86_SCAN_DECODE_H
#define NEXUS86_SCAN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X86_MAX_INSN_LEN 15

enum x86_status {
    X86_OK = 0,
    X86_UD,        /* undefined encoding (the CPU raises #UD) */
    X86_GP,        /* would be longer than 15 bytes (the CPU raises #GP(0)) */
    X86_NEED_MORE, /* `avail` ran out before the instruction ended: fetch more and retry */
};

/* What the prescanner must do with an instruction in virtual ring 0. One class per operation; the
 * table (and the SDM reason for every entry) is in scan/decode-class.c and docs/decoder.md. */
enum x86_class {
    X86_CLASS_NORMAL,     /* runs natively at ring 3 with the same result */
    X86_CLASS_PRIVILEGED, /* faults (#GP/#UD) at ring 3 with IOPL 0: the monitor emulates it */
    X86_CLASS_SENSITIVE, /* does not fault at ring 3 but behaves differently: must be virtualized */
    X86_CLASS_TRANSFER,  /* a plain control transfer: the scanner stops and follows it */
};

/* Control-transfer kind, independent of the class (far CALL is SENSITIVE and also X86_XFER_CALL
 * with X86_XF_FAR), so the scanner stops at every transfer whatever its class. */
enum x86_xfer {
    X86_XFER_NONE,
    X86_XFER_JMP,
    X86_XFER_JCC, /* Jcc; condition in insn.cond */
    X86_XFER_CALL,
    X86_XFER_RET,  /* RET, RET imm16, RETF */
    X86_XFER_LOOP, /* LOOP, LOOPE, LOOPNE, JCXZ/JECXZ */
    X86_XFER_INT,  /* INT n, INT3, INTO, INT1, BOUND (may raise #BR) */
    X86_XFER_IRET,
    X86_XFER_SYS, /* SYSENTER, SYSEXIT */
};

/* insn.xfer_flags */
#define X86_XF_FAR      0x01 /* changes CS */
#define X86_XF_INDIRECT 0x02 /* target comes from a register or memory (operand 0) */
#define X86_XF_COND     0x04 /* taken or not depending on a condition (Jcc, LOOPcc, INTO, BOUND) */

enum x86_target_kind {
    X86_TARGET_NONE, /* no static target (indirect, RET, IRET, INT, not a transfer) */
    X86_TARGET_REL,  /* next EIP + target_rel, truncated to 16 bits when opsize == 2 */
    X86_TARGET_FAR,  /* direct far pointer target_sel:target_off */
};

enum x86_map { X86_MAP_1BYTE, X86_MAP_0F, X86_MAP_0F38, X86_MAP_0F3A };

/* insn.prefixes: every legacy prefix byte seen, in any order and number. */
#define X86_PFX_LOCK  0x0001 /* F0 */
#define X86_PFX_REPNE 0x0002 /* F2 */
#define X86_PFX_REP   0x0004 /* F3 */
#define X86_PFX_OPSZ  0x0008 /* 66 */
#define X86_PFX_ADSZ  0x0010 /* 67 */
#define X86_PFX_ES    0x0020 /* 26 */
#define X86_PFX_CS    0x0040 /* 2E */
#define X86_PFX_SS    0x0080 /* 36 */
#define X86_PFX_DS    0x0100 /* 3E */
#define X86_PFX_FS    0x0200 /* 64 */
#define X86_PFX_GS    0x0400 /* 65 */

/* General registers by encoding number. Byte operands: 0-3 = AL,CL,DL,BL, 4-7 = AH,CH,DH,BH. */
enum x86_gpr {
    X86_EAX,
    X86_ECX,
    X86_EDX,
    X86_EBX,
    X86_ESP,
    X86_EBP,
    X86_ESI,
    X86_EDI,
};
#define X86_NOREG (-1)

/* Segment registers by encoding number (the Sreg field of ModRM). */
enum x86_seg {
    X86_SEG_ES,
    X86_SEG_CS,
    X86_SEG_SS,
    X86_SEG_DS,
    X86_SEG_FS,
    X86_SEG_GS,
    X86_SEG_NONE = 0xFF,
};

enum x86_reg_class {
    X86_RC_GPR, /* size says 8/16/32-bit view */
    X86_RC_SEG,
    X86_RC_CR,
    X86_RC_DR,
    X86_RC_X87, /* ST(i): reg = i */
    X86_RC_MMX,
    X86_RC_XMM,
};

enum x86_opnd_type {
    X86_OPND_NONE,
    X86_OPND_REG,
    X86_OPND_MEM,
    X86_OPND_IMM,
    X86_OPND_REL, /* relative branch displacement (also in insn.target_rel) */
    X86_OPND_FAR, /* direct far pointer sel:off (Ap) */
};

/* Where an operand comes from: Intel's addressing-method letters (SDM Vol. 2, Appendix A.2.1).
 * With operand.size this is the familiar notation: E + 1 = Eb, E + opsize = Ev, I + 1 = Ib. */
enum x86_opnd_method {
    X86_M_NONE,
    X86_M_E,     /* ModRM r/m: general register or memory */
    X86_M_G,     /* ModRM reg: general register */
    X86_M_M,     /* ModRM r/m, memory only */
    X86_M_R,     /* ModRM r/m as a general register whatever mod says (MOV CR/DR) */
    X86_M_I,     /* immediate */
    X86_M_J,     /* relative offset */
    X86_M_A,     /* direct far pointer */
    X86_M_O,     /* moffs: offset in the instruction, no ModRM */
    X86_M_S,     /* ModRM reg: segment register */
    X86_M_C,     /* ModRM reg: control register */
    X86_M_D,     /* ModRM reg: debug register */
    X86_M_X,     /* DS:eSI string operand (segment overridable) */
    X86_M_Y,     /* ES:eDI string operand (never overridden) */
    X86_M_FIXED, /* register implied by the opcode (AL, eAX, DX, CL, Sreg in PUSH ES, ...) */
    X86_M_ONE,   /* the constant 1 of the D0/D1 shifts */
    X86_M_ST,    /* x87 ST(0), implied */
    X86_M_P,     /* ModRM reg: MMX */
    X86_M_Q,     /* ModRM r/m: MMX or memory */
    X86_M_N,     /* ModRM r/m: MMX only */
    X86_M_V,     /* ModRM reg: XMM */
    X86_M_W,     /* ModRM r/m: XMM or memory */
    X86_M_U,     /* ModRM r/m: XMM only */
    X86_M_OPREG, /* general register in the opcode's low three bits (PUSH r, MOV r, imm, BSWAP) */
    X86_M_STI,   /* x87 ST(i), i from ModRM.rm */
};

/* operand.access */
#define X86_ACC_READ  0x1
#define X86_ACC_WRITE 0x2

/* Effective address = (base + index * scale + disp) modulo 2^(8 * addrsize), in segment seg. */
struct x86_mem {
    uint8_t seg;      /* override if present, else the default (SS for eBP/eSP bases) */
    int8_t base;      /* enum x86_gpr or X86_NOREG */
    int8_t index;     /* enum x86_gpr or X86_NOREG */
    uint8_t scale;    /* 1, 2, 4 or 8 */
    uint8_t addrsize; /* 2 or 4 bytes */
    int32_t disp;     /* sign-extended (moffs: the full offset) */
};

struct x86_operand {
    uint8_t type;       /* enum x86_opnd_type */
    uint8_t method;     /* enum x86_opnd_method */
    uint8_t access;     /* X86_ACC_*; 0 for address-only memory (LEA, INVLPG, CLFLUSH...) */
    uint8_t reg_class;  /* REG: enum x86_reg_class */
    uint8_t reg;        /* REG: register number within its class */
    uint16_t size;      /* width in bytes (memory: bytes accessed, e.g. 6 for LGDT, 512 FXSAVE) */
    struct x86_mem mem; /* MEM */
    uint32_t imm;       /* IMM: value after the extension the instruction specifies */
    int32_t rel;        /* REL */
    uint16_t sel;       /* FAR: selector; the offset is in imm */
};

#define X86_MAX_OPERANDS 4

/* Operation identities: one per mnemonic/operation; the emulator switches on these and never
 * looks at opcode bytes. Condition-bearing ones (JCC, SETCC, CMOVCC, FCMOVCC) take insn.cond.
 * Mnemonics that change with operand/address size (CBW/CWDE, MOVSB/W/D, JCXZ/JECXZ, IRET/IRETD,
 * PUSHA/PUSHAD ...) are one operation; the size fields say which. */
/* clang-format off */
#define X86_OP_LIST(X)                                                                             \
    X(INVALID, "(bad)")                                                                            \
    X(ADD, "add") X(OR, "or") X(ADC, "adc") X(SBB, "sbb") X(AND, "and") X(SUB, "sub")              \
    X(XOR, "xor") X(CMP, "cmp") X(INC, "inc") X(DEC, "dec") X(NEG, "neg") X(NOT, "not")            \
    X(TEST, "test") X(MUL, "mul") X(IMUL, "imul") X(DIV, "div") X(IDIV, "idiv")                    \
    X(DAA, "daa") X(DAS, "das") X(AAA, "aaa") X(AAS, "aas") X(AAM, "aam") X(AAD, "aad")            \
    X(SALC, "salc") X(ROL, "rol") X(ROR, "ror") X(RCL, "rcl") X(RCR, "rcr") X(SHL, "shl")          \
    X(SHR, "shr") X(SAR, "sar") X(SHLD, "shld") X(SHRD, "shrd") X(BT, "bt") X(BTS, "bts")          \
    X(BTR, "btr") X(BTC, "btc") X(BSF, "bsf") X(BSR, "bsr") X(BSWAP, "bswap")                      \
    X(MOV, "mov") X(MOV_SEG, "mov") X(MOV_CR, "mov") X(MOV_DR, "mov") X(MOVZX, "movzx")            \
    X(MOVSX, "movsx") X(LEA, "lea") X(XCHG, "xchg") X(XADD, "xadd") X(CMPXCHG, "cmpxchg")          \
    X(CMPXCHG8B, "cmpxchg8b") X(CMOVCC, "cmov") X(SETCC, "set") X(XLAT, "xlat")                    \
    X(CBW, "cbw") X(CWD, "cwd") X(LAHF, "lahf") X(SAHF, "sahf") X(PUSHF, "pushf")                  \
    X(POPF, "popf") X(PUSH, "push") X(POP, "pop") X(PUSH_SEG, "push") X(POP_SEG, "pop")            \
    X(PUSHA, "pusha") X(POPA, "popa") X(ENTER, "enter") X(LEAVE, "leave") X(BOUND, "bound")        \
    X(ARPL, "arpl") X(LDS, "lds") X(LES, "les") X(LFS, "lfs") X(LGS, "lgs") X(LSS, "lss")          \
    X(MOVS, "movs") X(CMPS, "cmps") X(STOS, "stos") X(LODS, "lods") X(SCAS, "scas")                \
    X(INS, "ins") X(OUTS, "outs") X(IN, "in") X(OUT, "out")                                        \
    X(JMP, "jmp") X(JMPF, "jmp far") X(JCC, "j") X(CALL, "call") X(CALLF, "call far")             \
    X(RET, "ret") X(RETF, "retf") X(LOOP, "loop") X(LOOPE, "loope") X(LOOPNE, "loopne")            \
    X(JCXZ, "jcxz") X(INT, "int") X(INT3, "int3") X(INTO, "into") X(INT1, "int1")                  \
    X(IRET, "iret") X(SYSENTER, "sysenter") X(SYSEXIT, "sysexit")                                  \
    X(NOP, "nop") X(PAUSE, "pause") X(WAIT, "wait") X(HLT, "hlt") X(CMC, "cmc") X(CLC, "clc")      \
    X(STC, "stc") X(CLI, "cli") X(STI, "sti") X(CLD, "cld") X(STD, "std") X(UD0, "ud0")            \
    X(UD1, "ud1") X(UD2, "ud2") X(CPUID, "cpuid") X(RDTSC, "rdtsc") X(RDMSR, "rdmsr")              \
    X(WRMSR, "wrmsr") X(RDPMC, "rdpmc") X(RSM, "rsm") X(SLDT, "sldt") X(STR, "str")                \
    X(LLDT, "lldt") X(LTR, "ltr") X(VERR, "verr") X(VERW, "verw") X(SGDT, "sgdt")                  \
    X(SIDT, "sidt") X(LGDT, "lgdt") X(LIDT, "lidt") X(SMSW, "smsw") X(LMSW, "lmsw")                \
    X(INVLPG, "invlpg") X(LAR, "lar") X(LSL, "lsl") X(CLTS, "clts") X(INVD, "invd")                \
    X(WBINVD, "wbinvd") X(MONITOR, "monitor") X(MWAIT, "mwait") X(PREFETCHNTA, "prefetchnta")      \
    X(PREFETCHT0, "prefetcht0") X(PREFETCHT1, "prefetcht1") X(PREFETCHT2, "prefetcht2")            \
    X(CLFLUSH, "clflush") X(LFENCE, "lfence") X(MFENCE, "mfence") X(SFENCE, "sfence")              \
    X(FXSAVE, "fxsave") X(FXRSTOR, "fxrstor") X(LDMXCSR, "ldmxcsr") X(STMXCSR, "stmxcsr")          \
    X(FADD, "fadd") X(FMUL, "fmul") X(FCOM, "fcom") X(FCOMP, "fcomp") X(FSUB, "fsub")              \
    X(FSUBR, "fsubr") X(FDIV, "fdiv") X(FDIVR, "fdivr") X(FLD, "fld") X(FXCH, "fxch")              \
    X(FST, "fst") X(FSTP, "fstp") X(FNOP, "fnop") X(FLDENV, "fldenv") X(FLDCW, "fldcw")            \
    X(FNSTENV, "fnstenv") X(FNSTCW, "fnstcw") X(FCHS, "fchs") X(FABS, "fabs") X(FTST, "ftst")      \
    X(FXAM, "fxam") X(FLD1, "fld1") X(FLDL2T, "fldl2t") X(FLDL2E, "fldl2e") X(FLDPI, "fldpi")      \
    X(FLDLG2, "fldlg2") X(FLDLN2, "fldln2") X(FLDZ, "fldz") X(F2XM1, "f2xm1") X(FYL2X, "fyl2x")    \
    X(FPTAN, "fptan") X(FPATAN, "fpatan") X(FXTRACT, "fxtract") X(FPREM1, "fprem1")                \
    X(FDECSTP, "fdecstp") X(FINCSTP, "fincstp") X(FPREM, "fprem") X(FYL2XP1, "fyl2xp1")            \
    X(FSQRT, "fsqrt") X(FSINCOS, "fsincos") X(FRNDINT, "frndint") X(FSCALE, "fscale")              \
    X(FSIN, "fsin") X(FCOS, "fcos") X(FIADD, "fiadd") X(FIMUL, "fimul") X(FICOM, "ficom")          \
    X(FICOMP, "ficomp") X(FISUB, "fisub") X(FISUBR, "fisubr") X(FIDIV, "fidiv")                    \
    X(FIDIVR, "fidivr") X(FCMOVCC, "fcmov") X(FUCOMPP, "fucompp") X(FILD, "fild")                  \
    X(FISTTP, "fisttp") X(FIST, "fist") X(FISTP, "fistp") X(FNCLEX, "fnclex")                      \
    X(FNINIT, "fninit") X(FUCOMI, "fucomi") X(FCOMI, "fcomi") X(FFREE, "ffree")                    \
    X(FFREEP, "ffreep") X(FUCOM, "fucom") X(FUCOMP, "fucomp") X(FRSTOR, "frstor")                  \
    X(FNSAVE, "fnsave") X(FNSTSW, "fnstsw") X(FADDP, "faddp") X(FMULP, "fmulp")                    \
    X(FCOMPP, "fcompp") X(FSUBRP, "fsubrp") X(FSUBP, "fsubp") X(FDIVRP, "fdivrp")                  \
    X(FDIVP, "fdivp") X(FBLD, "fbld") X(FBSTP, "fbstp") X(FUCOMIP, "fucomip")                      \
    X(FCOMIP, "fcomip") X(FNENI, "fneni") X(FNDISI, "fndisi") X(FNSETPM, "fnsetpm")                \
    X(EMMS, "emms") X(MOVD, "movd") X(MOVQ, "movq") X(MOVDQA, "movdqa") X(MOVDQU, "movdqu")        \
    X(MOVQ2DQ, "movq2dq") X(MOVDQ2Q, "movdq2q") X(PUNPCKLBW, "punpcklbw")                          \
    X(PUNPCKLWD, "punpcklwd") X(PUNPCKLDQ, "punpckldq") X(PACKSSWB, "packsswb")                    \
    X(PCMPGTB, "pcmpgtb") X(PCMPGTW, "pcmpgtw") X(PCMPGTD, "pcmpgtd") X(PACKUSWB, "packuswb")      \
    X(PUNPCKHBW, "punpckhbw") X(PUNPCKHWD, "punpckhwd") X(PUNPCKHDQ, "punpckhdq")                  \
    X(PACKSSDW, "packssdw") X(PUNPCKLQDQ, "punpcklqdq") X(PUNPCKHQDQ, "punpckhqdq")                \
    X(PSHUFW, "pshufw") X(PSHUFD, "pshufd") X(PSHUFHW, "pshufhw") X(PSHUFLW, "pshuflw")            \
    X(PSRLW, "psrlw") X(PSRAW, "psraw") X(PSLLW, "psllw") X(PSRLD, "psrld") X(PSRAD, "psrad")      \
    X(PSLLD, "pslld") X(PSRLQ, "psrlq") X(PSLLQ, "psllq") X(PSRLDQ, "psrldq")                      \
    X(PSLLDQ, "pslldq") X(PCMPEQB, "pcmpeqb") X(PCMPEQW, "pcmpeqw") X(PCMPEQD, "pcmpeqd")          \
    X(PINSRW, "pinsrw") X(PEXTRW, "pextrw") X(PADDQ, "paddq") X(PMULLW, "pmullw")                  \
    X(PMOVMSKB, "pmovmskb") X(PSUBUSB, "psubusb") X(PSUBUSW, "psubusw") X(PMINUB, "pminub")        \
    X(PAND, "pand") X(PADDUSB, "paddusb") X(PADDUSW, "paddusw") X(PMAXUB, "pmaxub")                \
    X(PANDN, "pandn") X(PAVGB, "pavgb") X(PAVGW, "pavgw") X(PMULHUW, "pmulhuw")                    \
    X(PMULHW, "pmulhw") X(MOVNTQ, "movntq") X(MOVNTDQ, "movntdq") X(PSUBSB, "psubsb")              \
    X(PSUBSW, "psubsw") X(PMINSW, "pminsw") X(POR, "por") X(PADDSB, "paddsb")                      \
    X(PADDSW, "paddsw") X(PMAXSW, "pmaxsw") X(PXOR, "pxor") X(PMULUDQ, "pmuludq")                  \
    X(PMADDWD, "pmaddwd") X(PSADBW, "psadbw") X(MASKMOVQ, "maskmovq")                              \
    X(MASKMOVDQU, "maskmovdqu") X(PSUBB, "psubb") X(PSUBW, "psubw") X(PSUBD, "psubd")              \
    X(PSUBQ, "psubq") X(PADDB, "paddb") X(PADDW, "paddw") X(PADDD, "paddd")                        \
    X(MOVUPS, "movups") X(MOVUPD, "movupd") X(MOVSS, "movss") X(MOVSD_SSE, "movsd")                \
    X(MOVLPS, "movlps") X(MOVLPD, "movlpd") X(MOVHLPS, "movhlps") X(MOVSLDUP, "movsldup")          \
    X(MOVDDUP, "movddup") X(UNPCKLPS, "unpcklps") X(UNPCKLPD, "unpcklpd")                          \
    X(UNPCKHPS, "unpckhps") X(UNPCKHPD, "unpckhpd") X(MOVHPS, "movhps") X(MOVHPD, "movhpd")        \
    X(MOVLHPS, "movlhps") X(MOVSHDUP, "movshdup") X(MOVAPS, "movaps") X(MOVAPD, "movapd")          \
    X(CVTPI2PS, "cvtpi2ps") X(CVTPI2PD, "cvtpi2pd") X(CVTSI2SS, "cvtsi2ss")                        \
    X(CVTSI2SD, "cvtsi2sd") X(MOVNTPS, "movntps") X(MOVNTPD, "movntpd")                            \
    X(CVTTPS2PI, "cvttps2pi") X(CVTTPD2PI, "cvttpd2pi") X(CVTTSS2SI, "cvttss2si")                  \
    X(CVTTSD2SI, "cvttsd2si") X(CVTPS2PI, "cvtps2pi") X(CVTPD2PI, "cvtpd2pi")                      \
    X(CVTSS2SI, "cvtss2si") X(CVTSD2SI, "cvtsd2si") X(UCOMISS, "ucomiss") X(UCOMISD, "ucomisd")    \
    X(COMISS, "comiss") X(COMISD, "comisd") X(MOVMSKPS, "movmskps") X(MOVMSKPD, "movmskpd")        \
    X(SQRTPS, "sqrtps") X(SQRTPD, "sqrtpd") X(SQRTSS, "sqrtss") X(SQRTSD, "sqrtsd")                \
    X(RSQRTPS, "rsqrtps") X(RSQRTSS, "rsqrtss") X(RCPPS, "rcpps") X(RCPSS, "rcpss")                \
    X(ANDPS, "andps") X(ANDPD, "andpd") X(ANDNPS, "andnps") X(ANDNPD, "andnpd") X(ORPS, "orps")    \
    X(ORPD, "orpd") X(XORPS, "xorps") X(XORPD, "xorpd") X(ADDPS, "addps") X(ADDPD, "addpd")        \
    X(ADDSS, "addss") X(ADDSD, "addsd") X(MULPS, "mulps") X(MULPD, "mulpd") X(MULSS, "mulss")      \
    X(MULSD, "mulsd") X(SUBPS, "subps") X(SUBPD, "subpd") X(SUBSS, "subss") X(SUBSD, "subsd")      \
    X(MINPS, "minps") X(MINPD, "minpd") X(MINSS, "minss") X(MINSD, "minsd") X(DIVPS, "divps")      \
    X(DIVPD, "divpd") X(DIVSS, "divss") X(DIVSD, "divsd") X(MAXPS, "maxps") X(MAXPD, "maxpd")      \
    X(MAXSS, "maxss") X(MAXSD, "maxsd") X(CVTPS2PD, "cvtps2pd") X(CVTPD2PS, "cvtpd2ps")            \
    X(CVTSS2SD, "cvtss2sd") X(CVTSD2SS, "cvtsd2ss") X(CVTDQ2PS, "cvtdq2ps")                        \
    X(CVTPS2DQ, "cvtps2dq") X(CVTTPS2DQ, "cvttps2dq") X(CVTTPD2DQ, "cvttpd2dq")                    \
    X(CVTDQ2PD, "cvtdq2pd") X(CVTPD2DQ, "cvtpd2dq") X(HADDPD, "haddpd") X(HADDPS, "haddps")        \
    X(HSUBPD, "hsubpd") X(HSUBPS, "hsubps") X(ADDSUBPD, "addsubpd") X(ADDSUBPS, "addsubps")        \
    X(LDDQU, "lddqu") X(CMPPS, "cmpps") X(CMPPD, "cmppd") X(CMPSS, "cmpss")                        \
    X(CMPSD_SSE, "cmpsd") X(SHUFPS, "shufps") X(SHUFPD, "shufpd") X(MOVNTI, "movnti")              \
    X(PSHUFB, "pshufb") X(PHADDW, "phaddw") X(PHADDD, "phaddd") X(PHADDSW, "phaddsw")              \
    X(PMADDUBSW, "pmaddubsw") X(PHSUBW, "phsubw") X(PHSUBD, "phsubd") X(PHSUBSW, "phsubsw")        \
    X(PSIGNB, "psignb") X(PSIGNW, "psignw") X(PSIGND, "psignd") X(PMULHRSW, "pmulhrsw")            \
    X(PABSB, "pabsb") X(PABSW, "pabsw") X(PABSD, "pabsd") X(PALIGNR, "palignr")
/* clang-format on */

#define X86_OP_ENUM_(name, text) X86_OP_##name,
enum x86_op { X86_OP_LIST(X86_OP_ENUM_) X86_OP_COUNT };
#undef X86_OP_ENUM_

/* Condition codes (the tttn field; insn.cond). FCMOVcc uses B, E, BE, P (=U) and negations. */
enum x86_cond {
    X86_CC_O,
    X86_CC_NO,
    X86_CC_B,
    X86_CC_AE,
    X86_CC_E,
    X86_CC_NE,
    X86_CC_BE,
    X86_CC_A,
    X86_CC_S,
    X86_CC_NS,
    X86_CC_P,
    X86_CC_NP,
    X86_CC_L,
    X86_CC_GE,
    X86_CC_LE,
    X86_CC_G,
};

struct x86_insn {
    /* For the prescanner. */
    uint8_t len;         /* total length in bytes (on failure: bytes examined) */
    uint8_t cls;         /* enum x86_class */
    uint8_t xfer;        /* enum x86_xfer */
    uint8_t xfer_flags;  /* X86_XF_* */
    uint8_t target_kind; /* enum x86_target_kind */
    int32_t target_rel;  /* REL: offset from the next instruction's address */
    uint16_t target_sel; /* FAR */
    uint32_t target_off; /* FAR */

    /* Identity. */
    uint16_t op;  /* enum x86_op */
    uint8_t cond; /* enum x86_cond for JCC/SETCC/CMOVCC/FCMOVCC */

    /* Sizes. */
    uint8_t mode;     /* 2 or 4: the code segment's default size */
    uint8_t opsize;   /* 2 or 4: effective operand size */
    uint8_t addrsize; /* 2 or 4: effective address size */
    uint8_t width;    /* bytes the operation works on: 1 for byte forms, else opsize (or the
                         fixed size of the operation, e.g. 2 for ARPL) */

    /* Prefixes. */
    uint16_t prefixes;    /* X86_PFX_* seen */
    uint8_t nprefixes;    /* prefix bytes before the opcode */
    uint8_t seg_override; /* enum x86_seg of the last segment prefix, or X86_SEG_NONE */
    uint8_t rep;          /* 0, 0xF3 or 0xF2: the last REP/REPNE, when not used as mandatory */
    bool lock;
    uint8_t mandatory; /* 0, 0x66, 0xF2 or 0xF3: the prefix that selected an SSE form */

    /* Encoding. */
    uint8_t map;    /* enum x86_map */
    uint8_t opcode; /* opcode byte within the map */
    bool has_modrm;
    bool has_sib;
    uint8_t modrm, mod, reg, rm;
    uint8_t sib, scale, index, base; /* raw SIB fields */
    uint8_t disp_size;               /* 0, 1, 2 or 4 */
    int32_t disp;                    /* sign-extended */
    uint8_t imm_size;                /* bytes of the first immediate in the encoding */
    uint8_t imm2_size;               /* bytes of the second (ENTER's level, far pointer's sel) */
    uint32_t imm;                    /* first immediate, extended as the instruction specifies */
    uint32_t imm2;                   /* ENTER's nesting level, far pointer's selector */
    uint8_t opcode_off;              /* offset of the first opcode byte (0F included) */
    uint8_t modrm_off, disp_off, imm_off; /* offsets in the instruction, 0 when absent */

    /* Operands in Intel order: operands[0] is the destination when there is one. */
    uint8_t noperands;
    struct x86_operand operands[X86_MAX_OPERANDS];
};

/* Decode one instruction from bytes[0 .. avail-1]; mode is 16 or 32 (the code segment's D bit).
 * On X86_OK every field of *out is set; otherwise only status-relevant fields (len) are. */
enum x86_status x86_decode(const uint8_t *bytes, unsigned avail, int mode, struct x86_insn *out);

/* The class of an operation (the single class table) and its control-transfer kind. */
enum x86_class x86_op_class(unsigned op);
enum x86_xfer x86_op_xfer(unsigned op);

/* Lower-case mnemonic of an operation, without size or condition suffixes. */
const char *x86_op_name(unsigned op);

/* Intel-syntax text of a decoded instruction ("mov eax, dword ptr [ebp-8]"), truncated to len.
 * Returns the length the full text would have, like snprintf. */
int x86_format(const struct x86_insn *insn, char *buf, size_t len);

/* The absolute target of a relative transfer decoded at eip. */
static inline uint32_t x86_rel_target(const struct x86_insn *insn, uint32_t eip)
{
    uint32_t t = eip + insn->len + (uint32_t)insn->target_rel;
    return insn->opsize == 2 ? (t & 0xFFFF) : t;
}

#endif
