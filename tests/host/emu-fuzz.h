/* emu-fuzz shared definitions: the fixed address-space layout that both the native run and the
 * emulator's mock memory use, the machine state of one case, and the parts' interfaces. */
#ifndef NEXUS86_TESTS_EMU_FUZZ_H
#define NEXUS86_TESTS_EMU_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/emu/emu.h"
#include "scan/decode.h"

/* Data scratch: DS, ES and FS are an LDT segment based here with limit FZ_SCR_SIZE - 1; SS is
 * flat, so the stack and SS-relative operands use linear addresses inside it. Guard pages on
 * both sides are inaccessible. */
#define FZ_SCR      0x10000000u
#define FZ_SCR_SIZE 0x4000u
/* Code: the instruction sits in the middle of two pages of INT3, so every path out of it ends
 * on an INT3 (or on an unmapped address below 64 KiB for 16-bit targets). */
#define FZ_CODE      0x20000000u
#define FZ_CODE_SIZE 0x2000u
/* Supervisor-only for the emulator: the guest's GDT, LDT and TSS as the emulator reads them. */
#define FZ_SYS      0x30000000u
#define FZ_GDT      (FZ_SYS + 0x000)
#define FZ_LDT      (FZ_SYS + 0x100)
#define FZ_TSS      (FZ_SYS + 0x200)
#define FZ_GDT_SIZE 0x38u
/* The native run's control block (absolute addresses, so the entry stub needs no register). */
#define FZ_CTRL 0x30010000

#define FZ_SEL_DATA 0x0007 /* LDT entry 0, RPL 3 */
#define FZ_SEL_CS   0x0023 /* Linux __USER_CS */
#define FZ_SEL_SS   0x002b /* Linux __USER_DS */

struct fz_state {
    uint32_t gpr[8];
    uint32_t eflags;
    uint32_t eip;
    uint16_t sreg[6]; /* selectors, in enum vcpu_sreg order */
};

/* How a run ended. */
struct fz_outcome {
    bool fault; /* an exception (vector, error, cr2) instead of completion */
    uint8_t vector;
    uint32_t error;
    uint32_t cr2;
    struct fz_state st; /* registers at completion, or at the fault */
};

/* emu-fuzz-native.c */
void native_init(void);
void native_run(const struct fz_state *in, struct fz_outcome *out);

/* emu-fuzz-mock.c: the emulator side of the same machine. */
void mock_init(void);
extern const struct emu_ops mock_ops;
void mock_vcpu(const struct fz_state *in, struct vcpu *v);
void mock_state(const struct vcpu *v, struct fz_state *out);

/* emu-fuzz-gen.c: one random case: bytes at FZ_CODE + off, state, scratch memory. */
struct fz_case {
    uint8_t bytes[X86_MAX_INSN_LEN];
    unsigned len;
    struct x86_insn insn;
    struct fz_state st;
};
void gen_seed(uint64_t seed);
uint32_t gen_rand(void);
void gen_fill_scratch(void);
void gen_case(struct fz_case *c);

#endif
