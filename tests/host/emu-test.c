/* emu-test: unit tests of the emulator's contracts that the native differential fuzzer cannot
 * reach from ring 3: page-split accesses faulting on either side, ROM read-modify-write, MMIO
 * and watched-page callbacks in program order, REP restart, exception error codes, and the
 * system instructions through their callbacks. */
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

static void expect_exc(int r, unsigned vector, uint32_t error)
{
    assert_int_equal(r, EMU_EXCEPTION);
    assert_int_equal(exc.vector, vector);
    assert_int_equal(exc.error, error);
}

/* --- page-split accesses --- */

static void split_read_ok(void **state)
{
    tm_put32(0x1ffe, 0x44332211);
    CODE(0xa1, 0xfe, 0x1f, 0x00, 0x00); /* mov eax, [0x1ffe] */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_EAX], 0x44332211);
    assert_int_equal(tm.cpu.eip, 0x1005);
}

static void split_read_fault_second(void **state)
{
    tm.page[2].flags = 0;
    tm.cpu.gpr[R_EAX] = 0x1234;
    CODE(0xa1, 0xfe, 0x1f, 0x00, 0x00);
    expect_exc(tm_step(&exc), EXC_PF, 0);
    assert_int_equal(exc.cr2, 0x2000);
    assert_int_equal(tm.cpu.gpr[R_EAX], 0x1234);
    assert_int_equal(tm.cpu.eip, 0x1000);
}

static void split_read_fault_first(void **state)
{
    tm.cpu.eip = 0x3000;
    tm.page[4].flags = TM_PG_P; /* read-only is fine for a read */
    tm.page[5].flags = TM_PG_P | TM_PG_W;
    tm.page[4].flags = 0;
    CODE(0xa1, 0xfe, 0x4f, 0x00, 0x00); /* mov eax, [0x4ffe] */
    expect_exc(tm_step(&exc), EXC_PF, 0);
    assert_int_equal(exc.cr2, 0x4ffe);
}

static void split_write_fault_second(void **state)
{
    tm_put32(0x1ffe, 0xaaaaaaaa);
    tm.page[2].flags = TM_PG_P; /* present, read-only */
    tm.cpu.gpr[R_EAX] = 0x11223344;
    CODE(0xa3, 0xfe, 0x1f, 0x00, 0x00); /* mov [0x1ffe], eax */
    expect_exc(tm_step(&exc), EXC_PF, PF_P | PF_W);
    assert_int_equal(exc.cr2, 0x2000);
    assert_int_equal(tm_get32(0x1ffe), 0xaaaaaaaa); /* the first page was not written either */
}

static void split_write_fault_first(void **state)
{
    tm.cpu.eip = 0x6000;
    tm_put32(0x4ffe, 0xaaaaaaaa);
    tm.page[4].flags = 0;
    tm.cpu.gpr[R_EAX] = 0x11223344;
    CODE(0xa3, 0xfe, 0x4f, 0x00, 0x00);
    expect_exc(tm_step(&exc), EXC_PF, PF_W);
    assert_int_equal(exc.cr2, 0x4ffe);
    assert_int_equal(tm_get32(0x4ffe) >> 16, 0xaaaa);
}

static void split_write_ok(void **state)
{
    tm.cpu.gpr[R_EAX] = 0x11223344;
    CODE(0xa3, 0xfe, 0x1f, 0x00, 0x00);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm_get32(0x1ffe), 0x11223344);
}

static void split_fetch_fault(void **state)
{
    tm.cpu.eip = 0x1ffe;
    tm.page[2].flags = 0;
    CODE(0x05, 0x01); /* add eax, imm32: the immediate is on the missing page */
    expect_exc(tm_step(&exc), EXC_PF, PF_I);
    assert_int_equal(exc.cr2, 0x2000);
}

static void split_fetch_not_needed(void **state)
{
    tm.cpu.eip = 0x1ffe;
    tm.page[2].flags = 0;
    CODE(0x01, 0xd8); /* add eax, ebx ends on the page: no fault */
    tm.cpu.gpr[R_EBX] = 5;
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_EAX], 5);
}

/* --- ROM, MMIO, watched pages --- */

static void rom_rmw(void **state)
{
    tm.page[5].kind = EMU_MEM_ROM;
    tm_put32(0x5000, 0xffffffff);
    tm.cpu.gpr[R_EAX] = 1;
    CODE(0x01, 0x05, 0x00, 0x50, 0x00, 0x00); /* add [0x5000], eax */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm_get32(0x5000), 0xffffffff);
    assert_true(tm.cpu.eflags & FL_ZF);
    assert_true(tm.cpu.eflags & FL_CF);
    assert_int_equal(tm.cpu.eip, 0x1006);
}

static void mmio_rep_movs_order(void **state)
{
    tm.page[6].kind = EMU_MEM_MMIO;
    tm.page[7].kind = EMU_MEM_MMIO;
    tm.mmio_value = 0x100;
    tm.cpu.gpr[R_ESI] = 0x6000;
    tm.cpu.gpr[R_EDI] = 0x7000;
    tm.cpu.gpr[R_ECX] = 3;
    CODE(0xf3, 0xa5); /* rep movsd */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.nlog, 6);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(tm.log[2 * i].kind, TM_MMIO_READ);
        assert_int_equal(tm.log[2 * i].addr, 0x6000 + 4 * i);
        assert_int_equal(tm.log[2 * i + 1].kind, TM_MMIO_WRITE);
        assert_int_equal(tm.log[2 * i + 1].addr, 0x7000 + 4 * i);
        assert_int_equal(tm.log[2 * i + 1].value, 0x100 + 0x6000 + 4 * i);
    }
    assert_int_equal(tm.cpu.gpr[R_ECX], 0);
    assert_int_equal(tm.cpu.eip, 0x1002);
}

static void mmio_split_write(void **state)
{
    tm.page[7].kind = EMU_MEM_MMIO;
    tm.cpu.gpr[R_EAX] = 0x11223344;
    CODE(0xa3, 0xfe, 0x6f, 0x00, 0x00); /* mov [0x6ffe], eax: RAM then MMIO */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.nlog, 1);
    assert_int_equal(tm.log[0].addr, 0x7000);
    assert_int_equal(tm.log[0].size, 2);
    assert_int_equal(tm.log[0].value, 0x1122);
    assert_int_equal(tm_get32(0x6ffc) >> 16, 0x3344);
}

static void mmio_redirect_leaves_state(void **state)
{
    tm.page[6].kind = EMU_MEM_MMIO;
    tm.mmio_redirect = 1;
    tm.cpu.gpr[R_EAX] = 7;
    CODE(0x03, 0x05, 0x00, 0x60, 0x00, 0x00); /* add eax, [0x6000] */
    struct vcpu before = tm.cpu;
    assert_int_equal(tm_step(&exc), EMU_REDIRECT);
    assert_memory_equal(&before, &tm.cpu, sizeof before);
}

static void watched_write_hook(void **state)
{
    tm.page[5].kind = EMU_MEM_WATCHED;
    tm_put32(0x5000, 5);
    tm.cpu.gpr[R_EAX] = 9;
    CODE(0x87, 0x05, 0x00, 0x50, 0x00, 0x00); /* xchg [0x5000], eax */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_EAX], 5);
    assert_int_equal(tm.nlog, 1);
    assert_int_equal(tm.log[0].kind, TM_WATCHED_WRITE);
    assert_int_equal(tm.log[0].value, 9);
    assert_int_equal(tm_get32(0x5000), 9);
}

/* --- REP restart --- */

static void rep_stos_budget_restart(void **state)
{
    tm.cpu.gpr[R_EAX] = 0x5a5a5a5a;
    tm.cpu.gpr[R_EDI] = 0x5000;
    tm.cpu.gpr[R_ECX] = 10;
    CODE(0xf3, 0xab); /* rep stosd */
    assert_int_equal(emu_step(&tm.cpu, &tm_ops, NULL, 3, &exc), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x1000);
    assert_int_equal(tm.cpu.gpr[R_ECX], 7);
    assert_int_equal(tm.cpu.gpr[R_EDI], 0x500c);
    assert_int_equal(tm_get32(0x5008), 0x5a5a5a5a);
    assert_int_equal(tm_get32(0x500c), 0);
    while (tm.cpu.eip == 0x1000)
        assert_int_equal(emu_step(&tm.cpu, &tm_ops, NULL, 3, &exc), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x1002);
    assert_int_equal(tm.cpu.gpr[R_ECX], 0);
    assert_int_equal(tm.cpu.gpr[R_EDI], 0x5028);
    assert_int_equal(tm_get32(0x5024), 0x5a5a5a5a);
}

static void rep_stos_fault_midway(void **state)
{
    tm.page[6].flags = 0;
    tm.cpu.gpr[R_EAX] = 0x5a5a5a5a;
    tm.cpu.gpr[R_EDI] = 0x5ff8;
    tm.cpu.gpr[R_ECX] = 4;
    CODE(0xf3, 0xab);
    expect_exc(tm_step(&exc), EXC_PF, PF_W);
    assert_int_equal(exc.cr2, 0x6000);
    /* Two elements done, as the CPU leaves it: restart continues at the third. */
    assert_int_equal(tm.cpu.eip, 0x1000);
    assert_int_equal(tm.cpu.gpr[R_ECX], 2);
    assert_int_equal(tm.cpu.gpr[R_EDI], 0x6000);
    assert_int_equal(tm_get32(0x5ffc), 0x5a5a5a5a);
    tm.page[6].flags = TM_PG_P | TM_PG_W;
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ECX], 0);
    assert_int_equal(tm_get32(0x6004), 0x5a5a5a5a);
}

static void rep_movs_16bit_address(void **state)
{
    tm.cpu.gpr[R_ESI] = 0xabcd0010;
    tm.cpu.gpr[R_EDI] = 0x12345020;
    tm.cpu.gpr[R_ECX] = 0xffff0002;
    tm_put32(0x10, 0x04030201);
    CODE(0x67, 0xf3, 0xa4); /* rep movsb with SI/DI/CX */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ECX], 0xffff0000);
    assert_int_equal(tm.cpu.gpr[R_ESI], 0xabcd0012);
    assert_int_equal(tm.cpu.gpr[R_EDI], 0x12345022);
    assert_int_equal(tm_get32(0x5020) & 0xffff, 0x0201);
}

/* --- exceptions and error codes --- */

static void exc_de(void **state)
{
    CODE(0xf7, 0xf1); /* div ecx, ecx = 0 */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_DE);
    assert_false(exc.has_error);
}

static void exc_ud(void **state)
{
    CODE(0x0f, 0x0b); /* ud2 */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_UD);
    CODE(0xf0, 0x01, 0xd8); /* lock add eax, ebx */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_UD);
}

static void exc_gp0_privileged(void **state)
{
    tm.cpu.cpl = 3;
    CODE(0xf4); /* hlt */
    expect_exc(tm_step(&exc), EXC_GP, 0);
    assert_int_equal(tm.cpu.eip, 0x1000);
}

static void exc_gp_selector(void **state)
{
    tm.cpu.gpr[R_EAX] = 0x0093; /* index 18: beyond the GDT limit, RPL 3 */
    CODE(0x8e, 0xd8);           /* mov ds, ax */
    expect_exc(tm_step(&exc), EXC_GP, 0x0090);
    tm.cpu.gpr[R_EAX] = 0x0008; /* a code segment that is not readable */
    tm_desc(0x08, 0, 0xfffff, 0x98, 0xc);
    expect_exc(tm_step(&exc), EXC_GP, 0x0008);
}

static void exc_np_selector(void **state)
{
    tm_desc(0x20, 0, 0xfffff, 0x13, 0xc); /* data, not present */
    tm.cpu.gpr[R_EAX] = 0x20;
    CODE(0x8e, 0xd8);
    expect_exc(tm_step(&exc), EXC_NP, 0x20);
}

static void exc_ss(void **state)
{
    tm.cpu.seg[S_SS].limit = 0xfff; /* stack ends at 4 KiB */
    tm.cpu.gpr[R_ESP] = 0x2000;
    CODE(0x50); /* push eax: ESP-4 is beyond the limit */
    expect_exc(tm_step(&exc), EXC_SS, 0);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x2000);
    tm_desc(0x20, 0, 0xfffff, 0x13, 0xc); /* writable data, not present */
    tm.cpu.gpr[R_EAX] = 0x20;
    CODE(0x8e, 0xd0); /* mov ss, ax */
    expect_exc(tm_step(&exc), EXC_SS, 0x20);
}

static void exc_pf_user_bits(void **state)
{
    tm.cpu.cpl = 3;
    tm.cpu.seg[S_CS].sel |= 3;
    tm.page[5].flags = TM_PG_P | TM_PG_W; /* supervisor page */
    CODE(0xa3, 0x00, 0x50, 0x00, 0x00);   /* mov [0x5000], eax */
    expect_exc(tm_step(&exc), EXC_PF, PF_P | PF_W | PF_U);
    assert_int_equal(exc.cr2, 0x5000);
}

static void exc_ac(void **state)
{
    tm.cpu.cpl = 3;
    tm.cpu.cr0 |= CR0_AM;
    tm.cpu.eflags |= FL_AC;
    CODE(0xa1, 0x02, 0x50, 0x00, 0x00,        /* mov eax, [0x5002] */
         0x66, 0xa1, 0x02, 0x50, 0x00, 0x00); /* mov ax, [0x5002] */
    expect_exc(tm_step(&exc), EXC_AC, 0);
    assert_int_equal(tm.cpu.eip, 0x1000);
    tm.page[5].flags = 0; /* the page fault comes first */
    expect_exc(tm_step(&exc), EXC_PF, PF_U);
    tm.page[5].flags = TM_PG_P | TM_PG_W | TM_PG_U;
    tm.cpu.eip = 0x1005;
    assert_int_equal(tm_step(&exc), EMU_OK); /* a word at an even address is aligned */
    /* Misaligned pushes too; not at CPL 0, and not without CR0.AM. */
    tm.cpu.gpr[R_ESP] = 0x8002;
    CODE(0x50); /* push eax */
    expect_exc(tm_step(&exc), EXC_AC, 0);
    tm.cpu.cr0 &= ~CR0_AM;
    assert_int_equal(tm_step(&exc), EMU_OK);
    tm.cpu.cr0 |= CR0_AM;
    tm.cpu.cpl = 0;
    assert_int_equal(tm_step(&exc), EMU_OK);
}

static void exc_int_n_in_virtual_8086(void **state)
{
    tm.cpu.cpl = 3;
    tm.cpu.eflags |= FL_VM;
    CODE(0xcd, 0x21, 0xcc); /* int 0x21; int3 at 0100:0000 */
    tm.cpu.seg[S_CS] = (struct vcpu_seg){0x100, 0x1000, 0xffff, 0xf3};
    tm.cpu.eip = 0;
    expect_exc(tm_step(&exc), EXC_GP, 0); /* IOPL 0 */
    tm.cpu.eip = 2;
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_BP);
    tm.cpu.eflags |= FL_IOPL;
    tm.cpu.eip = 0;
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, 0x21);
    assert_int_equal(exc.soft, EMU_SOFT_INT);
}

static void exc_br_of_nm(void **state)
{
    tm_put32(0x4000, 10);
    tm_put32(0x4004, 20);
    tm.cpu.gpr[R_EAX] = 21;
    CODE(0x62, 0x05, 0x00, 0x40, 0x00, 0x00); /* bound eax, [0x4000] */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_BR);
    tm.cpu.gpr[R_EAX] = 15;
    assert_int_equal(tm_step(&exc), EMU_OK);
    tm.cpu.eip = 0x1000;
    tm.cpu.eflags |= FL_OF;
    CODE(0xce); /* into: a trap, EIP past it */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_OF);
    assert_int_equal(exc.soft, EMU_SOFT_INT);
    assert_int_equal(tm.cpu.eip, 0x1001);
    tm.cpu.eip = 0x1000;
    tm.cpu.cr0 |= CR0_TS | CR0_MP;
    CODE(0x9b); /* wait */
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, EXC_NM);
}

static void int_n_soft(void **state)
{
    CODE(0xcd, 0x21);
    assert_int_equal(tm_step(&exc), EMU_EXCEPTION);
    assert_int_equal(exc.vector, 0x21);
    assert_int_equal(exc.soft, EMU_SOFT_INT);
    assert_false(exc.has_error);
    assert_int_equal(tm.cpu.eip, 0x1002);
}

/* --- system instructions --- */

static void mov_cr(void **state)
{
    tm.cpu.gpr[R_EAX] = 0x7000;
    CODE(0x0f, 0x22, 0xd8); /* mov cr3, eax */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.cr3, 0x7000);
    assert_int_equal(tm.nlog, 1);
    assert_int_equal(tm.log[0].addr, EMU_SYS_CR3);
    assert_int_equal(tm.log[0].value, 0x7000);
    tm.cpu.eip = 0x1000;
    tm.cpu.gpr[R_EAX] = CR0_PG; /* PG without PE */
    CODE(0x0f, 0x22, 0xc0);     /* mov cr0, eax */
    expect_exc(tm_step(&exc), EXC_GP, 0);
    tm.sys_refuse = 1;
    tm.cpu.gpr[R_EAX] = 0x9000;
    CODE(0x0f, 0x22, 0xd8);
    expect_exc(tm_step(&exc), EXC_GP, 0);
    assert_int_equal(tm.cpu.cr3, 0x7000);
    CODE(0x0f, 0x20, 0xd9); /* mov ecx, cr3 */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ECX], 0x7000);
}

static void descriptor_tables(void **state)
{
    uint8_t dt[6] = {0xff, 0x01, 0x00, 0x20, 0x00, 0x00};
    memcpy(tm.mem + 0x4000, dt, 6);
    CODE(0x0f, 0x01, 0x15, 0x00, 0x40, 0x00, 0x00); /* lgdt [0x4000] */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gdtr.base, 0x2000);
    assert_int_equal(tm.cpu.gdtr.limit, 0x1ff);
    assert_int_equal(tm.log[0].addr, EMU_SYS_GDTR);
    tm.cpu.eip = 0x1000;
    CODE(0x0f, 0x01, 0x05, 0x00, 0x41, 0x00, 0x00); /* sgdt [0x4100] */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_memory_equal(tm.mem + 0x4100, dt, 6);
    tm.cpu.eip = 0x1000;
    tm.cpu.gdtr.base = TM_GDT;
    tm.cpu.gdtr.limit = 16 * 8 - 1;
    tm_desc(0x28, 0x9000, 0xff, 0x82, 0); /* LDT */
    tm_desc(0x30, 0xa000, 0x67, 0x89, 0); /* available 32-bit TSS */
    tm.cpu.gpr[R_EAX] = 0x28;
    CODE(0x0f, 0x00, 0xd0); /* lldt ax */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.ldtr.base, 0x9000);
    assert_int_equal(tm.cpu.ldtr.limit, 0xff);
    tm.cpu.eip = 0x1000;
    tm.cpu.gpr[R_EAX] = 0x30;
    CODE(0x0f, 0x00, 0xd8); /* ltr ax: marks the TSS busy */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.tr.base, 0xa000);
    assert_int_equal(tm.mem[TM_GDT + 0x30 + 5], 0x8b);
    tm.cpu.eip = 0x1000;
    CODE(0x0f, 0x00, 0xc9); /* str ecx */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ECX], 0x30);
    tm.cpu.eip = 0x1000;
    tm.cpu.gpr[R_EAX] = 0x30; /* a busy TSS cannot be loaded again */
    CODE(0x0f, 0x00, 0xd8);
    expect_exc(tm_step(&exc), EXC_GP, 0x30);
}

static void msw_and_clts(void **state)
{
    tm.cpu.cr0 |= CR0_TS;
    CODE(0x0f, 0x06); /* clts */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_false(tm.cpu.cr0 & CR0_TS);
    tm.cpu.eip = 0x1000;
    tm.cpu.gpr[R_EAX] = 0xfff0 | CR0_MP; /* LMSW cannot clear PE */
    CODE(0x0f, 0x01, 0xf0);              /* lmsw ax */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.cr0 & 0xf, CR0_PE | CR0_MP);
    tm.cpu.eip = 0x1000;
    CODE(0x0f, 0x01, 0xe1); /* smsw ecx */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ECX], tm.cpu.cr0);
}

static void ports(void **state)
{
    tm.cpu.gpr[R_EDX] = 0x3f8;
    tm.cpu.gpr[R_EAX] = 0x41;
    CODE(0xee, 0xec, 0xe6, 0x80); /* out dx, al; in al, dx; out 0x80, al */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.nlog, 3);
    assert_int_equal(tm.log[0].kind, TM_PORT_OUT);
    assert_int_equal(tm.log[0].value, 0x41);
    assert_int_equal(tm.log[1].kind, TM_PORT_IN);
    assert_int_equal(tm.cpu.gpr[R_EAX] & 0xff, 0xf8);
    assert_int_equal(tm.log[2].addr, 0x80);
}

static void io_bitmap(void **state)
{
    tm.cpu.cpl = 3;
    tm.cpu.tr.base = 0xa000;
    tm.cpu.tr.limit = 0x68 + 0x20;
    tm.cpu.tr.attr = SEG_P | 0xb;
    tm.mem[0xa066] = 0x68;
    memset(tm.mem + 0xa068, 0xff, 0x20);
    tm.mem[0xa068 + 0x10] = 0xfe; /* port 0x80 allowed, 0x81 not */
    CODE(0xe6, 0x80, 0xe6, 0x81);
    assert_int_equal(tm_step(&exc), EMU_OK);
    expect_exc(tm_step(&exc), EXC_GP, 0);
    assert_int_equal(tm.nlog, 1);
}

static void cpuid_tsc_msr(void **state)
{
    tm.cpu.gpr[R_EAX] = 1;
    tm.cpu.gpr[R_ECX] = 2;
    tm.tsc = 0x123456789ull;
    CODE(0x0f, 0xa2, 0x0f, 0x31, 0x0f, 0x32, 0x0f, 0x30); /* cpuid rdtsc rdmsr wrmsr */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_EAX], 18);
    assert_int_equal(tm.cpu.gpr[R_EBX], 19);
    assert_int_equal(tm.cpu.gpr[R_EDX], 21);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_EAX], 0x23456789);
    assert_int_equal(tm.cpu.gpr[R_EDX], 1);
    tm.cpu.gpr[R_ECX] = 0x99; /* no such MSR */
    expect_exc(tm_step(&exc), EXC_GP, 0);
    tm.cpu.gpr[R_ECX] = 0x10;
    assert_int_equal(tm_step(&exc), EMU_OK);
    tm.cpu.gpr[R_EAX] = 7;
    tm.cpu.gpr[R_EDX] = 0;
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.tsc, 7);
    tm.cpu.eip = 0x1002;
    tm.cpu.cr4 |= CR4_TSD;
    tm.cpu.cpl = 3;
    expect_exc(tm_step(&exc), EXC_GP, 0);
}

static void invlpg_and_hlt(void **state)
{
    tm.cpu.seg[S_DS].base = 0x100;
    CODE(0x0f, 0x01, 0x3d, 0x00, 0x40, 0x00, 0x00, 0xf4); /* invlpg [0x4000]; hlt */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.log[0].kind, TM_INVLPG);
    assert_int_equal(tm.log[0].addr, 0x4100);
    assert_int_equal(tm_step(&exc), EMU_HALT);
    assert_int_equal(tm.cpu.eip, 0x1008);
}

static void virtual_flags(void **state)
{
    CODE(0xfa, 0xfb); /* cli; sti at CPL 0 */
    tm.cpu.eflags |= FL_IF;
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_false(tm.cpu.eflags & FL_IF);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_true(tm.cpu.eflags & FL_IF);
    tm.cpu.eip = 0x1000;
    tm.cpu.cpl = 3;
    expect_exc(tm_step(&exc), EXC_GP, 0); /* CPL 3 > IOPL 0 */
    tm.cpu.eflags |= 3u << FL_IOPL_SHIFT;
    assert_int_equal(tm_step(&exc), EMU_OK);
    /* POPF at CPL 3 with IOPL 0: IF and IOPL stay, the arithmetic flags change. */
    tm.cpu.eip = 0x1000;
    tm.cpu.eflags = FL_RSV1 | FL_IF;
    tm_put32(0x7ffc, FL_CF | FL_ZF | FL_IOPL);
    tm.cpu.gpr[R_ESP] = 0x7ffc;
    CODE(0x9d);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_IF | FL_CF | FL_ZF);
    tm.cpu.eip = 0x1000;
    tm.cpu.cpl = 0;
    tm.cpu.gpr[R_ESP] = 0x7ffc;
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.eflags, FL_RSV1 | FL_CF | FL_ZF | FL_IOPL);
}

static void segment_load_sets_accessed(void **state)
{
    tm_desc(0x20, 0x12345000, 0xfff, 0xf2, 0x4); /* DPL 3 data, accessed bit clear */
    tm.cpu.gpr[R_EAX] = 0x23;
    CODE(0x8e, 0xc0); /* mov es, ax */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.seg[S_ES].base, 0x12345000);
    assert_int_equal(tm.cpu.seg[S_ES].limit, 0xfff);
    assert_int_equal(tm.mem[TM_GDT + 0x20 + 5], 0xf3);
    tm.cpu.eip = 0x1000;
    tm.cpu.gpr[R_EAX] = 0;
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_true(tm.cpu.seg[S_ES].attr & SEG_UNUSABLE);
    tm.cpu.eip = 0x1000;
    CODE(0x26, 0x8b, 0x00); /* mov eax, es:[eax] through the null selector */
    expect_exc(tm_step(&exc), EXC_GP, 0);
}

static void lar_lsl_verr_verw(void **state)
{
    tm_desc(0x20, 0, 0x12345, 0xfa, 0xc); /* DPL 3 readable code, 4 KiB granular */
    tm.cpu.gpr[R_ECX] = 0x20;
    CODE(0x0f, 0x02, 0xc1, 0x0f, 0x03, 0xd1, 0x0f, 0x00, 0xe1, 0x0f, 0x00, 0xe9);
    assert_int_equal(tm_step(&exc), EMU_OK); /* lar eax, ecx */
    assert_true(tm.cpu.eflags & FL_ZF);
    assert_int_equal(tm.cpu.gpr[R_EAX], 0x00c0fa00);
    assert_int_equal(tm_step(&exc), EMU_OK); /* lsl edx, ecx */
    assert_int_equal(tm.cpu.gpr[R_EDX], 0x12345fff);
    assert_int_equal(tm_step(&exc), EMU_OK); /* verr cx */
    assert_true(tm.cpu.eflags & FL_ZF);
    assert_int_equal(tm_step(&exc), EMU_OK); /* verw cx: code is never writable */
    assert_false(tm.cpu.eflags & FL_ZF);
}

static void far_jmp_and_iret_outward(void **state)
{
    tm_desc(0x18, 0, 0xfffff, 0x9b, 0xc);
    CODE(0xea, 0x00, 0x20, 0x00, 0x00, 0x18, 0x00); /* jmp 0x18:0x2000 */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.seg[S_CS].sel, 0x18);
    assert_int_equal(tm.cpu.eip, 0x2000);
    /* IRET from CPL 0 to a CPL 3 code segment with its own stack. */
    tm_desc(0x20, 0, 0xfffff, 0xfb, 0xc); /* DPL 3 code */
    tm_desc(0x28, 0, 0xfffff, 0xf3, 0xc); /* DPL 3 data */
    tm.cpu.gpr[R_ESP] = 0x7000;
    uint32_t frame[5] = {0x3000, 0x23, FL_IF | FL_RSV1 | (3u << FL_IOPL_SHIFT), 0x6000, 0x2b};
    memcpy(tm.mem + 0x7000, frame, sizeof frame);
    CODE(0xcf);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.cpl, 3);
    assert_int_equal(tm.cpu.eip, 0x3000);
    assert_int_equal(tm.cpu.seg[S_CS].sel, 0x23);
    assert_int_equal(tm.cpu.seg[S_SS].sel, 0x2b);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0x6000);
    assert_int_equal(tm.cpu.eflags, FL_IF | FL_RSV1 | (3u << FL_IOPL_SHIFT));
    assert_true(tm.cpu.seg[S_DS].attr & SEG_UNUSABLE); /* DPL 0 data is dropped */
}

static void code16(void **state)
{
    /* A 16-bit code and stack segment: operand, address and stack sizes all default to 16. */
    tm.cpu.seg[S_CS].attr &= ~SEG_DB;
    tm.cpu.seg[S_SS].attr &= ~SEG_DB;
    tm.cpu.gpr[R_EBX] = 0xffff0010;
    tm.cpu.gpr[R_ESI] = 0xffff0004;
    tm.cpu.gpr[R_ESP] = 0xabcd0100;
    tm_put32(0x14, 0xbeef);
    CODE(0x8b, 0x00,        /* mov ax, [bx+si] */
         0x66, 0x8b, 0xc8,  /* mov ecx, eax */
         0xe8, 0x10, 0x00); /* call +0x10 (pushes a 16-bit IP) */
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_EAX] & 0xffff, 0xbeef);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.gpr[R_ECX], tm.cpu.gpr[R_EAX]);
    assert_int_equal(tm_step(&exc), EMU_OK);
    assert_int_equal(tm.cpu.eip, 0x1018);
    assert_int_equal(tm.cpu.gpr[R_ESP], 0xabcd00fe);
    assert_int_equal(tm.mem[0xfe] | tm.mem[0xff] << 8, 0x1008);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(split_read_ok, setup),
        cmocka_unit_test_setup(split_read_fault_second, setup),
        cmocka_unit_test_setup(split_read_fault_first, setup),
        cmocka_unit_test_setup(split_write_fault_second, setup),
        cmocka_unit_test_setup(split_write_fault_first, setup),
        cmocka_unit_test_setup(split_write_ok, setup),
        cmocka_unit_test_setup(split_fetch_fault, setup),
        cmocka_unit_test_setup(split_fetch_not_needed, setup),
        cmocka_unit_test_setup(rom_rmw, setup),
        cmocka_unit_test_setup(mmio_rep_movs_order, setup),
        cmocka_unit_test_setup(mmio_split_write, setup),
        cmocka_unit_test_setup(mmio_redirect_leaves_state, setup),
        cmocka_unit_test_setup(watched_write_hook, setup),
        cmocka_unit_test_setup(rep_stos_budget_restart, setup),
        cmocka_unit_test_setup(rep_stos_fault_midway, setup),
        cmocka_unit_test_setup(rep_movs_16bit_address, setup),
        cmocka_unit_test_setup(exc_de, setup),
        cmocka_unit_test_setup(exc_ud, setup),
        cmocka_unit_test_setup(exc_gp0_privileged, setup),
        cmocka_unit_test_setup(exc_gp_selector, setup),
        cmocka_unit_test_setup(exc_np_selector, setup),
        cmocka_unit_test_setup(exc_ss, setup),
        cmocka_unit_test_setup(exc_pf_user_bits, setup),
        cmocka_unit_test_setup(exc_ac, setup),
        cmocka_unit_test_setup(exc_int_n_in_virtual_8086, setup),
        cmocka_unit_test_setup(exc_br_of_nm, setup),
        cmocka_unit_test_setup(int_n_soft, setup),
        cmocka_unit_test_setup(mov_cr, setup),
        cmocka_unit_test_setup(descriptor_tables, setup),
        cmocka_unit_test_setup(msw_and_clts, setup),
        cmocka_unit_test_setup(ports, setup),
        cmocka_unit_test_setup(io_bitmap, setup),
        cmocka_unit_test_setup(cpuid_tsc_msr, setup),
        cmocka_unit_test_setup(invlpg_and_hlt, setup),
        cmocka_unit_test_setup(virtual_flags, setup),
        cmocka_unit_test_setup(segment_load_sets_accessed, setup),
        cmocka_unit_test_setup(lar_lsl_verr_verw, setup),
        cmocka_unit_test_setup(far_jmp_and_iret_outward, setup),
        cmocka_unit_test_setup(code16, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
