/*
 * vm_ops.c: struct emu_ops for the virtual machine. With guest paging off a linear address is a
 * guest-physical one and nothing can page-fault; what differs from page to page is where the
 * bytes live. A page the prescanner has planted INT3s in is shown to the emulator as the guest
 * wrote it (an unplanted copy, kept while the scanner changes nothing), and a write to it goes
 * through watched_write, which drops the page's scan before an instruction's bytes change.
 */
#include "monitor/vm/vm_ops.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "monitor/vm/guest_space.h"
#include "monitor/vm/vm.h"
#include "monitor/vm/vm_exit.h"
#include "scan/decode.h"
#include "scan/prescan.h"

#include <stdio.h>
#include <string.h>

/* Unplanted copies of scanned pages, valid while the scanner has planted, removed and dropped
 * nothing (its counters say so: scan_signature). An
 * instruction touches at most a handful of pages (fetch across two, a string source and
 * destination, a far pointer); when more are needed the oldest copy is reused, which is safe
 * because the emulator finished with the page it translated before it asks for the next piece
 * of the same access. */
#define COPIES 4
static struct {
    uint32_t page;
    bool valid;
    uint8_t bytes[PAGE_SIZE];
} copies[COPIES];
static unsigned next_copy;
static uint64_t copies_signature;

/* Changes whenever the scanner changes a guest byte: it plants only while scanning a page or
 * re-planting edges, and removes only when resolving an edge or dropping a page. */
static uint64_t scan_signature(const struct scanner *sc)
{
    const struct scan_stats *st = scan_stats(sc);
    return st->sites_planted + st->edges_resolved + st->edges_replanted + st->pages_invalidated +
           st->pages_recycled;
}

static uint8_t *unplanted(struct vm *vm, uint32_t page)
{
    uint64_t sig = scan_signature(vm->scan);
    if (sig != copies_signature) {
        for (unsigned i = 0; i < COPIES; i++)
            copies[i].valid = false;
        copies_signature = sig;
    }
    for (unsigned i = 0; i < COPIES; i++)
        if (copies[i].valid && copies[i].page == page)
            return copies[i].bytes;
    unsigned i = next_copy++ % COPIES;
    scan_read_original(vm->scan, page, copies[i].bytes, PAGE_SIZE);
    copies[i].page = page;
    copies[i].valid = true;
    return copies[i].bytes;
}

static int op_translate(void *ctx, uint32_t linear, unsigned acc, struct emu_page *pg,
                        struct emu_exc *exc)
{
    struct vm *vm = ctx;
    uint32_t page = linear & PAGE_MASK;
    pg->phys = page;
    switch (guest_space_kind(page)) {
    case GUEST_MMIO:
        pg->kind = EMU_MEM_MMIO;
        pg->host = 0;
        break;
    case GUEST_ROM:
        pg->kind = EMU_MEM_ROM;
        pg->host = guest_space_ptr(page);
        break;
    case GUEST_RAM:
        if (scan_page_is_scanned(vm->scan, page)) {
            pg->kind = EMU_MEM_WATCHED;
            pg->host = unplanted(vm, page);
        } else {
            pg->kind = EMU_MEM_RAM;
            pg->host = guest_space_ptr(page);
        }
        break;
    }
    return EMU_OK;
}

static int op_mmio_read(void *ctx, uint32_t phys, void *buf, unsigned size)
{
    struct vm *vm = ctx;
    uint8_t *out = buf;
    while (size > 0) {
        unsigned n = size >= 4 && !(phys & 3) ? 4 : size >= 2 && !(phys & 1) ? 2 : 1;
        uint32_t v = bus_mmio_read(&vm->bus, phys, n);
        memcpy(out, &v, n);
        out += n;
        phys += n;
        size -= n;
    }
    return EMU_OK;
}

static void op_mmio_write(void *ctx, uint32_t phys, const void *buf, unsigned size)
{
    struct vm *vm = ctx;
    const uint8_t *in = buf;
    while (size > 0) {
        unsigned n = size >= 4 && !(phys & 3) ? 4 : size >= 2 && !(phys & 1) ? 2 : 1;
        uint32_t v = 0;
        memcpy(&v, in, n);
        bus_mmio_write(&vm->bus, phys, n, v);
        in += n;
        phys += n;
        size -= n;
    }
}

static void op_watched_write(void *ctx, uint32_t phys, const void *buf, unsigned size)
{
    struct vm *vm = ctx;
    uint32_t cr0 = guest_space_unlock();
    /* Data sharing a page with code changes no instruction: the page keeps its scan. */
    if (scan_write_hits_code(vm->scan, phys, size))
        scan_invalidate_page(vm->scan, phys);
    memcpy(guest_space_ptr(phys), buf, size);
    guest_space_relock(cr0);
}

static int op_port_in(void *ctx, uint16_t port, unsigned size, uint32_t *val)
{
    struct vm *vm = ctx;
    *val = bus_port_read(&vm->bus, port, size);
    vm_exit_advance_devices(vm);
    return EMU_OK;
}

static void op_port_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
    struct vm *vm = ctx;
    bus_port_write(&vm->bus, port, size, val);
    vm_exit_advance_devices(vm);
}

static int op_sys_write(void *ctx, enum emu_sys what, const struct vcpu *next, struct emu_exc *exc)
{
    if (what == EMU_SYS_CR0 && (next->cr0 & CR0_PG)) {
        vm_exit_unsupported(ctx, "the guest turned paging on; guest paging is not supported yet");
        return EMU_REDIRECT;
    }
    if (what == EMU_SYS_CR0 && !(next->cr0 & CR0_PE)) {
        vm_exit_unsupported(ctx, "the guest left protected mode; real mode is not supported yet");
        return EMU_REDIRECT;
    }
    return EMU_OK;
}

static void op_invlpg(void *ctx, uint32_t linear) {}

/* The virtual CPU is the real one minus what the monitor does not virtualize: virtual-8086
 * extensions, PAE, the local APIC, SYSENTER, machine checks, MTRRs, VMX, XSAVE/AVX (the decoder
 * and emulator stop at SSSE3). */
#define CPUID1_EDX_HIDDEN                                                                          \
    ((1u << 1) | (1u << 6) | (1u << 7) | (1u << 9) | (1u << 11) | (1u << 12) | (1u << 14) |        \
     (1u << 17) | (1u << 22))
#define CPUID1_ECX_HIDDEN                                                                          \
    ((1u << 5) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 12) | (1u << 19) |     \
     (1u << 20))

void vm_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
                     : "a"(leaf), "c"(subleaf));
    if (leaf == 1) {
        out[2] &= ~CPUID1_ECX_HIDDEN;
        out[3] &= ~CPUID1_EDX_HIDDEN;
    }
}

static void op_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    vm_cpuid(leaf, subleaf, out);
}

static uint64_t op_rdtsc(void *ctx)
{
    return rdtsc();
}

#define MSR_TSC 0x10u

static int op_rdmsr(void *ctx, uint32_t msr, uint64_t *val, struct emu_exc *exc)
{
    if (msr == MSR_TSC) {
        *val = rdtsc();
        return EMU_OK;
    }
    *exc = (struct emu_exc){.vector = EXC_GP, .has_error = 1};
    return EMU_EXCEPTION;
}

static int op_wrmsr(void *ctx, uint32_t msr, uint64_t val, struct emu_exc *exc)
{
    *exc = (struct emu_exc){.vector = EXC_GP, .has_error = 1};
    return EMU_EXCEPTION;
}

bool vm_insn_at(const struct vm *vm, uint32_t linear, int mode, struct x86_insn *insn, char *text,
                unsigned text_len)
{
    uint8_t bytes[X86_MAX_INSN_LEN];
    bool ok = scan_read_original(vm->scan, linear, bytes, sizeof bytes) &&
              x86_decode(bytes, sizeof bytes, mode, insn) == X86_OK;
    if (text && ok)
        x86_format(insn, text, text_len);
    else if (text)
        snprintf(text, text_len, "?");
    return ok;
}

const struct emu_ops vm_emu_ops = {
    .translate = op_translate,
    .mmio_read = op_mmio_read,
    .mmio_write = op_mmio_write,
    .watched_write = op_watched_write,
    .port_in = op_port_in,
    .port_out = op_port_out,
    .sys_write = op_sys_write,
    .invlpg = op_invlpg,
    .cpuid = op_cpuid,
    .rdtsc = op_rdtsc,
    .rdmsr = op_rdmsr,
    .wrmsr = op_wrmsr,
};
