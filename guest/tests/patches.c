/* Insert-call stubs (vmethod=nexus): sites the nexus emulates, each followed by plain instructions
   that a patch displaces into the site's stub (guest/tests/patches-code.asm). Every sequence runs
   several times: under nexus86 the first run is handled by ring 0, which patches the site, and the
   later runs go through the stub. The scenarios put in a stub what ring 0 must map back to a
   guest state: timer interrupts, an interrupt pending when POPFD or STI sets IF, a #DE in a
   displaced instruction, MMIO (VGA text memory), the guest's own single steps, and ring 3 running
   through patched kernel code. Natively the same code is plain code, so both transcripts match. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/ring.h"
#include "guest/lib/test.h"
#include "guest/lib/timer.h"
#include "guest/lib/trap.h"
#include <stdio.h>

const char guest_name[] = "patches";

/* Runs of each sequence: the first makes the patch, the rest use the stub. */
#define RUNS        6
#define SPIN_LIMIT  50000000u
#define PIT_DIVISOR 1193 /* IRQ 0 at about 1 kHz */
/* Flags the PUSHFD image checks leave as they found them: the expected images carry them. */
#define KEPT_FLAGS (EFLAGS_TF | EFLAGS_DF | EFLAGS_NT | EFLAGS_AC | EFLAGS_ID)
/* ZF, PF and the always-set bit 1: the arithmetic flags of a zero result. */
#define ZERO_FLAGS 0x46u

extern uint32_t patch_cli_sti(uint32_t a, uint32_t b);
extern uint32_t patch_pushf_popf(uint32_t a);
extern uint32_t patch_pushf_esp(uint32_t out[2]);
extern uint32_t patch_popf_pending(uint32_t flags);
extern uint32_t patch_sti_pending(void);
extern uint32_t patch_div_fault(uint32_t x);
extern uint32_t patch_vga(uint32_t v);
extern uint32_t patch_step(uint32_t tf);
extern void patch_selectors(uint32_t out[9]);
extern uint32_t patch_flags_fn(uint32_t unused);
extern char patch_popf_after[], patch_sti_after[], patch_div_insn[], patch_step_end[];
extern const uint32_t patch_step_trace[8];

static uint32_t rol32(uint32_t v, unsigned n)
{
    return v << n | v >> (32 - n);
}

/* Timer interrupts: the handler counts them and notes where the first one after arm_ticks found
   the guest. */
static volatile unsigned ticks, ticks_since_arm;
static volatile uint32_t first_eip, first_ecx;

static void timer_handler(struct trap_frame *f)
{
    if (ticks_since_arm++ == 0) {
        first_eip = f->eip;
        first_ecx = f->ecx;
    }
    ticks++;
    pic_eoi(0);
}

static void arm_ticks(void)
{
    ticks_since_arm = 0;
    first_eip = first_ecx = 0;
}

static void timer_on(void)
{
    idt_set(PIC_VECTOR_BASE, GATE_INTR);
    trap_set_handler(PIC_VECTOR_BASE, timer_handler);
    pit_periodic(PIT_DIVISOR);
    pic_set_mask(0xfffe);
}

static void timer_off(void)
{
    pic_set_mask(0xffff);
    trap_set_handler(PIC_VECTOR_BASE, 0);
    idt_clear(PIC_VECTOR_BASE);
}

/* CLI/STI and PUSHFD/POPFD sequences in a loop while IRQ 0 fires. */
static void interrupts_in_stubs(void)
{
    timer_on();
    unsigned bad = 0, i;
    ticks = 0;
    sti();
    for (i = 0; i < SPIN_LIMIT && (i < 1000 || ticks < 10); i++) {
        uint32_t a = i * 0x9e3779b9u, b = i;
        if (patch_cli_sti(a, b) != ((((a + b) * 3 + 5) ^ 0x5a) * 3 + 0x1234))
            bad++;
        if (patch_pushf_popf(a) != ~(rol32(a - 7, 5) ^ 0x3c3c3c3cu) + 0x100)
            bad++;
        if (!(read_eflags() & EFLAGS_IF))
            bad++;
    }
    cli();
    timer_off();
    check(bad == 0, "CLI/STI and PUSHFD/POPFD sequences: every result right, IF set after each");
    check(ticks >= 10, "IRQ 0 taken while they ran (ticks seen: %s)", ticks >= 10 ? "yes" : "no");
}

/* PUSHFD followed by displaced instructions that use ESP. */
static void pushf_image(void)
{
    static const struct {
        uint32_t set;
        const char *what;
    } cases[] = {
        {0, "IF clear"},
        {EFLAGS_IF, "IF set"},
        {EFLAGS_IOPL, "IOPL 3"},
    };
    uint32_t base = read_eflags() & ~(EFLAGS_IF | EFLAGS_IOPL);
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint32_t expect = (base & KEPT_FLAGS) | ZERO_FLAGS | cases[c].set;
        uint32_t image = 0, out[2] = {0, 0};
        bool ok = true;
        write_eflags(base | cases[c].set);
        for (unsigned r = 0; r < RUNS; r++) {
            image = patch_pushf_esp(out);
            ok = ok && image == expect && out[0] == 4 && out[1] == 0;
        }
        write_eflags(base);
        check(ok, "PUSHFD read through ESP (%s): image %#lx, ESP moved by %lu and back by %lu",
              cases[c].what, (unsigned long)image, (unsigned long)out[0],
              (unsigned long)(out[0] - out[1]));
    }
}

static bool irq0_pending_wait(void)
{
    for (unsigned i = 0; i < SPIN_LIMIT; i++)
        if (pic_read_irr() & 1)
            return true;
    return false;
}

/* POPFD or STI setting IF while IRQ 0 is pending: the handler's return EIP. */
static void pending_at(const char *what, bool popf, const char *after, uint32_t ecx_then)
{
    timer_on();
    bool ok = true;
    uint32_t v = 0, eip = 0, ecx = 0;
    for (unsigned r = 0; r < RUNS; r++) {
        cli();
        bool pending = irq0_pending_wait();
        arm_ticks();
        v = popf ? patch_popf_pending(read_eflags() | EFLAGS_IF) : patch_sti_pending();
        cli();
        eip = first_eip;
        ecx = first_ecx;
        ok = ok && pending && ticks_since_arm > 0 && eip == (uint32_t)after && ecx == ecx_then &&
             v == 0x11111133;
    }
    timer_off();
    check(ok, "%s with IRQ 0 pending: taken at the label%+ld, ECX %#lx, result %#lx", what,
          (long)(eip - (uint32_t)after), (unsigned long)ecx, (unsigned long)v);
}

/* #DE in a displaced instruction. */
static volatile struct {
    unsigned hits;
    uint32_t eip, eax, ecx, edx, ebx, eflags, top, arg;
} de;

static void de_handler(struct trap_frame *f)
{
    /* A trap from ring 0 pushes no ESP: the interrupted stack starts where outer_esp would be. */
    const uint32_t *stack = (const uint32_t *)&f->outer_esp;
    de.hits++;
    de.eip = f->eip;
    de.eax = f->eax;
    de.ecx = f->ecx;
    de.edx = f->edx;
    de.ebx = f->ebx;
    de.eflags = f->eflags;
    de.top = stack[0];
    de.arg = stack[3]; /* above the saved EBX and the return address */
    f->eip += 2;       /* DIV ECX */
}

static void fault_in_stub(void)
{
    trap_set_handler(0, de_handler);
    bool ok = true;
    uint32_t v = 0;
    for (unsigned r = 0; r < RUNS; r++) {
        uint32_t x = 0x1000 * r + 7, if_set = r & 1 ? EFLAGS_IF : 0;
        de.hits = 0;
        if (if_set)
            sti();
        v = patch_div_fault(x);
        cli();
        ok = ok && de.hits == 1 && de.eip == (uint32_t)patch_div_insn && de.eax == x &&
             de.ecx == 0 && de.edx == 0 && de.ebx == 0x600dcafe && de.arg == x &&
             (de.eflags & (0x8d5 | EFLAGS_IF)) == (0x44 | if_set) &&
             (de.top & (0x8d5 | EFLAGS_IF | EFLAGS_IOPL | 2)) == (ZERO_FLAGS | if_set) &&
             v == x + 0x10 + 0x600dcaff;
    }
    trap_set_handler(0, 0);
    check(ok,
          "#DE in the displaced DIV after PUSHFD: EIP at the DIV, registers and stack as "
          "they were, resumed after it (%#lx)",
          (unsigned long)v);
}

/* Displaced instructions that store to and load from VGA text memory. */
static void mmio_in_stub(void)
{
    bool ok = true;
    uint32_t v = 0, got = 0;
    for (unsigned r = 0; r < RUNS; r++) {
        v = 0x07000700u | 'P' | (uint32_t)('0' + r) << 16;
        got = patch_vga(v);
        cli();
        ok = ok && got == v;
    }
    *(volatile uint32_t *)0xb8f00 = 0x07200720u;
    check(ok, "CLI then a store to and a load from VGA text memory: %#lx reads back %#lx",
          (unsigned long)v, (unsigned long)got);
}

/* The guest's own single steps through a patched site and its displaced instructions. */
#define STEP_MAX 16
static volatile unsigned nsteps;
static volatile uint32_t steps[STEP_MAX];

static void db_handler(struct trap_frame *f)
{
    if (nsteps < STEP_MAX)
        steps[nsteps] = f->eip;
    nsteps++;
    if (f->eip == (uint32_t)patch_step_end || nsteps >= STEP_MAX)
        f->eflags &= ~EFLAGS_TF;
}

static void single_steps(void)
{
    trap_set_handler(1, db_handler);
    bool plain_ok = true;
    for (unsigned r = 0; r < RUNS / 2; r++) {
        nsteps = 0;
        uint32_t image = patch_step(0);
        plain_ok = plain_ok && nsteps == 0 && !(image & EFLAGS_TF);
    }
    check(plain_ok, "the stepping sequence without TF: no trap, PUSHFD shows TF clear");

    const unsigned n = sizeof patch_step_trace / sizeof patch_step_trace[0];
    for (unsigned r = 0; r < RUNS / 2; r++) {
        nsteps = 0;
        uint32_t image = patch_step(EFLAGS_TF);
        unsigned same = 0;
        while (same < n && same < nsteps && steps[same] == patch_step_trace[same])
            same++;
        char what[96];
        sniprintf(what, sizeof what, "run %u: %u single steps, %u at the expected EIPs", r, nsteps,
                  same);
        if (!check(nsteps == n && same == n && (image & EFLAGS_TF), "with TF: %s, PUSHFD %s TF",
                   what, image & EFLAGS_TF ? "shows" : "hides")) {
            for (unsigned k = 0; k < nsteps && k < STEP_MAX; k++)
                gprintf("  step %u at %#lx, expected %#lx\n", k, (unsigned long)steps[k],
                        (unsigned long)(k < n ? patch_step_trace[k] : 0));
        }
    }
    trap_set_handler(1, 0);
}

/* Selector and machine status reads with displaced instructions. */
static void selector_reads(void)
{
    uint32_t cr0;
    asm volatile("movl %%cr0, %0" : "=r"(cr0));
    bool ok = true;
    uint32_t out[9] = {0};
    for (unsigned r = 0; r < RUNS; r++) {
        for (unsigned k = 0; k < 9; k++)
            out[k] = 0xdeadbeef;
        patch_selectors(out);
        ok = ok && out[0] == SEL_KCODE && out[1] == (0xffff0000u | SEL_KDATA) &&
             (out[2] & 0xffff) == SEL_KDATA && out[3] == 0x5a5a5a5a && out[4] == SEL_TSS &&
             out[5] == 0 && out[6] == 0x11111111 && (out[7] & 0xffff) == (cr0 & 0xffff) &&
             out[8] == 0x22222222;
    }
    check(ok,
          "MOV CS, MOV CX DS, PUSH SS, STR, SLDT, SMSW with displaced instructions: "
          "%#lx %#lx %#lx, TR %#lx, LDTR %#lx",
          (unsigned long)out[0], (unsigned long)out[1], (unsigned long)(out[2] & 0xffff),
          (unsigned long)out[4], (unsigned long)out[5]);
}

/* Ring 3 running a kernel function whose PUSHFD was patched in ring 0. */
static void ring3_through_patch(void)
{
    const uint32_t view = EFLAGS_IF | EFLAGS_IOPL | 2;
    bool ok = true;
    uint32_t f = 0;
    for (unsigned r = 0; r < RUNS; r++) {
        uint32_t if_set = r & 1 ? EFLAGS_IF : 0;
        if (if_set)
            sti();
        f = patch_flags_fn(0);
        cli();
        ok = ok && (f & view) == (2 | if_set);
    }
    check(ok, "PUSHFD; POP in a kernel function from ring 0: IF as set, IOPL 0");

    ok = true;
    sti();
    for (unsigned r = 0; r < RUNS; r++) {
        f = ring3_call(patch_flags_fn, 0);
        ok = ok && (f & view) == (2 | EFLAGS_IF);
    }
    cli();
    check(ok, "the same function from ring 3: IF %lu, IOPL %lu", (unsigned long)((f >> 9) & 1),
          (unsigned long)((f >> 12) & 3));
}

void guest_main(void)
{
    interrupts_in_stubs();
    pushf_image();
    pending_at("POPFD setting IF", true, patch_popf_after, 0);
    pending_at("STI", false, patch_sti_after, 0x11111111);
    fault_in_stub();
    mmio_in_stub();
    single_steps();
    selector_reads();
    /* Last: the ring-3 case is the one most likely to stop the run under nexus86. */
    ring3_through_patch();
}
