/* emu-fuzz's native side: runs one instruction on the real CPU inside this 32-bit process. The
 * bytes sit in an INT3-filled code area; an entry stub loads DS/ES/FS, EFLAGS and every general
 * register (ESP included) from the control block and jumps to them; the run ends in a signal
 * handler on an alternate stack, either at the INT3 after the instruction (completion) or at the
 * instruction's own exception, and the handler's machine context is the outcome. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "tests/host/emu-fuzz.h"

#define STR_(x)   #x
#define STR(x)    STR_(x)
#define CTRL(off) "%%ss:" STR(FZ_CTRL) "+" #off

/* Control block layout (offsets used by the entry stub). */
struct ctrl {
    uint32_t gpr[8];  /* 0 */
    uint32_t eflags;  /* 32 */
    uint32_t eip;     /* 36 */
    uint16_t ds, es;  /* 40, 42 */
    uint16_t fs, pad; /* 44 */
    uint32_t stack;   /* 48: the stub's own stack for POPF */
};
_Static_assert(__builtin_offsetof(struct ctrl, stack) == 48, "stub offsets");

static sigjmp_buf jb;
static struct fz_outcome *outcome;

static void __attribute__((noreturn, noinline)) enter(void)
{
    asm volatile(
        "movw " CTRL(
            40) ", %%ax\n\tmovw %%ax, %%ds\n\t"
                "movw " CTRL(
                    42) ", %%ax\n\tmovw %%ax, %%es\n\t"
                        "movw " CTRL(
                            44) ", %%ax\n\tmovw %%ax, %%fs\n\t"
                                "movl " CTRL(48) ", %%esp\n\tpushl " CTRL(
                                    32) "\n\tpopfl\n\t"
                                        "movl " CTRL(0) ", %%eax\n\tmovl " CTRL(
                                            4) ", %%ecx\n\t"
                                               "movl " CTRL(8) ", %%edx\n\tmovl " CTRL(
                                                   12) ", %%ebx\n\t"
                                                       "movl " CTRL(20) ", %%ebp\n\tmovl " CTRL(
                                                           24) ", %%esi\n\t"
                                                               "movl " CTRL(28) ", "
                                                                                "%%"
                                                                                "edi\n\tmovl " CTRL(
                                                                                    16) ", "
                                                                                        "%%esp\n\t"
                                                                                        "jmp "
                                                                                        "*" CTRL(36)
        :
        :
        : "memory");
    __builtin_unreachable();
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    struct fz_state *st = &outcome->st;
    static const int regs[8] = {REG_EAX,  REG_ECX, REG_EDX, REG_EBX,
                                REG_UESP, REG_EBP, REG_ESI, REG_EDI};
    for (int i = 0; i < 8; i++)
        st->gpr[i] = g[regs[i]];
    st->eip = g[REG_EIP];
    st->eflags = g[REG_EFL];
    st->sreg[S_ES] = g[REG_ES];
    st->sreg[S_CS] = g[REG_CS];
    st->sreg[S_SS] = g[REG_SS];
    st->sreg[S_DS] = g[REG_DS];
    st->sreg[S_FS] = g[REG_FS];
    st->sreg[S_GS] = g[REG_GS];
    outcome->vector = g[REG_TRAPNO];
    outcome->error = g[REG_ERR];
    outcome->cr2 = uc->uc_mcontext.cr2;
    /* INT3 after the instruction: completion (EIP back on the INT3); a single-step trap after
     * an instruction that set TF is completion too. */
    outcome->fault = !(outcome->vector == EXC_BP || outcome->vector == EXC_DB);
    if (outcome->vector == EXC_BP)
        st->eip -= 1;
    siglongjmp(jb, 1);
}

static void *map_fixed(uint32_t addr, uint32_t size, int prot)
{
    void *p =
        mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)addr) {
        fprintf(stderr, "emu-fuzz: cannot map %#x\n", addr);
        exit(2);
    }
    return p;
}

void native_init(void)
{
    map_fixed(FZ_SCR - 0x1000, FZ_SCR_SIZE + 0x2000, PROT_NONE);
    mprotect((void *)FZ_SCR, FZ_SCR_SIZE, PROT_READ | PROT_WRITE);
    map_fixed(FZ_CODE - 0x1000, FZ_CODE_SIZE + 0x2000, PROT_NONE);
    mprotect((void *)FZ_CODE, FZ_CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
    memset((void *)FZ_CODE, 0xcc, FZ_CODE_SIZE);
    map_fixed(FZ_SYS, 0x1000, PROT_READ | PROT_WRITE);
    map_fixed(FZ_CTRL, 0x1000, PROT_READ | PROT_WRITE);

    struct user_desc d = {.entry_number = 0,
                          .base_addr = FZ_SCR,
                          .limit = FZ_SCR_SIZE - 1,
                          .seg_32bit = 1,
                          .contents = 0,
                          .read_exec_only = 0,
                          .limit_in_pages = 0,
                          .seg_not_present = 0,
                          .useable = 0};
    if (syscall(SYS_modify_ldt, 1, &d, sizeof d) != 0) {
        perror("emu-fuzz: modify_ldt");
        exit(2);
    }
    stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

void native_run(const struct fz_state *in, struct fz_outcome *out)
{
    struct ctrl *c = (struct ctrl *)FZ_CTRL;
    memcpy(c->gpr, in->gpr, sizeof c->gpr);
    c->eflags = in->eflags;
    c->eip = in->eip;
    c->ds = in->sreg[S_DS];
    c->es = in->sreg[S_ES];
    c->fs = in->sreg[S_FS];
    c->stack = FZ_CTRL + 0x1000;
    uint16_t fs;
    asm volatile("movw %%fs, %0" : "=r"(fs));
    outcome = out;
    memset(out, 0, sizeof *out);
    if (sigsetjmp(jb, 1) == 0)
        enter();
    asm volatile("movw %0, %%fs" : : "r"(fs));
}
