/* Code straddling and ending at 4 KiB page boundaries (page-edge-code.asm places it): plain and
   sensitive instructions split after every byte position, a guest INT3 and branches at the end
   of a page, and blocks running into pages that never ran. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"

const char guest_name[] = "page-edge";

extern uint32_t pe_mov_straddle(void), pe_cr0_split1(void), pe_cr0_split2(void);
extern uint32_t pe_cpuid_split(void), pe_cli_end(void), pe_int3_end(void), pe_jmp_end(void);
extern uint32_t pe_call_split(void), pe_movcs_split(void), pe_lar_split(uint32_t sel);
extern uint32_t pe_in_split(void), pe_fallthrough(void), pe_cr0_end(void), pe_pushf_end(void);
extern void pe_sgdt_split(struct dtr *d), pe_long_split(uint32_t cell_minus_0x100);
extern char pe_int3_after[];

static volatile unsigned bp_hits;
static volatile uint32_t bp_eip;

static void bp_handler(struct trap_frame *f)
{
    bp_hits++;
    bp_eip = f->eip;
}

/* The address from the assembler: the compiler assumes functions are aligned and would fold
   the offset test away. */
#define PAGE_OFFSET(sym)                                                                           \
    ({                                                                                             \
        uint32_t a_;                                                                               \
        asm("movl $" #sym ", %0" : "=r"(a_));                                                      \
        a_ & 0xfff;                                                                                \
    })

void guest_main(void)
{
    /* Every check below means something only if the linker kept the code at its offsets. */
    ASSERT(PAGE_OFFSET(pe_mov_straddle) == 0xffe && PAGE_OFFSET(pe_pushf_end) == 0xfff);

    check(pe_mov_straddle() == 0x12345678, "MOV imm32 split 2|3 across pages");
    uint32_t cr0;
    asm volatile("movl %%cr0, %0" : "=r"(cr0));
    check(pe_cr0_split1() == cr0, "MOV from CR0 split 1|2 across pages");
    check(pe_cr0_split2() == cr0, "MOV from CR0 split 2|1 across pages");
    check(pe_cr0_end() == cr0, "MOV from CR0 ending at a page boundary");

    uint32_t max;
    asm volatile("cpuid" : "=a"(max) : "a"(0) : "ebx", "ecx", "edx");
    check(pe_cpuid_split() == max, "CPUID split 1|1 across pages");

    struct dtr d = {0}, e = desc_gdtr();
    pe_sgdt_split(&d);
    check(d.base == e.base && d.limit == e.limit, "SGDT split 2|1 across pages");

    sti();
    uint32_t f = pe_cli_end();
    check(!(f & EFLAGS_IF) && !(read_eflags() & EFLAGS_IF),
          "CLI as a page's last byte, PUSHF as the next page's first: IF clear");
    sti();
    f = pe_pushf_end();
    cli();
    check(f & EFLAGS_IF, "PUSHF as a page's last byte shows IF set");

    trap_set_handler(3, bp_handler);
    uint32_t r = pe_int3_end();
    trap_set_handler(3, 0);
    check(r == 5 && bp_hits == 1 && bp_eip == (uint32_t)pe_int3_after,
          "INT3 as a page's last byte reaches vector 3, returning to the next page (+%lu)",
          (unsigned long)(bp_eip - (uint32_t)pe_int3_end));

    check(pe_jmp_end() == 9, "short JMP at a page's end into a page never run");
    check(pe_call_split() == 11, "CALL split 3|2 into a page never run");

    static uint32_t cell;
    pe_long_split((uint32_t)&cell - 0x100);
    check(cell == 0x9abcdef0, "10-byte MOV split 7|3 stores %#lx", (unsigned long)cell);

    check((pe_movcs_split() & 0xffff) == SEL_KCODE, "MOV from CS split 1|1 across pages");
    uint32_t ar;
    asm volatile("larl %1, %0" : "=r"(ar) : "r"((uint32_t)SEL_KDATA) : "cc");
    check(pe_lar_split(SEL_KDATA) == ar, "LAR split 2|1 across pages");
    check(pe_in_split() == inb(0x80), "IN from port 0x80 split 1|1 across pages");
    check(pe_fallthrough() == 2 + SEL_KCODE, "a block running off its page into one never run");
}
