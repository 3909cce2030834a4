/* emu-task-test: hardware task switches: far JMP and CALL to a TSS and through a task gate, IRET
 * with NT back through the back-link, an exception through an IDT task gate with its error code
 * on the new task's stack, busy bits, NT, TS and CR3, the checks before the switch (nothing
 * changed) and a fault after it (raised in the new task). */
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
#define TSS_A 0x38 /* the current task (tm_tss32, at 0x3c00) */
#define TSS_B 0x48 /* another one at 0x4000 */
#define TGATE 0x50 /* a task gate to B in the GDT */
#define B     0x4000u

static struct emu_exc exc;

static uint8_t access_byte(uint16_t sel)
{
    return tm.mem[TM_GDT + sel + 5];
}

static int setup(void **state)
{
    tm_reset();
    memset(&exc, 0, sizeof exc);
    tm_tss32(0x10, 0xa000, 0, 0);
    tm_desc(TSS_B, B, 0x67, 0x89, 0); /* available 32-bit TSS */
    tm_gdt_gate(TGATE, TSS_B, 0, 5, 0, 0);
    memset(tm.mem + B, 0, 0x68);
    tm_put32(B + 0x1c, 0x7000);          /* CR3 */
    tm_put32(B + 0x20, 0x2000);          /* EIP */
    tm_put32(B + 0x24, FL_RSV1 | FL_CF); /* EFLAGS */
    tm_put32(B + 0x28, 0x11111111);      /* EAX */
    tm_put32(B + 0x38, 0x9000);          /* ESP */
    static const uint16_t sels[6] = {0x10, 0x08, 0x10, 0x10, 0x10, 0x10};
    for (unsigned i = 0; i < 6; i++)
        tm_put32(B + 0x48 + 4 * i, sels[i]);
    tm.cpu.gpr[R_EAX] = 0xaaaa;
    tm.cpu.eflags = FL_RSV1 | FL_ZF;
    return 0;
}

static void jmp_to_tss(void **state)
{
    CODE_AT(0x1000, 0xea, 0, 0, 0, 0, TSS_B, 0); /* jmp far TSS_B:0 */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.tr.sel, TSS_B);
    assert_int_equal(tm.cpu.eip, 0x2000);
    assert_int_equal(tm.cpu.gpr[R_EAX], 0x11111111);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x9000);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_CF); /* no NT for a JMP */
    assert_true(tm.cpu.cr0 & CR0_TS);
    assert_int_equal(tm_get32(TM_TSS + 0x20), 0x1007); /* the old task resumes after the JMP */
    assert_int_equal(tm_get32(TM_TSS + 0x24), FL_RSV1 | FL_ZF);
    assert_int_equal(tm_get32(TM_TSS + 0x28), 0xaaaa);
    assert_int_equal(tm_get32(TM_TSS + 0x4c) & 0xffff, 0x08);
    assert_int_equal(access_byte(TSS_A), 0x89); /* old one no longer busy */
    assert_int_equal(access_byte(TSS_B), 0x8b);
    assert_int_equal(tm_get32(B), 0); /* no back-link */
}

static void call_and_iret_back(void **state)
{
    CODE_AT(0x1000, 0x9a, 0, 0, 0, 0, TGATE, 0); /* call far TGATE:0 */
    CODE_AT(0x2000, 0xcf);                       /* iret */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.tr.sel, TSS_B);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_CF | FL_NT);
    assert_int_equal(tm_get32(B) & 0xffff, TSS_A);
    assert_int_equal(access_byte(TSS_A), 0x8b); /* still busy: it is nested */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.tr.sel, TSS_A);
    assert_int_equal(tm.cpu.eip, 0x1007);
    assert_int_equal(tm.cpu.gpr[R_EAX], 0xaaaa);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_ZF);
    assert_int_equal(access_byte(TSS_B), 0x89);
    assert_int_equal(tm_get32(B + 0x24), FL_RSV1 | FL_CF); /* NT cleared in B's saved flags */
}

static void exception_through_task_gate(void **state)
{
    tm_idt(EXC_GP, TSS_B, 0, 5, 0, 1);
    struct emu_exc x = {.vector = EXC_GP, .has_error = 1, .error = 0x1234};
    assert_int_equal(emu_deliver(&tm.cpu, &tm_ops, NULL, &x, 1), EMU_OK);
    assert_int_equal(tm.cpu.tr.sel, TSS_B);
    assert_int_equal(tm.cpu.eip, 0x2000);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x9000 - 4);
    assert_int_equal(tm_get32(0x8ffc), 0x1234);
    assert_int_equal(tm_get32(TM_TSS + 0x20), 0x1000); /* the faulting instruction */
    assert_true(tm.cpu.eflags & FL_NT);
    assert_int_equal(tm_get32(B) & 0xffff, TSS_A);
}

static void cr3_loaded_with_paging(void **state)
{
    tm.cpu.cr0 |= CR0_PG;
    CODE_AT(0x1000, 0xea, 0, 0, 0, 0, TSS_B, 0);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.cr3, 0x7000);
    unsigned seen = 0;
    for (unsigned i = 0; i < tm.nlog; i++)
        if (tm.log[i].kind == TM_SYS_WRITE && tm.log[i].addr == EMU_SYS_CR3)
            seen = tm.log[i].value;
    assert_int_equal(seen, 0x7000);
}

static void checks_before_the_switch(void **state)
{
    CODE_AT(0x1000, 0xea, 0, 0, 0, 0, TSS_A, 0); /* jmp to the busy current task */
    struct vcpu before = tm.cpu;
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_GP);
    assert_int_equal(exc.error, TSS_A);
    assert_memory_equal(&before, &tm.cpu, sizeof before);
    /* DPL 0 TSS from CPL 3. */
    tm.cpu.cpl = 3;
    CODE_AT(0x1000, 0xea, 0, 0, 0, 0, TSS_B, 0);
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.error, TSS_B);
    /* A TSS limit below 0x67: #TS. */
    tm.cpu.cpl = 0;
    tm_desc(TSS_B, B, 0x50, 0x89, 0);
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_TS);
    assert_int_equal(exc.error, TSS_B);
    /* IRET with NT and a back-link to a TSS that is not busy. */
    tm_desc(TSS_B, B, 0x67, 0x89, 0);
    tm_put32(TM_TSS, TSS_B);
    tm.cpu.eflags |= FL_NT;
    CODE_AT(0x1000, 0xcf);
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_TS);
    assert_int_equal(exc.error, TSS_B);
    assert_int_equal(tm.cpu.tr.sel, TSS_A);
}

static void fault_in_the_new_task(void **state)
{
    tm_put32(B + 0x4c, 0x10); /* CS: a data segment */
    CODE_AT(0x1000, 0xea, 0, 0, 0, 0, TSS_B, 0);
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_TS);
    assert_int_equal(exc.error, 0x10);
    assert_int_equal(tm.cpu.tr.sel, TSS_B); /* the switch happened */
    assert_int_equal(tm.cpu.eip, 0x2000);
    assert_int_equal(tm.cpu.gpr[R_EAX], 0x11111111);
    assert_int_equal(tm_get32(TM_TSS + 0x20), 0x1007);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(jmp_to_tss, setup),
        cmocka_unit_test_setup(call_and_iret_back, setup),
        cmocka_unit_test_setup(exception_through_task_gate, setup),
        cmocka_unit_test_setup(cr3_loaded_with_paging, setup),
        cmocka_unit_test_setup(checks_before_the_switch, setup),
        cmocka_unit_test_setup(fault_in_the_new_task, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
