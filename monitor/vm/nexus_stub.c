/*
 * nexus_stub.c: insert-call stubs (vmethod=nexus). A site the ring-3 nexus can emulate (CLI,
 * STI, PUSHFD, POPFD, MOV r/SMSW/STR/SLDT, PUSH Sreg) gets, once ring 0 has handled it, a stub
 * of its own in the nexus stub pages: the operation's template from the nexus code page
 * (scan/nexus_entry.asm describes one), its fields filled, the instructions the patch displaces
 * copied behind it, and a far JMP back to the guest. The scanner then replaces the site's INT3
 * with a far JMP to the stub (scan_patch_apply), naming the nexus selector, not an address, so
 * the nexus can move without a patch changing. The first operation that runs into trouble in a
 * stub stops the real CPU there; this file maps every such stop back to a guest state, from its
 * own records (the guest can read the stub pages but cannot write them, and nothing it writes
 * into the data pages is used here).
 */
#include "monitor/vm/nexus_stub.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "arch/x86/trap.h"
#include "monitor/log.h"
#include "monitor/nexus.h"
#include "monitor/panic.h"
#include "monitor/trap.h"
#include "monitor/vm/guest_space.h"
#include "monitor/vm/nexus_run.h"
#include "monitor/vm/shadow_desc.h"
#include "monitor/vm/vm_exit.h"
#include "scan/prescan.h"

#include <stddef.h>
#include <string.h>

/* A far JMP ptr16:32 (EA id iw): the patch. */
#define FAR_JMP_LEN 7u
/* JMP FAR [CS:disp32] (2E FF 2D id) and the 6-byte pointer it reads: a stub's way back. */
#define BACK_JMP_LEN 7u
#define BACK_PTR_LEN 6u

struct stub {
    bool used;
    uint8_t op;         /* enum nexus_op */
    uint8_t site_len;   /* the site's instruction */
    uint8_t region_len; /* the bytes the patch replaced, whole instructions */
    uint8_t ndisp;      /* displaced instructions */
    uint8_t disp_guest[SCAN_REGION_MAX_INSNS]; /* each one's offset from the site */
    uint8_t disp_stub[SCAN_REGION_MAX_INSNS];  /* and from the slot's start */
    uint8_t back;                              /* offset of the JMP back in the slot */
    uint32_t site;                             /* linear address of the site */
    uint32_t site_eip;                         /* its offset in the code segment */
};

static struct stub stubs[NEXUS_STUBS];
static const struct nexus_template *templates;

static uint32_t slot_offset(unsigned k)
{
    return NEXUS_STUB_OFFSET + k * NEXUS_STUB_SIZE;
}

/* The longest stub body a template may have: the slot less the longest region and the way back. */
#define MAX_TEMPLATE (NEXUS_STUB_SIZE - SCAN_REGION_MAX_LEN - BACK_JMP_LEN - BACK_PTR_LEN)

static bool field_ok(const struct nexus_template *t, uint16_t f, uint16_t width)
{
    return f == 0 || (f >= t->entry + width && f <= t->end);
}

void vm_stub_start(void)
{
    const struct nexus_header *h = nexus_header();
    if (h->templates == 0 || h->templates + NEXUS_OPS * sizeof *templates > h->code_size)
        panic("nexus: no stub template table");
    templates = (const struct nexus_template *)nexus_code_ptr(h->templates);
    for (unsigned op = 0; op < NEXUS_OPS; op++) {
        const struct nexus_template *t = &templates[op];
        if (t->start == 0)
            continue;
        if (!(t->start < t->entry && t->entry < t->end && t->end <= h->code_size &&
              (uint32_t)(t->end - t->start) <= MAX_TEMPLATE && t->site_ret > t->start &&
              t->site_ret <= t->entry && t->resume_ret > t->start && t->resume_ret <= t->entry &&
              t->nrec >= 1 && t->nrec <= 4 && field_ok(t, t->f_cs, 4) && t->f_cs != 0 &&
              field_ok(t, t->f_hits, 4) && t->f_hits != 0 && field_ok(t, t->f_next, 4) &&
              field_ok(t, t->f_src, 4) && (t->f_move == 0 || t->f_move + 4u <= t->end)))
            panic("nexus: stub template %u is malformed", op);
    }
    memset(stubs, 0, sizeof stubs);
}

static void put32(uint8_t *at, uint32_t v)
{
    memcpy(at, &v, 4);
}

/* MOV r32/r16, EAX/AX into the four bytes at f_move: EAX itself is restored by the epilogue from
 * its slot at [ESP], so the value goes there. */
static void fill_move(uint8_t *at, uint8_t op, uint8_t reg)
{
    static const uint8_t to_slot32[4] = {0x89, 0x04, 0x24, 0x90}; /* mov [esp], eax; nop */
    static const uint8_t to_slot16[4] = {0x66, 0x89, 0x04, 0x24}; /* mov [esp], ax */
    bool wide = op == NEXUS_OP_MOV32;
    if (reg == 0) {
        memcpy(at, wide ? to_slot32 : to_slot16, 4);
        return;
    }
    uint8_t modrm = (uint8_t)(0xC0 | (reg << 3)); /* mov reg, eax: 8B /r with r/m = EAX */
    const uint8_t reg32[4] = {0x8B, modrm, 0x90, 0x90};
    const uint8_t reg16[4] = {0x66, 0x8B, modrm, 0x90};
    memcpy(at, wide ? reg32 : reg16, 4);
}

static int free_slot(void)
{
    for (unsigned k = 0; k < NEXUS_STUBS; k++)
        if (!stubs[k].used)
            return (int)k;
    return -1;
}

/* Writes slot k's code for the site; returns the entry's offset in the nexus code segment. */
static uint32_t build(struct vm *vm, unsigned k, const struct scan_region *r,
                      const struct nexus_site *s, uint16_t cs_sel, uint32_t cs_base)
{
    const struct nexus_template *t = &templates[s->op];
    struct stub *st = &stubs[k];
    uint8_t *slot = nexus_code_ptr(slot_offset(k));
    uint32_t body = t->end - t->start;
    memcpy(slot, nexus_code_ptr(t->start), body);
#define FIELD(f) (slot + ((f)-t->start) - 4)
    put32(FIELD(t->f_cs), cs_sel);
    put32(FIELD(t->f_hits),
          NEXUS_DATA_OFFSET + (uint32_t)offsetof(struct nexus_page, stub_hits) + 4 * k);
    uint32_t site_eip = r->addr - cs_base;
    if (t->f_next)
        put32(FIELD(t->f_next), site_eip + s->len);
    if (t->f_src)
        put32(FIELD(t->f_src),
              NEXUS_DATA_OFFSET + (uint32_t)offsetof(struct nexus_page, vals) + 4u * s->src);
#undef FIELD
    if (t->f_move)
        fill_move(slot + (t->f_move - t->start), s->op, s->reg);

    /* The displaced instructions, as the guest wrote them. */
    *st = (struct stub){.used = true,
                        .op = s->op,
                        .site_len = s->len,
                        .region_len = r->len,
                        .site = r->addr,
                        .site_eip = site_eip};
    uint32_t at = body;
    for (unsigned i = 1; i < r->ninsns; i++) {
        st->disp_guest[st->ndisp] = r->insn_off[i];
        st->disp_stub[st->ndisp] = (uint8_t)at;
        st->ndisp++;
        scan_read_original(vm->scan, r->addr + r->insn_off[i], slot + at, r->insn_len[i]);
        at += r->insn_len[i];
    }
    /* Back to the first byte after the region, in the code segment the stub checked for. */
    st->back = (uint8_t)at;
    uint32_t ptr = slot_offset(k) + at + BACK_JMP_LEN;
    slot[at] = 0x2E;
    slot[at + 1] = 0xFF;
    slot[at + 2] = 0x2D;
    put32(slot + at + 3, ptr);
    put32(slot + at + BACK_JMP_LEN, site_eip + r->len);
    slot[at + BACK_JMP_LEN + 4] = (uint8_t)cs_sel;
    slot[at + BACK_JMP_LEN + 5] = (uint8_t)(cs_sel >> 8);
    return slot_offset(k) + (t->entry - t->start);
}

void vm_stub_patch(struct vm *vm, uint32_t at, const struct nexus_site *s)
{
    const struct vcpu *c = &vm->cpu;
    if (s->op >= NEXUS_OPS || templates[s->op].start == 0) {
        vm->stats.stub_refused[STUB_NO_TEMPLATE]++;
        return;
    }
    struct scan_region r;
    int why = scan_patch_plan(vm->scan, at, FAR_JMP_LEN, &r);
    if (why != SCAN_PATCH_OK) {
        if (why < SCAN_PATCH_REASONS)
            vm->stats.patch_refused[why]++;
        return;
    }
    if (r.cs_base != c->seg[S_CS].base) {
        vm->stats.stub_refused[STUB_OTHER_CS]++;
        return;
    }
    if (r.len > SCAN_REGION_MAX_LEN || r.ninsns < 1 || r.insn_len[0] != s->len) {
        vm->stats.stub_refused[STUB_REGION]++;
        return;
    }
    int k = free_slot();
    if (k < 0) {
        vm->stats.stub_refused[STUB_NO_SLOT]++;
        return;
    }
    /* The selector the guest runs with, as ring 0 computes it (not the data page's copy). */
    uint16_t cs_sel = shadow_desc_selector(c, S_CS);
    uint32_t cr0 = guest_space_unlock();
    uint32_t entry = build(vm, (unsigned)k, &r, s, cs_sel, c->seg[S_CS].base);
    uint8_t jmp[FAR_JMP_LEN] = {0xEA};
    put32(jmp + 1, entry);
    jmp[5] = (uint8_t)SEL_NEXUS_CS;
    jmp[6] = (uint8_t)(SEL_NEXUS_CS >> 8);
    bool ok = scan_patch_apply(vm->scan, &r, jmp, sizeof jmp, (uint32_t)k);
    guest_space_relock(cr0);
    if (!ok) {
        stubs[k].used = false;
        vm->stats.stub_refused[STUB_REGION]++;
        return;
    }
    nexus_page()->stub_hits[k] = 0;
    vm->stats.stubs_made++;
}

void vm_stub_removed(uint32_t addr, uint32_t cookie)
{
    if (cookie < NEXUS_STUBS && stubs[cookie].used && stubs[cookie].site == addr)
        stubs[cookie].used = false;
}

/* The guest at `eip` with the registers the frame holds. */
static void guest_at(struct trap_frame *f, const uint16_t sel[], uint32_t eip)
{
    f->eip = eip;
    f->cs = sel[S_CS];
}

uint32_t vm_stub_stop(struct vm *vm, uint32_t vector, const uint16_t sel[])
{
    struct trap_frame *f = &ring3_frame;
    uint32_t k = (f->eip - NEXUS_STUB_OFFSET) / NEXUS_STUB_SIZE;
    uint32_t off = (f->eip - NEXUS_STUB_OFFSET) % NEXUS_STUB_SIZE;
    bool irq = trap_is_irq(vector);
    if (f->eip < NEXUS_STUB_OFFSET || k >= NEXUS_STUBS || !stubs[k].used ||
        (uint16_t)f->ss != sel[S_SS]) {
        if (irq)
            return VM_STUB_RESUME;
        vm_exit_unsupported(vm, "the guest stopped in a nexus stub that is not in use");
        return VM_VECTOR_NEXUS_RESUME;
    }
    const struct stub *st = &stubs[k];
    const struct nexus_template *t = &templates[st->op];
    uint32_t entry = t->entry - t->start;
    if (vector == NEXUS_CALL_VECTOR) {
        if (off == (uint32_t)(t->site_ret - t->start)) {
            guest_at(f, sel, st->site_eip + 1);
            return VM_VECTOR_NEXUS_SITE;
        }
        if (off == (uint32_t)(t->resume_ret - t->start)) {
            vm->stats.exits[EXIT_NEXUS]++;
            guest_at(f, sel, st->site_eip + st->site_len);
            return VM_VECTOR_NEXUS_RESUME;
        }
    } else if (off >= entry && off < entry + t->nrec) {
        /* Only pushes have run: the guest is at the site. A fault there (its stack) and a
         * single step at the entry (the guest's TF after the far JMP) go to the site's
         * emulation, which acts as the instruction would; an interrupt finds the guest before
         * it. */
        f->esp += 4 * (off - entry);
        if (irq) {
            guest_at(f, sel, st->site_eip);
            return vector;
        }
        if (vector == TRAP_DB)
            __asm__ volatile("mov %0, %%db6" : : "r"(0xffff0ff0u));
        vm->stats.nexus_faults += vector != TRAP_DB;
        guest_at(f, sel, st->site_eip + 1);
        return VM_VECTOR_NEXUS_SITE;
    } else if (off == st->back) {
        guest_at(f, sel, st->site_eip + st->region_len);
        return vector;
    } else {
        for (unsigned i = 0; i < st->ndisp; i++) {
            if (off == st->disp_stub[i]) {
                guest_at(f, sel, st->site_eip + st->disp_guest[i]);
                return vector;
            }
        }
    }
    if (irq)
        return VM_STUB_RESUME;
    vm_exit_unsupported(vm, "a fault in a nexus stub outside its recovery points");
    return VM_VECTOR_NEXUS_RESUME;
}

bool vm_stub_inside(uint32_t linear)
{
    for (unsigned k = 0; k < NEXUS_STUBS; k++)
        if (stubs[k].used && linear - stubs[k].site - 1 < stubs[k].region_len - 1u)
            return true;
    return false;
}

uint64_t vm_stub_hits(uint32_t addr)
{
    for (unsigned k = 0; k < NEXUS_STUBS; k++)
        if (stubs[k].used && stubs[k].site == addr)
            return nexus_page()->stub_hits[k];
    return 0;
}
