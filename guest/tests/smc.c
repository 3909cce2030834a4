/* Self-modifying code: code in a data buffer written, run, rewritten and run again (including
   sensitive instructions), code in .text patched after it ran, a store into the very next
   instruction, a guest INT3 patched in and out, and a patched branch into code never run. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"
#include <string.h>

const char guest_name[] = "smc";

extern uint32_t smc_imm(void);
extern uint8_t smc_imm_field[];
extern uint32_t smc_next(uint32_t v);
extern uint32_t smc_trap(void);
extern uint8_t smc_trap_site[];
extern uint32_t smc_branch(void);

static uint8_t buf[64] __attribute__((aligned(16)));

typedef uint32_t (*code_fn)(void);

static uint32_t run_buf(void)
{
    return ((code_fn)(uintptr_t)buf)();
}

static void emit(const uint8_t *code, unsigned n)
{
    memcpy(buf, code, n);
}

static void buffer_tests(void)
{
    uint32_t sum = 0;
    bool all = true;
    for (uint32_t i = 1; i <= 8; i++) {
        uint32_t imm = i * 0x01010101u;
        uint8_t code[] = {0xb8, imm, imm >> 8, imm >> 16, imm >> 24, 0xc3}; /* mov eax, imm; ret */
        emit(code, sizeof code);
        uint32_t r = run_buf();
        all = all && r == imm;
        sum += r;
    }
    check(all, "8 rewrites of a MOV immediate in a buffer each run as written (sum %#lx)",
          (unsigned long)sum);

    static const uint8_t pushf_pop[] = {0x9c, 0x58, 0xc3}; /* pushf; pop eax; ret */
    emit(pushf_pop, sizeof pushf_pop);
    sti();
    uint32_t f1 = run_buf();
    cli();
    uint32_t f0 = run_buf();
    check((f1 & EFLAGS_IF) && !(f0 & EFLAGS_IF), "PUSHF written into a buffer shows IF");

    static const uint8_t mov_cs[] = {0x8c, 0xc8, 0xc3}; /* mov eax, cs; ret */
    emit(mov_cs, sizeof mov_cs);
    uint32_t cs = run_buf() & 0xffff;
    check(cs == SEL_KCODE, "MOV from CS written over it reads %#lx", (unsigned long)cs);

    static const uint8_t sti_ret[] = {0xfb, 0xc3}; /* sti; ret */
    emit(sti_ret, sizeof sti_ret);
    run_buf();
    uint32_t f = read_eflags();
    cli();
    check(f & EFLAGS_IF, "STI written over it sets IF");

    static const uint8_t copy_src[] = {0x31, 0xc0, 0x40, 0x40, 0x40, 0xc3}; /* eax = 3 */
    asm volatile("rep movsb"
                 : "=D"((uint32_t){0}), "=S"((uint32_t){0}), "=c"((uint32_t){0})
                 : "D"(buf), "S"(copy_src), "c"(sizeof copy_src)
                 : "memory");
    check(run_buf() == 3, "code copied with REP MOVSB runs");
}

static volatile unsigned bp_hits;
static volatile uint32_t bp_eip;

static void bp_handler(struct trap_frame *f)
{
    bp_hits++;
    bp_eip = f->eip;
}

static void text_tests(void)
{
    uint32_t a = smc_imm();
    uint32_t v = 0x22222222;
    memcpy(smc_imm_field, &v, 4);
    uint32_t b = smc_imm();
    check(a == 0x11111111 && b == 0x22222222, "a function in .text patched after it ran (%#lx)",
          (unsigned long)b);

    uint32_t n1 = smc_next(0x33333333), n2 = smc_next(0x44444444);
    check(n1 == 0x33333333 && n2 == 0x44444444, "a store into the next instruction is seen (%#lx)",
          (unsigned long)n2);

    trap_reset();
    uint32_t r = smc_trap();
    check(r == 7 && trap_last.count == 0, "the unpatched NOP runs");
    smc_trap_site[0] = 0xcc;
    trap_set_handler(3, bp_handler);
    r = smc_trap();
    check(r == 7 && bp_hits == 1 && bp_eip == (uint32_t)smc_trap_site + 1,
          "an INT3 patched in reaches the guest's vector 3 (eip site+%lu)",
          (unsigned long)(bp_eip - (uint32_t)smc_trap_site));
    smc_trap_site[0] = 0x90;
    r = smc_trap();
    check(r == 7 && bp_hits == 1, "patched back to NOP, it no longer traps");
    trap_set_handler(3, 0);

    check(smc_branch() == 1, "the function returns 1 before the patch");
    uint8_t *p = (uint8_t *)smc_branch;
    p[0] = 0xeb; /* jmp short over "mov eax, 1; ret" (5 + 1 bytes) */
    p[1] = 4;
    check(smc_branch() == 2, "a patched branch lands in code never run before");
}

void guest_main(void)
{
    buffer_tests();
    text_tests();
}
