/* Exceptions raised in ring 0 with their vectors, error codes and return addresses (#DE, #UD,
   #GP with selector error codes, #NP, #SS, #BP from INT3 and INT 3, INTO, BOUND), and software
   interrupts INT n to the guest's own interrupt and trap gates, with the frame they push. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"
#include <stdio.h>

const char guest_name[] = "exceptions";

static void fault_tests(void)
{
    trap_reset();
    asm volatile("xorl %%edx, %%edx\n\t" PROBE_SITE("divl %0") : : "r"(0), "a"(7) : "edx");
    trap_expect("DIV by zero raises #DE", 0, 0, 0);
    trap_reset();
    asm volatile("cltd\n\t" PROBE_SITE("idivl %0") : : "r"(-1), "a"(0x80000000) : "edx");
    trap_expect("IDIV overflow raises #DE", 0, 0, 0);

    trap_reset();
    asm volatile(PROBE_SITE("ud2"));
    trap_expect("UD2 raises #UD", 6, 0, 0);
    trap_reset();
    asm volatile(PROBE_SITE(".byte 0xf0, 0x90"));
    trap_expect("LOCK NOP raises #UD", 6, 0, 0);

    static const struct {
        uint16_t sel;
        const char *what;
    } bad_ds[] = {
        {0x1000, "beyond the GDT limit"},
        {SEL_XO_CODE, "execute-only code"},
        {SEL_TSS, "a TSS"},
        {SEL_CALLGATE, "a call gate"},
        {SEL_LDT_DATA, "an LDT entry with no LDT loaded"},
    };
    for (unsigned i = 0; i < sizeof bad_ds / sizeof bad_ds[0]; i++) {
        char what[80];
        sniprintf(what, sizeof what, "MOV DS with %s raises #GP(selector)", bad_ds[i].what);
        trap_reset();
        asm volatile(PROBE_SITE("movw %w0, %%ds") : : "r"(bad_ds[i].sel));
        trap_expect(what, 13, bad_ds[i].sel & 0xfffc, 0);
    }
    trap_reset();
    asm volatile(PROBE_SITE("movw %w0, %%ss") : : "r"(SEL_DPL1 | 1));
    trap_expect("MOV SS with a DPL 1 segment in ring 0 raises #GP(selector)", 13, SEL_DPL1, 0);
    trap_reset();
    asm volatile(PROBE_SITE("movw %w0, %%ss") : : "r"(0));
    trap_expect("MOV SS with the null selector raises #GP(0)", 13, 0, 0);

    trap_reset();
    asm volatile(PROBE_SITE("movw %w0, %%ds") : : "r"(SEL_NP_DATA));
    trap_expect("MOV DS with a not-present segment raises #NP(selector)", 11, SEL_NP_DATA, 0);
    trap_reset();
    asm volatile(PROBE_SITE("movw %w0, %%ss") : : "r"(SEL_NP_DATA));
    trap_expect("MOV SS with a not-present segment raises #SS(selector)", 12, SEL_NP_DATA, 0);

    idt[0x60] = desc_gate(SEL_KCODE, 0, GATE_INTR & 0x7f);
    trap_reset();
    asm volatile(PROBE_SITE("int $0x60"));
    trap_expect("INT to a not-present gate raises #NP(vector*8+2)", 11, 0x60 * 8 + 2, 0);
    idt_clear(0x60);

    trap_reset();
    asm volatile("pushfl\n\t"
                 "pushl $0\n\t"
                 "pushl $0\n\t" PROBE_SITE("iretl") "addl $12, %%esp"
                 :
                 :
                 : "memory");
    trap_expect("IRET to the null selector raises #GP(0)", 13, 0, 0);

    uint32_t ds;
    asm volatile("movl %%ds, %0" : "=r"(ds));
    check(ds == SEL_KDATA, "DS unchanged by the faulting loads");
}

static void trap_tests(void)
{
    trap_reset();
    asm volatile(PROBE_SITE("int3"));
    trap_expect("INT3 raises #BP after the instruction", 3, 0, 1);
    trap_reset();
    asm volatile(PROBE_SITE(".byte 0xcd, 0x03"));
    trap_expect("INT 3 (CD 03) raises #BP after the instruction", 3, 0, 2);

    trap_reset();
    asm volatile("movl $0x7fffffff, %%eax\n\t"
                 "addl $1, %%eax\n\t" PROBE_SITE("into")
                 :
                 :
                 : "eax", "cc");
    trap_expect("INTO with OF set raises #OF after the instruction", 4, 0, 1);
    trap_reset();
    asm volatile("xorl %%eax, %%eax\n\t"
                 "into"
                 :
                 :
                 : "eax", "cc");
    check(trap_last.count == 0, "INTO with OF clear does nothing");

    static const int32_t bounds[2] = {10, 20};
    trap_reset();
    asm volatile(PROBE_SITE("boundl %0, %1") : : "r"(21), "m"(bounds));
    trap_expect("BOUND above the upper bound raises #BR", 5, 0, 0);
    trap_reset();
    asm volatile(PROBE_SITE("boundl %0, %1") : : "r"(9), "m"(bounds));
    trap_expect("BOUND below the lower bound raises #BR", 5, 0, 0);
    trap_reset();
    asm volatile("boundl %0, %1" : : "r"(15), "m"(bounds));
    check(trap_last.count == 0, "BOUND within bounds does nothing");
}

static volatile struct {
    unsigned hits;
    uint32_t eflags_inside, frame_eip, frame_cs, frame_eflags, frame_addr;
} soft;

static void soft_handler(struct trap_frame *f)
{
    soft.hits++;
    soft.eflags_inside = read_eflags();
    soft.frame_eip = f->eip;
    soft.frame_cs = f->cs & 0xffff;
    soft.frame_eflags = f->eflags;
    soft.frame_addr = (uint32_t)&f->eip;
    f->eax += 0x100;
}

static void soft_interrupt_tests(void)
{
    idt_set(0x40, GATE_INTR);
    idt_set(0x41, GATE_TRAP);
    trap_set_handler(0x40, soft_handler);
    trap_set_handler(0x41, soft_handler);

    uint32_t eax = 1, ret, esp;
    sti();
    asm volatile("movl %%esp, %2\n\t"
                 "int $0x40\n"
                 "1:\n\t"
                 "movl $1b, %1"
                 : "+a"(eax), "=r"(ret), "=r"(esp)
                 :
                 : "memory");
    uint32_t after = read_eflags();
    cli();
    check(soft.hits == 1, "INT 0x40 reaches the guest's handler");
    check(eax == 0x101, "the handler's change to EAX is seen after IRET");
    check(soft.frame_eip == ret, "the frame's EIP is the instruction after INT");
    check(soft.frame_cs == SEL_KCODE, "the frame's CS is %#lx", (unsigned long)soft.frame_cs);
    check(soft.frame_addr == esp - 12, "ring 0 INT pushes EFLAGS, CS, EIP on the same stack");
    check(!(soft.eflags_inside & EFLAGS_IF), "interrupt gate clears IF in the handler");
    check(soft.frame_eflags & EFLAGS_IF, "the frame holds IF as it was (set)");
    check(after & EFLAGS_IF, "IRET restores IF");

    sti();
    asm volatile("int $0x41" : "+a"(eax) : : "memory");
    cli();
    check(soft.hits == 2 && eax == 0x201, "INT 0x41 reaches the guest's trap gate handler");
    check(soft.eflags_inside & EFLAGS_IF, "trap gate leaves IF set in the handler");

    asm volatile("int $0x40" : "+a"(eax) : : "memory");
    check(soft.hits == 3 && !(soft.frame_eflags & EFLAGS_IF),
          "INT with IF clear: the frame holds IF clear");

    trap_set_handler(0x40, 0);
    trap_set_handler(0x41, 0);
    idt_clear(0x40);
    idt_clear(0x41);
}

void guest_main(void)
{
    fault_tests();
    trap_tests();
    soft_interrupt_tests();
}
