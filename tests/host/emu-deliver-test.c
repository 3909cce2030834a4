/* emu-deliver-test: emu_deliver against the mock machine: frames of interrupt and trap gates at
 * the same and an inner privilege level (32- and 16-bit), from virtual-8086 mode and in real
 * mode, the DPL check of software interrupts, the error codes of gate, IDT-limit, TSS and stack
 * faults with their EXT bit, faults while pushing the frame (#PF with CR2), and the double- and
 * triple-fault rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/emu-test-mock.h"

#define INTR32 14
#define TRAP32 15
#define INTR16 6
#define UCODE  0x1b /* DPL 3 code, RPL 3 */
#define UDATA  0x23 /* DPL 3 data, RPL 3 */
#define CCODE  0x28 /* DPL 0 conforming code */

static int setup(void **state)
{
    tm_reset();
    tm_desc(0x18, 0, 0xfffff, 0xfb, 0xc);
    tm_desc(0x20, 0, 0xfffff, 0xf3, 0xc);
    tm_desc(CCODE, 0, 0xfffff, 0x9f, 0xc);
    tm_tss32(0x10, 0xa000, 0, 0);
    tm.cpu.eip = 0x1234;
    tm.cpu.eflags = FL_RSV1 | FL_IF | FL_TF | FL_NT | FL_RF | FL_CF;
    return 0;
}

/* Ring 3, flat user segments, ESP 0x8000. */
static void ring3(void)
{
    tm.cpu.cpl = 3;
    tm.cpu.seg[S_CS] = (struct vcpu_seg){UCODE, 0, 0xffffffffu, 0xfb | SEG_DB | SEG_G};
    for (unsigned s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            tm.cpu.seg[s] = (struct vcpu_seg){UDATA, 0, 0xffffffffu, 0xf3 | SEG_DB | SEG_G};
}

static int deliver(unsigned vector, int has_error, uint32_t error, unsigned soft, int ext)
{
    struct emu_exc x = {.vector = vector, .has_error = has_error, .error = error, .soft = soft};
    return emu_deliver(&tm.cpu, &tm_ops, NULL, &x, ext);
}

static void same_privilege_interrupt_gate(void **state)
{
    uint32_t flags = tm.cpu.eflags;
    tm.cpu.int_shadow = 1;
    tm_idt(0x20, 0x08, 0x12345678, INTR32, 0, 1);
    assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x12345678);
    assert_int_equal(tm.cpu.seg[S_CS].sel, 0x08);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000 - 12);
    assert_int_equal(tm_get32(0x7ff4), 0x1234);
    assert_int_equal(tm_get32(0x7ff8), 0x08);
    assert_int_equal(tm_get32(0x7ffc), flags);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_CF); /* IF, TF, NT, RF cleared */
    assert_int_equal(tm.cpu.int_shadow, 0);
}

static void trap_gate_keeps_if(void **state)
{
    tm_idt(0x21, 0x08, 0x2000, TRAP32, 0, 1);
    assert_int_equal(deliver(0x21, 0, 0, EMU_SOFT_INT, 0), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x2000);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_CF | FL_IF);
}

static void error_code_pushed(void **state)
{
    tm_idt(EXC_GP, 0x08, 0x2000, INTR32, 0, 1);
    assert_int_equal(deliver(EXC_GP, 1, 0x1234, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000 - 16);
    assert_int_equal(tm_get32(0x7ff0), 0x1234);
    assert_int_equal(tm_get32(0x7ff4), 0x1234); /* EIP */
}

static void ring3_to_ring0(void **state)
{
    ring3();
    tm.cpu.eflags |= FL_IOPL; /* IOPL 3 */
    uint32_t flags = tm.cpu.eflags;
    tm_idt(0x80, 0x08, 0x3000, INTR32, 3, 1);
    assert_int_equal(deliver(0x80, 0, 0, EMU_SOFT_INT, 0), EMU_OK);
    assert_int_equal(tm.cpu.cpl, 0);
    assert_int_equal(tm.cpu.seg[S_CS].sel, 0x08);
    assert_int_equal(tm.cpu.seg[S_SS].sel, 0x10);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0xa000 - 20);
    assert_int_equal(tm_get32(0x9fec), 0x1234);
    assert_int_equal(tm_get32(0x9ff0), UCODE);
    assert_int_equal(tm_get32(0x9ff4), flags);
    assert_int_equal(tm_get32(0x9ff8), 0x8000);
    assert_int_equal(tm_get32(0x9ffc), UDATA);
    assert_int_equal(tm.cpu.eip, 0x3000);
    /* The data segments stay loaded: DPL 3 data is usable at CPL 0. */
    assert_int_equal(tm.cpu.seg[S_DS].sel, UDATA);
}

static void ring3_to_ring0_error_code(void **state)
{
    ring3();
    tm_idt(EXC_PF, 0x08, 0x3000, INTR32, 0, 1);
    struct emu_exc x = {.vector = EXC_PF, .has_error = 1, .error = PF_U | PF_W, .cr2 = 0xdead};
    assert_int_equal(emu_deliver(&tm.cpu, &tm_ops, NULL, &x, 1), EMU_OK);
    assert_int_equal(tm.cpu.cr2, 0xdead);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0xa000 - 24);
    assert_int_equal(tm_get32(0x9fe8), PF_U | PF_W);
}

static void gate16(void **state)
{
    tm_idt(0x22, 0x08, 0xabcd5678, INTR16, 0, 1);
    assert_int_equal(deliver(0x22, 1, 0x55, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x5678);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000 - 8);
    assert_int_equal(tm_get32(0x7ff8), 0x12340055);
    assert_int_equal(tm_get32(0x7ffc), ((FL_RSV1 | FL_IF | FL_TF | FL_NT | FL_CF) << 16) | 0x08);
}

static void soft_int_dpl_too_low(void **state)
{
    ring3();
    tm_idt(0x40, 0x08, 0x3000, INTR32, 0, 1);
    tm_idt(EXC_GP, 0x08, 0x3100, TRAP32, 0, 1);
    assert_int_equal(deliver(0x40, 0, 0, EMU_SOFT_INT, 0), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3100);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0xa000 - 24);
    assert_int_equal(tm_get32(0x9fe8), 0x40 * 8 + 2);
    /* An external interrupt through the same gate is not checked. */
    setup(state);
    ring3();
    tm_idt(0x40, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(0x40, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
}

static void gate_not_present(void **state)
{
    tm_idt(0x21, 0x08, 0x2000, INTR32, 0, 0);
    tm_idt(EXC_NP, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(0x21, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm_get32(0x7ff0), 0x21 * 8 + 2 + 1); /* IDT and EXT bits */
    setup(state);
    tm_idt(0x21, 0x08, 0x2000, INTR32, 0, 0);
    tm_idt(EXC_NP, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(0x21, 0, 0, EMU_SOFT_INT, 0), EMU_OK);
    assert_int_equal(tm_get32(0x7ff0), 0x21 * 8 + 2); /* INT n: no EXT */
}

/* A fault while delivering INT n is the instruction's fault: the frame points at the INT. */
static void soft_int_fault_points_at_instruction(void **state)
{
    tm_idt(0x21, 0x08, 0x2000, INTR32, 0, 0);
    tm_idt(EXC_NP, 0x08, 0x3000, INTR32, 0, 1);
    uint32_t past = tm.cpu.eip;
    struct emu_exc x = {.vector = 0x21, .soft = EMU_SOFT_INT, .insn_len = 2};
    assert_int_equal(emu_deliver(&tm.cpu, &tm_ops, NULL, &x, 0), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm_get32(0x7ff4), past - 2);
    /* Delivered without a fault, the frame holds the address after the instruction. */
    setup(state);
    tm_idt(0x21, 0x08, 0x2000, INTR32, 0, 1);
    assert_int_equal(emu_deliver(&tm.cpu, &tm_ops, NULL, &x, 0), EMU_OK);
    assert_int_equal(tm_get32(0x7ff4), past);
}

static void idt_limit_and_gate_type(void **state)
{
    tm.cpu.idtr.limit = 0x30 * 8 - 1;
    tm_idt(EXC_GP, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(0x30, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm_get32(0x7ff0), 0x30 * 8 + 2 + 1);
    setup(state);
    tm_idt(EXC_GP, 0x08, 0x3000, INTR32, 0, 1);
    tm_idt(0x23, 0x08, 0x2000, 12, 0, 1); /* a call gate in the IDT */
    assert_int_equal(deliver(0x23, 0, 0, EMU_SOFT_INT, 0), EMU_OK);
    assert_int_equal(tm_get32(0x7ff0), 0x23 * 8 + 2);
}

static void target_code_segment_checks(void **state)
{
    static const struct {
        uint16_t sel;
        unsigned vector;
        uint32_t error;
    } cases[] = {
        {0x00, EXC_GP, 0x1},      /* null selector */
        {0x10, EXC_GP, 0x11},     /* data segment */
        {0x78 + 8, EXC_GP, 0x81}, /* past the GDT limit */
        {0x18, EXC_GP, 0x19},     /* DPL 3 code, CPL 0: DPL > CPL */
        {0x50, EXC_NP, 0x51},     /* not present */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(state);
        tm_desc(0x50, 0, 0xfffff, 0x1b, 0xc);
        tm_idt(0x20, cases[i].sel, 0x2000, INTR32, 0, 1);
        tm_idt(cases[i].vector, 0x08, 0x3000, INTR32, 0, 1);
        assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_OK);
        assert_int_equal(tm.cpu.eip, 0x3000);
        assert_int_equal(tm_get32(0x7ff0), cases[i].error);
    }
}

static void conforming_handler_keeps_cpl(void **state)
{
    ring3();
    tm_idt(0x41, CCODE, 0x2000, TRAP32, 3, 1);
    assert_int_equal(deliver(0x41, 0, 0, EMU_SOFT_INT, 0), EMU_OK);
    assert_int_equal(tm.cpu.cpl, 3);
    assert_int_equal(tm.cpu.seg[S_CS].sel, CCODE | 3);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000 - 12);
}

static void bad_tss_stack(void **state)
{
    ring3();
    tm_idt(0x20, 0x08, 0x2000, INTR32, 0, 1);
    tm_idt(EXC_TS, 0x08, 0x3000, INTR32, 0, 1);
    tm_tss32(0x23, 0xa000, 0, 0); /* SS0 with RPL 3 */
    tm_idt(EXC_DF, 0x08, 0x3100, INTR32, 0, 1);
    /* #TS(0x23|EXT) cannot be delivered either (it needs the same stack): #DF, which also needs
     * it: a triple fault. */
    struct vcpu before = tm.cpu;
    assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_SHUTDOWN);
    assert_memory_equal(&before, &tm.cpu, sizeof before);
    /* A TSS too short for SS2:ESP2 (bytes 20-27) but not for SS0:ESP0: #TS(TSS selector + EXT)
     * for the ring-2 handler, then the ring-0 #TS handler runs. */
    setup(state);
    ring3();
    tm.cpu.tr.limit = 0x17;
    tm_desc(0x30, 0, 0xfffff, 0xdb, 0xc); /* DPL 2 code */
    tm_idt(0x20, 0x30, 0x2000, INTR32, 0, 1);
    tm_idt(EXC_TS, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm_get32(0x9fe8), 0x38 | 1); /* #TS(TSS selector + EXT) */
}

static void new_stack_segment_checks(void **state)
{
    static const struct {
        uint16_t ss0;
        unsigned vector;
        uint32_t error;
    } cases[] = {
        {0x00, EXC_TS, 0x1},  /* null */
        {0x08, EXC_TS, 0x9},  /* code */
        {0x20, EXC_TS, 0x21}, /* RPL 0 but DPL 3 */
        {0x50, EXC_SS, 0x51}, /* not present */
        {0x58, EXC_SS, 0x59}, /* too small for the frame */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(state);
        ring3();
        tm_desc(0x50, 0, 0xfffff, 0x13, 0xc);
        tm_desc(0x58, 0, 0x9fee, 0x93, 0x4); /* byte granular: the last slot overruns */
        tm_tss32(cases[i].ss0, 0xa000, 0, 0);
        tm_idt(0x20, 0x08, 0x2000, INTR32, 0, 1);
        /* Its handler is a conforming segment, so it runs on the ring-3 stack. */
        tm_idt(cases[i].vector, CCODE, 0x3000, INTR32, 0, 1);
        assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_OK);
        assert_int_equal(tm.cpu.eip, 0x3000);
        assert_int_equal(tm.cpu.gpr[R_ESP], 0x8000 - 16);
        assert_int_equal(tm_get32(0x7ff0), cases[i].error);
    }
}

static void pf_while_pushing(void **state)
{
    /* A ring-3 handler whose stack page is missing: #PF (user write, not present) with CR2 on
     * the frame's first slot, delivered to ring 0 on the TSS stack. */
    ring3();
    tm.page[7].flags = 0;
    tm_idt(0x20, CCODE, 0x2000, INTR32, 0, 1);
    tm_idt(EXC_PF, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm.cpu.cr2, 0x7ffc);
    assert_int_equal(tm_get32(0x9fe8), PF_W | PF_U);
    assert_int_equal(tm_get32(0x9fec), 0x1234); /* the interrupted EIP */
    assert_int_equal(tm_get32(0x9ff8), 0x8000); /* the ring-3 ESP as it was */
}

static void pf_during_pf_is_df(void **state)
{
    ring3();
    tm.page[7].flags = 0;
    tm_idt(EXC_PF, CCODE, 0x2000, INTR32, 0, 1);
    tm_idt(EXC_DF, 0x08, 0x3000, INTR32, 0, 1);
    struct emu_exc x = {.vector = EXC_PF, .has_error = 1, .error = PF_U, .cr2 = 0x40000};
    assert_int_equal(emu_deliver(&tm.cpu, &tm_ops, NULL, &x, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm.cpu.cr2, 0x7ffc); /* the second fault's address */
    assert_int_equal(tm_get32(0x9fe8), 0);
    /* A contributory fault while delivering a #PF is #DF too; CR2 keeps the #PF's address. */
    setup(state);
    tm_idt(EXC_PF, 0x50, 0x2000, INTR32, 0, 1);
    tm_desc(0x50, 0, 0xfffff, 0x1b, 0xc); /* not present */
    tm_idt(EXC_DF, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(emu_deliver(&tm.cpu, &tm_ops, NULL, &x, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm.cpu.cr2, 0x40000);
}

static void contributory_twice_is_df_benign_is_serial(void **state)
{
    tm_idt(EXC_GP, 0x50, 0x2000, INTR32, 0, 1);
    tm_desc(0x50, 0, 0xfffff, 0x1b, 0xc);
    tm_idt(EXC_NP, 0x08, 0x3100, INTR32, 0, 1);
    tm_idt(EXC_DF, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(EXC_GP, 1, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    /* #NP while delivering #DB (benign) is delivered on its own. */
    setup(state);
    tm_idt(EXC_DB, 0x50, 0x2000, INTR32, 0, 1);
    tm_desc(0x50, 0, 0xfffff, 0x1b, 0xc);
    tm_idt(EXC_NP, 0x08, 0x3100, INTR32, 0, 1);
    tm_idt(EXC_DF, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(EXC_DB, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3100);
    assert_int_equal(tm_get32(0x7ff0), 0x51);
    /* An external interrupt at vector 13 (EMU_SOFT_EXTINT) is benign as well. */
    setup(state);
    tm_idt(EXC_GP, 0x50, 0x2000, INTR32, 0, 1);
    tm_desc(0x50, 0, 0xfffff, 0x1b, 0xc);
    tm_idt(EXC_NP, 0x08, 0x3100, INTR32, 0, 1);
    tm_idt(EXC_DF, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(EXC_GP, 0, 0, EMU_SOFT_EXTINT, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3100);
}

static void triple_fault(void **state)
{
    tm.cpu.idtr.limit = 0;
    struct vcpu before = tm.cpu;
    assert_int_equal(deliver(EXC_UD, 0, 0, 0, 1), EMU_SHUTDOWN);
    assert_memory_equal(&before, &tm.cpu, sizeof before);
}

static void real_mode_ivt(void **state)
{
    tm.cpu.cr0 = 0x10;
    tm.cpu.seg[S_CS] = (struct vcpu_seg){0x100, 0x1000, 0xffff, 0x9b};
    tm.cpu.seg[S_SS] = (struct vcpu_seg){0x0, 0, 0xffff, 0x93};
    tm.cpu.idtr = (struct vcpu_dtr){0, 0x3ff};
    tm.cpu.eip = 0x10;
    tm.cpu.eflags = FL_RSV1 | FL_IF | FL_TF | FL_AC | FL_CF;
    tm_put32(8 * 4, 0x02000030);
    assert_int_equal(deliver(8, 1, 0, 0, 1), EMU_OK); /* no error code in real mode */
    assert_int_equal(tm.cpu.seg[S_CS].sel, 0x200);
    assert_int_equal(tm.cpu.seg[S_CS].base, 0x2000);
    assert_int_equal(tm.cpu.eip, 0x30);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x7ffa);
    assert_int_equal(tm_get32(0x7ffa), 0x01000010);
    assert_int_equal(tm_get32(0x7ffc) >> 16, FL_RSV1 | FL_IF | FL_TF | FL_CF);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_CF);
    /* Past the IVT's limit: #GP, whose vector is past it too: #DF, likewise: shutdown. */
    tm.cpu.idtr.limit = 0x1f;
    assert_int_equal(deliver(8, 0, 0, EMU_SOFT_INT, 0), EMU_SHUTDOWN);
}

static void from_virtual_8086(void **state)
{
    tm.cpu.cpl = 3;
    tm.cpu.eflags = FL_RSV1 | FL_VM | FL_IF | (3u << FL_IOPL_SHIFT);
    static const unsigned sregs[] = {S_ES, S_CS, S_SS, S_DS, S_FS, S_GS};
    for (unsigned i = 0; i < 6; i++)
        tm.cpu.seg[sregs[i]] = (struct vcpu_seg){0x100 + i, (0x100u + i) << 4, 0xffff, 0xf3};
    tm.cpu.gpr[R_ESP] = 0x6000;
    tm_idt(0x20, 0x08, 0x2000, INTR32, 0, 1);
    assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0xa000 - 36);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | (3u << FL_IOPL_SHIFT));
    assert_int_equal(tm.cpu.cpl, 0);
    assert_true(tm.cpu.seg[S_DS].attr & SEG_UNUSABLE);
    assert_int_equal(tm.cpu.seg[S_GS].sel, 0);
    uint32_t want[9] = {0x1234, 0x101, FL_RSV1 | FL_VM | FL_IF | (3u << FL_IOPL_SHIFT),
                        0x6000, 0x102, 0x100,
                        0x103,  0x104, 0x105};
    for (unsigned i = 0; i < 9; i++)
        assert_int_equal(tm_get32(0xa000 - 36 + 4 * i), want[i]);
    /* A handler that is not ring 0: #GP(selector + EXT). */
    setup(state);
    tm.cpu.cpl = 3;
    tm.cpu.eflags = FL_RSV1 | FL_VM;
    tm.cpu.seg[S_SS] = (struct vcpu_seg){0, 0, 0xffff, 0xf3};
    tm_idt(0x20, CCODE, 0x2000, INTR32, 0, 1);
    tm_idt(EXC_GP, 0x08, 0x3000, INTR32, 0, 1);
    assert_int_equal(deliver(0x20, 0, 0, 0, 1), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm_get32(0xa000 - 40), CCODE | 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(same_privilege_interrupt_gate, setup),
        cmocka_unit_test_setup(trap_gate_keeps_if, setup),
        cmocka_unit_test_setup(error_code_pushed, setup),
        cmocka_unit_test_setup(ring3_to_ring0, setup),
        cmocka_unit_test_setup(ring3_to_ring0_error_code, setup),
        cmocka_unit_test_setup(gate16, setup),
        cmocka_unit_test_setup(soft_int_dpl_too_low, setup),
        cmocka_unit_test_setup(gate_not_present, setup),
        cmocka_unit_test_setup(soft_int_fault_points_at_instruction, setup),
        cmocka_unit_test_setup(idt_limit_and_gate_type, setup),
        cmocka_unit_test_setup(target_code_segment_checks, setup),
        cmocka_unit_test_setup(conforming_handler_keeps_cpl, setup),
        cmocka_unit_test_setup(bad_tss_stack, setup),
        cmocka_unit_test_setup(new_stack_segment_checks, setup),
        cmocka_unit_test_setup(pf_while_pushing, setup),
        cmocka_unit_test_setup(pf_during_pf_is_df, setup),
        cmocka_unit_test_setup(contributory_twice_is_df_benign_is_serial, setup),
        cmocka_unit_test_setup(triple_fault, setup),
        cmocka_unit_test_setup(real_mode_ivt, setup),
        cmocka_unit_test_setup(from_virtual_8086, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
