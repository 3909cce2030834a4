/* emu-gate-test: far CALL and JMP through call gates (32- and 16-bit, same privilege and into an
 * inner ring with the TSS stack and parameter copy), the gate and target checks with their error
 * codes, RETF (with an immediate) back out through a gate-made frame, and a faulting gate call
 * leaving nothing done. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/emu-test-mock.h"

#define CODE_AT(at, ...)                                                                           \
    do {                                                                                           \
        static const uint8_t b_[] = {__VA_ARGS__};                                                 \
        memcpy(tm.mem + (at), b_, sizeof b_);                                                      \
    } while (0)
/* call far SEL:0 and jmp far SEL:0 */
#define CALLF(sel) 0x9a, 0, 0, 0, 0, (sel)&0xff, (sel) >> 8
#define JMPF(sel)  0xea, 0, 0, 0, 0, (sel)&0xff, (sel) >> 8

#define UCODE 0x1b
#define UDATA 0x23
#define CCODE 0x28 /* DPL 0 conforming */
#define GATE  0x40 /* the gate under test */

static struct emu_exc exc;

static int setup(void **state)
{
    tm_reset();
    memset(&exc, 0, sizeof exc);
    tm_desc(0x18, 0, 0xfffff, 0xfb, 0xc);
    tm_desc(0x20, 0, 0xfffff, 0xf3, 0xc);
    tm_desc(CCODE, 0, 0xfffff, 0x9f, 0xc);
    tm_tss32(0x10, 0xa000, 0, 0);
    return 0;
}

static void ring3(void)
{
    tm.cpu.cpl = 3;
    tm.cpu.seg[S_CS] = (struct vcpu_seg){UCODE, 0, 0xffffffffu, 0xfb | SEG_DB | SEG_G};
    for (unsigned s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            tm.cpu.seg[s] = (struct vcpu_seg){UDATA, 0, 0xffffffffu, 0xf3 | SEG_DB | SEG_G};
}

static void expect_exc(int r, unsigned vector, uint32_t error)
{
    assert_int_equal(r, EMU_EXCEPTION);
    assert_int_equal(exc.vector, vector);
    assert_int_equal(exc.error, error);
}

static void same_privilege_call(void **state)
{
    tm_gdt_gate(GATE, 0x08, 0x2000, 12, 0, 3); /* the count only matters for a stack switch */
    CODE_AT(0x1000, CALLF(GATE));
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.seg[S_CS].sel, 0x08);
    assert_int_equal(tm.cpu.eip, 0x2000);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000 - 8);
    assert_int_equal(tm_get32(0x7ff8), 0x1007);
    assert_int_equal(tm_get32(0x7ffc), 0x08);
}

static void call_inward_and_retf_out(void **state)
{
    ring3();
    tm.cpu.gpr[R_ESP] = 0x7ff8;
    tm_put32(0x7ff8, 0x11111111);
    tm_put32(0x7ffc, 0x22222222);
    tm_gdt_gate(GATE | 3, 0x08, 0x2000, 12, 3, 2);
    CODE_AT(0x1000, CALLF(GATE | 3));
    CODE_AT(0x2000, 0xca, 0x08, 0x00); /* retf 8 */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.cpl, 0);
    assert_int_equal(tm.cpu.seg[S_CS].sel, 0x08);
    assert_int_equal(tm.cpu.seg[S_SS].sel, 0x10);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0xa000 - 24);
    static const uint32_t want[] = {0x1007, UCODE, 0x11111111, 0x22222222, 0x7ff8, UDATA};
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(tm_get32(0xa000 - 24 + 4 * i), want[i]);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.cpl, 3);
    assert_int_equal(tm.cpu.seg[S_CS].sel, UCODE);
    assert_int_equal(tm.cpu.seg[S_SS].sel, UDATA);
    assert_int_equal(tm.cpu.eip, 0x1007);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000); /* the parameters released on this stack too */
}

static void gate16_inward(void **state)
{
    ring3();
    tm.cpu.gpr[R_ESP] = 0x7ffc;
    tm_put32(0x7ffc, 0x22221111);
    tm_gdt_gate(GATE, 0x08, 0xabcd2000, 4, 3, 1);
    CODE_AT(0x1000, CALLF(GATE));
    CODE_AT(0x2000, 0x66, 0xca, 0x02, 0x00); /* o16 retf 2 */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x2000);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0xa000 - 10);
    assert_int_equal(tm_get32(0xa000 - 10), UCODE << 16 | 0x1007);
    assert_int_equal(tm_get32(0xa000 - 6) & 0xffff, 0x1111); /* one word of parameters */
    assert_int_equal(tm_get32(0xa000 - 4), UDATA << 16 | 0x7ffc);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.cpl, 3);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000 - 2);
}

static void jmp_through_gate(void **state)
{
    tm_gdt_gate(GATE, 0x08, 0x2000, 12, 0, 0);
    CODE_AT(0x1000, JMPF(GATE));
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x2000);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000);
    /* From ring 3 a JMP cannot go inward: #GP(code selector). */
    setup(state);
    ring3();
    tm_gdt_gate(GATE, 0x08, 0x2000, 12, 3, 0);
    CODE_AT(0x1000, JMPF(GATE));
    expect_exc(tm_step(&exc), EXC_GP, 0x08);
    /* ... but to a conforming segment it stays at CPL 3. */
    tm_gdt_gate(GATE, CCODE, 0x2000, 12, 3, 0);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.seg[S_CS].sel, CCODE | 3);
    assert_int_equal(tm.cpu.cpl, 3);
}

static void gate_checks(void **state)
{
    static const struct {
        uint16_t sel, target;
        unsigned gate_dpl, present, vector;
        uint32_t error;
    } cases[] = {
        {GATE, 0x08, 0, 1, EXC_GP, GATE},     /* gate DPL 0 < CPL 3 */
        {GATE | 3, 0x08, 2, 1, EXC_GP, GATE}, /* gate DPL 2 < RPL 3 */
        {GATE, 0x08, 3, 0, EXC_NP, GATE},     /* gate not present */
        {GATE, 0x00, 3, 1, EXC_GP, 0},        /* null target */
        {GATE, 0x10, 3, 1, EXC_GP, 0x10},     /* data target */
        {GATE, 0x50, 3, 1, EXC_NP, 0x50},     /* target not present */
        {GATE, 0x80, 3, 1, EXC_GP, 0x80},     /* target past the GDT */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(state);
        ring3();
        tm_desc(0x50, 0, 0xfffff, 0x1b, 0xc);
        tm_gdt_gate(GATE, cases[i].target, 0x2000, 12, cases[i].gate_dpl, 0);
        if (!cases[i].present)
            tm.mem[TM_GDT + GATE + 5] &= 0x7f;
        uint8_t call[] = {0x9a, 0, 0, 0, 0, cases[i].sel & 0xff, cases[i].sel >> 8};
        tm_code(call, sizeof call);
        expect_exc(tm_step(&exc), cases[i].vector, cases[i].error);
        assert_int_equal(tm.cpu.eip, 0x1000);
    }
}

static void inner_stack_fault_changes_nothing(void **state)
{
    ring3();
    tm_gdt_gate(GATE, 0x08, 0x2000, 12, 3, 1);
    CODE_AT(0x1000, CALLF(GATE));
    tm.page[9].flags = 0; /* the ring-0 stack page */
    struct vcpu before = tm.cpu;
    expect_exc(tm_step(&exc), EXC_PF, PF_W);
    assert_int_equal(exc.cr2, 0x9ffc);
    assert_memory_equal(&before, &tm.cpu, sizeof before);
    /* A bad SS0 in the TSS: #TS(SS selector). */
    tm.page[9].flags = TM_PG_P | TM_PG_W | TM_PG_U;
    tm_tss32(0x23, 0xa000, 0, 0);
    expect_exc(tm_step(&exc), EXC_TS, 0x20);
    /* Parameters that cannot be read from the old stack: #SS(0) at its limit. */
    tm_tss32(0x10, 0xa000, 0, 0);
    tm.cpu.seg[S_SS].limit = 0x8001;
    tm.cpu.gpr[R_ESP] = 0x7ffe;
    tm_gdt_gate(GATE, 0x08, 0x2000, 12, 3, 2);
    expect_exc(tm_step(&exc), EXC_SS, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(same_privilege_call, setup),
        cmocka_unit_test_setup(call_inward_and_retf_out, setup),
        cmocka_unit_test_setup(gate16_inward, setup),
        cmocka_unit_test_setup(jmp_through_gate, setup),
        cmocka_unit_test_setup(gate_checks, setup),
        cmocka_unit_test_setup(inner_stack_fault_changes_nothing, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
