/*
 * panic.c: the monitor's fault report. Everything it prints is read defensively (the fault may
 * have come from a broken pointer or a smashed stack): instruction bytes and stack frames are
 * read only where the page tables say memory is mapped, and the backtrace stops at the first
 * frame pointer that leaves the monitor region or does not grow.
 */
#include "monitor/panic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "arch/x86/shutdown.h"
#include "arch/x86/trap.h"
#include "monitor/exit_codes.h"
#include "monitor/log.h"
#include "monitor/symbols.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define BACKTRACE_MAX 32

static const char *const exception_names[32] = {"#DE divide error",
                                                "#DB debug",
                                                "NMI",
                                                "#BP breakpoint",
                                                "#OF overflow",
                                                "#BR bound range",
                                                "#UD invalid opcode",
                                                "#NM no math coprocessor",
                                                "#DF double fault",
                                                "coprocessor segment overrun",
                                                "#TS invalid TSS",
                                                "#NP segment not present",
                                                "#SS stack-segment fault",
                                                "#GP general protection",
                                                "#PF page fault",
                                                "reserved 15",
                                                "#MF x87 error",
                                                "#AC alignment check",
                                                "#MC machine check",
                                                "#XM SIMD exception",
                                                "#VE virtualization",
                                                "#CP control protection"};

static volatile int panicking;

const char *symbol_lookup(uint32_t addr, uint32_t *offset)
{
    /* The table is sorted by address: binary search for the last symbol at or below addr. */
    uint32_t lo = 0, hi = symbol_count;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (symbol_table[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) {
        *offset = addr;
        return "?";
    }
    *offset = addr - symbol_table[lo - 1].addr;
    return &symbol_names[symbol_table[lo - 1].name];
}

static bool readable(uint32_t addr, uint32_t len)
{
    for (uint32_t page = addr & PAGE_MASK; page <= ((addr + len - 1) & PAGE_MASK);
         page += PAGE_SIZE) {
        if (!paging_lookup(page))
            return false;
        if (page == 0xFFFFF000u)
            break;
    }
    return true;
}

static void print_location(const char *what, uint32_t addr)
{
    uint32_t off;
    const char *name = symbol_lookup(addr, &off);
    log_err("%s %08lx <%s+%#lx>", what, (unsigned long)addr, name, (unsigned long)off);
}

static void backtrace(uint32_t ebp)
{
    uint32_t prev = 0;
    for (int depth = 0; depth < BACKTRACE_MAX; depth++) {
        if (ebp < MON_BASE || ebp <= prev || (ebp & 3) || !readable(ebp, 8))
            return;
        const uint32_t *frame = (const uint32_t *)ebp;
        if (frame[1] < MON_BASE)
            return;
        print_location("  called from", frame[1]);
        prev = ebp;
        ebp = frame[0];
    }
}

static void decode_error(uint32_t vector, uint32_t error)
{
    if (vector == TRAP_PF) {
        log_err("error code %#lx: %s, %s access, %s mode%s%s", (unsigned long)error,
                error & 1 ? "protection violation" : "page not present",
                error & 2 ? "write" : "read", error & 4 ? "user" : "supervisor",
                error & 8 ? ", reserved bit set" : "", error & 16 ? ", instruction fetch" : "");
    } else if (vector == TRAP_TS || vector == TRAP_NP || vector == TRAP_SS || vector == TRAP_GP) {
        if (error == 0) {
            log_err("error code 0");
            return;
        }
        log_err("error code %#lx: %s index %lu%s", (unsigned long)error,
                error & 2 ? "IDT" : (error & 4 ? "LDT" : "GDT"), (unsigned long)(error >> 3),
                error & 1 ? ", external event" : "");
    }
}

static void dump_instruction(uint32_t eip)
{
    char line[3 * 16 + 1];
    int n = 0;
    for (uint32_t i = 0; i < 16; i++) {
        if (!readable(eip + i, 1))
            break;
        n += sniprintf(line + n, sizeof(line) - (unsigned)n, "%02x ", ((const uint8_t *)eip)[i]);
    }
    log_err("bytes at eip: %s", n ? line : "(not mapped)");
}

static void enter_panic(void)
{
    irq_disable();
    if (panicking++)
        machine_exit(MON_EXIT_PANIC); /* a fault while reporting: stop without more words */
}

void panic_trap(const struct trap_frame *tf)
{
    enter_panic();
    uint32_t v = tf->vector;
    bool user = (tf->cs & 3) != 0;
    /* Without a privilege change the CPU pushed no ESP/SS: the stack was just above them. */
    uint32_t esp = user || v == TRAP_DF ? tf->esp : (uint32_t)&tf->esp;
    log_err("MONITOR PANIC: %s (vector %lu) in %s", v < 32 ? exception_names[v] : "interrupt",
            (unsigned long)v, user ? "ring 3" : "the monitor");
    print_location("eip", tf->eip);
    decode_error(v, tf->error);
    log_err("eax=%08lx ebx=%08lx ecx=%08lx edx=%08lx", (unsigned long)tf->eax,
            (unsigned long)tf->ebx, (unsigned long)tf->ecx, (unsigned long)tf->edx);
    log_err("esi=%08lx edi=%08lx ebp=%08lx esp=%08lx", (unsigned long)tf->esi,
            (unsigned long)tf->edi, (unsigned long)tf->ebp, (unsigned long)esp);
    log_err("cs=%04lx ds=%04lx es=%04lx fs=%04lx gs=%04lx eflags=%08lx", (unsigned long)tf->cs,
            (unsigned long)tf->ds, (unsigned long)tf->es, (unsigned long)tf->fs,
            (unsigned long)tf->gs, (unsigned long)tf->eflags);
    log_err("cr0=%08lx cr2=%08lx cr3=%08lx cr4=%08lx", (unsigned long)read_cr0(),
            (unsigned long)read_cr2(), (unsigned long)read_cr3(), (unsigned long)read_cr4());
    dump_instruction(tf->eip);
    log_err("backtrace:");
    print_location("  at", tf->eip);
    if (!user)
        backtrace(tf->ebp);
    machine_exit(MON_EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    enter_panic();
    va_list ap;
    va_start(ap, fmt);
    char msg[256];
    vsniprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_err("MONITOR PANIC: %s", msg);
    log_err("backtrace:");
    backtrace((uint32_t)__builtin_frame_address(0));
    machine_exit(MON_EXIT_PANIC);
}

void double_fault_report(void)
{
    /* Runs in the double-fault task: the state of the task that faulted is in the main TSS. */
    const struct tss32 *t = &mon_tss.tss;
    struct trap_frame tf = {.gs = t->gs,
                            .fs = t->fs,
                            .es = t->es,
                            .ds = t->ds,
                            .edi = t->edi,
                            .esi = t->esi,
                            .ebp = t->ebp,
                            .ebx = t->ebx,
                            .edx = t->edx,
                            .ecx = t->ecx,
                            .eax = t->eax,
                            .vector = TRAP_DF,
                            .error = 0,
                            .eip = t->eip,
                            .cs = t->cs,
                            .eflags = t->eflags,
                            .esp = t->esp,
                            .ss = t->ss};
    log_err("double fault: monitor stack pointer was %08lx", (unsigned long)t->esp);
    panic_trap(&tf);
}

void stop_config_error(void)
{
    log_err("nexus86 stopped: fix the problem above and boot again");
    machine_exit(MON_EXIT_CONFIG);
}
