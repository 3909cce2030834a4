/* tests/host/decode-fuzz.c: differential fuzzer for scan/decode.c against Zydis 4.0. Random byte
 * strings, biased toward prefixes, every map and every ModRM/SIB form, are decoded by both;
 * validity and length must agree, and so must the operation (mnemonic) and the operands (register
 * class, number and width, memory base/index/scale/displacement/segment/size, immediate and
 * relative values, far pointers, read/write bits), since the emulator works from those. Zydis knows
 * far more than the virtual i686-class CPU, so an instruction whose ISA set is outside our scope
 * counts as invalid on its side (accepted_isa). Documented disagreements where the SDM sides with
 * nexus86 are listed in the exception file. Every valid decode is also checked for
 * self-consistency: one byte less must say NEED_MORE.
 *
 *   decode-fuzz --seed S --count N [--mode 32|16] [--exceptions FILE] [--exhaustive]
 *
 * --exhaustive replaces the random generator by a sweep of every map x opcode x ModRM byte
 * under ten prefix combinations (2.6 million cases; --count is ignored).
 */
#include <Zydis/Zydis.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/decode.h"

#define BUF_LEN 24

/* The ISA sets of an i686-class CPU with SSE through SSSE3 (see docs/decoder.md). */
static bool accepted_isa(ZydisISASet s)
{
    switch (s) {
    case ZYDIS_ISA_SET_I86:
    case ZYDIS_ISA_SET_I186:
    case ZYDIS_ISA_SET_I286REAL:
    case ZYDIS_ISA_SET_I286PROTECTED:
    case ZYDIS_ISA_SET_I386:
    case ZYDIS_ISA_SET_I486REAL:
    case ZYDIS_ISA_SET_I486:
    case ZYDIS_ISA_SET_PENTIUMREAL:
    case ZYDIS_ISA_SET_PPRO:
    case ZYDIS_ISA_SET_CMOV:
    case ZYDIS_ISA_SET_FCMOV:
    case ZYDIS_ISA_SET_X87:
    case ZYDIS_ISA_SET_PENTIUMMMX:
    case ZYDIS_ISA_SET_SSE:
    case ZYDIS_ISA_SET_SSE2:
    case ZYDIS_ISA_SET_SSE2MMX:
    case ZYDIS_ISA_SET_SSE3:
    case ZYDIS_ISA_SET_SSE3X87:
    case ZYDIS_ISA_SET_SSSE3:
    case ZYDIS_ISA_SET_SSSE3MMX:
    case ZYDIS_ISA_SET_SSEMXCSR:
    case ZYDIS_ISA_SET_SSE_PREFETCH:
    case ZYDIS_ISA_SET_CLFSH:
    case ZYDIS_ISA_SET_MONITOR:
    case ZYDIS_ISA_SET_PAUSE:
    case ZYDIS_ISA_SET_FAT_NOP:
    case ZYDIS_ISA_SET_FXSAVE:
    case ZYDIS_ISA_SET_RDPMC:
    case ZYDIS_ISA_SET_LAHF: return true;
    default: return false;
    }
}

/* String instructions: Zydis hides all their operands (AL/eAX, DX, DS:eSI, ES:eDI). */
static bool is_string(const struct x86_insn *in)
{
    switch (in->op) {
    case X86_OP_MOVS:
    case X86_OP_CMPS:
    case X86_OP_STOS:
    case X86_OP_LODS:
    case X86_OP_SCAS:
    case X86_OP_INS:
    case X86_OP_OUTS: return true;
    default: return false;
    }
}

/* Operands compared one for one with Zydis's visible ones. Implied ST(0) is left out (Zydis
 * shows it for some x87 forms and not others; the SDM writes FCOM ST(i)); string operands are
 * hidden in Zydis and matched separately (string_operands_agree). */
static bool compared(const struct x86_insn *in, const struct x86_operand *o)
{
    return o->method != X86_M_ST && !is_string(in);
}

static uint32_t trunc_to(uint64_t v, unsigned bytes)
{
    return bytes >= 4 ? (uint32_t)v : (uint32_t)v & ((1u << (8 * bytes)) - 1);
}

/* Zydis register -> our (class, number), -1 when it has no counterpart. */
static int reg_class_of(ZydisRegister r)
{
    switch (ZydisRegisterGetClass(r)) {
    case ZYDIS_REGCLASS_GPR8:
    case ZYDIS_REGCLASS_GPR16:
    case ZYDIS_REGCLASS_GPR32: return X86_RC_GPR;
    case ZYDIS_REGCLASS_SEGMENT: return X86_RC_SEG;
    case ZYDIS_REGCLASS_CONTROL: return X86_RC_CR;
    case ZYDIS_REGCLASS_DEBUG: return X86_RC_DR;
    case ZYDIS_REGCLASS_X87: return X86_RC_X87;
    case ZYDIS_REGCLASS_MMX: return X86_RC_MMX;
    case ZYDIS_REGCLASS_XMM: return X86_RC_XMM;
    default: return -1;
    }
}

static int gpr_of(ZydisRegister r)
{
    return r == ZYDIS_REGISTER_NONE ? X86_NOREG : ZydisRegisterGetId(r);
}

/* Read/write bits agree with Zydis's actions. For a register destination that the CPU writes only
 * under a condition or merges into (CMOVcc, BSF/BSR, LAR/LSL, scalar SSE), we say read+write
 * where Zydis may say write: reading a register costs nothing. Memory must match exactly, since a
 * needless read of MMIO could have side effects. */
static bool access_agrees(const struct x86_operand *o, const ZydisDecodedOperand *z)
{
    unsigned za =
        ((z->actions & (ZYDIS_OPERAND_ACTION_READ | ZYDIS_OPERAND_ACTION_CONDREAD)) ? X86_ACC_READ
                                                                                    : 0) |
        ((z->actions & (ZYDIS_OPERAND_ACTION_WRITE | ZYDIS_OPERAND_ACTION_CONDWRITE))
             ? X86_ACC_WRITE
             : 0);
    if (o->access == za)
        return true;
    return o->type == X86_OPND_REG && za == X86_ACC_WRITE &&
           o->access == (X86_ACC_READ | X86_ACC_WRITE);
}

/* Our DS:eSI / ES:eDI operands against Zydis's hidden memory operands with the same base. */
static bool string_operands_agree(const struct x86_insn *in, const ZydisDecodedInstruction *zi,
                                  const ZydisDecodedOperand *zo)
{
    for (unsigned i = 0; i < in->noperands; i++) {
        const struct x86_operand *o = &in->operands[i];
        if (o->method != X86_M_X && o->method != X86_M_Y)
            continue;
        bool found = false;
        for (unsigned j = 0; j < zi->operand_count && !found; j++)
            found = zo[j].type == ZYDIS_OPERAND_TYPE_MEMORY &&
                    gpr_of(zo[j].mem.base) == o->mem.base &&
                    ZydisRegisterGetWidth(ZYDIS_MACHINE_MODE_LEGACY_32, zo[j].mem.base) ==
                        8u * o->mem.addrsize &&
                    ZydisRegisterGetId(zo[j].mem.segment) == o->mem.seg &&
                    zo[j].size == 8u * o->size && access_agrees(o, &zo[j]);
        if (!found)
            return false;
    }
    return true;
}

/* NULL when the compared operands agree, else what differs. */
static const char *compare_operands(const struct x86_insn *in, const ZydisDecodedInstruction *zi,
                                    const ZydisDecodedOperand *zo, int mode)
{
    const struct x86_operand *ours[X86_MAX_OPERANDS];
    unsigned n = 0, zn = 0;
    for (unsigned i = 0; i < in->noperands; i++)
        if (compared(in, &in->operands[i]))
            ours[n++] = &in->operands[i];
    for (unsigned i = 0; i < zi->operand_count_visible; i++) {
        const ZydisDecodedOperand *z = &zo[i];
        if (z->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN ||
            (z->visibility == ZYDIS_OPERAND_VISIBILITY_IMPLICIT &&
             z->type == ZYDIS_OPERAND_TYPE_REGISTER &&
             ZydisRegisterGetClass(z->reg.value) == ZYDIS_REGCLASS_X87))
            continue;
        if (zn >= n)
            return "operand count";
        const struct x86_operand *o = ours[zn++];
        if ((z->type == ZYDIS_OPERAND_TYPE_REGISTER || z->type == ZYDIS_OPERAND_TYPE_MEMORY) &&
            o->size && !access_agrees(o, z))
            return "operand access";
        switch (z->type) {
        case ZYDIS_OPERAND_TYPE_REGISTER:
            if (o->type != X86_OPND_REG || o->reg_class != reg_class_of(z->reg.value) ||
                o->reg != ZydisRegisterGetId(z->reg.value))
                return "register operand";
            if (o->reg_class == X86_RC_GPR &&
                o->size * 8u != ZydisRegisterGetWidth(mode == 32 ? ZYDIS_MACHINE_MODE_LEGACY_32
                                                                 : ZYDIS_MACHINE_MODE_LEGACY_16,
                                                      z->reg.value))
                return "register width";
            break;
        case ZYDIS_OPERAND_TYPE_MEMORY:
            if (o->type != X86_OPND_MEM || o->mem.base != gpr_of(z->mem.base) ||
                o->mem.index != gpr_of(z->mem.index) ||
                (o->mem.index != X86_NOREG && o->mem.scale != z->mem.scale) ||
                trunc_to((uint64_t)z->mem.disp.value, in->addrsize) !=
                    trunc_to((uint32_t)o->mem.disp, in->addrsize))
                return "memory operand";
            if (z->mem.type == ZYDIS_MEMOP_TYPE_MEM &&
                o->mem.seg != ZydisRegisterGetId(z->mem.segment))
                return "memory segment";
            /* Size 0 marks address-only operands (INVLPG, prefetch, CLFLUSH), where Zydis
               gives a nominal size. */
            if (z->mem.type == ZYDIS_MEMOP_TYPE_MEM && o->size && o->size * 8u != z->size)
                return "memory size";
            break;
        case ZYDIS_OPERAND_TYPE_POINTER:
            if (o->type != X86_OPND_FAR || o->sel != z->ptr.segment || o->imm != z->ptr.offset)
                return "far pointer";
            break;
        case ZYDIS_OPERAND_TYPE_IMMEDIATE:
            if (z->imm.is_relative) {
                if (o->type != X86_OPND_REL || o->rel != (int32_t)z->imm.value.s)
                    return "relative offset";
            } else if (o->type != X86_OPND_IMM ||
                       trunc_to(z->imm.value.u, o->size) != trunc_to(o->imm, o->size)) {
                return "immediate";
            }
            break;
        default: return "operand type";
        }
    }
    if (zn != n)
        return "operand count";
    return string_operands_agree(in, zi, zo) ? NULL : "string operand";
}

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static unsigned below(unsigned n)
{
    return rnd() % n;
}

/* One test case: prefixes, an opcode in some map, ModRM, SIB and the rest random. */
static void generate(uint8_t *b)
{
    static const uint8_t prefixes[] = {0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x26,
                                       0x2E, 0x36, 0x3E, 0x64, 0x65};
    static const uint8_t likely[] = {0x66, 0xF2, 0xF3, 0x66, 0xF2, 0xF3, 0x67, 0xF0};
    unsigned n = 0, np;
    for (unsigned i = 0; i < BUF_LEN; i++)
        b[i] = (uint8_t)rnd();
    if (below(32) == 0)
        return;
    unsigned r = below(100);
    np = r < 45 ? 0 : r < 85 ? 1 + below(3) : 4 + below(12);
    for (unsigned i = 0; i < np; i++)
        b[n++] = below(2) ? likely[below(sizeof likely)] : prefixes[below(sizeof prefixes)];
    r = below(100);
    if (r < 40) {
        /* one-byte map: whatever the random byte is */
    } else if (r < 75) {
        b[n++] = 0x0F;
    } else if (r < 87) {
        b[n++] = 0x0F;
        b[n++] = 0x38;
    } else {
        b[n++] = 0x0F;
        b[n++] = 0x3A;
    }
    if (n >= BUF_LEN - 3)
        return;
    n++; /* opcode */
    /* ModRM: every mod equally, with rm=4 (SIB) and rm=5/6 (displacement-only) favoured. */
    unsigned mod = below(4), rm = below(3) == 0 ? 4 + below(3) : below(8);
    b[n] = (uint8_t)(mod << 6 | (b[n] & 0x38) | rm);
    n++;
    if (below(3) == 0)
        b[n] = (uint8_t)((b[n] & 0xF8) | 5); /* SIB with no base */
}

/* Prefix combinations of the exhaustive sweep: none, each that changes decoding, and the
 * mandatory-prefix conflicts. */
static const uint8_t sweep_prefixes[][3] = {
    {0},       {1, 0x66},       {1, 0xF2},       {1, 0xF3},       {1, 0x67},
    {1, 0xF0}, {2, 0x66, 0xF2}, {2, 0xF3, 0x66}, {2, 0x66, 0x67}, {2, 0xF0, 0x66},
};
#define SWEEP_PER_PREFIX (4u * 256u * 256u)
#define SWEEP_CASES      (SWEEP_PER_PREFIX * (sizeof sweep_prefixes / sizeof sweep_prefixes[0]))

/* Case n of the exhaustive sweep: every map x opcode x ModRM under every prefix combination,
 * the bytes after ModRM (SIB, displacement, immediates) random. */
static void enumerate(unsigned long long n, uint8_t *b)
{
    const uint8_t *p = sweep_prefixes[n / SWEEP_PER_PREFIX];
    unsigned map = (unsigned)(n / 65536) % 4, k = 0;
    for (unsigned i = 0; i < BUF_LEN; i++)
        b[i] = (uint8_t)rnd();
    for (unsigned i = 0; i < p[0]; i++)
        b[k++] = p[1 + i];
    if (map) {
        b[k++] = 0x0F;
        if (map > 1)
            b[k++] = map == 2 ? 0x38 : 0x3A;
    }
    b[k++] = (uint8_t)(n / 256);
    b[k] = (uint8_t)n;
}

struct exception {
    uint8_t mode;
    uint8_t len;
    uint8_t bytes[BUF_LEN];
    uint8_t mask[BUF_LEN];
};

static struct exception *exceptions;
static unsigned nexceptions;

/* Exception lines: "<mode> <hex bytes, ?? for any byte>  # reason". A case matches when its
 * bytes start with the pattern. */
static void load_exceptions(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    if (!f) {
        fprintf(stderr, "decode-fuzz: cannot open %s\n", path);
        exit(2);
    }
    while (fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *tok = strtok(line, " \t\r\n");
        if (!tok)
            continue;
        struct exception e = {0};
        e.mode = (uint8_t)atoi(tok);
        while ((tok = strtok(NULL, " \t\r\n")) && e.len < BUF_LEN) {
            if (strcmp(tok, "??") != 0) {
                e.bytes[e.len] = (uint8_t)strtoul(tok, NULL, 16);
                e.mask[e.len] = 0xFF;
            }
            e.len++;
        }
        exceptions = realloc(exceptions, (nexceptions + 1) * sizeof *exceptions);
        if (!exceptions)
            exit(2);
        exceptions[nexceptions++] = e;
    }
    fclose(f);
}

static bool excepted(int mode, const uint8_t *b)
{
    for (unsigned i = 0; i < nexceptions; i++) {
        const struct exception *e = &exceptions[i];
        bool match = e->mode == mode;
        for (unsigned j = 0; match && j < e->len; j++)
            match = (b[j] & e->mask[j]) == e->bytes[j];
        if (match)
            return true;
    }
    return false;
}

/* Our mnemonic as Zydis spells it: Zydis names conditions by flags (JZ, CMOVNB, SETNLE),
 * gives far transfers no separate mnemonic, and names the 8087/287 no-ops and the FSTP1 alias
 * after their history. Anything else must match letter for letter. */
static void zydis_spelling(const struct x86_insn *in, char *out, size_t len)
{
    static const char *const cc[16] = {"o", "no", "b", "nb", "z", "nz", "be", "nbe",
                                       "s", "ns", "p", "np", "l", "nl", "le", "nle"};
    char text[128];
    const char *m = text;
    x86_format(in, text, sizeof text);
    for (const char *pfx = "lock "; strncmp(m, pfx, strlen(pfx)) == 0; m += strlen(pfx))
        ;
    if (!strncmp(m, "rep ", 4) || !strncmp(m, "repe ", 5) || !strncmp(m, "repne ", 6))
        m = strchr(m, ' ') + 1;
    size_t n = strcspn(m, " ");
    switch (in->op) {
    case X86_OP_JCC: snprintf(out, len, "j%s", cc[in->cond]); return;
    case X86_OP_SETCC: snprintf(out, len, "set%s", cc[in->cond]); return;
    case X86_OP_CMOVCC: snprintf(out, len, "cmov%s", cc[in->cond]); return;
    case X86_OP_JMPF: snprintf(out, len, "jmp"); return;
    case X86_OP_CALLF: snprintf(out, len, "call"); return;
    case X86_OP_RETF: snprintf(out, len, "ret"); return;
    case X86_OP_WAIT: snprintf(out, len, "fwait"); return;
    case X86_OP_FNENI: snprintf(out, len, "feni8087_nop"); return;
    case X86_OP_FNDISI: snprintf(out, len, "fdisi8087_nop"); return;
    case X86_OP_FNSETPM: snprintf(out, len, "fsetpm287_nop"); return;
    case X86_OP_FSTP:
        if (in->opcode == 0xD9 && in->mod == 3) {
            snprintf(out, len, "fstpnce");
            return;
        }
        break;
    default: break;
    }
    snprintf(out, len, "%.*s", (int)n, m);
}

static const char *status_name(enum x86_status st)
{
    switch (st) {
    case X86_OK: return "ok";
    case X86_UD: return "#UD";
    case X86_GP: return "#GP (too long)";
    default: return "need-more";
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    unsigned long long count = 100000;
    int mode = 32;
    bool exhaustive = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--count") && i + 1 < argc)
            count = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--mode") && i + 1 < argc)
            mode = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--exceptions") && i + 1 < argc)
            load_exceptions(argv[++i]);
        else if (!strcmp(argv[i], "--exhaustive"))
            exhaustive = true;
        else {
            fprintf(stderr,
                    "usage: decode-fuzz --seed S --count N [--mode 32|16] [--exceptions FILE]"
                    " [--exhaustive]\n");
            return 2;
        }
    }
    if (mode != 16 && mode != 32) {
        fprintf(stderr, "decode-fuzz: --mode must be 16 or 32\n");
        return 2;
    }
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;

    ZydisDecoder zd;
    ZydisDecoderInit(&zd, mode == 32 ? ZYDIS_MACHINE_MODE_LEGACY_32 : ZYDIS_MACHINE_MODE_LEGACY_16,
                     mode == 32 ? ZYDIS_STACK_WIDTH_32 : ZYDIS_STACK_WIDTH_16);
    /* These modes reinterpret old encodings (hint NOPs, REP BSF/BSR) as newer instructions. */
    static const ZydisDecoderMode newer[] = {
        ZYDIS_DECODER_MODE_MPX,   ZYDIS_DECODER_MODE_CET,      ZYDIS_DECODER_MODE_LZCNT,
        ZYDIS_DECODER_MODE_TZCNT, ZYDIS_DECODER_MODE_WBNOINVD, ZYDIS_DECODER_MODE_CLDEMOTE};
    for (unsigned i = 0; i < sizeof newer / sizeof newer[0]; i++)
        ZydisDecoderEnableMode(&zd, newer[i], ZYAN_FALSE);

    unsigned long long mismatches = 0, excused = 0, valid = 0, out_of_scope = 0;
    uint8_t b[BUF_LEN];
    if (exhaustive)
        count = SWEEP_CASES;
    for (unsigned long long n = 0; n < count; n++) {
        if (exhaustive)
            enumerate(n, b);
        else
            generate(b);
        ZydisDecoderContext zctx;
        ZydisDecodedInstruction zi;
        ZyanStatus zs = ZydisDecoderDecodeInstruction(&zd, &zctx, b, BUF_LEN, &zi);
        bool z_ok = ZYAN_SUCCESS(zs) && accepted_isa(zi.meta.isa_set);
        struct x86_insn in;
        enum x86_status st = x86_decode(b, BUF_LEN, mode, &in);
        bool ok = st == X86_OK;
        const char *problem = NULL;
        if (ok != z_ok)
            problem = "validity";
        else if (ok && in.len != zi.length)
            problem = "length";
        else if (ok) {
            struct x86_insn again;
            ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
            if (x86_decode(b, in.len - 1u, mode, &again) != X86_NEED_MORE)
                problem = "short input did not say need-more";
            else if (!ZYAN_SUCCESS(
                         ZydisDecoderDecodeOperands(&zd, &zctx, &zi, zo, zi.operand_count)))
                problem = "zydis operands";
            else if (in.op != X86_OP_NOP)
                /* Hint NOPs' operands mean nothing, and Zydis lists different ones for
                   0F 1A/1B/1E depending on its (disabled) MPX and CET modes. */
                problem = compare_operands(&in, &zi, zo, mode);
            if (!problem) {
                char ours[32];
                zydis_spelling(&in, ours, sizeof ours);
                if (strcmp(ours, ZydisMnemonicGetString(zi.mnemonic)) != 0)
                    problem = "operation";
            }
        }
        if (ok && z_ok)
            valid++;
        if (!ok && !z_ok && ZYAN_SUCCESS(zs))
            out_of_scope++;
        if (!problem)
            continue;
        if (excepted(mode, b)) {
            excused++;
            continue;
        }
        mismatches++;
        char text[96];
        x86_format(&in, text, sizeof text);
        printf("mismatch (%s):", problem);
        for (unsigned i = 0; i < 16; i++)
            printf(" %02x", b[i]);
        printf("\n  nexus86: %s len %u  %s\n", status_name(st), in.len, ok ? text : "");
        if (ZYAN_SUCCESS(zs))
            printf("  zydis:   %s len %u  %s  isa %s\n", z_ok ? "ok" : "out of scope", zi.length,
                   ZydisMnemonicGetString(zi.mnemonic), ZydisISASetGetString(zi.meta.isa_set));
        else
            printf("  zydis:   invalid (status 0x%08" PRIx32 ")\n", (uint32_t)zs);
    }
    printf("mode %d, seed %" PRIu64 ": %llu valid, %llu beyond the virtual CPU (Zydis decodes, #UD "
           "here), %llu excused by exceptions\n",
           mode, seed, valid, out_of_scope, excused);
    printf("%llu cases, %llu mismatches\n", count, mismatches);
    return mismatches ? 1 : 0;
}
