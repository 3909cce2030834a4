/* Ring 0 to ring 3 and back: IRET into ring 3, returns through DPL 3 interrupt and trap gates and
   a call gate with the TSS stack switch (including a moved TSS.ESP0), faults raised in ring 3 and
   handled in ring 0, privileged instructions faulting in ring 3, POPF in ring 3 unable to change
   IF and IOPL, port access from ring 3 with IOPL 3, and IRET to ring 3 nulling DPL 0 data
   segment registers. Ring 3 code only computes; ring 0 prints. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/ring.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"
#include <stdio.h>

const char guest_name[] = "rings";

static uint32_t user_add(uint32_t x)
{
    return x + 1;
}

static uint32_t user_selectors(uint32_t unused)
{
    uint32_t cs, ss, ds;
    asm volatile("movl %%cs, %0; movl %%ss, %1; movl %%ds, %2" : "=r"(cs), "=r"(ss), "=r"(ds));
    return cs | ss << 8 | ds << 16;
}

static uint32_t user_flags(uint32_t unused)
{
    return read_eflags();
}

/* POPF in ring 3 with IOPL 0: IF and IOPL changes are ignored without a fault. */
static uint32_t user_popf(uint32_t unused)
{
    uint32_t f = read_eflags();
    write_eflags((f & ~EFLAGS_IF) | EFLAGS_IOPL);
    return read_eflags();
}

/* Ring 3 routines: each runs one instruction that must fault with #GP(0) at CPL 3, IOPL 0. */
#define USER_PROBE(name, insn)                                                                     \
    asm(".text\n" #name ":\n\t" PROBE_SITE(insn) "ret\n");                                         \
    extern char name[];
USER_PROBE(user_cli, "cli")
USER_PROBE(user_sti, "sti")
USER_PROBE(user_hlt, "hlt")
USER_PROBE(user_in, "inb $0x80, %al")
USER_PROBE(user_out, "outb %al, $0x80")
USER_PROBE(user_rdcr0, "movl %cr0, %eax")
USER_PROBE(user_wrcr3, "movl %eax, %cr3")
USER_PROBE(user_rddr7, "movl %db7, %eax")
USER_PROBE(user_lgdt, "lgdt (%esp)")
USER_PROBE(user_lidt, "lidt (%esp)")
USER_PROBE(user_lldt, "lldt %ax")
USER_PROBE(user_ltr, "ltr %ax")
USER_PROBE(user_lmsw, "lmsw %ax")
USER_PROBE(user_clts, "clts")
USER_PROBE(user_invlpg, "invlpg (%esp)")
USER_PROBE(user_wbinvd, "wbinvd")
USER_PROBE(user_rdmsr, "rdmsr")
USER_PROBE(user_rdtsc, "rdtsc")
USER_PROBE(user_int40, "int $0x40")
USER_PROBE(user_int3, "int3")
USER_PROBE(user_ud2, "ud2")

static void privileged_in_ring3(void)
{
    static const struct {
        char *fn;
        const char *what;
    } probes[] = {
        {user_cli, "CLI"},          {user_sti, "STI"},
        {user_hlt, "HLT"},          {user_in, "IN"},
        {user_out, "OUT"},          {user_rdcr0, "MOV from CR0"},
        {user_wrcr3, "MOV to CR3"}, {user_rddr7, "MOV from DR7"},
        {user_lgdt, "LGDT"},        {user_lidt, "LIDT"},
        {user_lldt, "LLDT"},        {user_ltr, "LTR"},
        {user_lmsw, "LMSW"},        {user_clts, "CLTS"},
        {user_invlpg, "INVLPG"},    {user_wbinvd, "WBINVD"},
        {user_rdmsr, "RDMSR"},
    };
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        char what[64];
        sniprintf(what, sizeof what, "%s in ring 3 raises #GP(0)", probes[i].what);
        trap_reset();
        ring3_call((ring3_fn)probes[i].fn, 0);
        trap_expect(what, 13, 0, 0);
        check(trap_last.outer_ss == SEL_UDATA, "... taken from ring 3 (SS %#lx)",
              (unsigned long)trap_last.outer_ss);
    }

    uint32_t cr4;
    asm volatile("movl %%cr4, %0" : "=r"(cr4));
    asm volatile("movl %0, %%cr4" : : "r"(cr4 | 4));
    trap_reset();
    ring3_call((ring3_fn)user_rdtsc, 0);
    trap_expect("RDTSC in ring 3 with CR4.TSD raises #GP(0)", 13, 0, 0);
    asm volatile("movl %0, %%cr4" : : "r"(cr4));
    trap_reset();
    ring3_call((ring3_fn)user_rdtsc, 0);
    check(trap_last.count == 0, "RDTSC in ring 3 without CR4.TSD runs");

    idt_set(0x40, GATE_INTR);
    trap_reset();
    ring3_call((ring3_fn)user_int40, 0);
    trap_expect("INT 0x40 through a DPL 0 gate from ring 3 raises #GP(vector*8+2)", 13,
                0x40 * 8 + 2, 0);
    idt_clear(0x40);

    trap_reset();
    ring3_call((ring3_fn)user_int3, 0);
    trap_expect("INT3 in ring 3 reaches vector 3 through its DPL 3 gate", 3, 0, 1);
    check(trap_last.cs == SEL_UCODE && trap_last.outer_ss == SEL_UDATA,
          "... with the ring 3 CS %#lx and SS %#lx in the frame", (unsigned long)trap_last.cs,
          (unsigned long)trap_last.outer_ss);
    trap_reset();
    ring3_call((ring3_fn)user_ud2, 0);
    trap_expect("UD2 in ring 3 raises #UD", 6, 0, 0);
}

static volatile struct {
    unsigned hits;
    uint32_t cs, ss, frame_addr;
} gate;

static void gate_handler(struct trap_frame *f)
{
    gate.hits++;
    gate.cs = f->cs & 0xffff;
    gate.ss = f->outer_ss & 0xffff;
    gate.frame_addr = (uint32_t)&f->eip;
    f->eax *= 2;
    if (f->vector == 0x42)
        f->ds = f->es = SEL_KDATA;
}

static uint32_t user_int41(uint32_t x)
{
    uint32_t r = x;
    asm volatile("int $0x41" : "+a"(r) : : "memory");
    return r;
}

asm(".text\n"
    "user_ds_null:\n\t"
    "int $0x42\n\t"
    "movl %ds, %eax\n\t"
    "movl %es, %edx\n\t"
    "movw $0x23, %cx\n\t"
    "movw %cx, %ds\n\t"
    "movw %cx, %es\n\t"
    "shll $16, %edx\n\t"
    "orl %edx, %eax\n\t"
    "ret\n");
extern char user_ds_null[];

static volatile uint32_t callgate_cs, callgate_esp, cs_after_gate;

static uint32_t user_callgate(uint32_t unused)
{
    uint32_t cs, esp, cs3;
    asm volatile("lcall %3, $0\n\t"
                 "movl %%cs, %2"
                 : "=a"(cs), "=d"(esp), "=r"(cs3)
                 : "i"(SEL_CALLGATE)
                 : "memory");
    callgate_cs = cs;
    callgate_esp = esp;
    cs_after_gate = cs3;
    return 0;
}

static uint8_t alt_ring0_stack[4096] __attribute__((aligned(16)));

static void ring_switch_tests(void)
{
    sti();
    uint32_t r = ring3_call(user_add, 41);
    check(r == 42, "ring 3 code runs and returns through the gate (%lu)", (unsigned long)r);
    check(ring3_exit.cs == SEL_UCODE && ring3_exit.ss == SEL_UDATA,
          "return gate frame: CS %#lx SS %#lx", (unsigned long)ring3_exit.cs,
          (unsigned long)ring3_exit.ss);
    check(ring3_exit.esp_at_gate == RING0_STACK_TOP - 20,
          "the gate switched to TSS.ESP0 and pushed SS, ESP, EFLAGS, CS, EIP");
    check(ring3_exit.esp == (uint32_t)user_stack + USER_STACK_SIZE - 4,
          "the frame holds the ring 3 stack pointer");

    uint32_t sels = ring3_call(user_selectors, 0);
    check(sels == (SEL_UCODE | SEL_UDATA << 8 | SEL_UDATA << 16),
          "ring 3 reads CS %#lx SS %#lx DS %#lx", (unsigned long)(sels & 0xff),
          (unsigned long)((sels >> 8) & 0xff), (unsigned long)(sels >> 16));

    uint32_t f = ring3_call(user_flags, 0);
    check((f & (EFLAGS_IF | EFLAGS_IOPL)) == EFLAGS_IF, "ring 3 sees IF set and IOPL 0");
    f = ring3_call(user_popf, 0);
    check((f & (EFLAGS_IF | EFLAGS_IOPL)) == EFLAGS_IF,
          "POPF in ring 3 changes neither IF nor IOPL (%#lx)",
          (unsigned long)(f & (EFLAGS_IF | EFLAGS_IOPL)));
    check(read_eflags() & EFLAGS_IF, "IF still set back in ring 0");

    idt_set(0x41, GATE_TRAP_USER);
    idt_set(0x42, GATE_INTR_USER);
    trap_set_handler(0x41, gate_handler);
    trap_set_handler(0x42, gate_handler);
    r = ring3_call(user_int41, 21);
    check(gate.hits == 1 && r == 42, "INT 0x41 from ring 3 through a DPL 3 trap gate");
    check(gate.cs == SEL_UCODE && gate.ss == SEL_UDATA, "... frame CS %#lx SS %#lx",
          (unsigned long)gate.cs, (unsigned long)gate.ss);
    check(gate.frame_addr == RING0_STACK_TOP - 20, "... on the TSS.ESP0 stack");

    guest_tss.esp0 = (uint32_t)alt_ring0_stack + sizeof alt_ring0_stack;
    r = ring3_call(user_int41, 5);
    check(gate.hits == 2 && r == 10 &&
              gate.frame_addr == (uint32_t)alt_ring0_stack + sizeof alt_ring0_stack - 20,
          "after TSS.ESP0 moves, the next entry from ring 3 uses the new stack");
    check(ring3_exit.esp_at_gate == (uint32_t)alt_ring0_stack + sizeof alt_ring0_stack - 20,
          "... and so does the return gate");
    guest_tss.esp0 = RING0_STACK_TOP;

    r = ring3_call((ring3_fn)user_ds_null, 0);
    check(r == 0, "IRET to ring 3 nulls DS and ES holding DPL 0 selectors (%#lx)",
          (unsigned long)r);

    trap_set_handler(0x41, 0);
    trap_set_handler(0x42, 0);
    idt_clear(0x41);
    idt_clear(0x42);

    ring3_call(user_callgate, 0);
    check(callgate_cs == SEL_KCODE, "call gate from ring 3 runs in ring 0 (CS %#lx)",
          (unsigned long)callgate_cs);
    check(callgate_esp == RING0_STACK_TOP - 16, "... on TSS.ESP0 with SS, ESP, CS, EIP pushed");
    check(cs_after_gate == SEL_UCODE, "far RET brings it back to ring 3 (CS %#lx)",
          (unsigned long)cs_after_gate);
    cli();
}

static uint32_t user_iopl3(uint32_t unused)
{
    uint8_t v;
    asm volatile("cli\n\t"
                 "sti\n\t"
                 "outb %%al, $0x80\n\t"
                 "inb $0x80, %%al"
                 : "=a"(v)
                 :
                 : "memory");
    return v;
}

static void iopl_tests(void)
{
    uint32_t f = read_eflags();
    write_eflags(f | EFLAGS_IOPL | EFLAGS_IF);
    trap_reset();
    ring3_call(user_iopl3, 0);
    check(trap_last.count == 0, "with IOPL 3, CLI, STI, OUT and IN run in ring 3");
    write_eflags(f);
}

void guest_main(void)
{
    ring_switch_tests();
    /* A guest kernel runs ring 3 with interrupts enabled; so do these probes. */
    sti();
    privileged_in_ring3();
    cli();
    iopl_tests();
}
