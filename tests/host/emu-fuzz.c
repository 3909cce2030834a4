/* emu-fuzz: differential test of the instruction emulator against the CPU it runs on. Each case
 * is a random instruction with random state, run natively in this 32-bit process and then in the
 * emulator over the same memory; registers, selectors, flags (less the ones the SDM leaves
 * undefined for that instruction), memory and the exception raised must agree.
 *   emu-fuzz --seed S --count N [--trace] [--stats]
 * prints each mismatch and ends with "N cases, M mismatches"; --trace names every case on stderr
 * before it runs (to find a case that hangs or kills the process); --stats prints how many cases
 * (and how many of them faulting) each operation had, to show what the run covered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/emu-fuzz.h"

static uint8_t before[FZ_SCR_SIZE], native_mem[FZ_SCR_SIZE];
static unsigned long long op_cases[X86_OP_COUNT], op_faults[X86_OP_COUNT];

/* Flags the SDM leaves undefined after this instruction in this state. */
static uint32_t undefined_flags(const struct x86_insn *in, const struct fz_state *st)
{
    const uint32_t szap = FL_SF | FL_ZF | FL_AF | FL_PF;
    uint32_t count = 0;
    if (in->noperands > 1) {
        const struct x86_operand *c = &in->operands[in->noperands - 1];
        count = c->type == X86_OPND_IMM ? c->imm : st->gpr[R_ECX];
    }
    count &= 0x1f;
    unsigned bits = in->noperands ? in->operands[0].size * 8 : 32;
    switch (in->op) {
    case X86_OP_MUL:
    case X86_OP_IMUL: return szap;
    case X86_OP_DIV:
    case X86_OP_IDIV: return FL_ARITH;
    case X86_OP_AND:
    case X86_OP_OR:
    case X86_OP_XOR:
    case X86_OP_TEST: return FL_AF;
    case X86_OP_SHL:
    case X86_OP_SHR:
    case X86_OP_SAR:
        if (!count)
            return 0;
        return FL_AF | (count != 1 ? FL_OF : 0) | (count >= bits ? FL_CF : 0);
    case X86_OP_ROL:
    case X86_OP_ROR:
    case X86_OP_RCL:
    case X86_OP_RCR: return count > 1 ? FL_OF : 0;
    case X86_OP_SHLD:
    case X86_OP_SHRD:
        if (!count)
            return 0;
        return count > bits ? FL_ARITH : FL_AF | (count != 1 ? FL_OF : 0);
    case X86_OP_BT:
    case X86_OP_BTS:
    case X86_OP_BTR:
    case X86_OP_BTC: return FL_OF | FL_SF | FL_AF | FL_PF;
    case X86_OP_BSF:
    case X86_OP_BSR: return FL_CF | FL_OF | FL_SF | FL_AF | FL_PF;
    case X86_OP_DAA:
    case X86_OP_DAS: return FL_OF;
    case X86_OP_AAA:
    case X86_OP_AAS: return FL_OF | FL_SF | FL_ZF | FL_PF;
    case X86_OP_AAM:
    case X86_OP_AAD: return FL_OF | FL_AF | FL_CF;
    default: return 0;
    }
}

static bool has_error_code(unsigned v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

static void print_state(const char *who, const struct fz_outcome *o)
{
    static const char *names[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    printf("  %-8s", who);
    for (int i = 0; i < 8; i++)
        printf(" %s=%08x", names[i], o->st.gpr[i]);
    printf("\n           eip=%08x efl=%08x es=%04x cs=%04x ss=%04x ds=%04x fs=%04x", o->st.eip,
           o->st.eflags, o->st.sreg[S_ES], o->st.sreg[S_CS], o->st.sreg[S_SS], o->st.sreg[S_DS],
           o->st.sreg[S_FS]);
    if (o->fault)
        printf(" exception %u error %#x cr2 %08x", o->vector, o->error, o->cr2);
    printf("\n");
}

/* Runs the emulator to completion of the instruction, restarting REP string instructions cut
 * short by a small budget, as the monitor would between interrupts. */
static void emulate(const struct fz_case *c, struct fz_outcome *out)
{
    struct vcpu v;
    struct emu_exc exc;
    int r;
    mock_vcpu(&c->st, &v);
    unsigned rounds = 0;
    do {
        r = emu_step(&v, &mock_ops, NULL, 1 + gen_rand() % 3, &exc);
    } while (r == EMU_OK && v.eip == c->st.eip && ++rounds < (1u << 20));
    memset(out, 0, sizeof *out);
    mock_state(&v, &out->st);
    out->st.sreg[S_GS] = c->st.sreg[S_GS];
    if (r == EMU_EXCEPTION) {
        out->fault = true;
        out->vector = exc.vector;
        out->error = exc.error;
        out->cr2 = exc.cr2;
    } else if (r != EMU_OK) {
        out->fault = true;
        out->vector = 0xff;
    }
}

static bool compare(const struct fz_case *c, struct fz_outcome *nat, const struct fz_outcome *emu,
                    const char **why)
{
    /* A fetch fault on the next instruction (a branch to an unmapped address) is completion. */
    if (nat->fault && nat->vector == EXC_PF && nat->cr2 == nat->st.eip && (nat->error & PF_I) &&
        !emu->fault)
        nat->fault = false;
    if (nat->fault != emu->fault)
        return *why = "outcome", false;
    if (nat->fault) {
        if (nat->vector != emu->vector)
            return *why = "vector", false;
        if (has_error_code(nat->vector) && nat->error != emu->error)
            return *why = "error code", false;
        if (nat->vector == EXC_PF && nat->cr2 != emu->cr2)
            return *why = "cr2", false;
    }
    if (memcmp(nat->st.gpr, emu->st.gpr, sizeof nat->st.gpr) || nat->st.eip != emu->st.eip)
        return *why = "registers", false;
    static const unsigned segs[] = {S_ES, S_CS, S_SS, S_DS, S_FS};
    for (unsigned i = 0; i < 5; i++)
        if (nat->st.sreg[segs[i]] != emu->st.sreg[segs[i]])
            return *why = "selectors", false;
    uint32_t cmp = (FL_ARITH | FL_DF | FL_TF | FL_IF | FL_IOPL | FL_NT | FL_AC | FL_ID) &
                   ~undefined_flags(&c->insn, &c->st);
    /* A fault inside REPE/REPNE CMPS/SCAS after some elements: this CPU reports the flags from
     * before the instruction, the emulator those of the last element; the SDM does not say. */
    bool compares = c->insn.op == X86_OP_CMPS || c->insn.op == X86_OP_SCAS;
    if (nat->fault && compares && c->insn.rep && nat->st.gpr[R_ECX] != c->st.gpr[R_ECX])
        cmp &= ~FL_ARITH;
    if ((nat->st.eflags ^ emu->st.eflags) & cmp)
        return *why = "flags", false;
    /* ENTER, PUSHA and far CALL store as they go and may fault after the first store; the
     * emulator stores nothing. They only touch the free stack below ESP, which the comparison
     * then leaves out. */
    uint32_t skip_to = 0;
    unsigned op = c->insn.op;
    if (nat->fault && (op == X86_OP_ENTER || op == X86_OP_PUSHA || op == X86_OP_CALLF) &&
        c->st.gpr[R_ESP] > FZ_SCR)
        skip_to = c->st.gpr[R_ESP] - FZ_SCR;
    if (skip_to > FZ_SCR_SIZE)
        skip_to = FZ_SCR_SIZE;
    /* A 32-bit PUSH Sreg: this CPU may store 16 bits only, the emulator zero-extends (both are
     * allowed; emu/exec-data.c says why). Accept the native upper half if the emulated is 0. */
    uint32_t hi = emu->st.gpr[R_ESP] + 2 - FZ_SCR;
    if (!nat->fault && op == X86_OP_PUSH_SEG && c->insn.opsize == 4 && hi + 2 <= FZ_SCR_SIZE &&
        ((uint8_t *)FZ_SCR)[hi] == 0 && ((uint8_t *)FZ_SCR)[hi + 1] == 0) {
        native_mem[hi] = 0;
        native_mem[hi + 1] = 0;
    }
    if (memcmp(native_mem + skip_to, (uint8_t *)FZ_SCR + skip_to, FZ_SCR_SIZE - skip_to))
        return *why = "memory", false;
    return true;
}

static void report(const struct fz_case *c, const struct fz_outcome *nat,
                   const struct fz_outcome *emu, const char *why, unsigned long n)
{
    char text[96];
    x86_format(&c->insn, text, sizeof text);
    printf("MISMATCH case %lu (%s): ", n, why);
    for (unsigned i = 0; i < c->len; i++)
        printf("%02x ", c->bytes[i]);
    printf(" %s\n", text);
    struct fz_outcome init = {.st = c->st};
    print_state("initial", &init);
    print_state("native", nat);
    print_state("emulated", emu);
    const uint8_t *em = (const uint8_t *)FZ_SCR;
    for (unsigned i = 0, shown = 0; i < FZ_SCR_SIZE && shown < 8; i++)
        if (native_mem[i] != em[i]) {
            printf("  memory %08x: was %02x native %02x emulated %02x\n", FZ_SCR + i, before[i],
                   native_mem[i], em[i]);
            shown++;
        }
}

int main(int argc, char **argv)
{
    unsigned long long seed = 1, count = 10000;
    bool trace = false, stats = false;
    for (int i = 1; i < argc; i += 2) {
        if (!strcmp(argv[i], "--trace"))
            trace = true, i--;
        else if (!strcmp(argv[i], "--stats"))
            stats = true, i--;
        else if (i + 1 == argc)
            return fprintf(stderr, "usage: emu-fuzz --seed S --count N [--trace] [--stats]\n"), 2;
        else if (!strcmp(argv[i], "--seed"))
            seed = strtoull(argv[i + 1], NULL, 0);
        else if (!strcmp(argv[i], "--count"))
            count = strtoull(argv[i + 1], NULL, 0);
        else
            return fprintf(stderr, "usage: emu-fuzz --seed S --count N [--trace] [--stats]\n"), 2;
    }
    native_init();
    mock_init();
    gen_seed(seed);
    unsigned long long mismatches = 0;
    struct fz_case c;
    struct fz_outcome nat, emu;
    uint16_t gs;
    asm volatile("movw %%gs, %0" : "=r"(gs));
    for (unsigned long long n = 0; n < count; n++) {
        if (n % 256 == 0)
            gen_fill_scratch();
        gen_case(&c);
        c.st.sreg[S_GS] = gs;
        memcpy((void *)c.st.eip, c.bytes, c.len);
        if (trace) {
            fprintf(stderr, "case %llu at %08x:", n, c.st.eip);
            for (unsigned i = 0; i < c.len; i++)
                fprintf(stderr, " %02x", c.bytes[i]);
            fprintf(stderr, "\n");
        }
        memcpy(before, (void *)FZ_SCR, FZ_SCR_SIZE);
        native_run(&c.st, &nat);
        memcpy(native_mem, (void *)FZ_SCR, FZ_SCR_SIZE);
        memcpy((void *)FZ_SCR, before, FZ_SCR_SIZE);
        emulate(&c, &emu);
        op_cases[c.insn.op]++;
        op_faults[c.insn.op] += nat.fault;
        const char *why;
        if (!compare(&c, &nat, &emu, &why)) {
            if (++mismatches <= 50)
                report(&c, &nat, &emu, why, n);
        }
        memset((void *)c.st.eip, 0xcc, c.len);
        memcpy((void *)FZ_SCR, native_mem, FZ_SCR_SIZE);
    }
    unsigned covered = 0;
    for (unsigned op = 0; op < X86_OP_COUNT; op++) {
        covered += op_cases[op] != 0;
        if (stats && op_cases[op])
            printf("  %-10s %8llu cases %8llu faulting\n", x86_op_name(op), op_cases[op],
                   op_faults[op]);
    }
    printf("%u operations covered\n", covered);
    printf("%llu cases, %llu mismatches\n", count, mismatches);
    return mismatches != 0;
}
