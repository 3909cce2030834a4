/* Indirect control transfers into code that never ran before: CALL through registers and
   memory, JMP through a register and a jump table, RET to addresses pushed or moved by hand,
   entry in the middle of a run of instructions and in the middle of an instruction; and the
   guest's own INT3s, between sensitive instructions, reaching its vector 3. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"

const char guest_name[] = "indirect";

typedef uint32_t (*fn0)(void);
extern const fn0 ind_table[8];
extern uint32_t ind_call_mem(uint32_t n), ind_switch(uint32_t n), ind_push_ret(void);
extern uint32_t ind_ret_skip(void), ind_sled(uint32_t k), ind_int3_mix(void);
extern char ind_overlap[];

static volatile unsigned bp_hits;
static volatile uint32_t bp_eips[4];

static void bp_handler(struct trap_frame *f)
{
    if (bp_hits < 4)
        bp_eips[bp_hits] = f->eip;
    bp_hits++;
}

void guest_main(void)
{
    bool ok = true;
    for (uint32_t i = 0; i < 4; i++)
        ok = ok && ind_table[i]() == SEL_KCODE + i;
    check(ok, "CALL through a register into 4 functions never run");
    ok = true;
    for (uint32_t i = 4; i < 8; i++)
        ok = ok && ind_call_mem(i) == SEL_KCODE + i;
    check(ok, "CALL through memory into 4 more functions never run");
    ok = true;
    for (uint32_t i = 0; i < 8; i++)
        ok = ok && ind_call_mem(7 - i) == SEL_KCODE + 7 - i;
    check(ok, "the same functions again, through memory, in reverse");

    ok = true;
    for (uint32_t i = 0; i < 4; i++)
        ok = ok && ind_switch(3 - i) == 103 - i;
    check(ok, "JMP through a jump table to 4 targets never run");

    check(ind_push_ret() == 0x5a5a, "RET to a pushed address never run");
    check(ind_ret_skip() == 1, "RET to a return address moved past a JMP");

    ok = true;
    for (uint32_t k = 0; k <= 16; k += 3)
        ok = ok && ind_sled(k) == 16 - k;
    check(ok, "JMP through a register into the middle of a run of instructions");
    ok = ind_sled(0) == 16 && ind_sled(15) == 1;
    check(ok, "the run entered at its start and one before its end");

    check(((fn0)(uintptr_t)ind_overlap)() == 0xc3589c90u,
          "overlapping code entered at its first byte: MOV then RET");
    sti();
    uint32_t f = ((fn0)(uintptr_t)(ind_overlap + 2))();
    cli();
    check((f & EFLAGS_IF) && (f & 2), "entered inside the immediate: the hidden PUSHF shows IF");
    check(((fn0)(uintptr_t)ind_overlap)() == 0xc3589c90u, "entered at its first byte again");

    trap_set_handler(3, bp_handler);
    sti();
    f = ind_int3_mix();
    cli();
    trap_set_handler(3, 0);
    uint32_t base = (uint32_t)ind_int3_mix;
    check(bp_hits == 3, "3 guest INT3s between sensitive instructions reach vector 3");
    check(bp_eips[0] == base + 1 && bp_eips[1] == base + 3 && bp_eips[2] == base + 5,
          "... each returning after itself (+%lu +%lu +%lu)", (unsigned long)(bp_eips[0] - base),
          (unsigned long)(bp_eips[1] - base), (unsigned long)(bp_eips[2] - base));
    check(f & EFLAGS_IF, "the PUSHF between them shows IF set");
}
