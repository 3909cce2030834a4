/* Shared between the emulator's files: the per-instruction context (working copy of the vCPU,
 * decoded instruction, queued memory writes) and the helpers each execution file uses. Not part
 * of the public interface. */
#ifndef NEXUS86_EMU_INT_H
#define NEXUS86_EMU_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/emu/emu.h"
#include "scan/decode.h"

/* Writes wait here until the instruction (or REP element) completes, each piece already
 * translated, so a later fault leaves memory as it was. The widest users: a far CALL through a
 * call gate into an inner ring (SS, ESP, up to 31 parameters, CS, EIP: 35 pushes, 70 pieces when
 * every one straddles a page), ENTER with nesting (up to 33 pushes), PUSHA (16 pieces). */
#define EMU_MAX_WRITES 80

struct emu_wr {
    uint32_t linear;
    struct emu_page pg;
    uint16_t off; /* offset in the page */
    uint8_t size;
    uint8_t data[8];
};

struct emu {
    const struct emu_ops *ops;
    void *ctx;
    struct vcpu *cpu; /* the committed state */
    struct vcpu w;    /* working copy, committed on success */
    struct emu_exc *exc;
    struct x86_insn in;
    uint32_t next_eip; /* EIP of the following instruction */
    bool commit_fault; /* a fault now is raised after committing (in a task switch's new task) */
    unsigned nwr;
    struct emu_wr wr[EMU_MAX_WRITES];
};

/* emu.c: start working on a copy of cpu (exc cleared, no queued writes); commit the copy and
 * the queued writes. */
void emu_begin(struct emu *e, struct vcpu *cpu, const struct emu_ops *ops, void *ctx,
               struct emu_exc *exc);
void emu_commit(struct emu *e);

/* Results of the internal steps: EMU_OK, EMU_EXCEPTION, EMU_REDIRECT. */
int emu_raise(struct emu *e, unsigned vector, uint32_t error);
int emu_raise_noerr(struct emu *e, unsigned vector);
#define GP0(e) emu_raise(e, EXC_GP, 0)
#define UD(e)  emu_raise_noerr(e, EXC_UD)

/* mem.c: linear memory through the ops, split at page boundaries. */
int mem_lin_read(struct emu *e, uint32_t lin, void *buf, unsigned size, unsigned acc);
int mem_lin_write(struct emu *e, uint32_t lin, const void *buf, unsigned size, unsigned acc);
int mem_lin_check(struct emu *e, uint32_t lin, unsigned size, unsigned acc);
void mem_commit(struct emu *e);

/* seg.c: segmentation (limit and type checks) then linear memory. */
unsigned emu_user_acc(struct emu *e);
int seg_linear(struct emu *e, unsigned sreg, uint32_t off, unsigned size, bool write,
               uint32_t *lin);
/* #AC(0) for a misaligned access (to its size, 8 at most) when CR0.AM, EFLAGS.AC and CPL 3, after
 * the access's page checks; the data accesses below apply it. */
int seg_align_check(struct emu *e, uint32_t lin, unsigned size, unsigned acc);
int seg_read(struct emu *e, unsigned sreg, uint32_t off, void *buf, unsigned size);
int seg_write(struct emu *e, unsigned sreg, uint32_t off, const void *buf, unsigned size);
int seg_check_write(struct emu *e, unsigned sreg, uint32_t off, unsigned size);
/* Reads the descriptor for sel (GDT or LDT); past the table's limit (or through a null LDTR) it
 * raises vec with the selector's error code, ext in bit 0. */
int seg_read_desc(struct emu *e, uint16_t sel, uint32_t d[2], unsigned vec, unsigned ext);
void seg_from_desc(struct vcpu_seg *s, uint16_t sel, const uint32_t d[2]);
/* Loads a data or stack segment register with the protected-mode checks (MOV/POP Sreg, LxS). */
int seg_load(struct emu *e, unsigned sreg, uint16_t sel);

/* operand.c: register, memory and stack access used by every execution file. */
uint32_t reg_get(struct emu *e, unsigned reg, unsigned size);
void reg_set(struct emu *e, unsigned reg, unsigned size, uint32_t val);
uint32_t ea_offset(struct emu *e, const struct x86_mem *m);
int opnd_read(struct emu *e, const struct x86_operand *o, uint32_t *val);
int opnd_write(struct emu *e, const struct x86_operand *o, uint32_t val);
unsigned stack_size(struct emu *e);
int push(struct emu *e, uint32_t val, unsigned size);
int pop(struct emu *e, uint32_t *val, unsigned size);
/* Reads at SS:ESP+delta without moving ESP. */
int stack_peek(struct emu *e, uint32_t delta, uint32_t *val, unsigned size);
bool cond_true(uint32_t eflags, unsigned cond);
int jump_near(struct emu *e, uint32_t target);

/* privilege.c: SS:ESP of ring dpl from the current TSS with the new-SS checks (#TS/#SS with ext
 * in bit 0 of their error codes); room for n pushes of size bytes on SS:ESP, #SS(ss_err) if it
 * is lacking; the pushes themselves, v[0] first. */
int inner_stack(struct emu *e, unsigned dpl, unsigned ext, struct vcpu_seg *ss, uint32_t *esp);
int frame_room(struct emu *e, unsigned n, unsigned size, uint32_t ss_err);
int frame_push(struct emu *e, const uint32_t *v, unsigned n, unsigned size);

/* task.c: task switches. task_target checks the TSS descriptor a switch goes to (GDT only,
 * available or for IRET busy, present); task_switch saves the current task (EIP eip), switches TR
 * and loads the new task, setting next_eip to its EIP; faults after the point of no return set
 * commit_fault. task_jmp_call serves far JMP/CALL to a TSS or task gate, task_iret IRET with NT. */
enum task_why { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT };
int task_target(struct emu *e, uint16_t sel, uint32_t d[2], bool busy, unsigned ext);
int task_switch(struct emu *e, uint16_t sel, const uint32_t d[2], enum task_why why, uint32_t eip,
                unsigned ext);
int task_jmp_call(struct emu *e, uint16_t sel, const uint32_t d[2], bool call);
int task_iret(struct emu *e);

/* exec-sys.c: #GP(0) unless CPL <= IOPL or the TSS I/O bitmap allows ports port..port+size-1. */
int io_permitted(struct emu *e, uint16_t port, unsigned size);

/* The execution groups; each returns EMU_OK, EMU_EXCEPTION, EMU_REDIRECT or EMU_HALT, or -1 when
 * the operation is not theirs. */
int exec_alu(struct emu *e);
int exec_data(struct emu *e);
int exec_flow(struct emu *e);
int exec_string(struct emu *e, unsigned budget, bool *more);
int exec_sys(struct emu *e);
int exec_far(struct emu *e);

#endif
