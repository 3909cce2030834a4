/* IDT construction and trap dispatch: registered handlers first, then expected faults in probe
   sites, else a deterministic report and the end of the run. */
#include "guest/lib/trap.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include <stdio.h>

struct extable_entry {
    uint32_t site, resume;
};

extern const uint32_t trap_stubs[256];
extern const struct extable_entry __extable_start[], __extable_end[];

uint64_t idt[256] __attribute__((aligned(8)));
static trap_handler handlers[256];
volatile struct trap_record trap_last;

static bool vector_has_error(uint32_t v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
}

void idt_set(unsigned vec, uint8_t attr)
{
    idt[vec] = desc_gate(SEL_KCODE, trap_stubs[vec], attr);
}

void idt_clear(unsigned vec)
{
    idt[vec] = 0;
}

struct dtr idt_dtr(void)
{
    return (struct dtr){.limit = sizeof idt - 1, .base = (uint32_t)idt};
}

void trap_set_handler(unsigned vec, trap_handler h)
{
    handlers[vec] = h;
}

void trap_init(void)
{
    for (unsigned v = 0; v < 256; v++)
        idt[v] = 0;
    for (unsigned v = 0; v < 32; v++)
        idt_set(v, GATE_INTR);
    idt_set(3, GATE_INTR_USER);
    idt_set(4, GATE_INTR_USER);
    struct dtr d = idt_dtr();
    asm volatile("lidt %0" : : "m"(d) : "memory");
}

void trap_reset(void)
{
    trap_last = (struct trap_record){0};
}

static const struct extable_entry *find_probe(uint32_t eip)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
        if (e->site == eip)
            return e;
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
        if (e->site < eip && eip <= e->resume)
            return e;
    return 0;
}

void trap_dispatch(struct trap_frame *f);

void trap_dispatch(struct trap_frame *f)
{
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    const struct extable_entry *e = find_probe(f->eip);
    if (e) {
        trap_last.count++;
        trap_last.vector = f->vector;
        trap_last.has_error = vector_has_error(f->vector);
        trap_last.error = f->error;
        trap_last.cs = f->cs & 0xffff;
        trap_last.eip = f->eip;
        trap_last.site = e->site;
        trap_last.outer_ss = (f->cs & 3) ? (f->outer_ss & 0xffff) : 0;
        f->eip = e->resume;
        return;
    }
    char err[16] = "-";
    if (vector_has_error(f->vector))
        sniprintf(err, sizeof err, "%#lx", (unsigned long)f->error);
    gprintf("unexpected trap: vector %lu error %s eip %#lx cs %#lx\n", (unsigned long)f->vector,
            err, (unsigned long)f->eip, (unsigned long)(f->cs & 0xffff));
    guest_exit(GUEST_EXIT_TRAP);
}

bool trap_expect(const char *what, uint32_t vector, uint32_t error, uint32_t offset)
{
    struct trap_record t = trap_last;
    if (t.count == 0)
        return check(false, "%s: no trap", what);
    char err[16] = "-";
    if (t.has_error)
        sniprintf(err, sizeof err, "%#lx", (unsigned long)t.error);
    return check(t.count == 1 && t.vector == vector && (!t.has_error || t.error == error) &&
                     t.eip == t.site + offset,
                 "%s: %u trap(s), vector %lu error %s eip site+%lu cs %#lx", what, t.count,
                 (unsigned long)t.vector, err, (unsigned long)(t.eip - t.site),
                 (unsigned long)t.cs);
}
