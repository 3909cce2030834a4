/* emu-fuzz's emulator side of the machine: the ops the emulator runs against (identity-mapped
 * scratch, code and supervisor-only system pages; #PF everywhere else with the error code the
 * CPU gives a ring-3 access), and the vCPU that mirrors the native process: ring 3, IOPL 0,
 * flat CS/SS, DS/ES/FS on the LDT scratch segment, no I/O bitmap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/emu-fuzz.h"

static const uint32_t gdt_code[2] = {0x0000ffff, 0x00cffb00};   /* __USER_CS */
static const uint32_t gdt_data[2] = {0x0000ffff, 0x00cff300};   /* __USER_DS */
static const uint32_t gdt_code64[2] = {0x0000ffff, 0x00affb00}; /* __USER_CS, 64-bit */

static void desc(uint32_t at, const uint32_t d[2])
{
    memcpy((void *)at, d, 8);
}

void mock_init(void)
{
    memset((void *)FZ_SYS, 0, 0x1000);
    desc(FZ_GDT + (FZ_SEL_CS & ~7u), gdt_code);
    desc(FZ_GDT + (FZ_SEL_SS & ~7u), gdt_data);
    desc(FZ_GDT + 0x30, gdt_code64);
    uint32_t ldt0[2] = {(FZ_SCR << 16) | (FZ_SCR_SIZE - 1),
                        (FZ_SCR & 0xff000000u) | ((FZ_SCR >> 16) & 0xff) | 0x0040f300u};
    desc(FZ_LDT, ldt0);
    uint16_t iomap = 0x68; /* past the TSS limit: no I/O bitmap, as Linux leaves it */
    memcpy((void *)(FZ_TSS + 0x66), &iomap, 2);
}

static int translate(void *ctx, uint32_t lin, unsigned acc, struct emu_page *pg,
                     struct emu_exc *exc)
{
    uint32_t page = lin & ~0xfffu;
    bool user = acc & EMU_ACC_USER;
    pg->kind = EMU_MEM_RAM;
    pg->host = (uint8_t *)page;
    pg->phys = page;
    if ((page >= FZ_SCR && page < FZ_SCR + FZ_SCR_SIZE) ||
        (page >= FZ_CODE && page < FZ_CODE + FZ_CODE_SIZE) || (page == FZ_SYS && !user))
        return EMU_OK;
    exc->vector = EXC_PF;
    exc->has_error = 1;
    exc->error = (page == FZ_SYS ? PF_P : 0) | ((acc & EMU_ACC_WRITE) ? PF_W : 0) |
                 (user ? PF_U : 0) | ((acc & EMU_ACC_FETCH) ? PF_I : 0);
    exc->cr2 = lin;
    return EMU_EXCEPTION;
}

/* Nothing in a ring-3 process reaches the devices or system registers: reaching one of these
 * means the emulator skipped a privilege check. */
static void unreachable(const char *what)
{
    fprintf(stderr, "emu-fuzz: the emulator called %s at CPL 3\n", what);
    abort();
}

static int mmio_read(void *ctx, uint32_t phys, void *buf, unsigned size)
{
    unreachable("mmio_read");
    return EMU_OK;
}

static void mmio_write(void *ctx, uint32_t phys, const void *buf, unsigned size)
{
    unreachable("mmio_write");
}

static int port_in(void *ctx, uint16_t port, unsigned size, uint32_t *val)
{
    unreachable("port_in");
    return EMU_OK;
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
    unreachable("port_out");
}

static int sys_write(void *ctx, enum emu_sys what, const struct vcpu *next, struct emu_exc *exc)
{
    unreachable("sys_write");
    return EMU_OK;
}

static void invlpg(void *ctx, uint32_t lin)
{
    unreachable("invlpg");
}

static void cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    unreachable("cpuid");
}

static uint64_t rdtsc(void *ctx)
{
    unreachable("rdtsc");
    return 0;
}

static int msr(void *ctx, uint32_t msr, uint64_t *val, struct emu_exc *exc)
{
    unreachable("rdmsr");
    return EMU_OK;
}

static int wrmsr(void *ctx, uint32_t msr, uint64_t val, struct emu_exc *exc)
{
    unreachable("wrmsr");
    return EMU_OK;
}

const struct emu_ops mock_ops = {
    .translate = translate,
    .mmio_read = mmio_read,
    .mmio_write = mmio_write,
    .watched_write = mmio_write,
    .port_in = port_in,
    .port_out = port_out,
    .sys_write = sys_write,
    .invlpg = invlpg,
    .cpuid = cpuid,
    .rdtsc = rdtsc,
    .rdmsr = msr,
    .wrmsr = wrmsr,
};

static void load(struct vcpu_seg *s, uint16_t sel)
{
    uint32_t d[2] = {0, 0};
    uint32_t table = (sel & 4) ? FZ_LDT : FZ_GDT, limit = (sel & 4) ? 7 : FZ_GDT_SIZE - 1;
    s->sel = sel;
    if ((sel & 0xfffc) == 0 || (sel | 7u) > limit) {
        s->base = s->limit = 0;
        s->attr = SEG_UNUSABLE;
        return;
    }
    memcpy(d, (void *)(table + (sel & ~7u)), 8);
    s->base = (d[0] >> 16) | ((d[1] & 0xff) << 16) | (d[1] & 0xff000000u);
    s->limit = (d[0] & 0xffff) | (d[1] & 0xf0000);
    s->attr = (d[1] >> 8) & 0xf0ff;
    if (s->attr & SEG_G)
        s->limit = (s->limit << 12) | 0xfff;
}

void mock_vcpu(const struct fz_state *in, struct vcpu *v)
{
    memset(v, 0, sizeof *v);
    memcpy(v->gpr, in->gpr, sizeof v->gpr);
    v->eip = in->eip;
    v->eflags = in->eflags;
    for (unsigned i = 0; i < S_COUNT; i++)
        load(&v->seg[i], in->sreg[i]);
    v->gdtr.base = FZ_GDT;
    v->gdtr.limit = FZ_GDT_SIZE - 1;
    v->ldtr.sel = 0;
    v->ldtr.base = FZ_LDT;
    v->ldtr.limit = 7;
    v->ldtr.attr = SEG_P | 2;
    v->tr.base = FZ_TSS;
    v->tr.limit = 0x67;
    v->tr.attr = SEG_P | 0xb;
    v->cr0 = 0x80050033u; /* PG AM WP NE ET MP PE, as Linux runs */
    v->cpl = 3;
}

void mock_state(const struct vcpu *v, struct fz_state *out)
{
    memcpy(out->gpr, v->gpr, sizeof out->gpr);
    out->eip = v->eip;
    out->eflags = v->eflags;
    for (unsigned i = 0; i < S_COUNT; i++)
        out->sreg[i] = v->seg[i].sel;
}
