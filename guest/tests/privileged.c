/* Privileged instructions in ring 0, values read back: MOV to/from CR0/CR2/CR3/CR4 and DR0-DR3/DR7,
   CLTS, LMSW, CR0.TS and the FPU (#NM), LGDT/LIDT round trips that change the tables in use,
   INVLPG and WBINVD, CPUID facts the virtual CPU promises, RDTSC monotonic. */
#include "guest/lib/desc.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"
#include <string.h>

const char guest_name[] = "privileged";

#define CR0_PE  0x00000001u
#define CR0_MP  0x00000002u
#define CR0_TS  0x00000008u
#define CR0_ET  0x00000010u
#define CR0_PG  0x80000000u
#define CR4_TSD 0x00000004u

static uint32_t get_cr0(void)
{
    uint32_t v;
    asm volatile("movl %%cr0, %0" : "=r"(v));
    return v;
}

static void set_cr0(uint32_t v)
{
    asm volatile("movl %0, %%cr0" : : "r"(v) : "memory");
}

static uint32_t get_cr4(void)
{
    uint32_t v;
    asm volatile("movl %%cr4, %0" : "=r"(v));
    return v;
}

static void set_cr4(uint32_t v)
{
    asm volatile("movl %0, %%cr4" : : "r"(v) : "memory");
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void control_register_tests(void)
{
    uint32_t cr0 = get_cr0();
    gprintf("cr0 at start: %#lx\n", (unsigned long)cr0);
    check((cr0 & (CR0_PE | CR0_PG)) == CR0_PE, "CR0: protected mode, paging off");

    set_cr0(cr0 | CR0_TS);
    check(get_cr0() & CR0_TS, "MOV CR0 sets TS");
    asm volatile("clts");
    check(!(get_cr0() & CR0_TS), "CLTS clears TS");
    set_cr0(cr0 | CR0_MP);
    check(get_cr0() == (cr0 | CR0_MP), "MOV CR0 sets MP, the rest unchanged");
    set_cr0(cr0 & ~CR0_ET);
    check(get_cr0() & CR0_ET, "CR0.ET stays set when written as 0");
    set_cr0(cr0);
    check(get_cr0() == cr0, "CR0 restored");

    asm volatile("lmsw %w0" : : "r"((uint16_t)((cr0 | CR0_TS) & 0xffff)));
    check(get_cr0() & CR0_TS, "LMSW sets TS");
    asm volatile("lmsw %w0" : : "r"((uint16_t)0));
    uint32_t after = get_cr0();
    check((after & CR0_PE) && !(after & CR0_TS), "LMSW clears TS but cannot clear PE");
    set_cr0(cr0);

    asm volatile("fninit");
    uint16_t sw = 0xffff;
    asm volatile("fnstsw %0" : "=m"(sw));
    check(sw == 0, "x87 present: FNINIT then FNSTSW reads 0");
    uint32_t a = 2, b = 3, sum = 0;
    asm volatile("fildl %1; fiaddl %2; fistpl %0" : "=m"(sum) : "m"(a), "m"(b));
    check(sum == 5, "x87 integer add gives %lu", (unsigned long)sum);

    set_cr0(cr0 | CR0_TS);
    trap_reset();
    asm volatile(PROBE_SITE("fnop"));
    trap_expect("FPU instruction with CR0.TS set raises #NM", 7, 0, 0);
    asm volatile("clts");
    trap_reset();
    asm volatile("fnop");
    check(trap_last.count == 0, "FPU instruction after CLTS runs");

    uint32_t cr2;
    asm volatile("movl %1, %%cr2; movl %%cr2, %0" : "=r"(cr2) : "r"(0xdeadb00fu));
    check(cr2 == 0xdeadb00fu, "CR2 round trip (%#lx)", (unsigned long)cr2);

    uint32_t cr3_old, cr3;
    asm volatile("movl %%cr3, %0" : "=r"(cr3_old));
    asm volatile("movl %1, %%cr3; movl %%cr3, %0" : "=r"(cr3) : "r"(0x00345000u) : "memory");
    check(cr3 == 0x00345000u, "CR3 round trip with paging off (%#lx)", (unsigned long)cr3);
    asm volatile("movl %0, %%cr3" : : "r"(cr3_old) : "memory");

    uint32_t cr4 = get_cr4();
    gprintf("cr4 at start: %#lx\n", (unsigned long)cr4);
    set_cr4(cr4 | CR4_TSD);
    check(get_cr4() == (cr4 | CR4_TSD), "MOV CR4 sets TSD");
    uint64_t t0 = rdtsc(), t1 = rdtsc();
    check(t1 > t0, "RDTSC works in ring 0 with CR4.TSD set");
    set_cr4(cr4);
    check(get_cr4() == cr4, "CR4 restored");
}

static void debug_register_tests(void)
{
    uint32_t v[4];
    asm volatile("movl %0, %%db0" : : "r"(0x00101000u));
    asm volatile("movl %0, %%db1" : : "r"(0x00202000u));
    asm volatile("movl %0, %%db2" : : "r"(0x00303000u));
    asm volatile("movl %0, %%db3" : : "r"(0x00404000u));
    asm volatile("movl %%db0, %0" : "=r"(v[0]));
    asm volatile("movl %%db1, %0" : "=r"(v[1]));
    asm volatile("movl %%db2, %0" : "=r"(v[2]));
    asm volatile("movl %%db3, %0" : "=r"(v[3]));
    check(v[0] == 0x00101000u && v[1] == 0x00202000u && v[2] == 0x00303000u && v[3] == 0x00404000u,
          "DR0-DR3 round trip");
    uint32_t dr7;
    asm volatile("movl %%db7, %0" : "=r"(dr7));
    gprintf("dr7 at start: %#lx\n", (unsigned long)dr7);
    check((dr7 & 0xff) == 0, "no breakpoint enabled in DR7");
}

static uint64_t gdt2[GDT_ENTRIES] __attribute__((aligned(8)));
static uint64_t idt2[256] __attribute__((aligned(8)));
static volatile unsigned int50_hits;

static void int50_handler(struct trap_frame *f)
{
    int50_hits++;
}

static void table_load_tests(void)
{
    memcpy(gdt2, gdt, sizeof gdt2);
    gdt2[SEL_SPARE >> 3] = desc_segment(0x2000, 0xfff, ACC_KDATA, FLAGS_BYTE);
    struct dtr g2 = {.limit = sizeof gdt2 - 1, .base = (uint32_t)gdt2}, r;
    asm volatile("lgdt %0" : : "m"(g2) : "memory");
    asm volatile("sgdt %0" : "=m"(r));
    check(r.base == g2.base && r.limit == g2.limit, "SGDT reads back the new GDTR");
    uint32_t v;
    asm volatile("movw %w1, %%fs; movl %%fs:0, %0" : "=r"(v) : "r"(SEL_SPARE));
    check(v == *(volatile uint32_t *)0x2000, "segment load uses the new GDT");
    asm volatile("movw %w0, %%fs" : : "r"(SEL_KDATA));

    struct dtr g = desc_gdtr();
    g.limit = 8 * 8 - 1;
    asm volatile("lgdt %0" : : "m"(g) : "memory");
    trap_reset();
    asm volatile("movw %w0, %%ax\n\t" PROBE_SITE("movw %%ax, %%fs") : : "r"(SEL_SMALL) : "eax");
    trap_expect("selector beyond the new GDT limit raises #GP(selector)", 13, SEL_SMALL, 0);
    g = desc_gdtr();
    asm volatile("lgdt %0" : : "m"(g) : "memory");
    asm volatile("sgdt %0" : "=m"(r));
    check(r.base == g.base && r.limit == g.limit, "original GDTR restored");

    idt_set(0x50, GATE_INTR);
    memcpy(idt2, idt, sizeof idt2);
    idt_clear(0x50);
    trap_set_handler(0x50, int50_handler);
    struct dtr i2 = {.limit = sizeof idt2 - 1, .base = (uint32_t)idt2};
    asm volatile("lidt %0" : : "m"(i2) : "memory");
    asm volatile("sidt %0" : "=m"(r));
    check(r.base == i2.base && r.limit == i2.limit, "SIDT reads back the new IDTR");
    asm volatile("int $0x50");
    check(int50_hits == 1, "INT 0x50 goes through the new IDT");

    struct dtr i = idt_dtr();
    i.limit = 32 * 8 - 1;
    asm volatile("lidt %0" : : "m"(i) : "memory");
    trap_reset();
    asm volatile(PROBE_SITE("int $0x21"));
    trap_expect("INT beyond the IDT limit raises #GP(vector*8+2)", 13, 0x21 * 8 + 2, 0);
    i = idt_dtr();
    asm volatile("lidt %0" : : "m"(i) : "memory");
    asm volatile("sidt %0" : "=m"(r));
    check(r.base == i.base && r.limit == i.limit, "original IDTR restored");
    trap_reset();
    asm volatile(PROBE_SITE("int $0x50"));
    trap_expect("INT 0x50 through the original IDT's empty gate raises #GP(vector*8+2)", 13,
                0x50 * 8 + 2, 0);
    check(int50_hits == 1, "the new IDT's handler did not run again");
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static void cpu_tests(void)
{
    uint32_t r[4];
    cpuid(0, r);
    check(r[0] >= 1, "CPUID leaf 0: highest leaf >= 1");
    cpuid(1, r);
    unsigned family = (r[0] >> 8) & 0xf;
    check(family >= 6, "CPUID leaf 1: family >= 6 (i686 class)");
    check(r[3] & (1u << 0), "CPUID leaf 1: FPU");
    check(r[3] & (1u << 4), "CPUID leaf 1: TSC");
    check(r[3] & (1u << 15), "CPUID leaf 1: CMOV");

    int c = 1, d = 2;
    asm("cmpl %2, %1; cmovll %2, %0" : "+r"(c) : "r"(c), "r"(d) : "cc");
    check(c == 2, "CMOV runs");

    uint64_t prev = rdtsc();
    bool monotonic = true;
    for (int k = 0; k < 1000; k++) {
        uint64_t t = rdtsc();
        if (t <= prev)
            monotonic = false;
        prev = t;
    }
    check(monotonic, "RDTSC strictly increases over 1000 reads");

    asm volatile("invlpg (%0)" : : "r"(0x00100000u) : "memory");
    gprintf("INVLPG with paging off: ran\n");
    asm volatile("wbinvd" : : : "memory");
    gprintf("WBINVD: ran\n");
}

void guest_main(void)
{
    control_register_tests();
    debug_register_tests();
    table_load_tests();
    cpu_tests();
}
