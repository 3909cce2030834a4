/* Sensitive instructions that do not fault in ring 0 but reveal or change privileged state:
   PUSHF/POPF (IF, IOPL, AC, ID), MOV from and PUSH of segment registers, segment loads,
   SGDT/SIDT/SLDT/STR/SMSW, and LAR/LSL/VERR/VERW on the guest's own descriptors. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"
#include <stdio.h>

const char guest_name[] = "sensitive";

#define SYSTEM_FLAGS                                                                               \
    (EFLAGS_TF | EFLAGS_IF | EFLAGS_DF | EFLAGS_IOPL | EFLAGS_NT | EFLAGS_AC | EFLAGS_ID)

static void flags_tests(void)
{
    uint32_t f = read_eflags();
    gprintf("eflags system bits at start: %#lx\n", (unsigned long)(f & SYSTEM_FLAGS));
    check((f & EFLAGS_IF) == 0, "IF clear at start (multiboot)");
    check((f & 2) == 2, "eflags bit 1 reads as 1");

    sti();
    check(read_eflags() & EFLAGS_IF, "STI sets IF, PUSHF shows it");
    cli();
    check(!(read_eflags() & EFLAGS_IF), "CLI clears IF, PUSHF shows it");

    write_eflags(f | EFLAGS_IF);
    check(read_eflags() & EFLAGS_IF, "POPF sets IF in ring 0");
    write_eflags(f & ~EFLAGS_IF);
    check(!(read_eflags() & EFLAGS_IF), "POPF clears IF in ring 0");

    write_eflags(f | EFLAGS_IOPL);
    uint32_t g = read_eflags();
    check((g & EFLAGS_IOPL) == EFLAGS_IOPL, "POPF sets IOPL 3 in ring 0 (%lu)",
          (unsigned long)((g >> 12) & 3));
    write_eflags((f & ~EFLAGS_IOPL) | (1u << 12));
    g = read_eflags();
    check((g & EFLAGS_IOPL) == (1u << 12), "POPF sets IOPL 1 in ring 0 (%lu)",
          (unsigned long)((g >> 12) & 3));
    write_eflags(f);
    check((read_eflags() & EFLAGS_IOPL) == (f & EFLAGS_IOPL), "POPF restores IOPL");

    write_eflags(f | EFLAGS_AC);
    check(read_eflags() & EFLAGS_AC, "EFLAGS.AC can be set (486 or later)");
    write_eflags(f ^ EFLAGS_ID);
    check((read_eflags() ^ f) & EFLAGS_ID, "EFLAGS.ID toggles (CPUID present)");
    write_eflags(f);
    check((read_eflags() & SYSTEM_FLAGS) == (f & SYSTEM_FLAGS), "POPF restores all system flags");

    uint16_t w;
    asm volatile("pushfw; orw $0x200, (%%esp); popfw; pushfw; popw %0; cli" : "=r"(w) : : "memory");
    check(w & EFLAGS_IF, "16-bit POPF sets IF, 16-bit PUSHF shows it (%#x)", w & 0x7200);

    /* Flags computed by ALU instructions must survive PUSHF exactly. */
    uint32_t arith;
    asm volatile("movl $0x7fffffff, %%eax; addl $1, %%eax; pushfl; popl %0"
                 : "=r"(arith)
                 :
                 : "eax", "cc");
    gprintf("flags after 0x7fffffff+1: %#lx\n", (unsigned long)(arith & 0x8d5));
    check((arith & (EFLAGS_OF | 0x80)) == (EFLAGS_OF | 0x80), "PUSHF shows OF and SF of an add");
}

static void sreg_tests(void)
{
    uint32_t cs = 0xffffffff, ds = 0xffffffff, ss = 0xffffffff, es, fs, gs;
    asm volatile("movl %%cs, %0" : "+r"(cs));
    asm volatile("movl %%ds, %0" : "+r"(ds));
    asm volatile("movl %%ss, %0" : "+r"(ss));
    asm volatile("movl %%es, %0; movl %%fs, %1; movl %%gs, %2" : "=r"(es), "=r"(fs), "=r"(gs));
    gprintf("mov from sreg: cs %#lx ds %#lx ss %#lx es %#lx fs %#lx gs %#lx\n", (unsigned long)cs,
            (unsigned long)ds, (unsigned long)ss, (unsigned long)es, (unsigned long)fs,
            (unsigned long)gs);
    check((cs & 0xffff) == SEL_KCODE, "CS reads as the guest's ring 0 selector");
    check((ss & 0xffff) == SEL_KDATA && (ds & 0xffff) == SEL_KDATA, "SS and DS read as loaded");
    check(cs >> 16 == 0 && ds >> 16 == 0, "MOV r32, Sreg clears the upper half");

    uint32_t pcs, pss, pds;
    asm volatile("pushl %%cs; popl %0; pushl %%ss; popl %1; pushl %%ds; popl %2"
                 : "=r"(pcs), "=r"(pss), "=r"(pds)
                 :
                 : "memory");
    check((pcs & 0xffff) == SEL_KCODE && (pss & 0xffff) == SEL_KDATA && (pds & 0xffff) == SEL_KDATA,
          "PUSH CS/SS/DS push the selectors (%#lx %#lx %#lx)", (unsigned long)(pcs & 0xffff),
          (unsigned long)(pss & 0xffff), (unsigned long)(pds & 0xffff));

    uint16_t m;
    asm volatile("movw %%cs, %0" : "=m"(m));
    check(m == SEL_KCODE, "MOV m16, CS stores %#x", m);

    /* Segment loads with an RPL other than 0: the RPL is part of what the guest reads back. */
    uint32_t sel;
    asm volatile("movw %w1, %%fs; movl %%fs, %0" : "=r"(sel) : "r"(SEL_DPL1 | 1));
    check(sel == (SEL_DPL1 | 1), "FS loaded with RPL 1 reads %#lx", (unsigned long)sel);
    asm volatile("movw %w1, %%gs; movl %%gs, %0" : "=r"(sel) : "r"(SEL_KDATA | 0));
    check(sel == SEL_KDATA, "GS reloaded reads %#lx", (unsigned long)sel);
    asm volatile("movw %w1, %%es; movl %%es, %0" : "=r"(sel) : "r"(0));
    check(sel == 0, "ES loaded with the null selector reads %#lx", (unsigned long)sel);
    asm volatile("movw %w0, %%es; movw %w0, %%fs" : : "r"(SEL_KDATA));
    asm volatile("pushl %1; popl %%fs; movl %%fs, %0" : "=r"(sel) : "i"(SEL_SMALL) : "memory");
    check(sel == SEL_SMALL, "POP FS loads %#lx", (unsigned long)sel);
    uint32_t v;
    asm volatile("movl %%fs:0, %0" : "=r"(v));
    check(v == *(volatile uint32_t *)0x1000, "FS with base 0x1000 reads linear 0x1000");
    asm volatile("movw %w0, %%fs" : : "r"(SEL_KDATA));
}

static void table_register_tests(void)
{
    struct dtr g = {0}, i = {0};
    asm volatile("sgdt %0" : "=m"(g));
    asm volatile("sidt %0" : "=m"(i));
    struct dtr eg = desc_gdtr(), ei = idt_dtr();
    gprintf("sgdt base %#lx limit %#x; sidt base %#lx limit %#x\n", (unsigned long)g.base, g.limit,
            (unsigned long)i.base, i.limit);
    check(g.base == eg.base && g.limit == eg.limit, "SGDT reads the GDTR the guest loaded");
    check(i.base == ei.base && i.limit == ei.limit, "SIDT reads the IDTR the guest loaded");

    uint32_t ldtr = 0xffffffff, tr = 0xffffffff;
    asm volatile("sldt %0" : "+r"(ldtr));
    asm volatile("str %0" : "+r"(tr));
    check(ldtr == 0, "SLDT reads %#lx after LLDT 0", (unsigned long)ldtr);
    check(tr == SEL_TSS, "STR reads %#lx after LTR", (unsigned long)tr);

    asm volatile("lldt %w0" : : "r"(SEL_LDT));
    uint16_t m;
    asm volatile("sldt %0" : "=m"(m));
    check(m == SEL_LDT, "SLDT m16 reads %#x after LLDT", m);
    uint32_t sel;
    asm volatile("movw %w1, %%fs; movl %%fs, %0" : "=r"(sel) : "r"(SEL_LDT_DATA));
    check(sel == SEL_LDT_DATA, "FS loads an LDT selector (%#lx)", (unsigned long)sel);
    asm volatile("movw %w0, %%fs; lldt %w1" : : "r"(SEL_KDATA), "r"(0));

    uint32_t msw = 0xffffffff, cr0;
    asm volatile("smsw %0" : "+r"(msw));
    asm volatile("movl %%cr0, %0" : "=r"(cr0));
    gprintf("smsw %#lx\n", (unsigned long)(msw & 0xffff));
    check((msw & 0xffff) == (cr0 & 0xffff), "SMSW reads the low half of CR0");
    asm volatile("smsw %0" : "=m"(m));
    check(m == (cr0 & 0xffff), "SMSW m16 reads the low half of CR0");
}

/* Reads each selector's access rights, limit and readability/writability, and checks them
   against the descriptor the guest wrote. */
static void descriptor_probe(uint16_t sel)
{
    uint32_t ar = 0, lim = 0;
    uint8_t lar_ok, lsl_ok, r_ok, w_ok;
    asm volatile("larl %2, %0; setz %1" : "+r"(ar), "=q"(lar_ok) : "r"((uint32_t)sel) : "cc");
    asm volatile("lsll %2, %0; setz %1" : "+r"(lim), "=q"(lsl_ok) : "r"((uint32_t)sel) : "cc");
    asm volatile("verr %w1; setz %0" : "=q"(r_ok) : "r"(sel) : "cc");
    asm volatile("verw %w1; setz %0" : "=q"(w_ok) : "r"(sel) : "cc");
    char a[16] = "-", l[16] = "-";
    if (lar_ok)
        sniprintf(a, sizeof a, "%#lx", (unsigned long)(ar & 0x00f0ff00));
    if (lsl_ok)
        sniprintf(l, sizeof l, "%#lx", (unsigned long)lim);
    gprintf("selector 0x%04x: lar %s lsl %s verr %d verw %d\n", sel, a, l, r_ok, w_ok);

    if (!lar_ok || (sel & 4))
        return;
    uint64_t d = gdt[sel >> 3];
    check((ar & 0x00f0ff00) == ((uint32_t)(d >> 32) & 0x00f0ff00),
          "LAR %#06x matches the descriptor", sel);
    if (lsl_ok) {
        uint32_t raw = (uint32_t)(d & 0xffff) | ((uint32_t)(d >> 32) & 0x000f0000);
        uint32_t expect = (d >> 55) & 1 ? raw << 12 | 0xfff : raw;
        check(lim == expect, "LSL %#06x matches the descriptor", sel);
    }
}

static void descriptor_tests(void)
{
    asm volatile("lldt %w0" : : "r"(SEL_LDT));
    static const uint16_t sels[] = {
        0,        SEL_KCODE,   SEL_KDATA,     SEL_UCODE,     SEL_UDATA,    SEL_TSS,      SEL_KCODE2,
        SEL_LDT,  SEL_NP_DATA, SEL_CALLGATE,  SEL_XO_CODE,   SEL_RO_DATA,  SEL_SMALL,    SEL_CONF,
        SEL_DPL1, SEL_SPARE,   SEL_KCODE | 3, SEL_KDATA | 3, SEL_CONF | 3, SEL_LDT_DATA, 0x14 | 4,
        0x1000,
    };
    for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++)
        descriptor_probe(sels[i]);
    asm volatile("lldt %w0" : : "r"(0));

    uint8_t ok;
    asm volatile("verr %w1; setz %0" : "=q"(ok) : "r"((uint16_t)SEL_XO_CODE) : "cc");
    check(!ok, "VERR fails on execute-only code");
    asm volatile("verw %w1; setz %0" : "=q"(ok) : "r"((uint16_t)SEL_RO_DATA) : "cc");
    check(!ok, "VERW fails on read-only data");
    asm volatile("verw %w1; setz %0" : "=q"(ok) : "r"((uint16_t)SEL_KDATA) : "cc");
    check(ok, "VERW succeeds on ring 0 data");
    asm volatile("verr %w1; setz %0" : "=q"(ok) : "r"((uint16_t)(SEL_KCODE | 3)) : "cc");
    check(!ok, "VERR fails with RPL 3 on DPL 0 code");
    uint32_t ar;
    asm volatile("larl %2, %0; setz %1" : "=r"(ar), "=q"(ok) : "r"((uint32_t)SEL_TSS) : "cc");
    check(ok && ((ar >> 8) & 0xf) == 0xb, "LAR shows the loaded TSS busy");
}

void guest_main(void)
{
    flags_tests();
    sreg_tests();
    table_register_tests();
    descriptor_tests();
}
