/*
 * audit.c: the audit mode (`audit` on the command line). Code in virtual rings 0-2 runs with TF
 * set, so after every native instruction the monitor looks at the next one before the CPU runs
 * it: it must be an instruction start the prescanner has scanned (with the same code size and
 * segment base), and if it is sensitive it must be a planted site (INT n, INT3, INTO and BOUND
 * need none: at ring 3 they reach the monitor through its own gates). A violation is a scanner bug;
 * the run stops with a report. It checks the invariant the scanner promises, on real guests.
 */
#include "arch/x86/shutdown.h"
#include "monitor/exit_codes.h"
#include "monitor/log.h"
#include "monitor/vm/vm_exit.h"
#include "monitor/vm/vm_ops.h"
#include "scan/decode.h"
#include "scan/prescan.h"

static void violation(struct vm *vm, const char *what, uint32_t lin)
{
    char text[64];
    struct x86_insn insn;
    vm_insn_at(vm, lin, vcpu_code_size(&vm->cpu), &insn, text, sizeof text);
    log_err("audit: %s at %04x:%08lx (linear %08lx, CPL %u): %s", what, vm->cpu.seg[S_CS].sel,
            (unsigned long)vm->cpu.eip, (unsigned long)lin, vm->cpu.cpl, text);
    vm_stats_print(vm, "at the audit stop");
    machine_exit(MON_EXIT_PANIC);
}

void vm_audit_check(struct vm *vm)
{
    const struct vcpu *c = &vm->cpu;
    if (c->cpl == 3)
        return;
    vm->stats.audit_checks++;
    uint32_t base = c->seg[S_CS].base, lin = base + c->eip, scanned_base;
    int mode = vcpu_code_size(c), scanned_mode;
    if (!scan_insn_start(vm->scan, lin, &scanned_mode, &scanned_base))
        violation(vm, "an instruction that was never scanned is about to run natively", lin);
    if (scanned_mode != mode || scanned_base != base)
        violation(vm, "code scanned for another code segment is about to run natively", lin);
    struct site_info site;
    if (scan_site_at(vm->scan, lin, &site))
        return;
    struct x86_insn insn;
    if (vm_insn_at(vm, lin, mode, &insn, 0, 0) && x86_op_class(insn.op) == X86_CLASS_SENSITIVE &&
        x86_op_xfer(insn.op) != X86_XFER_INT)
        violation(vm, "a sensitive instruction without a site is about to run natively", lin);
}
