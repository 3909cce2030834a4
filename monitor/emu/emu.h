/* The emulator's public interface: execute one guest instruction against a struct vcpu, with
 * every memory, port and system-register access going through struct emu_ops (in the spirit of
 * Linux KVM's x86_emulate_ops). Decoding is scan/decode.h's; see docs/emulator.md. */
#ifndef NEXUS86_EMU_EMU_H
#define NEXUS86_EMU_EMU_H

#include <stdint.h>

#include "monitor/emu/vcpu.h"

enum emu_result {
    EMU_OK,        /* done: the vCPU holds the state after the instruction (for a REP string
                      instruction cut short by the iteration budget, EIP still points at it) */
    EMU_EXCEPTION, /* deliver *exc to the guest; the vCPU is as the CPU leaves it at that fault */
    EMU_REDIRECT,  /* an op asked to leave (e.g. an MMIO access the monitor serves elsewhere): the
                      vCPU and memory are untouched by the current instruction; run it again */
    EMU_HALT,      /* HLT: EIP is past it; wait for an interrupt */
    EMU_TRAP,      /* done and committed as for EMU_OK (or EMU_HALT), and a trap is due after it:
                      deliver *exc (a single-step #DB; DR6.BS is already set in the vCPU) */
    EMU_SHUTDOWN,  /* emu_deliver: a fault while delivering #DF (triple fault); the vCPU is as it
                      was before the call. The machine shuts down (or resets). */
};

enum emu_vector {
    EXC_DE = 0,
    EXC_DB = 1,
    EXC_BP = 3,
    EXC_OF = 4,
    EXC_BR = 5,
    EXC_UD = 6,
    EXC_NM = 7,
    EXC_DF = 8,
    EXC_TS = 10,
    EXC_NP = 11,
    EXC_SS = 12,
    EXC_GP = 13,
    EXC_PF = 14,
    EXC_AC = 17,
};

/* A delivery request. soft: raised by an instruction as a trap, with EIP already past it:
 * EMU_SOFT_INT for INT n/INT3/INTO (the deliverer checks the gate's DPL against CPL and raises
 * #GP(n*8+2) if it is too low), EMU_SOFT_ICEBP for INT1 (no DPL check). 0 for faults, traps and
 * external interrupts. An external interrupt whose vector is below 32 may say EMU_SOFT_EXTINT so
 * that emu_deliver treats it as benign for the double-fault rules rather than as the exception
 * with that vector (no DPL check, no error code). */
#define EMU_SOFT_INT    1
#define EMU_SOFT_ICEBP  2
#define EMU_SOFT_EXTINT 3
struct emu_exc {
    uint8_t vector;
    uint8_t has_error;
    uint8_t soft;
    uint8_t insn_len; /* soft: the instruction's length; a fault while delivering it is reported
                         at the instruction, EIP - insn_len */
    uint32_t error;
    uint32_t cr2; /* #PF: the faulting linear address */
};

/* Page-fault error code bits. */
#define PF_P 0x1u
#define PF_W 0x2u
#define PF_U 0x4u
#define PF_I 0x10u

/* Access kinds passed to translate. */
#define EMU_ACC_WRITE 0x1u /* a write (or the write half of a read-modify-write) */
#define EMU_ACC_FETCH 0x2u /* an instruction fetch */
#define EMU_ACC_USER                                                                               \
    0x4u /* checked as a user-mode (CPL 3) access; absent for CPL 0-2 and for                      \
            implicit supervisor accesses (descriptor tables, TSS) */

enum emu_mem_kind {
    EMU_MEM_RAM,     /* plain memory at host[] */
    EMU_MEM_ROM,     /* reads from host[], writes dropped */
    EMU_MEM_MMIO,    /* every access goes to mmio_read/mmio_write */
    EMU_MEM_WATCHED, /* reads from host[]; writes go to watched_write, which stores them */
};

/* Where one guest page landed. */
struct emu_page {
    enum emu_mem_kind kind;
    uint8_t *host; /* the page's first byte (RAM, ROM, WATCHED) */
    uint32_t phys; /* the page's guest-physical address */
};

enum emu_sys {
    EMU_SYS_CR0,
    EMU_SYS_CR2,
    EMU_SYS_CR3,
    EMU_SYS_CR4,
    EMU_SYS_DR, /* any of DR0-DR7 */
    EMU_SYS_GDTR,
    EMU_SYS_IDTR,
    EMU_SYS_LDTR,
    EMU_SYS_TR,
};

/* Every op returns EMU_OK, EMU_EXCEPTION (with *exc filled) or EMU_REDIRECT unless it says
 * otherwise. The emulator never calls an op that changes anything outside the vCPU before it
 * knows the instruction completes, except MMIO reads and port input, which happen in program
 * order as the CPU performs them. */
struct emu_ops {
    /* Translate the page holding `linear` for the access kind (EMU_ACC_*): on a violation return
     * EMU_EXCEPTION with the #PF filled in (vector, error code, cr2 = linear). */
    int (*translate)(void *ctx, uint32_t linear, unsigned acc, struct emu_page *pg,
                     struct emu_exc *exc);
    int (*mmio_read)(void *ctx, uint32_t phys, void *buf, unsigned size);
    void (*mmio_write)(void *ctx, uint32_t phys, const void *buf, unsigned size);
    void (*watched_write)(void *ctx, uint32_t phys, const void *buf, unsigned size);
    int (*port_in)(void *ctx, uint16_t port, unsigned size, uint32_t *val);
    void (*port_out)(void *ctx, uint16_t port, unsigned size, uint32_t val);
    /* A system register is about to change to the value in *next (architectural checks already
     * passed): the monitor may refuse with an exception or accept (and then act on it, e.g. drop
     * shadow page tables on a CR3 write). */
    int (*sys_write)(void *ctx, enum emu_sys what, const struct vcpu *next, struct emu_exc *exc);
    void (*invlpg)(void *ctx, uint32_t linear);
    void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
    uint64_t (*rdtsc)(void *ctx);
    int (*rdmsr)(void *ctx, uint32_t msr, uint64_t *val, struct emu_exc *exc);
    int (*wrmsr)(void *ctx, uint32_t msr, uint64_t val, struct emu_exc *exc);
};

/* Execute the instruction at CS:EIP. A REP string instruction runs at most rep_budget elements
 * (at least one) and leaves EIP on itself if it has more to do. */
int emu_step(struct vcpu *cpu, const struct emu_ops *ops, void *ctx, unsigned rep_budget,
             struct emu_exc *exc);

/* Deliver an exception, software interrupt or external interrupt to the guest as the CPU does in
 * the vCPU's current mode: through the IDT's interrupt, trap and task gates in protected mode
 * (virtual-8086 mode included), through the IVT at IDTR.base in real mode. ext is 1 for an
 * external interrupt or an exception (it sets EXT in the error codes of faults raised during
 * delivery), 0 for INT n/INT3/INTO/INT1. The frame holds cpu->eip and cpu->eflags as given (a
 * caller that wants RF=1 in a fault's EFLAGS image sets it first). For a #PF (soft 0), CR2 is set
 * from exc->cr2 here. A fault during delivery is handled as the CPU does: after a contributory
 * exception or #PF it becomes #DF (error 0), after a benign event it is delivered in its place,
 * and a fault while delivering #DF is a triple fault. Results: EMU_OK (the vCPU is at the
 * handler, the frame pushed, the interrupt shadow cleared), EMU_SHUTDOWN (vCPU unchanged),
 * EMU_REDIRECT (an op asked to leave: nothing changed, deliver again later). */
int emu_deliver(struct vcpu *cpu, const struct emu_ops *ops, void *ctx, const struct emu_exc *exc,
                int ext);

#endif
