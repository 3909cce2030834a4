/* tests/host/scan-test.c: cmocka unit tests of the prescanner (scan/prescan*.c, scan/sites.c)
 * over a fake guest memory of a few pages with hand-assembled code: each site kind, Jcc inside a
 * page, a CALL to another page (edge planted, resolved, planted again), straddling instructions
 * and blocks running off a page, overlapping decodes (guest/tests/indirect-code.asm's
 * ind_overlap), self-modifying code, 16-bit code, the guest's own INT3, recycling when the
 * memory block is full, and pages that are not RAM. Every test ends with the invariant check of
 * tests/host/scan-fake.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/host/scan-fake.h"

#define BASE 0x00100000u
#define P(n) (BASE + (n)*4096u)

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

static void test_site_kinds(void **state)
{
    /* nop; pushfd; cli; mov eax, cs; int 0x80; into; jmp [eax] */
    fake_load_hex(&fm, P(0), "90 9C FA 8C C8 CD 80 CE FF 20");
    ensure32(P(0));
    for (uint32_t off = 0; off <= 8; off++) {
        bool want =
            off == 0 || off == 1 || off == 2 || off == 3 || off == 5 || off == 7 || off == 8;
        assert_int_equal(fake_insn_start(&fm, P(0) + off), want);
    }
    assert_false(fake_insn_start(&fm, P(0) + 10)); /* nothing after an indirect jump */
    assert_int_equal(fake_site_kind(&fm, P(0)), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 1), SITE_SENSITIVE);
    assert_int_equal(fake_site_kind(&fm, P(0) + 2), -1); /* CLI faults by itself */
    assert_int_equal(fake_site_kind(&fm, P(0) + 3), SITE_SENSITIVE);
    assert_int_equal(fake_site_kind(&fm, P(0) + 5), -1); /* INT n traps by itself */
    assert_int_equal(fake_site_kind(&fm, P(0) + 7), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 8), SITE_INDIRECT);
    assert_int_equal(fake_byte(&fm, P(0) + 1), 0xCC);
    assert_int_equal(fake_byte(&fm, P(0) + 8), 0xCC);
    uint8_t orig[10];
    assert_true(scan_read_original(fm.sc, P(0), orig, sizeof orig));
    assert_memory_equal(orig, fm.image[0], sizeof orig);
    assert_true(scan_page_is_scanned(fm.sc, P(0)));
    assert_true(fake_protected(&fm, P(0)));
    assert_false(scan_page_is_scanned(fm.sc, P(1)));

    /* ret; ret 4; ud2; iret; jmp far 0x08:0x1234; call [eax]; and code after them */
    fake_load_hex(&fm, P(0) + 0x100, "C3 90");
    fake_load_hex(&fm, P(0) + 0x110, "C2 04 00 90");
    fake_load_hex(&fm, P(0) + 0x120, "0F 0B 90");
    fake_load_hex(&fm, P(0) + 0x130, "CF 90");
    fake_load_hex(&fm, P(0) + 0x140, "EA 34 12 00 00 08 00 90");
    fake_load_hex(&fm, P(0) + 0x150, "FF 10 90");
    const uint32_t entries[] = {0x100, 0x110, 0x120, 0x130, 0x140, 0x150};
    const int kinds[] = {SITE_INDIRECT,  SITE_INDIRECT,  -1,
                         SITE_SENSITIVE, SITE_SENSITIVE, SITE_INDIRECT};
    const uint32_t lens[] = {1, 3, 2, 1, 7, 2};
    for (int i = 0; i < 6; i++) {
        ensure32(P(0) + entries[i]);
        assert_int_equal(fake_site_kind(&fm, P(0) + entries[i]), kinds[i]);
        assert_false(fake_insn_start(&fm, P(0) + entries[i] + lens[i]));
    }
    struct site_info si;
    assert_true(scan_site_at(fm.sc, P(0) + 0x140, &si));
    assert_int_equal(si.len, 7);
    assert_int_equal(si.mode, 32);
    assert_int_equal(scan_stats(fm.sc)->sites_by_kind[SITE_SENSITIVE], 4);
    assert_int_equal(scan_stats(fm.sc)->sites_by_kind[SITE_INDIRECT], 4);
    assert_int_equal(scan_stats(fm.sc)->sites_planted, 8);
    assert_int_equal(scan_sites(fm.sc, NULL, 0), 8);
    check();
}

static void test_sensitive_falls_through(void **state)
{
    /* pushfd; pop eax; ret: the PUSHF is emulated, what follows it is scanned at once */
    fake_load_hex(&fm, P(0), "9C 58 C3");
    ensure32(P(0));
    assert_true(fake_insn_start(&fm, P(0) + 1));
    assert_int_equal(fake_site_kind(&fm, P(0) + 1), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 2), SITE_INDIRECT);
    assert_int_equal(scan_stats(fm.sc)->scans, 1);
    ensure32(P(0) + 1); /* after the monitor emulated PUSHF: already scanned */
    assert_int_equal(scan_stats(fm.sc)->scans, 1);
    check();
}

static void test_jcc_in_page(void **state)
{
    /* 0: xor eax, eax; 2: inc eax; 3: cmp eax, 5; 6: jne 2; 8: je 12; 10: nop; nop; 12: ret */
    fake_load_hex(&fm, P(0), "31 C0 40 83 F8 05 75 FA 74 02 90 90 C3");
    ensure32(P(0));
    const uint32_t starts[] = {0, 2, 3, 6, 8, 10, 11, 12};
    for (unsigned i = 0; i < 8; i++)
        assert_true(fake_insn_start(&fm, P(0) + starts[i]));
    assert_false(fake_insn_start(&fm, P(0) + 1));
    assert_int_equal(fake_site_kind(&fm, P(0) + 6), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 8), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 12), SITE_INDIRECT);
    assert_int_equal(scan_sites(fm.sc, NULL, 0), 1);
    assert_int_equal(scan_stats(fm.sc)->insns_scanned, 8);
    check();
}

static void test_call_other_page(void **state)
{
    /* P0+0x10: call P1+0x20; ret.  P1+0x20: mov eax, 11; ret */
    fake_load_hex(&fm, P(0) + 0x10, "E8 0B 10 00 00 C3");
    fake_load_hex(&fm, P(1) + 0x20, "B8 0B 00 00 00 C3");
    ensure32(P(0) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), SITE_EDGE);
    assert_false(
        fake_insn_start(&fm, P(0) + 0x15)); /* reached only through the callee's RET site */
    check();

    scan_site_done(fm.sc, P(0) + 0x10); /* target not scanned yet: stays */
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), SITE_EDGE);
    ensure32(P(1) + 0x20);
    check();
    scan_site_done(fm.sc, P(0) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), -1);
    assert_int_equal(fake_byte(&fm, P(0) + 0x10), 0xE8);
    assert_true(fake_insn_start(&fm, P(0) + 0x10));
    assert_int_equal(scan_stats(fm.sc)->edges_resolved, 1);
    check();

    scan_invalidate_page(fm.sc, P(1) + 0x800); /* the callee's page is written */
    assert_false(scan_page_is_scanned(fm.sc, P(1)));
    assert_false(fake_protected(&fm, P(1)));
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), SITE_EDGE);
    assert_int_equal(fake_byte(&fm, P(0) + 0x10), 0xCC);
    assert_int_equal(scan_stats(fm.sc)->edges_replanted, 1);
    assert_int_equal(scan_stats(fm.sc)->pages_invalidated, 1);
    check();

    /* and again: resolved once the target is scanned anew */
    ensure32(P(1) + 0x20);
    scan_site_done(fm.sc, P(0) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), -1);
    struct site_info si;
    scan_site_done(fm.sc, P(0) + 0x10); /* no site there any more: ignored */
    assert_false(scan_site_at(fm.sc, P(0) + 0x10, &si));
    check();
}

static void test_jcc_both_pages(void **state)
{
    /* A Jcc at the end of P0 whose fall-through is in P1 and whose target is in P2: it is taken
     * out only when both are scanned, and planted again when either page goes. */
    fake_load_hex(&fm, P(1) - 6, "0F 84 10 10 00 00"); /* je P2+0x10 */
    fake_load_hex(&fm, P(1), "C3");
    fake_load_hex(&fm, P(2) + 0x10, "C3");
    ensure32(P(1) - 6);
    assert_int_equal(fake_site_kind(&fm, P(1) - 6), SITE_EDGE);
    ensure32(P(1));
    scan_site_done(fm.sc, P(1) - 6);
    assert_int_equal(fake_site_kind(&fm, P(1) - 6), SITE_EDGE); /* the target is not scanned yet */
    ensure32(P(2) + 0x10);
    scan_site_done(fm.sc, P(1) - 6);
    assert_int_equal(fake_site_kind(&fm, P(1) - 6), -1);
    check();
    scan_invalidate_page(fm.sc, P(2));
    assert_int_equal(fake_site_kind(&fm, P(1) - 6), SITE_EDGE);
    check();
    ensure32(P(2) + 0x10);
    scan_site_done(fm.sc, P(1) - 6);
    assert_int_equal(fake_site_kind(&fm, P(1) - 6), -1);
    scan_invalidate_page(fm.sc, P(1));
    assert_int_equal(fake_site_kind(&fm, P(1) - 6), SITE_EDGE);
    assert_int_equal(scan_stats(fm.sc)->edges_replanted, 2);
    check();
}

static void test_straddle(void **state)
{
    /* mov eax, 0x12345678 split 2 | 3 across P0 and P1, then ret */
    fake_load_hex(&fm, P(1) - 2, "B8 78 56 34 12 C3");
    ensure32(P(1) - 2);
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), SITE_EDGE);
    assert_true(fake_protected(&fm, P(1))); /* holds part of a scanned instruction */
    assert_false(scan_page_is_scanned(fm.sc, P(1)));
    check();

    scan_site_done(fm.sc, P(1) - 2); /* the fall-through P1+3 is not scanned yet */
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), SITE_EDGE);
    ensure32(P(1) + 3);
    scan_site_done(fm.sc, P(1) - 2);
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), -1);
    assert_true(scan_write_hits_code(fm.sc, P(1) + 2, 1)); /* the straddler's last byte */
    assert_false(scan_write_hits_code(fm.sc, P(1) + 4, 1));
    check();

    /* The guest rewrites the immediate's tail in P1: the straddler is planted again, and its
     * original bytes are the new ones. */
    const uint8_t imm[] = {0xAA, 0xBB};
    assert_true(fake_write(&fm, P(1), imm, sizeof imm, false));
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), SITE_EDGE);
    assert_false(fake_protected(&fm, P(1)));
    uint8_t orig[5];
    assert_true(scan_read_original(fm.sc, P(1) - 2, orig, 5));
    assert_memory_equal(orig, "\xB8\x78\xAA\xBB\x12", 5);
    check();

    /* resolved again once its fall-through is scanned anew; P1 protected again */
    ensure32(P(1) + 3);
    scan_site_done(fm.sc, P(1) - 2);
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), -1);
    assert_true(fake_protected(&fm, P(1)));
    check();
}

static void test_straddle_sensitive(void **state)
{
    /* sidt [ecx] split 2 | 1 (0F 01 | 09), mov eax, cr0 split 1 | 2 */
    fake_load_hex(&fm, P(1) - 2, "0F 01 09 C3");
    fake_load_hex(&fm, P(2) - 1, "0F 20 C0 C3");
    ensure32(P(1) - 2);
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), SITE_SENSITIVE);
    assert_false(fake_insn_start(&fm, P(1) + 1)); /* scanned when the monitor resumes there */
    assert_true(fake_protected(&fm, P(1)));
    ensure32(P(2) - 1);
    assert_int_equal(fake_site_kind(&fm, P(2) - 1),
                     SITE_EDGE); /* privileged, but its tail is in P2 */
    check();
}

static void test_run_off_page(void **state)
{
    /* inc eax x3 running off the end of P0 into P1; a 5-byte mov ending exactly at P2 */
    fake_load_hex(&fm, P(1) - 3, "40 40 40 40 C3");
    fake_load_hex(&fm, P(2) - 5, "B8 01 00 00 00 C3");
    ensure32(P(1) - 3);
    assert_int_equal(fake_site_kind(&fm, P(1) - 3), -1);
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), -1);
    assert_int_equal(fake_site_kind(&fm, P(1) - 1), SITE_EDGE);
    assert_false(fake_protected(&fm, P(1)));
    ensure32(P(2) - 5);
    assert_int_equal(fake_site_kind(&fm, P(2) - 5), SITE_EDGE);
    check();
    scan_site_done(fm.sc, P(1) - 1);
    ensure32(P(1));
    scan_site_done(fm.sc, P(1) - 1);
    assert_int_equal(fake_site_kind(&fm, P(1) - 1), -1);
    check();
}

static void test_overlap(void **state)
{
    /* ind_overlap: mov eax, 0xc3589c90; ret, entered at +0 and at +2 (pushfd; pop eax; ret) */
    fake_load_hex(&fm, P(0) + 0x40, "B8 90 9C 58 C3 C3");
    ensure32(P(0) + 0x40);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x40), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x45), SITE_INDIRECT);
    check();
    ensure32(P(0) + 0x42);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x42), SITE_SENSITIVE);
    assert_true(fake_insn_start(&fm, P(0) + 0x43));
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x44), SITE_INDIRECT);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x40), SITE_OVERLAP);
    struct site_info si;
    assert_true(scan_site_at(fm.sc, P(0) + 0x40, &si));
    assert_int_equal(si.len, 5);
    uint8_t orig[6];
    assert_true(scan_read_original(fm.sc, P(0) + 0x40, orig, 6));
    assert_memory_equal(orig, "\xB8\x90\x9C\x58\xC3\xC3", 6);
    assert_int_equal(fake_byte(&fm, P(0) + 0x42), 0xCC);
    check();
}

static void test_overlap_other_order(void **state)
{
    fake_load_hex(&fm, P(0) + 0x40, "B8 90 9C 58 C3 C3");
    ensure32(P(0) + 0x42);
    ensure32(P(0) + 0x40); /* its immediate holds two planted sites */
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x40), SITE_OVERLAP);
    assert_int_equal(scan_stats(fm.sc)->sites_by_kind[SITE_OVERLAP], 1);
    check();
}

static void test_overlap_resolved_edge(void **state)
{
    /* call P1+0xFB1, whose rel32 starts with 0x9C (pushfd): entered at +1 later, the call,
     * already taken out, must be planted again and stay planted */
    fake_load_hex(&fm, P(0) + 0x10, "E8 9C 1F 00 00 C3");
    fake_load_hex(&fm, P(1) + 0xFB1, "C3");
    ensure32(P(0) + 0x10);
    ensure32(P(1) + 0xFB1);
    scan_site_done(fm.sc, P(0) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), -1);
    ensure32(P(0) + 0x11);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x11), SITE_SENSITIVE);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), SITE_OVERLAP);
    scan_site_done(fm.sc, P(0) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), SITE_OVERLAP);
    check();
}

/* mov eax, 0xC3589C78 straddling P0 | P1, whose bytes in P1 read pushfd; pop eax; ret */
static void load_straddling_overlap(void)
{
    fake_load_hex(&fm, P(1) - 2, "B8 78 9C 58 C3 C3");
}

static void test_overlap_straddler_native(void **state)
{
    load_straddling_overlap();
    ensure32(P(1) - 2);
    ensure32(P(1) + 3);
    scan_site_done(fm.sc, P(1) - 2);
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), -1); /* runs natively */
    ensure32(P(1));                                      /* entered inside its tail */
    assert_int_equal(fake_site_kind(&fm, P(1)), SITE_SENSITIVE);
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), SITE_OVERLAP);
    check();
}

static void test_overlap_straddler_planted(void **state)
{
    load_straddling_overlap();
    ensure32(P(1) - 2);
    ensure32(P(1) + 3);
    scan_invalidate_page(fm.sc, P(1)); /* the straddler keeps no hold on P1 now */
    ensure32(P(1));
    ensure32(P(1) + 3);
    scan_site_done(fm.sc, P(1) - 2); /* its tail holds a site: it can never run natively */
    assert_int_equal(fake_site_kind(&fm, P(1) - 2), SITE_OVERLAP);
    check();
}

static void test_other_segment_base(void **state)
{
    /* jmp P1 from code with base 0; P1 is scanned for a segment based at 0x1000: the jump is
     * not taken out, the target is no start of its own segment */
    fake_load_hex(&fm, P(0), "E9 FB 0F 00 00");
    fake_load_hex(&fm, P(1), "C3");
    ensure32(P(0));
    assert_int_equal(scan_ensure(fm.sc, 0x1000, P(1) - 0x1000, 32), SCAN_OK);
    scan_site_done(fm.sc, P(0));
    assert_int_equal(fake_site_kind(&fm, P(0)), SITE_EDGE);
    check();
    ensure32(P(1)); /* rescanned for base 0 */
    scan_site_done(fm.sc, P(0));
    assert_int_equal(fake_site_kind(&fm, P(0)), -1);
    check();
}

static void test_self_modifying(void **state)
{
    /* smc_imm: mov eax, 0x11111111; ret.  smc_trap: nop; mov eax, 7; ret */
    fake_load_hex(&fm, P(0), "B8 11 11 11 11 C3");
    fake_load_hex(&fm, P(0) + 0x10, "90 B8 07 00 00 00 C3");
    ensure32(P(0));
    ensure32(P(0) + 0x10);
    assert_int_equal(fake_byte(&fm, P(0) + 5), 0xCC);
    const uint8_t imm[] = {0x22, 0x22, 0x22, 0x22};
    assert_true(fake_write(&fm, P(0) + 1, imm, 4, false));
    assert_int_equal(scan_stats(fm.sc)->pages_invalidated, 1);
    assert_false(scan_page_is_scanned(fm.sc, P(0)));
    assert_false(fake_insn_start(&fm, P(0)));
    assert_int_equal(fake_byte(&fm, P(0) + 5), 0xC3); /* every site of the page taken out */
    assert_int_equal(fake_byte(&fm, P(0) + 0x16), 0xC3);
    assert_int_equal(scan_sites(fm.sc, NULL, 0), 0);
    check();
    ensure32(P(0));
    assert_int_equal(scan_stats(fm.sc)->pages_scanned, 2);

    /* the guest patches its own INT3 over the NOP: the INT3 is its own, not a site */
    const uint8_t int3 = 0xCC;
    assert_true(fake_write(&fm, P(0) + 0x10, &int3, 1, false));
    ensure32(P(0) + 0x10);
    assert_true(fake_insn_start(&fm, P(0) + 0x10));
    assert_int_equal(fake_site_kind(&fm, P(0) + 0x10), -1);
    assert_true(fake_insn_start(&fm, P(0) + 0x11));
    check();

    /* smc_branch: the first instruction becomes a jump over the first return */
    fake_load_hex(&fm, P(2), "B8 01 00 00 00 C3 B8 02 00 00 00 C3");
    ensure32(P(2));
    assert_false(fake_insn_start(&fm, P(2) + 6));
    const uint8_t jmp[] = {0xEB, 0x04};
    assert_true(fake_write(&fm, P(2), jmp, 2, false));
    ensure32(P(2));
    assert_true(fake_insn_start(&fm, P(2) + 6));
    assert_int_equal(fake_site_kind(&fm, P(2) + 11), SITE_INDIRECT);
    check();
}

static void test_data_beside_code(void **state)
{
    /* mov eax, [0x100800]; ret, with its data in the same page */
    fake_load_hex(&fm, P(0), "A1 00 08 10 00 C3");
    ensure32(P(0));
    assert_false(scan_write_hits_code(fm.sc, P(0) + 0x800, 4));
    assert_false(scan_write_hits_code(fm.sc, P(0) + 6, 0x100)); /* just after the RET */
    const uint8_t data[] = {1, 2, 3, 4};
    assert_true(fake_write(&fm, P(0) + 0x800, data, 4, true));
    assert_true(scan_page_is_scanned(fm.sc, P(0))); /* the scan survives */
    assert_int_equal(scan_stats(fm.sc)->pages_invalidated, 0);
    assert_true(scan_write_hits_code(fm.sc, P(0) + 5, 1)); /* the RET site */
    assert_true(scan_write_hits_code(fm.sc, P(0) + 2, 1)); /* inside the MOV */
    assert_true(fake_write(&fm, P(0) + 2, data, 1, true));
    assert_false(scan_page_is_scanned(fm.sc, P(0)));
    check();
}

static void test_16bit(void **state)
{
    /* mov ax, 0x1234; ret is 3 + 1 bytes in 16-bit code, and a 5-byte mov in 32-bit code */
    fake_load_hex(&fm, P(0), "B8 34 12 C3 90");
    assert_int_equal(scan_ensure(fm.sc, BASE, 0, 16), SCAN_OK);
    assert_true(fake_insn_start(&fm, P(0) + 3));
    assert_int_equal(fake_site_kind(&fm, P(0) + 3), SITE_INDIRECT);
    struct site_info si;
    assert_true(scan_site_at(fm.sc, P(0) + 3, &si));
    assert_int_equal(si.mode, 16);
    int mode;
    uint32_t base;
    assert_true(scan_insn_start(fm.sc, P(0), &mode, &base));
    assert_int_equal(mode, 16);
    assert_int_equal(base, BASE);
    check();

    /* entered as 32-bit code: invalidated and rescanned */
    ensure32(P(0));
    assert_int_equal(scan_stats(fm.sc)->pages_invalidated, 1);
    assert_false(fake_insn_start(&fm, P(0) + 3));
    assert_true(fake_insn_start(&fm, P(0) + 5));
    assert_int_equal(fake_site_kind(&fm, P(0) + 3), -1);
    assert_int_equal(fake_byte(&fm, P(0) + 3), 0xC3);
    check();
}

static void test_16bit_wrap(void **state)
{
    /* At IP 4 in a 16-bit segment based at BASE, jmp short -16 goes to IP 0xFFF6 (the target
     * wraps in IP space), linear BASE + 0xFFF6, in P15. pushf there is a site in 16-bit code. */
    fake_load_hex(&fm, P(0) + 4, "EB F0");
    fake_load_hex(&fm, BASE + 0xFFF6, "9C C3");
    assert_int_equal(scan_ensure(fm.sc, BASE, 4, 16), SCAN_OK);
    assert_int_equal(fake_site_kind(&fm, P(0) + 4), SITE_EDGE);
    scan_site_done(fm.sc, P(0) + 4);
    assert_int_equal(scan_ensure(fm.sc, BASE, 0xFFF6, 16), SCAN_OK);
    assert_int_equal(fake_site_kind(&fm, BASE + 0xFFF6), SITE_SENSITIVE);
    scan_site_done(fm.sc, P(0) + 4);
    assert_int_equal(fake_site_kind(&fm, P(0) + 4), -1);
    check();
    /* the same page entered through another segment base: rescanned for it */
    assert_int_equal(scan_ensure(fm.sc, BASE - 0x1000, 0x1004, 16), SCAN_OK);
    assert_int_equal(scan_stats(fm.sc)->pages_invalidated, 1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 4),
                     SITE_EDGE); /* now IP 0x0FF6: linear BASE - 10 */
    check();
}

static void test_guest_int3(void **state)
{
    /* ind_int3_mix: int3; pushfd; int3; pop eax; int3; ret */
    fake_load_hex(&fm, P(0), "CC 9C CC 58 CC C3");
    ensure32(P(0));
    for (uint32_t off = 0; off < 6; off++)
        assert_true(fake_insn_start(&fm, P(0) + off));
    assert_int_equal(fake_site_kind(&fm, P(0)), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 1), SITE_SENSITIVE);
    assert_int_equal(fake_site_kind(&fm, P(0) + 2), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 4), -1);
    uint8_t orig[6];
    assert_true(scan_read_original(fm.sc, P(0), orig, 6));
    assert_memory_equal(orig, "\xCC\x9C\xCC\x58\xCC\xC3", 6);

    /* pe_int3_end: INT3 as the last byte of a page returns (through IRET) into the next */
    fake_load_hex(&fm, P(2) - 1, "CC B8 05 00 00 00 C3");
    ensure32(P(2) - 1);
    assert_int_equal(fake_site_kind(&fm, P(2) - 1), -1);
    assert_false(fake_protected(&fm, P(2)));
    check();
}

static void test_recycling(void **state)
{
    assert_int_equal(fake_scanner_init(&fm, BASE, 16, block, SCAN_MIN_BYTES), 0);
    /* Each page: call the next page's start; ret. Scan them in order and resolve each call. */
    for (unsigned p = 0; p < 16; p++)
        fake_load_hex(&fm, P(p), "E8 FB 0F 00 00 C3");
    for (unsigned p = 0; p < 16; p++) {
        ensure32(P(p));
        if (p > 0) {
            scan_site_done(fm.sc, P(p - 1));
            check();
        }
    }
    assert_true(scan_stats(fm.sc)->pages_recycled > 0);
    assert_false(scan_page_is_scanned(fm.sc, P(0))); /* the oldest went first */
    assert_true(scan_page_is_scanned(fm.sc, P(15)));
    assert_int_equal(fake_site_kind(&fm, P(14)), -1); /* the newest call is resolved */
    for (unsigned p = 0; p < 16; p++)
        if (!scan_page_is_scanned(fm.sc, P(p)))
            assert_memory_equal(fm.mem[p], fm.image[p], 4096);
    check();
    /* recycled pages come back on demand */
    ensure32(P(0));
    assert_true(scan_page_is_scanned(fm.sc, P(0)));
    check();
}

/* Memory runs out while an edge is being taken out: the page it sits in is the least recently
 * used, yet it is not the one recycled, because the operation is using it. */
static void test_recycling_spares_pages_in_use(void **state)
{
    assert_int_equal(fake_scanner_init(&fm, BASE, 16, block, SCAN_MIN_BYTES), 0);
    fake_load_hex(&fm, P(1) - 16, "C3");
    fake_load_hex(&fm, P(1) - 1, "EB EF"); /* jmp short P1-16, split 1 | 1 */
    ensure32(P(1) - 1);
    assert_int_equal(fake_site_kind(&fm, P(1) - 1), SITE_EDGE);
    scan_invalidate_page(fm.sc, P(1)); /* the straddler no longer holds a page state for P1 */
    unsigned p = 2;
    for (; scan_stats(fm.sc)->pages_recycled == 0; p++) {
        assert_true(p < 16);
        fake_load_hex(&fm, P(p), "C3");
        ensure32(P(p));
        ensure32(P(1) - 16); /* keeps P0 recent while the pool fills */
    }
    for (unsigned q = 2; q < p; q++)
        if (scan_page_is_scanned(fm.sc, P(q)))
            ensure32(P(q)); /* now P0 is the least recently used */
    uint64_t recycled = scan_stats(fm.sc)->pages_recycled;
    scan_site_done(fm.sc, P(1) - 1); /* needs a page state for P1: recycles one */
    assert_int_equal(scan_stats(fm.sc)->pages_recycled, recycled + 1);
    assert_true(scan_page_is_scanned(fm.sc, P(0)));
    assert_int_equal(fake_site_kind(&fm, P(1) - 1), -1);
    assert_true(fake_protected(&fm, P(1)));
    check();
}

static void test_too_small(void **state)
{
    struct scan_ops ops = fake_ops(&fm);
    assert_null(scan_init(block, SCAN_MIN_BYTES - 1, &ops));
}

static void test_not_ram(void **state)
{
    fake_set_ram(&fm, 3, false);
    assert_int_equal(scan_ensure(fm.sc, 0, P(3), 32), SCAN_NOT_RAM);
    assert_int_equal(scan_ensure(fm.sc, 0, 0x12345678, 32), SCAN_NOT_RAM);
    /* an instruction straddling into the hole cannot be scanned */
    fake_load_hex(&fm, P(3) - 2, "B8 78");
    assert_int_equal(scan_ensure(fm.sc, 0, P(3) - 2, 32), SCAN_NOT_RAM);
    assert_false(scan_page_is_scanned(fm.sc, P(2)));
    /* a block running into it: the instruction before is an edge the monitor stops at */
    fake_load_hex(&fm, P(3) - 5, "90 90 90");
    ensure32(P(3) - 5);
    assert_int_equal(fake_site_kind(&fm, P(3) - 5), -1);
    assert_int_equal(fake_site_kind(&fm, P(3) - 3), SITE_EDGE);
    assert_false(fake_insn_start(&fm, P(3) - 2));
    scan_site_done(fm.sc, P(3) - 3);
    assert_int_equal(fake_site_kind(&fm, P(3) - 3), SITE_EDGE);
    /* and a block falling into the hole from its last byte */
    fake_load_hex(&fm, P(2) + 0x10, "E9 EB 0F 00 00"); /* jmp P3 */
    ensure32(P(2) + 0x10);
    assert_int_equal(fake_site_kind(&fm, P(2) + 0x10), SITE_EDGE);
    uint8_t b[4];
    assert_false(scan_read_original(fm.sc, P(3) - 2, b, 4));
    check();
}

static void test_reset(void **state)
{
    fake_load_hex(&fm, P(0), "9C 58 C3");
    fake_load_hex(&fm, P(1) - 2, "B8 78 56 34 12 C3");
    ensure32(P(0));
    ensure32(P(1) - 2);
    scan_reset(fm.sc);
    assert_memory_equal(fm.mem[0], fm.image[0], 4096);
    for (unsigned p = 0; p < 16; p++)
        assert_false(fm.prot[p]);
    assert_int_equal(scan_sites(fm.sc, NULL, 0), 0);
    assert_int_equal(scan_stats(fm.sc)->scans, 2); /* counters survive */
    check();
    ensure32(P(0));
    assert_int_equal(fake_site_kind(&fm, P(0)), SITE_SENSITIVE);
    check();
}

static void test_policy_cli_sti(void **state)
{
    /* cli; sti; hlt; ret, scanned first without the policy: CLI and STI fault by themselves */
    fake_load_hex(&fm, P(0), "FA FB F4 C3");
    ensure32(P(0));
    assert_int_equal(fake_site_kind(&fm, P(0)), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 1), -1);
    check();

    /* The policy changes: every scan is dropped, then CLI and STI become sensitive sites whose
     * fall-through is scanned at once; HLT stays privileged. */
    scan_set_policy(fm.sc, SCAN_POLICY_SITE_CLI_STI);
    fm.policy = SCAN_POLICY_SITE_CLI_STI;
    assert_false(scan_page_is_scanned(fm.sc, P(0)));
    assert_false(fake_protected(&fm, P(0)));
    check();
    ensure32(P(0));
    assert_int_equal(fake_site_kind(&fm, P(0)), SITE_SENSITIVE);
    assert_int_equal(fake_site_kind(&fm, P(0) + 1), SITE_SENSITIVE);
    assert_true(fake_insn_start(&fm, P(0) + 2));
    assert_int_equal(fake_site_kind(&fm, P(0) + 2), -1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 3), SITE_INDIRECT);
    assert_int_equal(fake_byte(&fm, P(0)), 0xCC);
    assert_int_equal(scan_stats(fm.sc)->sites_by_kind[SITE_SENSITIVE], 2);
    uint8_t orig[4];
    assert_true(scan_read_original(fm.sc, P(0), orig, 4));
    assert_memory_equal(orig, "\xFA\xFB\xF4\xC3", 4);
    check();

    /* Setting the same policy again keeps the scan; reset keeps the policy. */
    scan_set_policy(fm.sc, SCAN_POLICY_SITE_CLI_STI);
    assert_true(scan_page_is_scanned(fm.sc, P(0)));
    scan_reset(fm.sc);
    ensure32(P(0) + 1);
    assert_int_equal(fake_site_kind(&fm, P(0) + 1), SITE_SENSITIVE);
    check();
}

static void test_sites_list(void **state)
{
    fake_load_hex(&fm, P(0), "9C 9D C3");
    ensure32(P(0));
    scan_site_done(fm.sc, P(0));
    scan_site_done(fm.sc, P(0));
    struct site_info si[2];
    assert_int_equal(scan_sites(fm.sc, si, 2), 3);
    struct site_info one;
    assert_true(scan_site_at(fm.sc, P(0), &one));
    assert_int_equal(one.hits, 2);
    assert_int_equal(one.kind, SITE_SENSITIVE);
    check();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_site_kinds, setup),
        cmocka_unit_test_setup(test_sensitive_falls_through, setup),
        cmocka_unit_test_setup(test_jcc_in_page, setup),
        cmocka_unit_test_setup(test_call_other_page, setup),
        cmocka_unit_test_setup(test_jcc_both_pages, setup),
        cmocka_unit_test_setup(test_straddle, setup),
        cmocka_unit_test_setup(test_straddle_sensitive, setup),
        cmocka_unit_test_setup(test_run_off_page, setup),
        cmocka_unit_test_setup(test_overlap, setup),
        cmocka_unit_test_setup(test_overlap_other_order, setup),
        cmocka_unit_test_setup(test_overlap_resolved_edge, setup),
        cmocka_unit_test_setup(test_overlap_straddler_native, setup),
        cmocka_unit_test_setup(test_overlap_straddler_planted, setup),
        cmocka_unit_test_setup(test_other_segment_base, setup),
        cmocka_unit_test_setup(test_self_modifying, setup),
        cmocka_unit_test_setup(test_data_beside_code, setup),
        cmocka_unit_test_setup(test_16bit, setup),
        cmocka_unit_test_setup(test_16bit_wrap, setup),
        cmocka_unit_test_setup(test_guest_int3, setup),
        cmocka_unit_test_setup(test_recycling, setup),
        cmocka_unit_test_setup(test_recycling_spares_pages_in_use, setup),
        cmocka_unit_test_setup(test_too_small, setup),
        cmocka_unit_test_setup(test_not_ram, setup),
        cmocka_unit_test_setup(test_reset, setup),
        cmocka_unit_test_setup(test_policy_cli_sti, setup),
        cmocka_unit_test_setup(test_sites_list, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
