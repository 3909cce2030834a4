/* emu-trap-test: what emu_step reports around an instruction besides its own effect: the
 * interrupt shadow of STI, MOV SS and POP SS, and the single-step trap (EMU_TRAP, DR6.BS) after
 * an instruction that began with TF set, including one per REP element. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/emu-test-mock.h"

#define CODE(...)                                                                                  \
    do {                                                                                           \
        static const uint8_t b_[] = {__VA_ARGS__};                                                 \
        tm_code(b_, sizeof b_);                                                                    \
    } while (0)

static struct emu_exc exc;

static int setup(void **state)
{
    tm_reset();
    memset(&exc, 0, sizeof exc);
    return 0;
}

static void shadow_after_sti_mov_ss_pop_ss(void **state)
{
    tm.cpu.gpr[R_EAX] = 0x10;
    CODE(0xfb,       /* sti (IF 0 -> 1) */
         0x90,       /* nop */
         0xfb,       /* sti (IF already 1) */
         0x8e, 0xd0, /* mov ss, ax */
         0x50,       /* push eax */
         0x17,       /* pop ss */
         0x8c, 0xd2  /* mov dx, ss: a store, no shadow */
    );
    static const uint8_t want[] = {1, 0, 0, 1, 0, 1, 0};
    for (unsigned i = 0; i < sizeof want; i++) {
        assert_int_equal(tm_step(&exc), EMU_OK);
        assert_int_equal(tm.cpu.int_shadow, want[i]);
    }
}

static void single_step_trap(void **state)
{
    tm.cpu.eflags |= FL_TF;
    tm.cpu.dr[6] = 0xffff0ff0;
    CODE(0x40); /* inc eax */
    assert_int_equal(tm_step(&exc), EMU_TRAP);
    assert_int_equal(exc.vector, EXC_DB);
    assert_int_equal(exc.has_error, 0);
    assert_int_equal(tm.cpu.eip, 0x1001);
    assert_int_equal(tm.cpu.gpr[R_EAX], 1);
    assert_int_equal(tm.cpu.dr[6], 0xffff4ff0);
}

static void single_step_popf(void **state)
{
    /* POPF clearing TF still traps (TF was set when it began); one that sets it does not. */
    tm.cpu.eflags |= FL_TF;
    tm_put32(0x7ff8, FL_RSV1);
    tm_put32(0x7ffc, FL_RSV1 | FL_TF);
    tm.cpu.gpr[R_ESP] = 0x7ff8;
    CODE(0x9d, 0x9d); /* popf; popf */
    assert_int_equal(tm_step(&exc), EMU_TRAP);
    assert_false(tm.cpu.eflags & FL_TF);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_true(tm.cpu.eflags & FL_TF);
}

static void single_step_waits_after_mov_ss(void **state)
{
    tm.cpu.eflags |= FL_TF;
    tm.cpu.gpr[R_EAX] = 0x10;
    CODE(0x8e, 0xd0, 0x90); /* mov ss, ax; nop */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.int_shadow, 1);
    assert_int_equal(tm_step(&exc), EMU_TRAP);
    assert_int_equal(tm.cpu.eip, 0x1003);
}

static void single_step_rep_elements(void **state)
{
    tm.cpu.eflags |= FL_TF;
    tm.cpu.gpr[R_ECX] = 3;
    tm.cpu.gpr[R_EDI] = 0x5000;
    tm.cpu.gpr[R_EAX] = 0xaa;
    CODE(0xf3, 0xaa); /* rep stosb */
    for (unsigned left = 2;; left--) {
        assert_int_equal(tm_step(&exc), EMU_TRAP);
        assert_int_equal(tm.cpu.gpr[R_ECX], left);
        if (!left)
            break;
        assert_int_equal(tm.cpu.eip, 0x1000);
    }
    assert_int_equal(tm.cpu.eip, 0x1002);
    assert_int_equal(tm_get32(0x5000), 0xaaaaaa);
}

static void no_trap_on_fault_or_int(void **state)
{
    tm.cpu.eflags |= FL_TF;
    tm.cpu.cpl = 3;
    CODE(0xfa); /* cli at CPL 3, IOPL 0 */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_GP);
    tm.cpu.eip = 0x1000;
    CODE(0xcd, 0x30); /* int 0x30: its delivery clears TF */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.soft, EMU_SOFT_INT);
    assert_int_equal(tm.cpu.eip, 0x1002);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(shadow_after_sti_mov_ss_pop_ss, setup),
        cmocka_unit_test_setup(single_step_trap, setup),
        cmocka_unit_test_setup(single_step_popf, setup),
        cmocka_unit_test_setup(single_step_waits_after_mov_ss, setup),
        cmocka_unit_test_setup(single_step_rep_elements, setup),
        cmocka_unit_test_setup(no_trap_on_fault_or_int, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
