/*
 * exit.c: the guest left real ring 3; find out why and act. Everything that is not the guest's
 * own exception is emulated: a planted INT3 runs its original instruction in the emulator, a #GP
 * is a privileged instruction, an INT n (gates are DPL 0, so INT n faults) or a descriptor the
 * shadow left out, a #PF is MMIO, ROM or scanned code being written. The emulator then decides,
 * from the guest's own state, whether the guest takes an exception, which is delivered through
 * the guest's IDT like every other event.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "arch/x86/shutdown.h"
#include "arch/x86/trap.h"
#include "monitor/cmdline.h"
#include "monitor/exit_codes.h"
#include "monitor/log.h"
#include "monitor/trap.h"
#include "monitor/vm/guest_space.h"
#include "monitor/vm/nexus_run.h"
#include "monitor/vm/vm_exit.h"
#include "monitor/vm/vm_ops.h"
#include "scan/prescan.h"

/* Elements of a REP string instruction per emulation: large enough that a block copy to MMIO
 * costs few exits, small enough that interrupts are not held up. */
#define REP_BUDGET 4096u

static bool has_error_code(uint32_t vector)
{
    return vector == EXC_TS || vector == EXC_NP || vector == EXC_SS || vector == EXC_GP ||
           vector == EXC_PF || vector == EXC_AC || vector == EXC_DF;
}

void vm_exit_unsupported(struct vm *vm, const char *why)
{
    log_err("guest stopped at %04x:%08lx: %s", vm->cpu.seg[S_CS].sel, (unsigned long)vm->cpu.eip,
            why);
    vm_stats_print(vm, "at the stop");
    machine_exit(MON_EXIT_CONFIG);
}

void vm_deliver(struct vm *vm, const struct emu_exc *exc, int ext)
{
    int r = emu_deliver(&vm->cpu, &vm_emu_ops, vm, exc, ext);
    if (r == EMU_SHUTDOWN) {
        log_warn("guest triple fault (vector %u while delivering): the machine shuts down",
                 exc->vector);
        vm_stats_print(vm, "at the shutdown");
        machine_triple_fault();
    }
    vm->stats.delivered++;
}

void vm_emulate(struct vm *vm)
{
    struct vcpu *c = &vm->cpu;
    struct emu_exc exc;
    int r = emu_step(c, &vm_emu_ops, vm, REP_BUDGET, &exc);
    vm->stats.emulated++;
    switch (r) {
    case EMU_OK: break;
    case EMU_EXCEPTION: vm_deliver(vm, &exc, !exc.soft); break;
    case EMU_TRAP: vm_deliver(vm, &exc, 1); break;
    case EMU_HALT:
        vm->halted = true;
        vm->stats.halts++;
        break;
    default: break;
    }
}

/* INT3: a planted site, or the guest's own breakpoint (EIP is already past it). */
static void breakpoint(struct vm *vm)
{
    struct vcpu *c = &vm->cpu;
    uint32_t at = c->seg[S_CS].base + c->eip - 1;
    struct site_info site;
    if (scan_site_at(vm->scan, at, &site)) {
        uint16_t cs_before = c->seg[S_CS].sel;
        vm->stats.exits[EXIT_SITE]++;
        c->eip -= 1;
        vm_emulate(vm);
        if (site.kind == SITE_EDGE) {
            /* Only an edge can change its bytes here (taken out once resolved). */
            uint32_t cr0 = guest_space_unlock();
            scan_site_done(vm->scan, at);
            guest_space_relock(cr0);
        } else {
            scan_site_done(vm->scan, at);
        }
        if (vm->vmethod != VMETHOD_INT3)
            vm_nexus_cache_site(vm, at, &site, cs_before);
        return;
    }
    vm->stats.exits[EXIT_GUEST_BP]++;
    struct emu_exc exc = {.vector = EXC_BP, .soft = EMU_SOFT_INT, .insn_len = 1};
    vm_deliver(vm, &exc, 0);
}

/* A single step: the monitor's own (an interrupt shadow, an audit step) is absorbed unless the
 * guest single-steps too; anything else (the guest's TF, ICEBP) goes to the guest with DR6 as
 * the CPU left it. */
static void debug_trap(struct vm *vm, bool monitor_step)
{
    struct vcpu *c = &vm->cpu;
    uint32_t dr6;
    __asm__ volatile("mov %%db6, %0" : "=r"(dr6));
    __asm__ volatile("mov %0, %%db6" : : "r"(0xffff0ff0u));
    if (monitor_step && (dr6 & DR6_BS) && !(c->eflags & FL_TF))
        return;
    c->dr[6] = dr6;
    struct emu_exc exc = {.vector = EXC_DB};
    vm_deliver(vm, &exc, 1);
}

void vm_exit_handle(struct vm *vm, uint32_t vector, uint32_t error)
{
    if (trap_is_irq(vector)) {
        vm->stats.exits[EXIT_IRQ]++;
        trap_handle_irq(vector);
        vm_exit_advance_devices(vm);
        vm_display_tick(vm);
        return;
    }
    /* The instruction after an interrupt shadow has run (or faulted). */
    bool monitor_step = vm->cpu.int_shadow || vm->audit_stepping;
    vm->cpu.int_shadow = 0;
    switch (vector) {
    case TRAP_BP:
    case VM_VECTOR_NEXUS_SITE: breakpoint(vm); return;
    case VM_VECTOR_NEXUS_RESUME: return;
    case TRAP_DB:
        vm->stats.exits[EXIT_DEBUG]++;
        if (vm->audit_stepping)
            vm_audit_check(vm);
        debug_trap(vm, monitor_step);
        return;
    case TRAP_GP:
    case TRAP_NP:
    case TRAP_SS:
    case TRAP_TS:
        vm->stats.exits[EXIT_GP]++;
        vm_emulate(vm);
        return;
    case TRAP_PF:
        vm->stats.exits[EXIT_PF]++;
        vm_emulate(vm);
        return;
    case NEXUS_CALL_VECTOR: {
        /* The nexus's own gate is DPL 3, so a guest INT 0x30 arrives here past the instruction. */
        vm->stats.exits[EXIT_GP]++;
        struct emu_exc exc = {.vector = NEXUS_CALL_VECTOR, .soft = EMU_SOFT_INT, .insn_len = 2};
        vm_deliver(vm, &exc, 0);
        return;
    }
    default: {
        vm->stats.exits[EXIT_EXCEPTION]++;
        struct emu_exc exc = {
            .vector = (uint8_t)vector, .has_error = has_error_code(vector), .error = error};
        vm_deliver(vm, &exc, 1);
        return;
    }
    }
}
