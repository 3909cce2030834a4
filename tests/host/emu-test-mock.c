/* emu-test's mock machine (see emu-test-mock.h). */
#include <stdbool.h>
#include <string.h>

#include "tests/host/emu-test-mock.h"

struct tm tm;

static void event(enum tm_event_kind k, uint32_t addr, unsigned size, uint32_t value)
{
    if (tm.nlog < sizeof tm.log / sizeof tm.log[0])
        tm.log[tm.nlog++] = (struct tm_event){k, addr, size, value};
}

static int translate(void *ctx, uint32_t lin, unsigned acc, struct emu_page *pg,
                     struct emu_exc *exc)
{
    uint32_t n = lin >> 12;
    const struct tm_page *p = n < TM_PAGES ? &tm.page[n] : NULL;
    bool user = acc & EMU_ACC_USER, write = acc & EMU_ACC_WRITE;
    unsigned err = (write ? PF_W : 0) | (user ? PF_U : 0) | ((acc & EMU_ACC_FETCH) ? PF_I : 0);
    if (!p || !(p->flags & TM_PG_P) || (user && !(p->flags & TM_PG_U)) ||
        (write && !(p->flags & TM_PG_W))) {
        exc->vector = EXC_PF;
        exc->has_error = 1;
        exc->error = err | (p && (p->flags & TM_PG_P) ? PF_P : 0);
        exc->cr2 = lin;
        return EMU_EXCEPTION;
    }
    pg->kind = p->kind;
    pg->host = tm.mem + (n << 12);
    pg->phys = n << 12;
    return EMU_OK;
}

static uint32_t value_of(const void *buf, unsigned size)
{
    uint32_t v = 0;
    memcpy(&v, buf, size < 4 ? size : 4);
    return v;
}

static int mmio_read(void *ctx, uint32_t phys, void *buf, unsigned size)
{
    if (tm.mmio_redirect)
        return EMU_REDIRECT;
    uint32_t v = tm.mmio_value + phys;
    memcpy(buf, &v, size < 4 ? size : 4);
    event(TM_MMIO_READ, phys, size, v);
    return EMU_OK;
}

static void mmio_write(void *ctx, uint32_t phys, const void *buf, unsigned size)
{
    event(TM_MMIO_WRITE, phys, size, value_of(buf, size));
}

static void watched_write(void *ctx, uint32_t phys, const void *buf, unsigned size)
{
    memcpy(tm.mem + phys, buf, size);
    event(TM_WATCHED_WRITE, phys, size, value_of(buf, size));
}

static int port_in(void *ctx, uint16_t port, unsigned size, uint32_t *val)
{
    *val = 0xabcd0000u | port;
    event(TM_PORT_IN, port, size, *val);
    return EMU_OK;
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
    event(TM_PORT_OUT, port, size, val);
}

static int sys_write(void *ctx, enum emu_sys what, const struct vcpu *next, struct emu_exc *exc)
{
    uint32_t v = what == EMU_SYS_CR0    ? next->cr0
                 : what == EMU_SYS_CR3  ? next->cr3
                 : what == EMU_SYS_GDTR ? next->gdtr.base
                 : what == EMU_SYS_LDTR ? next->ldtr.sel
                 : what == EMU_SYS_TR   ? next->tr.sel
                                        : 0;
    event(TM_SYS_WRITE, what, 0, v);
    if (tm.sys_refuse) {
        exc->vector = EXC_GP;
        exc->has_error = 1;
        exc->error = 0;
        return EMU_EXCEPTION;
    }
    return EMU_OK;
}

static void invlpg(void *ctx, uint32_t lin)
{
    event(TM_INVLPG, lin, 0, 0);
}

static void cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    for (unsigned i = 0; i < 4; i++)
        out[i] = leaf * 16 + sub + i;
}

static uint64_t rdtsc(void *ctx)
{
    return tm.tsc;
}

/* MSR 0x10 (the TSC) exists; every other one is #GP(0). */
static int rdmsr(void *ctx, uint32_t msr, uint64_t *val, struct emu_exc *exc)
{
    if (msr != 0x10) {
        exc->vector = EXC_GP;
        exc->has_error = 1;
        exc->error = 0;
        return EMU_EXCEPTION;
    }
    *val = tm.tsc;
    return EMU_OK;
}

static int wrmsr(void *ctx, uint32_t msr, uint64_t val, struct emu_exc *exc)
{
    if (msr != 0x10)
        return rdmsr(ctx, msr, &val, exc);
    tm.tsc = val;
    return EMU_OK;
}

const struct emu_ops tm_ops = {
    .translate = translate,
    .mmio_read = mmio_read,
    .mmio_write = mmio_write,
    .watched_write = watched_write,
    .port_in = port_in,
    .port_out = port_out,
    .sys_write = sys_write,
    .invlpg = invlpg,
    .cpuid = cpuid,
    .rdtsc = rdtsc,
    .rdmsr = rdmsr,
    .wrmsr = wrmsr,
};

static void flat(struct vcpu_seg *s, uint16_t sel, uint32_t type)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffffu;
    s->attr = type | SEG_S | SEG_P | SEG_DB | SEG_G;
}

void tm_reset(void)
{
    memset(&tm, 0, sizeof tm);
    for (unsigned i = 0; i < TM_PAGES; i++)
        tm.page[i] = (struct tm_page){EMU_MEM_RAM, TM_PG_P | TM_PG_W | TM_PG_U};
    struct vcpu *v = &tm.cpu;
    flat(&v->seg[S_CS], 0x08, SEG_TYPE_CODE | SEG_TYPE_R | SEG_TYPE_A);
    for (unsigned i = 0; i < S_COUNT; i++)
        if (i != S_CS)
            flat(&v->seg[i], 0x10, SEG_TYPE_W | SEG_TYPE_A);
    v->gdtr.base = TM_GDT;
    v->gdtr.limit = 16 * 8 - 1;
    v->idtr.base = TM_IDT;
    v->idtr.limit = 256 * 8 - 1;
    v->ldtr.attr = SEG_UNUSABLE;
    v->tr.attr = SEG_UNUSABLE;
    v->cr0 = CR0_PE | 0x10; /* ET */
    v->eflags = FL_RSV1;
    v->eip = 0x1000;
    v->gpr[R_ESP] = 0x8000;
    tm_desc(0x08, 0, 0xfffff, 0x9b, 0xc);
    tm_desc(0x10, 0, 0xfffff, 0x93, 0xc);
}

void tm_code(const void *bytes, unsigned len)
{
    memcpy(tm.mem + tm.cpu.eip, bytes, len);
}

int tm_step(struct emu_exc *exc)
{
    return emu_step(&tm.cpu, &tm_ops, NULL, 1000, exc);
}

void tm_put32(uint32_t addr, uint32_t v)
{
    memcpy(tm.mem + addr, &v, 4);
}

uint32_t tm_get32(uint32_t addr)
{
    uint32_t v;
    memcpy(&v, tm.mem + addr, 4);
    return v;
}

void tm_desc(uint16_t sel, uint32_t base, uint32_t limit, unsigned access, unsigned flags)
{
    uint32_t d[2] = {(base << 16) | (limit & 0xffff), (base & 0xff000000u) | ((base >> 16) & 0xff) |
                                                          (access << 8) | (limit & 0xf0000) |
                                                          (flags << 20)};
    memcpy(tm.mem + TM_GDT + (sel & ~7u), d, 8);
}

static void gate(uint32_t at, uint16_t sel, uint32_t off, unsigned type, unsigned dpl,
                 unsigned present, unsigned count)
{
    uint32_t d[2] = {((uint32_t)sel << 16) | (off & 0xffff),
                     (off & 0xffff0000u) | present << 15 | dpl << 13 | type << 8 | count};
    memcpy(tm.mem + at, d, 8);
}

void tm_idt(unsigned vec, uint16_t sel, uint32_t off, unsigned type, unsigned dpl, int present)
{
    gate(TM_IDT + vec * 8, sel, off, type, dpl, present != 0, 0);
}

void tm_gdt_gate(uint16_t at, uint16_t sel, uint32_t off, unsigned type, unsigned dpl,
                 unsigned count)
{
    gate(TM_GDT + (at & ~7u), sel, off, type, dpl, 1, count);
}

void tm_tss32(uint16_t ss0, uint32_t esp0, uint16_t ss1, uint32_t esp1)
{
    memset(tm.mem + TM_TSS, 0, 0x68);
    tm_put32(TM_TSS + 4, esp0);
    tm_put32(TM_TSS + 8, ss0);
    tm_put32(TM_TSS + 12, esp1);
    tm_put32(TM_TSS + 16, ss1);
    tm_desc(0x38, TM_TSS, 0x67, 0x8b, 0); /* busy 32-bit TSS */
    tm.cpu.tr = (struct vcpu_seg){0x38, TM_TSS, 0x67, SEG_P | 0xb};
}
