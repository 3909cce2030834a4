/* tests/host/scan-patch-test.c: cmocka unit tests of the scanner's patches (scan/patch.c) over
 * the fake guest memory of tests/host/scan-fake.c: every reason scan_patch_plan gives, applying
 * (the bytes written, the guest's bytes still read and decoded, interior addresses), and every
 * way a patch goes away (a branch into its region found by a scan, by an edge taken out, by a
 * new decode, noted by the monitor; the page dropped, reset, recycled, a policy change, the
 * monitor's own removal), with the callback and the counters. Every test ends with the
 * invariant check, which knows the patches from the fake's records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/scan-fake.h"

#define BASE 0x00100000u
#define P(n) (BASE + (n)*4096u)

/* pushfd; mov eax, ecx; inc eax; mov eax, 0x12345678; ret at A: a 7-byte patch takes the
 * PUSHFD and three instructions (1 + 2 + 1 + 5 = 9 bytes) and jumps back to the RET. */
#define A       (P(0) + 0x100)
#define A_CODE  "9C 89 C8 40 B8 78 56 34 12 C3"
#define FAR_JMP "\xEA\x11\x22\x33\x44\x08\x00"
#define JMP_LEN 7u

static struct fake_mem fm;
static uint8_t block[1024 * 1024];

static int setup(void **state)
{
    return fake_scanner_init(&fm, BASE, 16, block, sizeof block);
}

static void check(void)
{
    assert_int_equal(fake_check(&fm, "invariant"), 0);
}

static void ensure32(uint32_t lin)
{
    assert_int_equal(scan_ensure(fm.sc, 0, lin, 32), SCAN_OK);
}

static int plan(uint32_t addr, uint32_t min_len)
{
    struct scan_region r;
    return scan_patch_plan(fm.sc, addr, min_len, &r);
}

/* Plan and apply a far JMP at addr with cookie; asserts both succeed. */
static void patch(uint32_t addr, uint32_t cookie)
{
    struct scan_region r;
    assert_int_equal(scan_patch_plan(fm.sc, addr, JMP_LEN, &r), SCAN_PATCH_OK);
    assert_true(fake_apply(&fm, &r, (const uint8_t *)FAR_JMP, JMP_LEN, cookie));
}

static bool patched(uint32_t addr)
{
    return scan_patch_at(fm.sc, addr, NULL, NULL);
}

/* The patch at A is gone: the callback told, the INT3 back, the guest's bytes after it. */
static void assert_a_removed(unsigned removals)
{
    assert_false(patched(A));
    assert_int_equal(fm.removals, removals);
    assert_int_equal(scan_stats(fm.sc)->patches_removed, removals);
    assert_null(fake_patch_over(&fm, A));
    if (fake_site_kind(&fm, A) >= 0)
        assert_int_equal(fake_byte(&fm, A), 0xCC);
    assert_memory_equal(&fm.mem[0][(A & 0xFFF) + 1], &fm.image[0][(A & 0xFFF) + 1], 8);
}

static void test_plan_and_apply(void **state)
{
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    struct scan_region r;
    assert_int_equal(scan_patch_plan(fm.sc, A, JMP_LEN, &r), SCAN_PATCH_OK);
    assert_int_equal(r.addr, A);
    assert_int_equal(r.cs_base, 0);
    assert_int_equal(r.mode, 32);
    assert_int_equal(r.len, 9);
    assert_int_equal(r.ninsns, 4);
    const uint8_t offs[] = {0, 1, 3, 4}, lens[] = {1, 2, 1, 5};
    assert_memory_equal(r.insn_off, offs, 4);
    assert_memory_equal(r.insn_len, lens, 4);
    assert_int_equal(plan(A, 1), SCAN_PATCH_OK); /* the site alone, back at A+1 */

    /* refused: no bytes, more bytes than the region, a region that is not the plan's */
    assert_false(scan_patch_apply(fm.sc, &r, (const uint8_t *)FAR_JMP, 0, 1));
    assert_false(scan_patch_apply(fm.sc, &r, (const uint8_t *)FAR_JMP "\x90\x90\x90", 10, 1));
    struct scan_region bad = r;
    bad.insn_len[1] = 3;
    assert_false(scan_patch_apply(fm.sc, &bad, (const uint8_t *)FAR_JMP, JMP_LEN, 1));
    assert_int_equal(scan_stats(fm.sc)->patches_applied, 0);
    assert_int_equal(fake_byte(&fm, A), 0xCC);

    assert_true(fake_apply(&fm, &r, (const uint8_t *)FAR_JMP, JMP_LEN, 5));
    assert_memory_equal(&fm.mem[0][0x100], FAR_JMP "\x34\x12", 9);
    uint8_t orig[10];
    assert_true(scan_read_original(fm.sc, A, orig, sizeof orig));
    assert_memory_equal(orig, &fm.image[0][0x100], sizeof orig);
    assert_true(scan_read_original(fm.sc, A + 3, orig, 2)); /* a piece of the region */
    assert_memory_equal(orig, "\x40\xB8", 2);

    /* still a site; the patch found at its first byte only */
    assert_int_equal(fake_site_kind(&fm, A), SITE_SENSITIVE);
    struct scan_region got;
    uint32_t cookie = 0;
    assert_true(scan_patch_at(fm.sc, A, &got, &cookie));
    assert_int_equal(cookie, 5);
    assert_int_equal(got.len, 9);
    assert_memory_equal(got.insn_off, offs, 4);
    assert_false(patched(A + 1));
    assert_int_equal(scan_sites(fm.sc, NULL, 0), 2);

    /* interior addresses: not starts, and the monitor emulates there */
    assert_true(fake_insn_start(&fm, A));
    for (uint32_t off = 1; off < 9; off++) {
        assert_false(fake_insn_start(&fm, A + off));
        assert_int_equal(scan_ensure(fm.sc, 0, A + off, 32), SCAN_PATCHED);
    }
    assert_true(fake_insn_start(&fm, A + 9));
    ensure32(A);
    ensure32(A + 9);
    assert_true(scan_write_hits_code(fm.sc, A + 7, 1)); /* the guest's bytes kept in the region */
    assert_true(scan_write_hits_code(fm.sc, A + 2, 1));

    assert_int_equal(plan(A, JMP_LEN), SCAN_PATCH_PATCHED);
    assert_false(scan_patch_apply(fm.sc, &r, (const uint8_t *)FAR_JMP, JMP_LEN, 6));
    assert_int_equal(scan_stats(fm.sc)->patches_applied, 1);
    assert_int_equal(scan_stats(fm.sc)->patches_removed, 0);
    check();

    /* the same code with a 3-byte patch: the rest of the region keeps the guest's bytes */
    fake_load_hex(&fm, P(1) + 0x100, A_CODE);
    ensure32(P(1) + 0x100);
    assert_int_equal(scan_patch_plan(fm.sc, P(1) + 0x100, 3, &r), SCAN_PATCH_OK);
    assert_int_equal(r.len, 3);
    assert_true(fake_apply(&fm, &r, (const uint8_t *)"\xAA\xBB\xCC", 3, 7));
    assert_memory_equal(&fm.mem[1][0x100], "\xAA\xBB\xCC\x40", 4);
    assert_true(fake_insn_start(&fm, P(1) + 0x103));
    check();
}

static void test_plan_reasons(void **state)
{
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    assert_int_equal(plan(A + 1, JMP_LEN), SCAN_PATCH_NO_SITE); /* a natively running MOV */
    assert_int_equal(plan(P(3), JMP_LEN), SCAN_PATCH_NO_SITE);  /* nothing scanned */
    assert_int_equal(plan(A + 9, 1), SCAN_PATCH_NOT_SENSITIVE); /* RET: indirect */

    /* an edge: call into another page */
    fake_load_hex(&fm, P(0) + 0x200, "E8 00 10 00 00 C3");
    ensure32(P(0) + 0x200);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x200), SITE_EDGE);
    assert_int_equal(plan(P(0) + 0x200, JMP_LEN), SCAN_PATCH_NOT_SENSITIVE);

    /* 16-bit code */
    fake_load_hex(&fm, P(1), "9C 90 90 90 90 90 90 C3");
    assert_int_equal(scan_ensure(fm.sc, P(1), 0, 16), SCAN_OK);
    assert_int_equal(plan(P(1), JMP_LEN), SCAN_PATCH_NOT_MODE32);

    /* PUSHFD at the last byte of a page: no room after it, nor a way back in the page */
    fake_load_hex(&fm, P(3) - 1, "9C");
    ensure32(P(3) - 1);
    assert_int_equal(plan(P(3) - 1, JMP_LEN), SCAN_PATCH_PAGE_END);
    assert_int_equal(plan(P(3) - 1, 1), SCAN_PATCH_PAGE_END);

    /* IRET: nothing after it is scanned, not even the byte after the site */
    fake_load_hex(&fm, P(0) + 0x300, "CF 90 90 90 90 90 90 90");
    ensure32(P(0) + 0x300);
    assert_int_equal(plan(P(0) + 0x300, JMP_LEN), SCAN_PATCH_NEXT_UNSCANNED);
    assert_int_equal(plan(P(0) + 0x300, 1), SCAN_PATCH_NEXT_UNSCANNED);

    /* pushfd; popfd: the next instruction is a planted site */
    fake_load_hex(&fm, P(0) + 0x400, "9C 9D 90 90 90 90 90 C3");
    ensure32(P(0) + 0x400);
    assert_int_equal(plan(P(0) + 0x400, JMP_LEN), SCAN_PATCH_NEXT_SITE);
    assert_int_equal(plan(P(0) + 0x401, 6), SCAN_PATCH_OK); /* POPFD and five NOPs */

    /* pushfd; nop at the end of P4: the NOP is an edge, taken out (a dormant record) */
    fake_load_hex(&fm, P(5) - 2, "9C 90 90 C3");
    ensure32(P(5) - 2);
    ensure32(P(5));
    scan_site_done(fm.sc, P(5) - 1);
    assert_int_equal(fake_site_kind(&fm, P(5) - 1), -1);
    assert_int_equal(plan(P(5) - 2, 2), SCAN_PATCH_NEXT_SITE);

    /* transfers, INT, privileged, a CS override, bytes that do not decode */
    const struct {
        const char *code;
        int why;
    } next[] = {
        {"9C EB 00 90 90 90 90 90 C3", SCAN_PATCH_NEXT_TRANSFER},
        {"9C CD 80 90 90 90 90 90 C3", SCAN_PATCH_NEXT_TRANSFER},
        {"9C 74 00 90 90 90 90 90 C3", SCAN_PATCH_NEXT_TRANSFER},
        {"9C F4 90 90 90 90 90 C3", SCAN_PATCH_NEXT_PRIVILEGED},
        {"9C FA 90 90 90 90 90 C3", SCAN_PATCH_NEXT_PRIVILEGED}, /* CLI, policy off */
        {"9C 2E 8B 00 90 90 90 C3", SCAN_PATCH_NEXT_NOT_PLAIN},
        {"9C 0F 04", SCAN_PATCH_NEXT_NOT_PLAIN},
    };
    for (unsigned i = 0; i < sizeof next / sizeof next[0]; i++) {
        uint32_t at = P(6) + 0x20 * i;
        fake_load_hex(&fm, at, next[i].code);
        ensure32(at);
        assert_int_equal(plan(at, JMP_LEN), next[i].why);
    }

    /* pushfd and nine NOPs: eight instructions at most; a region of 32 bytes at most */
    fake_load_hex(&fm, P(7), "9C 90 90 90 90 90 90 90 90 90 C3");
    ensure32(P(7));
    assert_int_equal(plan(P(7), 8), SCAN_PATCH_OK);
    assert_int_equal(plan(P(7), 9), SCAN_PATCH_TOO_LONG);
    fake_load_hex(&fm, P(7) + 0x40,
                  "9C B8 00 00 00 00 B8 00 00 00 00 B8 00 00 00 00 B8 00 00 00 00 "
                  "B8 00 00 00 00 B8 00 00 00 00 B8 00 00 00 00 C3");
    ensure32(P(7) + 0x40);
    assert_int_equal(plan(P(7) + 0x40, 31), SCAN_PATCH_OK);
    assert_int_equal(plan(P(7) + 0x40, 32), SCAN_PATCH_TOO_LONG);

    /* a branch target inside the region; at its first byte or just after it there is none */
    fake_load_hex(&fm, P(8), "9C 90 90 90 90 90 90 90 C3");
    fake_load_hex(&fm, P(8) + 0x20, "EB E1"); /* jmp P8+3 */
    fake_load_hex(&fm, P(8) + 0x30, "EB CE"); /* jmp P8 */
    fake_load_hex(&fm, P(8) + 0x40, "EB C5"); /* jmp P8+7 */
    ensure32(P(8) + 0x30);
    ensure32(P(8) + 0x40);
    assert_int_equal(plan(P(8), JMP_LEN), SCAN_PATCH_OK);
    ensure32(P(8) + 0x20);
    assert_int_equal(plan(P(8), JMP_LEN), SCAN_PATCH_TARGET_INSIDE);
    assert_int_equal(plan(P(8), 3), SCAN_PATCH_OK);

    /* other decodes inside: pushfd in the displacement of a 7-byte SGDT, NOPs in an immediate */
    fake_load_hex(&fm, P(9), "0F 01 05 9C 90 90 90 90 90 C3");
    ensure32(P(9));
    assert_int_equal(plan(P(9), JMP_LEN), SCAN_PATCH_OK);
    ensure32(P(9) + 3);
    assert_int_equal(fake_site_kind(&fm, P(9) + 3), SITE_SENSITIVE);
    assert_int_equal(plan(P(9), JMP_LEN), SCAN_PATCH_OVERLAP_INSIDE);
    fake_load_hex(&fm, P(9) + 0x20, "9C B8 90 90 90 90 90 90 C3");
    ensure32(P(9) + 0x20);
    assert_int_equal(plan(P(9) + 0x20, JMP_LEN), SCAN_PATCH_OK);
    ensure32(P(9) + 0x23);
    assert_int_equal(plan(P(9) + 0x20, JMP_LEN), SCAN_PATCH_OVERLAP_INSIDE);

    assert_string_equal(scan_patch_reason_name(SCAN_PATCH_NEXT_SITE), "next instruction is a site");
    assert_string_equal(scan_patch_reason_name(SCAN_PATCH_REASONS), "?");
    assert_int_equal(scan_stats(fm.sc)->patches_applied, 0);
    check();
}

static void test_no_room(void **state)
{
    assert_int_equal(fake_scanner_init(&fm, BASE, 16, block, SCAN_MIN_BYTES), 0);
    /* 200 times pushfd and six NOPs: more patchable sites than patch records */
    for (uint32_t i = 0; i < 200; i++)
        fake_load_hex(&fm, P(0) + 7 * i, "9C 90 90 90 90 90 90");
    fake_load_hex(&fm, P(0) + 7 * 200, "C3");
    ensure32(P(0));
    uint32_t at = P(0), n = 0;
    for (; plan(at, JMP_LEN) == SCAN_PATCH_OK; at += 7, n++)
        patch(at, n);
    assert_int_equal(plan(at, JMP_LEN), SCAN_PATCH_NO_ROOM);
    assert_true(n >= 8);
    assert_int_equal(scan_stats(fm.sc)->patches_applied, n);
    check();
    scan_patch_remove(fm.sc, P(0));
    assert_int_equal(fm.removals, 1);
    assert_int_equal(plan(at, JMP_LEN), SCAN_PATCH_OK);
    check();
}

static void test_branch_into_region(void **state)
{
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    patch(A, 3);
    /* a scan finds jmp A+4 (a start inside the region): the patch goes first */
    fake_load_hex(&fm, P(0) + 0x200, "E9 FF FE FF FF");
    ensure32(P(0) + 0x200);
    assert_a_removed(1);
    assert_int_equal(fake_site_kind(&fm, A), SITE_SENSITIVE);
    assert_true(fake_insn_start(&fm, A + 4));
    assert_int_equal(plan(A, JMP_LEN), SCAN_PATCH_TARGET_INSIDE);
    check();
}

static void test_edge_into_region(void **state)
{
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    patch(A, 3);
    /* call A+3 from P1: planted as an edge, the patch stays until the edge is taken out */
    fake_load_hex(&fm, P(1) + 0x10, "E8 EE F0 FF FF C3");
    ensure32(P(1) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(1) + 0x10), SITE_EDGE);
    assert_true(patched(A));
    check();
    scan_site_done(fm.sc, P(1) + 0x10);
    assert_a_removed(1);
    assert_int_equal(fake_site_kind(&fm, P(1) + 0x10), -1);
    assert_true(fake_insn_start(&fm, A + 3));
    check();

    /* an edge into the region where no instruction starts: the patch goes at the first hit,
     * the target is scanned, and the edge is taken out at the second */
    fake_load_hex(&fm, P(2) + 0x100, A_CODE);
    ensure32(P(2) + 0x100);
    patch(P(2) + 0x100, 4);
    fake_load_hex(&fm, P(3) + 0x10, "E9 ED F0 FF FF"); /* jmp P2+0x102 */
    ensure32(P(3) + 0x10);
    assert_int_equal(scan_ensure(fm.sc, 0, P(2) + 0x102, 32), SCAN_PATCHED);
    scan_site_done(fm.sc, P(3) + 0x10);
    assert_false(patched(P(2) + 0x100));
    assert_int_equal(fm.removals, 2);
    assert_int_equal(fake_site_kind(&fm, P(3) + 0x10), SITE_EDGE);
    ensure32(P(2) + 0x102);
    scan_site_done(fm.sc, P(3) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(3) + 0x10), -1);
    check();
}

static void test_new_decode_inside(void **state)
{
    /* mov ax, 0x899C at A-2 covers the PUSHFD and ends at A+2, inside the region where no
     * instruction starts: scanning its fall-through takes the patch away */
    fake_load_hex(&fm, A - 2, "66 B8");
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    patch(A, 9);
    ensure32(A - 2);
    assert_int_equal(fake_site_kind(&fm, A - 2), SITE_OVERLAP);
    assert_a_removed(1);
    assert_true(fake_insn_start(&fm, A + 2));
    check();
}

static void test_note_target(void **state)
{
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    patch(A, 1);
    scan_note_target(fm.sc, A);     /* the first byte: the far JMP is there */
    scan_note_target(fm.sc, A + 9); /* where the stub comes back */
    scan_note_target(fm.sc, P(5));  /* a page not scanned */
    assert_true(patched(A));
    assert_int_equal(fm.removals, 0);
    scan_note_target(fm.sc, A + 5);
    assert_a_removed(1);
    assert_int_equal(plan(A, JMP_LEN), SCAN_PATCH_TARGET_INSIDE);
    assert_int_equal(plan(A, 4), SCAN_PATCH_OK); /* the region can end before it */
    check();
}

static void test_removal(void **state)
{
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    unsigned n = 0;

    /* the monitor's own removal: the site is planted again, the page stays scanned */
    patch(A, 1);
    scan_patch_remove(fm.sc, A);
    scan_patch_remove(fm.sc, A); /* nothing there any more */
    assert_a_removed(++n);
    assert_true(scan_page_is_scanned(fm.sc, A));
    check();

    /* the page invalidated */
    patch(A, 2);
    scan_invalidate_page(fm.sc, A);
    assert_a_removed(++n);
    assert_memory_equal(fm.mem[0], fm.image[0], 4096);
    check();

    /* the guest writes into the region */
    ensure32(A);
    patch(A, 3);
    assert_true(fake_write(&fm, A + 8, "\x12", 1, true));
    assert_a_removed(++n);
    assert_false(scan_page_is_scanned(fm.sc, A));
    check();

    /* the page entered as 16-bit code, inside the region */
    ensure32(A);
    patch(A, 4);
    assert_int_equal(scan_ensure(fm.sc, 0, A + 3, 16), SCAN_OK);
    assert_a_removed(++n);
    check();

    /* reset */
    ensure32(A);
    patch(A, 5);
    scan_reset(fm.sc);
    assert_a_removed(++n);
    assert_memory_equal(fm.mem[0], fm.image[0], 4096);
    check();

    /* a policy change */
    ensure32(A);
    patch(A, 6);
    scan_set_policy(fm.sc, SCAN_POLICY_SITE_CLI_STI);
    fm.policy = SCAN_POLICY_SITE_CLI_STI;
    assert_a_removed(++n);
    assert_int_equal(scan_stats(fm.sc)->patches_applied, n);
    check();
}

static void test_recycled(void **state)
{
    assert_int_equal(fake_scanner_init(&fm, BASE, 16, block, SCAN_MIN_BYTES), 0);
    fake_load_hex(&fm, A, A_CODE);
    ensure32(A);
    patch(A, 1);
    for (unsigned p = 1; p < 16 && fm.removals == 0; p++) {
        fake_load_hex(&fm, P(p), "C3");
        ensure32(P(p));
    }
    assert_true(scan_stats(fm.sc)->pages_recycled > 0);
    assert_a_removed(1);
    assert_false(scan_page_is_scanned(fm.sc, A));
    check();
}

static void test_cli_sti_policy(void **state)
{
    scan_set_policy(fm.sc, SCAN_POLICY_SITE_CLI_STI);
    fm.policy = SCAN_POLICY_SITE_CLI_STI;
    fake_load_hex(&fm, A, "FA 89 C8 40 B8 78 56 34 12 FB 90 90 90 90 90 90 C3");
    ensure32(A);
    patch(A, 1);
    patch(A + 9, 2);
    assert_int_equal(scan_stats(fm.sc)->patches_applied, 2);
    uint8_t orig[17];
    assert_true(scan_read_original(fm.sc, A, orig, sizeof orig));
    assert_memory_equal(orig, &fm.image[0][0x100], sizeof orig);
    check();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_plan_and_apply, setup),
        cmocka_unit_test_setup(test_plan_reasons, setup),
        cmocka_unit_test_setup(test_no_room, setup),
        cmocka_unit_test_setup(test_branch_into_region, setup),
        cmocka_unit_test_setup(test_edge_into_region, setup),
        cmocka_unit_test_setup(test_new_decode_inside, setup),
        cmocka_unit_test_setup(test_note_target, setup),
        cmocka_unit_test_setup(test_removal, setup),
        cmocka_unit_test_setup(test_recycled, setup),
        cmocka_unit_test_setup(test_cli_sti_policy, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
