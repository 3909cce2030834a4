/*
 * nexus_run.c: the ring-0 side of vmethod=r3 (and of nexus, which adds stubs: nexus_stub.c).
 * Planted INT3s enter the nexus at ring 3 (the handler in scan/nexus_entry.asm), which emulates the
 * sites it finds in its site cache on the virtual state in the nexus data pages. This file keeps
 * those pages in step with the vCPU: it publishes the state before every native run and reads the
 * virtual flags back after it, fills the site cache after ring 0 handled a site, resumes nexus code
 * a real interrupt stopped, and turns a deferral (INT NEXUS_CALL_VECTOR) or a fault in nexus code
 * back into the guest's state. The data pages are guest-writable, so every value taken from them is
 * checked, and a bad one ends the run (the guest only hurt itself).
 */
#include "monitor/vm/nexus_run.h"
#include "arch/x86/layout.h"
#include "monitor/cmdline.h"
#include "monitor/nexus.h"
#include "monitor/trap.h"
#include "monitor/vm/guest_space.h"
#include "monitor/vm/nexus_stub.h"
#include "monitor/vm/vm_exit.h"
#include "monitor/vm/vm_ops.h"
#include "scan/decode.h"
#include "scan/prescan.h"

#include <string.h>

/* The virtual EFLAGS bits the nexus changes (POPF at virtual CPL 0, CLI, STI). */
#define NEXUS_VIRT_FLAGS (FL_IF | FL_IOPL | FL_NT)

/* Scanner counters that grow when a site may have gone away (page dropped or recycled): the
 * cache, filled only from live sites, is then cleared as a whole. */
static uint64_t cache_signature;
static struct vcpu_seg cache_cs;

static uint64_t removal_signature(const struct scanner *sc)
{
    const struct scan_stats *st = scan_stats(sc);
    return st->pages_invalidated + st->pages_recycled;
}

static void clear_cache(void)
{
    volatile struct nexus_page *p = nexus_page();
    memset((void *)p->sites, 0, sizeof p->sites);
}

/* Leaves whose values depend on ECX (subleaves) or that the table has no room for defer. */
static bool leaf_has_subleaves(uint32_t leaf)
{
    switch (leaf) {
    case 4:
    case 7:
    case 0xB:
    case 0xD:
    case 0xF:
    case 0x10:
    case 0x12:
    case 0x14:
    case 0x17:
    case 0x18:
    case 0x1A:
    case 0x1B:
    case 0x1D:
    case 0x1E:
    case 0x1F: return true;
    default: return false;
    }
}

static void fill_cpuid(void)
{
    volatile struct nexus_page *p = nexus_page();
    unsigned n = 0;
    uint32_t ranges[2] = {0, 0x80000000u};
    for (int r = 0; r < 2; r++) {
        uint32_t out[4];
        vm_cpuid(ranges[r], 0, out);
        uint32_t max = out[0];
        if (max < ranges[r] || max - ranges[r] > 0x20)
            max = ranges[r] + 0x20;
        for (uint32_t leaf = ranges[r]; leaf <= max && n < NEXUS_CPUID_MAX; leaf++) {
            if (leaf_has_subleaves(leaf))
                continue;
            vm_cpuid(leaf, 0, out);
            p->cpuid[n] = (struct nexus_cpuid){leaf, out[0], out[1], out[2], out[3]};
            n++;
        }
    }
    p->cpuid_count = n;
}

void vm_nexus_start(struct vm *vm)
{
    nexus_data_reset();
    fill_cpuid();
    cache_signature = removal_signature(vm->scan);
    if (vm->vmethod == VMETHOD_NEXUS)
        vm_stub_start();
    nexus_page()->active = 1;
}

void vm_nexus_publish(struct vm *vm, const uint16_t sel[S_COUNT], bool step)
{
    volatile struct nexus_page *p = nexus_page();
    const struct vcpu *c = &vm->cpu;
    uint64_t sig = removal_signature(vm->scan);
    if (sig != cache_signature) {
        clear_cache();
        cache_signature = sig;
    }
    /* Cached targets were checked against this code segment's limit. */
    if (c->seg[S_CS].sel != cache_cs.sel || c->seg[S_CS].base != cache_cs.base ||
        c->seg[S_CS].limit != cache_cs.limit) {
        clear_cache();
        cache_cs = c->seg[S_CS];
    }
    p->active = 1;
    p->fast = c->cpl == 0 && !step && (c->seg[S_CS].attr & SEG_DB) && (c->seg[S_SS].attr & SEG_DB);
    p->pending = bus_irq_pending(&vm->bus);
    p->vflags = c->eflags & NEXUS_VIRT_FLAGS;
    p->cs_sel = sel[S_CS];
    p->cs_base = c->seg[S_CS].base;
    p->sti_eip = 0xFFFFFFFFu;
    p->in_handler = 0;
    for (int s = 0; s < S_COUNT; s++) {
        p->vals[s] = c->seg[s].sel;
        p->sreg_real[s] = sel[s];
    }
    p->vals[NEXUS_VAL_CR0] = c->cr0;
    p->vals[NEXUS_VAL_LDTR] = c->ldtr.sel;
    p->vals[NEXUS_VAL_TR] = c->tr.sel;
}

/* Reads the 12-byte frame (EIP, CS, EFLAGS) at SS:esp; false if a byte is not guest RAM. */
static bool read_frame(struct vm *vm, uint32_t esp, uint32_t out[3])
{
    const struct vcpu_seg *ss = &vm->cpu.seg[S_SS];
    uint8_t *bytes = (uint8_t *)out;
    for (uint32_t i = 0; i < 12; i++) {
        uint32_t off = ss->attr & SEG_DB ? esp + i : (uint16_t)(esp + i);
        uint32_t lin = ss->base + off;
        if (lin >= MON_BASE || guest_space_kind(lin & PAGE_MASK) != GUEST_RAM)
            return false;
        bytes[i] = *guest_space_ptr(lin);
    }
    return true;
}

/* Nexus code stopped on something other than an interrupt: rebuild the guest's state in
 * ring3_frame as it was at the INT3 (or, after a deferral, where the nexus left it). */
static uint32_t recover(struct vm *vm, const uint16_t sel[S_COUNT])
{
    struct trap_frame *f = &ring3_frame;
    volatile struct nexus_page *p = nexus_page();
    uint32_t entry = nexus_int3_entry(), frame_esp;
    uint32_t vector = VM_VECTOR_NEXUS_SITE;
    if (f->vector == NEXUS_CALL_VECTOR) {
        frame_esp = f->esp;
        if (p->defer_kind == NEXUS_DEFER_RESUME) {
            vector = VM_VECTOR_NEXUS_RESUME;
            vm->stats.exits[EXIT_NEXUS]++;
        }
    } else {
        vm->stats.nexus_faults++;
        if (f->eip == entry) {
            frame_esp = f->esp;
        } else if (f->eip == entry + 1) {
            frame_esp = f->esp + 4;
        } else if (p->in_handler == 1) {
            f->eax = p->regs[0];
            f->ecx = p->regs[1];
            f->edx = p->regs[2];
            f->ebx = p->regs[3];
            f->ebp = p->regs[5];
            f->esi = p->regs[6];
            f->edi = p->regs[7];
            f->ds = (uint16_t)p->gds;
            frame_esp = p->frame;
        } else {
            vm_exit_unsupported(vm, "a fault in nexus code outside its recovery points");
            return VM_VECTOR_NEXUS_RESUME;
        }
    }
    p->in_handler = 0;
    uint32_t frame[3];
    if ((uint16_t)f->ss != sel[S_SS] || !read_frame(vm, frame_esp, frame) ||
        (uint16_t)frame[1] != sel[S_CS]) {
        vm_exit_unsupported(vm, "the nexus left no valid frame of the guest");
        return VM_VECTOR_NEXUS_RESUME;
    }
    f->eip = frame[0];
    f->cs = frame[1];
    f->eflags = frame[2];
    f->esp = vm->cpu.seg[S_SS].attr & SEG_DB
                 ? frame_esp + 12
                 : (frame_esp & 0xFFFF0000u) | (uint16_t)(frame_esp + 12);
    return vector;
}

uint32_t vm_nexus_after(struct vm *vm, const uint16_t sel[S_COUNT])
{
    struct trap_frame *f = &ring3_frame;
    while ((uint16_t)f->cs == SEL_NEXUS_CS) {
        if (f->eip >= NEXUS_STUB_OFFSET && f->eip < NEXUS_DATA_OFFSET) {
            uint32_t vector = vm_stub_stop(vm, f->vector, sel);
            if (vector != VM_STUB_RESUME)
                return vector;
        } else if (!trap_is_irq(f->vector)) {
            return recover(vm, sel);
        }
        /* The interrupted nexus code resumes where it was; the guest's state stays in it. */
        vm->stats.exits[EXIT_IRQ]++;
        trap_handle_irq(f->vector);
        vm_exit_advance_devices(vm);
        vm_display_tick(vm);
        nexus_page()->pending = bus_irq_pending(&vm->bus);
        ring3_enter();
    }
    return f->vector;
}

void vm_nexus_sync_flags(struct vm *vm, uint32_t vector)
{
    volatile struct nexus_page *p = nexus_page();
    struct vcpu *c = &vm->cpu;
    c->eflags = (c->eflags & ~NEXUS_VIRT_FLAGS) | (p->vflags & NEXUS_VIRT_FLAGS);
    /* An interrupt right after an STI the nexus emulated: the next instruction runs first. */
    if (trap_is_irq(vector) && c->eip == p->sti_eip && (c->eflags & FL_IF))
        c->int_shadow = 1;
}

/* The nexus operation for an instruction, or NONE when the nexus cannot run it. */
static struct nexus_site decode_site(const struct x86_insn *in)
{
    struct nexus_site s = {.len = in->len};
    const struct x86_operand *d = &in->operands[0];
    bool reg_dst = in->noperands >= 1 && d->type == X86_OPND_REG && d->reg_class == X86_RC_GPR &&
                   d->reg != X86_ESP && (d->size == 4 || d->size == 2);
    switch (in->op) {
    case X86_OP_CLI: s.op = NEXUS_OP_CLI; break;
    case X86_OP_STI: s.op = NEXUS_OP_STI; break;
    case X86_OP_PUSHF:
        if (in->opsize == 4)
            s.op = NEXUS_OP_PUSHF;
        break;
    case X86_OP_POPF:
        if (in->opsize == 4)
            s.op = NEXUS_OP_POPF;
        break;
    case X86_OP_CPUID: s.op = NEXUS_OP_CPUID; break;
    case X86_OP_RET:
        if (in->opsize == 4 && !(in->xfer_flags & X86_XF_FAR)) {
            uint16_t imm = in->noperands >= 1 && d->type == X86_OPND_IMM ? (uint16_t)d->imm : 0;
            s.op = NEXUS_OP_RET;
            s.reg = (uint8_t)imm;
            s.src = (uint8_t)(imm >> 8);
        }
        break;
    case X86_OP_JMP:
    case X86_OP_CALL:
        if (in->opsize == 4 && (in->xfer_flags & X86_XF_INDIRECT) && reg_dst && d->size == 4) {
            s.op = in->op == X86_OP_JMP ? NEXUS_OP_JMPR : NEXUS_OP_CALLR;
            s.reg = d->reg;
        }
        break;
    case X86_OP_PUSH_SEG:
        if (in->opsize == 4 && d->type == X86_OPND_REG && d->reg_class == X86_RC_SEG) {
            s.op = NEXUS_OP_PUSH32;
            s.src = d->reg;
        }
        break;
    case X86_OP_MOV_SEG:
        if (reg_dst && in->operands[1].type == X86_OPND_REG &&
            in->operands[1].reg_class == X86_RC_SEG && in->operands[1].reg < S_COUNT) {
            s.op = d->size == 4 ? NEXUS_OP_MOV32 : NEXUS_OP_MOV16;
            s.reg = d->reg;
            s.src = in->operands[1].reg;
        }
        break;
    case X86_OP_SMSW:
    case X86_OP_STR:
    case X86_OP_SLDT:
        if (reg_dst) {
            s.op = d->size == 4 ? NEXUS_OP_MOV32 : NEXUS_OP_MOV16;
            s.reg = d->reg;
            s.src = in->op == X86_OP_SMSW  ? NEXUS_VAL_CR0
                    : in->op == X86_OP_STR ? NEXUS_VAL_TR
                                           : NEXUS_VAL_LDTR;
        }
        break;
    default: break;
    }
    return s;
}

/* The target a transfer just went to, if the nexus may go there again on its own: a scanned
 * instruction start of the same 32-bit code segment at virtual CPL 0, within its limit. The
 * scanner learns it is a branch target, so no insert-call patch will cover it. */
static uint32_t scanned_target(struct vm *vm, uint16_t cs_before)
{
    const struct vcpu *c = &vm->cpu;
    uint32_t base;
    int mode;
    if (c->seg[S_CS].sel != cs_before || c->cpl != 0 || c->eip > c->seg[S_CS].limit ||
        !scan_insn_start(vm->scan, c->seg[S_CS].base + c->eip, &mode, &base) || mode != 32 ||
        base != c->seg[S_CS].base)
        return 0xFFFFFFFFu;
    if (vm->vmethod == VMETHOD_NEXUS) {
        /* Taking a patch out writes the guest's code page. */
        uint32_t cr0 = guest_space_unlock();
        scan_note_target(vm->scan, c->seg[S_CS].base + c->eip);
        guest_space_relock(cr0);
    }
    return c->eip;
}

void vm_nexus_cache_site(struct vm *vm, uint32_t at, const struct site_info *site,
                         uint16_t cs_before)
{
    struct site_info now;
    if (site->kind == SITE_EDGE || site->mode != 32 || !scan_site_at(vm->scan, at, &now) ||
        now.kind == SITE_EDGE)
        return;
    uint8_t bytes[X86_MAX_INSN_LEN];
    struct x86_insn in;
    if (site->len == 0 || site->len > sizeof bytes ||
        !scan_read_original(vm->scan, at, bytes, site->len) ||
        x86_decode(bytes, site->len, 32, &in) != X86_OK)
        return;
    struct nexus_site s = decode_site(&in);
    if (s.op == NEXUS_OP_NONE) {
        vm->stats.nexus_uncached++;
        return;
    }
    uint32_t aux = s.op == NEXUS_OP_RET || s.op == NEXUS_OP_JMPR || s.op == NEXUS_OP_CALLR
                       ? scanned_target(vm, cs_before)
                       : 0;
    volatile struct nexus_site *slot = &nexus_page()->sites[at % NEXUS_SITES];
    if (slot->addr == at && slot->op == s.op) {
        slot->aux = aux;
        return;
    }
    slot->op = NEXUS_OP_NONE;
    slot->addr = at;
    slot->len = s.len;
    slot->reg = s.reg;
    slot->src = s.src;
    slot->hits = 0;
    slot->aux = aux;
    slot->op = s.op;
    if (vm->vmethod == VMETHOD_NEXUS)
        vm_stub_patch(vm, at, &s);
}

uint64_t vm_nexus_site_hits(uint32_t addr)
{
    volatile struct nexus_site *slot = &nexus_page()->sites[addr % NEXUS_SITES];
    uint64_t hits = slot->addr == addr && slot->op != NEXUS_OP_NONE ? slot->hits : 0;
    return hits + vm_stub_hits(addr);
}
