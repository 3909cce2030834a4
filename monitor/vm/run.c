/*
 * run.c: the run loop. Between two stretches of native guest execution the monitor delivers a
 * pending virtual interrupt if the guest can take it, makes sure the code about to run in a
 * privileged virtual ring has been scanned, brings the descriptor shadows up to date, and loads
 * the vCPU into the real ring-3 frame; when the guest traps, the frame goes back into the vCPU
 * and exit.c acts on the trap.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/trap.h"
#include "monitor/cmdline.h"
#include "monitor/vm/guest_space.h"
#include "monitor/vm/nexus_run.h"
#include "monitor/vm/nexus_stub.h"
#include "monitor/vm/shadow_desc.h"
#include "monitor/vm/vm.h"
#include "monitor/vm/vm_exit.h"
#include "monitor/vm/vm_ops.h"
#include "scan/prescan.h"

/* EFLAGS bits the guest's native code changes itself; the others (IF, IOPL, NT, VM, RF, VIF,
 * VIP) are virtual and live only in the vCPU. */
#define LIVE_FLAGS (FL_ARITH | FL_TF | FL_DF | FL_AC | FL_ID)
/* CR0 and CR4 bits the guest controls directly (the monitor never uses the FPU). */
#define GUEST_CR0_BITS (CR0_MP | CR0_EM | CR0_TS)
#define GUEST_CR4_BITS CR4_TSD

static void sync_control_registers(const struct vcpu *c)
{
    uint32_t cr0 = read_cr0(), cr4 = read_cr4();
    uint32_t want0 = (cr0 & ~GUEST_CR0_BITS) | (c->cr0 & GUEST_CR0_BITS);
    uint32_t want4 = (cr4 & ~GUEST_CR4_BITS) | (c->cr4 & GUEST_CR4_BITS);
    if (want0 != cr0)
        write_cr0(want0);
    if (want4 != cr4)
        write_cr4(want4);
}

/* Runs the guest natively until it traps; returns the trap's vector. */
static uint32_t run_native(struct vm *vm)
{
    struct vcpu *c = &vm->cpu;
    struct trap_frame *f = &ring3_frame;
    uint16_t sel[S_COUNT];
    for (int s = 0; s < S_COUNT; s++)
        sel[s] = shadow_desc_selector(c, s);
    f->eax = c->gpr[R_EAX];
    f->ecx = c->gpr[R_ECX];
    f->edx = c->gpr[R_EDX];
    f->ebx = c->gpr[R_EBX];
    f->esp = c->gpr[R_ESP];
    f->ebp = c->gpr[R_EBP];
    f->esi = c->gpr[R_ESI];
    f->edi = c->gpr[R_EDI];
    f->eip = c->eip;
    /* The monitor single-steps one instruction for an interrupt shadow, and every instruction
     * of virtual rings 0-2 in audit mode. */
    vm->audit_stepping = vm->audit && c->cpl < 3;
    bool step = c->int_shadow || vm->audit_stepping;
    f->eflags = (c->eflags & LIVE_FLAGS) | FL_IF | FL_RSV1 | (step ? FL_TF : 0);
    f->cs = sel[S_CS];
    f->ss = sel[S_SS];
    f->ds = sel[S_DS];
    f->es = sel[S_ES];
    f->fs = sel[S_FS];
    f->gs = sel[S_GS];
    sync_control_registers(c);
    bool nexus = vm->vmethod != VMETHOD_INT3;
    if (nexus)
        vm_nexus_publish(vm, sel, step);

    ring3_enter();
    uint32_t vector = nexus ? vm_nexus_after(vm, sel) : f->vector;

    c->gpr[R_EAX] = f->eax;
    c->gpr[R_ECX] = f->ecx;
    c->gpr[R_EDX] = f->edx;
    c->gpr[R_EBX] = f->ebx;
    c->gpr[R_ESP] = f->esp;
    c->gpr[R_EBP] = f->ebp;
    c->gpr[R_ESI] = f->esi;
    c->gpr[R_EDI] = f->edi;
    c->eip = f->eip;
    uint32_t live = f->eflags & LIVE_FLAGS;
    if (step)
        live = (live & ~FL_TF) | (c->eflags & FL_TF);
    c->eflags = (c->eflags & ~LIVE_FLAGS) | live;

    /* Native segment loads (virtual ring 3, or code the scanner let run): take the new hidden
     * parts from the guest's tables, which the shadow mirrored when the CPU checked them. */
    uint32_t now[S_COUNT] = {f->es, f->cs, f->ss, f->ds, f->fs, f->gs};
    for (int s = 0; s < S_COUNT; s++) {
        uint16_t real = (uint16_t)now[s];
        if (real == sel[s])
            continue;
        uint16_t guest = s == S_CS || s == S_SS ? (uint16_t)((real & ~3u) | c->cpl) : real;
        struct vcpu_seg seg;
        if ((real & ~3u) == 0 || !shadow_desc_load(c, guest, &seg))
            seg = (struct vcpu_seg){guest, 0, 0, SEG_UNUSABLE};
        c->seg[s] = seg;
    }
    if (nexus)
        vm_nexus_sync_flags(vm, vector);
    return vector;
}

/* Waits with the real CPU halted until the guest can take an interrupt. */
static void wait_for_interrupt(struct vm *vm)
{
    while (vm->halted) {
        if ((vm->cpu.eflags & FL_IF) && bus_irq_pending(&vm->bus)) {
            vm->halted = false;
            return;
        }
        __asm__ volatile("sti; hlt; cli" : : : "memory");
        vm_exit_advance_devices(vm);
        vm_display_tick(vm);
    }
}

static void inject_interrupt(struct vm *vm)
{
    if (!(vm->cpu.eflags & FL_IF) || vm->cpu.int_shadow || !bus_irq_pending(&vm->bus))
        return;
    int vector = bus_irq_ack(&vm->bus);
    if (vector < 0)
        return;
    struct emu_exc exc = {.vector = (uint8_t)vector, .soft = EMU_SOFT_EXTINT};
    vm->stats.irqs_injected++;
    vm_deliver(vm, &exc, 1);
}

/* Code in virtual rings 0-2 runs natively only once scanned; true if it may run now. */
static bool ready_to_run(struct vm *vm)
{
    const struct vcpu *c = &vm->cpu;
    uint32_t lin = c->seg[S_CS].base + c->eip, base;
    int scanned_mode;
    if (c->cpl == 3) {
        /* Virtual ring 3 runs unscanned, but never inside a patch (kernel code it shares a page
         * with, after the emulation of a site that ring 3 ran into). */
        if (vm->vmethod == VMETHOD_NEXUS && scan_page_is_scanned(vm->scan, lin) &&
            !scan_insn_start(vm->scan, lin, &scanned_mode, &base) && vm_stub_inside(lin)) {
            vm->stats.emulated_in_patch++;
            return false;
        }
        return true;
    }
    int mode = vcpu_code_size(c);
    /* The common case writes nothing, and CR0 writes are costly (a TLB flush on QEMU). */
    if (scan_insn_start(vm->scan, lin, &scanned_mode, &base) && scanned_mode == mode &&
        base == c->seg[S_CS].base)
        return true;
    uint32_t cr0 = guest_space_unlock();
    int r = scan_ensure(vm->scan, c->seg[S_CS].base, c->eip, mode);
    guest_space_relock(cr0);
    /* Inside an insert-call patch (an interrupt or fault taken in its stub, an IRET or a checked
     * transfer into it): the instructions there are emulated until EIP leaves the region. */
    if (r == SCAN_PATCHED)
        vm->stats.emulated_in_patch++;
    else if (r != SCAN_OK)
        vm->stats.emulated_no_scan++;
    return r == SCAN_OK;
}

void vm_run(struct vm *vm)
{
    for (;;) {
        if (vm->halted)
            wait_for_interrupt(vm);
        inject_interrupt(vm);
        if (vm->halted)
            continue;
        if (!ready_to_run(vm)) {
            vm_emulate(vm);
            continue;
        }
        const char *why = shadow_desc_sync(&vm->cpu);
        if (why)
            vm_exit_unsupported(vm, why);
        uint32_t vector = run_native(vm);
        vm_exit_handle(vm, vector, ring3_frame.error);
    }
}
