/*
 * selftest.c: checks that the monitor's own world works on this machine, one line per check on
 * the log ("selftest: NAME: PASS" or "... FAIL: why"), then "selftest: N passed, M failed" and
 * the matching exit code. `selftest=fault` instead faults inside the monitor on purpose, so the
 * tests can check the panic report itself.
 */
#include "monitor/selftest.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "arch/x86/shutdown.h"
#include "arch/x86/timer.h"
#include "monitor/exit_codes.h"
#include "monitor/frames.h"
#include "monitor/log.h"
#include "monitor/nexus.h"
#include "monitor/trap.h"

#include <stdio.h>
#include <string.h>

/* A scratch ring-3 world below the monitor: flat ring-3 segments in GDT slots 1 and 2. */
#define R3_CODE_LINEAR 0x00400000u
#define R3_STACK_TOP   0x00402000u
#define R3_CS          ((1u << 3) | 3)
#define R3_DS          ((2u << 3) | 3)

static char why[160];

static bool check_frames(void)
{
    enum { N = 64 };
    uint32_t got[N];
    uint32_t before = frames_free_count();
    for (int i = 0; i < N; i++) {
        got[i] = frame_alloc();
        if (got[i] == FRAME_NONE || (got[i] & (PAGE_SIZE - 1)) || !frame_is_usable(got[i]) ||
            got[i] < 0x100000) {
            sniprintf(why, sizeof(why), "frame %d is %#lx", i, (unsigned long)got[i]);
            return false;
        }
        for (int j = 0; j < i; j++) {
            if (got[j] == got[i]) {
                sniprintf(why, sizeof(why), "frame %#lx handed out twice", (unsigned long)got[i]);
                return false;
            }
        }
    }
    if (frames_free_count() != before - N) {
        sniprintf(why, sizeof(why), "free count did not drop by %d", N);
        return false;
    }
    for (int i = 0; i < N; i++)
        frame_free(got[i]);
    if (frames_free_count() != before) {
        sniprintf(why, sizeof(why), "free count not restored");
        return false;
    }
    return true;
}

static bool check_high_mapping(void)
{
    uint32_t eip;
    __asm__ volatile("call 1f\n1: pop %0" : "=r"(eip));
    if (eip < MON_BASE) {
        sniprintf(why, sizeof(why), "running at %#lx, not in the monitor region",
                  (unsigned long)eip);
        return false;
    }
    if (mon_pd[0] & PTE_P) {
        sniprintf(why, sizeof(why), "the boot identity map is still present");
        return false;
    }
    /* One frame seen through two temporary slots must be the same memory. */
    uint32_t f = frame_alloc();
    if (f == FRAME_NONE) {
        sniprintf(why, sizeof(why), "no frame");
        return false;
    }
    volatile uint32_t *a = tmp_map(TMP_SLOT_SELFTEST_A, f);
    volatile uint32_t *b = tmp_map(TMP_SLOT_SELFTEST_B, f);
    a[17] = 0xC0FFEE11;
    bool same = b[17] == 0xC0FFEE11;
    tmp_unmap(TMP_SLOT_SELFTEST_A);
    tmp_unmap(TMP_SLOT_SELFTEST_B);
    frame_free(f);
    if (!same)
        sniprintf(why, sizeof(why), "two mappings of one frame disagree");
    return same;
}

static bool check_timer(void)
{
    /* Wait for 10 ticks with interrupts on; bound the wait by the TSC (2 s). */
    uint64_t limit = (uint64_t)timer_tsc_khz() * 2000;
    uint64_t t0 = rdtsc();
    uint64_t start = timer_ticks();
    irq_enable();
    while (timer_ticks() - start < 10 && rdtsc() - t0 < limit)
        halt();
    irq_disable();
    uint64_t got = timer_ticks() - start;
    uint64_t ms = (rdtsc() - t0) / timer_tsc_khz();
    if (got < 10) {
        sniprintf(why, sizeof(why), "%lu ticks in %lu ms", (unsigned long)got, (unsigned long)ms);
        return false;
    }
    /* 10 ticks at TIMER_HZ take 100 ms; anything under 50 ms means a wrong rate. */
    if (ms < 10 * 1000 / TIMER_HZ / 2) {
        sniprintf(why, sizeof(why), "10 ticks came after only %lu ms", (unsigned long)ms);
        return false;
    }
    return true;
}

/* Ring 3 runs: INT3 (into the nexus at ring 3, which returns), then CLI (privileged: #GP). */
static const uint8_t ring3_code[] = {0xCC, 0xFA, 0xEB, 0xFE};

static bool setup_ring3(uint32_t *code_frame, uint32_t *stack_frame)
{
    *code_frame = frame_alloc();
    *stack_frame = frame_alloc();
    if (*code_frame == FRAME_NONE || *stack_frame == FRAME_NONE)
        return false;
    memcpy(tmp_map(TMP_SLOT_SELFTEST_A, *code_frame), ring3_code, sizeof(ring3_code));
    tmp_unmap(TMP_SLOT_SELFTEST_A);
    gdt_set(R3_CS >> 3, seg_desc_make(0, 0xFFFFFFFF, DESC_CODE_R | DESC_DPL(3), 1));
    gdt_set(R3_DS >> 3, seg_desc_make(0, 0xFFFFFFFF, DESC_DATA_W | DESC_DPL(3), 1));
    return paging_map(R3_CODE_LINEAR, *code_frame, PTE_US) &&
           paging_map(R3_STACK_TOP - PAGE_SIZE, *stack_frame, PTE_US | PTE_RW);
}

static void teardown_ring3(uint32_t code_frame, uint32_t stack_frame)
{
    paging_unmap(R3_CODE_LINEAR);
    paging_unmap(R3_STACK_TOP - PAGE_SIZE);
    gdt_set(R3_CS >> 3, (struct seg_desc){0, 0});
    gdt_set(R3_DS >> 3, (struct seg_desc){0, 0});
    frame_free(code_frame);
    frame_free(stack_frame);
}

static uint32_t ring3_exit_vector;

static bool run_ring3_program(void)
{
    uint32_t code_frame, stack_frame;
    if (!setup_ring3(&code_frame, &stack_frame)) {
        sniprintf(why, sizeof(why), "could not map the ring-3 pages");
        return false;
    }
    nexus_data_reset();
    memset(&ring3_frame, 0, sizeof(ring3_frame));
    ring3_frame.cs = R3_CS;
    ring3_frame.ds = ring3_frame.es = ring3_frame.fs = ring3_frame.gs = R3_DS;
    ring3_frame.ss = R3_DS;
    ring3_frame.esp = R3_STACK_TOP;
    ring3_frame.eip = R3_CODE_LINEAR;
    ring3_frame.eflags = EFLAGS_RSVD | EFLAGS_IF;
    ring3_exit_vector = ring3_run();
    teardown_ring3(code_frame, stack_frame);
    return true;
}

static bool check_ring3_int3_in_nexus(void)
{
    struct nexus_data d = nexus_data_snapshot();
    if (d.int3_hits != 1) {
        sniprintf(why, sizeof(why), "nexus saw %lu INT3s, expected 1", (unsigned long)d.int3_hits);
        return false;
    }
    if (d.last_cpl != 3) {
        sniprintf(why, sizeof(why), "nexus handler ran at CPL %lu", (unsigned long)d.last_cpl);
        return false;
    }
    if (d.last_eip != R3_CODE_LINEAR + 1 || d.last_cs != R3_CS) {
        sniprintf(why, sizeof(why), "nexus saw return address %04lx:%08lx",
                  (unsigned long)d.last_cs, (unsigned long)d.last_eip);
        return false;
    }
    return true;
}

static bool check_ring3_gp(void)
{
    if (ring3_exit_vector != TRAP_GP || ring3_frame.error != 0 ||
        ring3_frame.eip != R3_CODE_LINEAR + 1 || (ring3_frame.cs & 3) != 3) {
        sniprintf(why, sizeof(why), "ring 3 stopped with vector %lu error %#lx at %04lx:%08lx",
                  (unsigned long)ring3_exit_vector, (unsigned long)ring3_frame.error,
                  (unsigned long)ring3_frame.cs, (unsigned long)ring3_frame.eip);
        return false;
    }
    return true;
}

extern char _nexus_start[], _nexus_end[];

/* After a move, ring 3 reaches the nexus at its new window only: the old window is unmapped, the
 * pages where the linker put them are supervisor-only, and an INT3 enters the handler. */
static bool check_nexus_move(void)
{
    uint32_t from = nexus_window(), to = nexus_move();
    for (uint32_t off = 0; off < (uint32_t)(_nexus_end - _nexus_start); off += PAGE_SIZE) {
        if (paging_lookup((uint32_t)_nexus_start + off) & PTE_US) {
            sniprintf(why, sizeof(why), "the monitor's view of the nexus is user-accessible");
            return false;
        }
        if (paging_lookup(from + off)) {
            sniprintf(why, sizeof(why), "the old window %#lx is still mapped at offset %#lx",
                      (unsigned long)from, (unsigned long)off);
            return false;
        }
        if (!(paging_lookup(to + off) & PTE_US)) {
            sniprintf(why, sizeof(why), "the new window %#lx is not user-accessible at offset %#lx",
                      (unsigned long)to, (unsigned long)off);
            return false;
        }
    }
    return run_ring3_program() && check_ring3_int3_in_nexus();
}

static int passed, failed;

static void report(const char *name, bool ok)
{
    if (ok) {
        passed++;
        log_info("selftest: %s: PASS", name);
    } else {
        failed++;
        log_err("selftest: %s: FAIL: %s", name, why);
    }
    why[0] = '\0';
}

void selftest_run(enum selftest_mode mode)
{
    if (mode == SELFTEST_FAULT) {
        log_info("selftest: faulting inside the monitor on purpose");
        uint32_t unmapped = 0x00000010; /* the identity map is gone: nothing is here */
        __asm__("" : "+r"(unmapped));   /* hide the constant so the compiler emits the store */
        *(volatile uint32_t *)unmapped = 0xDEAD;
    }
    report("frame allocator", check_frames());
    report("high mapping", check_high_mapping());
    report("monitor timer", check_timer());
    bool ran = run_ring3_program();
    report("ring-3 INT3 handled by nexus code at ring 3", ran && check_ring3_int3_in_nexus());
    report("ring-3 privileged instruction traps to ring 0 as #GP", ran && check_ring3_gp());
    report("nexus moved: ring 3 reaches it at its new window only", check_nexus_move());
    log_info("selftest: %d passed, %d failed", passed, failed);
    machine_exit(failed ? MON_EXIT_FAIL : MON_EXIT_PASS);
}
