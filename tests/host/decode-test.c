/* tests/host/decode-test.c: cmocka unit tests of scan/decode.c. One named test per privileged,
 * sensitive and control-transfer form the prescanner must recognise (class, transfer kind,
 * length, operands as printed), then the decoding rules the emulator relies on: ModRM/SIB forms
 * in both address sizes, default segments, immediate extension, prefixes, mandatory prefixes,
 * LOCK, the 15-byte limit and truncated input. Built 64-bit and 32-bit from the same source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scan/decode.h"

static unsigned parse_hex(const char *hex, uint8_t *out)
{
    unsigned n = 0;
    while (*hex) {
        char *end;
        unsigned long v = strtoul(hex, &end, 16);
        if (end == hex)
            break;
        out[n++] = (uint8_t)v;
        hex = end;
    }
    return n;
}

/* Decode a complete instruction, also checking that one byte less asks for more. */
static struct x86_insn decode_ok(const char *hex, int mode)
{
    uint8_t b[32];
    unsigned n = parse_hex(hex, b);
    struct x86_insn in;
    assert_int_equal(x86_decode(b, n, mode, &in), X86_OK);
    assert_int_equal(in.len, n);
    struct x86_insn shorter;
    assert_int_equal(x86_decode(b, n - 1, mode, &shorter), X86_NEED_MORE);
    return in;
}

static enum x86_status decode_status(const char *hex, int mode)
{
    uint8_t b[32];
    unsigned n = parse_hex(hex, b);
    struct x86_insn in;
    return x86_decode(b, n, mode, &in);
}

static void assert_text(const struct x86_insn *in, const char *text)
{
    char buf[128];
    x86_format(in, buf, sizeof buf);
    assert_string_equal(buf, text);
}

struct form {
    const char *name;
    const char *hex;
    uint8_t cls;
    uint8_t xfer;
    uint8_t xfer_flags;
    const char *text;
};

#define P    X86_CLASS_PRIVILEGED
#define S    X86_CLASS_SENSITIVE
#define T    X86_CLASS_TRANSFER
#define FAR  X86_XF_FAR
#define IND  X86_XF_INDIRECT
#define COND X86_XF_COND

/* Every privileged and sensitive form of issue 3's list, and the plain transfers. */
static const struct form forms[] = {
    {"cli", "fa", P, 0, 0, "cli"},
    {"sti", "fb", P, 0, 0, "sti"},
    {"hlt", "f4", P, 0, 0, "hlt"},
    {"in al, imm8", "e4 60", P, 0, 0, "in al, 0x60"},
    {"in eax, imm8", "e5 60", P, 0, 0, "in eax, 0x60"},
    {"in al, dx", "ec", P, 0, 0, "in al, dx"},
    {"in ax, dx", "66 ed", P, 0, 0, "in ax, dx"},
    {"out imm8, al", "e6 80", P, 0, 0, "out 0x80, al"},
    {"out imm8, eax", "e7 80", P, 0, 0, "out 0x80, eax"},
    {"out dx, al", "ee", P, 0, 0, "out dx, al"},
    {"out dx, eax", "ef", P, 0, 0, "out dx, eax"},
    {"insb", "6c", P, 0, 0, "insb byte ptr [edi], dx"},
    {"rep insd", "f3 6d", P, 0, 0, "rep insd dword ptr [edi], dx"},
    {"outsb", "6e", P, 0, 0, "outsb dx, byte ptr [esi]"},
    {"outsw cs:", "66 2e 6f", P, 0, 0, "outsw dx, word ptr cs:[esi]"},
    {"lgdt", "0f 01 10", P, 0, 0, "lgdt fword ptr [eax]"},
    {"lidt", "0f 01 5d 08", P, 0, 0, "lidt fword ptr [ebp+0x8]"},
    {"lldt reg", "0f 00 d0", P, 0, 0, "lldt ax"},
    {"ltr mem", "0f 00 1b", P, 0, 0, "ltr word ptr [ebx]"},
    {"lmsw", "0f 01 f0", P, 0, 0, "lmsw ax"},
    {"clts", "0f 06", P, 0, 0, "clts"},
    {"mov cr0, eax", "0f 22 c0", P, 0, 0, "mov cr0, eax"},
    {"mov eax, cr3", "0f 20 d8", P, 0, 0, "mov eax, cr3"},
    {"mov cr4 ignores mod", "0f 22 20", P, 0, 0, "mov cr4, eax"},
    {"mov dr7, eax", "0f 23 f8", P, 0, 0, "mov dr7, eax"},
    {"mov eax, dr6", "0f 21 f0", P, 0, 0, "mov eax, dr6"},
    {"invlpg", "0f 01 38", P, 0, 0, "invlpg [eax]"},
    {"invd", "0f 08", P, 0, 0, "invd"},
    {"wbinvd", "0f 09", P, 0, 0, "wbinvd"},
    {"rdmsr", "0f 32", P, 0, 0, "rdmsr"},
    {"wrmsr", "0f 30", P, 0, 0, "wrmsr"},
    {"rdpmc", "0f 33", P, 0, 0, "rdpmc"},
    {"sysexit", "0f 35", P, X86_XFER_SYS, FAR, "sysexit"},
    {"monitor", "0f 01 c8", P, 0, 0, "monitor"},
    {"mwait", "0f 01 c9", P, 0, 0, "mwait"},

    {"pushfd", "9c", S, 0, 0, "pushfd"},
    {"pushf (16-bit)", "66 9c", S, 0, 0, "pushf"},
    {"popfd", "9d", S, 0, 0, "popfd"},
    {"sgdt", "0f 01 00", S, 0, 0, "sgdt fword ptr [eax]"},
    {"sidt", "0f 01 08", S, 0, 0, "sidt fword ptr [eax]"},
    {"sldt reg", "0f 00 c0", S, 0, 0, "sldt eax"},
    {"sldt mem", "0f 00 00", S, 0, 0, "sldt word ptr [eax]"},
    {"str reg", "0f 00 c8", S, 0, 0, "str eax"},
    {"smsw reg", "0f 01 e0", S, 0, 0, "smsw eax"},
    {"smsw mem", "0f 01 23", S, 0, 0, "smsw word ptr [ebx]"},
    {"lar", "0f 02 c1", S, 0, 0, "lar eax, ecx"},
    {"lsl mem", "0f 03 03", S, 0, 0, "lsl eax, word ptr [ebx]"},
    {"verr", "0f 00 e0", S, 0, 0, "verr ax"},
    {"verw", "0f 00 28", S, 0, 0, "verw word ptr [eax]"},
    {"mov r32, cs", "8c c8", S, 0, 0, "mov eax, cs"},
    {"mov m16, ds", "8c 1b", S, 0, 0, "mov word ptr [ebx], ds"},
    {"mov ds, r16", "8e d8", S, 0, 0, "mov ds, ax"},
    {"mov ss, m16", "8e 10", S, 0, 0, "mov ss, word ptr [eax]"},
    {"push es", "06", S, 0, 0, "push es"},
    {"push cs", "0e", S, 0, 0, "push cs"},
    {"push ss", "16", S, 0, 0, "push ss"},
    {"push ds", "1e", S, 0, 0, "push ds"},
    {"push fs", "0f a0", S, 0, 0, "push fs"},
    {"push gs", "0f a8", S, 0, 0, "push gs"},
    {"pop es", "07", S, 0, 0, "pop es"},
    {"pop ss", "17", S, 0, 0, "pop ss"},
    {"pop ds", "1f", S, 0, 0, "pop ds"},
    {"pop fs", "0f a1", S, 0, 0, "pop fs"},
    {"pop gs", "0f a9", S, 0, 0, "pop gs"},
    {"lds", "c5 03", S, 0, 0, "lds eax, fword ptr [ebx]"},
    {"les", "c4 03", S, 0, 0, "les eax, fword ptr [ebx]"},
    {"lfs", "0f b4 03", S, 0, 0, "lfs eax, fword ptr [ebx]"},
    {"lgs", "0f b5 03", S, 0, 0, "lgs eax, fword ptr [ebx]"},
    {"lss", "0f b2 03", S, 0, 0, "lss eax, fword ptr [ebx]"},
    {"call far ptr", "9a 78 56 34 12 08 00", S, X86_XFER_CALL, FAR, "call far 0x8:0x12345678"},
    {"call far m16:32", "ff 18", S, X86_XFER_CALL, FAR | IND, "call far fword ptr [eax]"},
    {"jmp far ptr", "ea 78 56 34 12 10 00", S, X86_XFER_JMP, FAR, "jmp far 0x10:0x12345678"},
    {"jmp far m16:32", "ff 28", S, X86_XFER_JMP, FAR | IND, "jmp far fword ptr [eax]"},
    {"retf", "cb", S, X86_XFER_RET, FAR, "retf"},
    {"retf imm16", "ca 08 00", S, X86_XFER_RET, FAR, "retf 0x8"},
    {"iretd", "cf", S, X86_XFER_IRET, FAR, "iretd"},
    {"iret (16-bit)", "66 cf", S, X86_XFER_IRET, FAR, "iret"},
    {"int imm8", "cd 80", S, X86_XFER_INT, 0, "int 0x80"},
    {"int3", "cc", S, X86_XFER_INT, 0, "int3"},
    {"into", "ce", S, X86_XFER_INT, COND, "into"},
    {"int1", "f1", S, X86_XFER_INT, 0, "int1"},
    {"bound", "62 03", S, X86_XFER_INT, COND, "bound eax, qword ptr [ebx]"},
    {"cpuid", "0f a2", S, 0, 0, "cpuid"},
    {"rdtsc", "0f 31", P, 0, 0, "rdtsc"},
    {"sysenter", "0f 34", S, X86_XFER_SYS, FAR, "sysenter"},

    {"jmp rel8", "eb fe", T, X86_XFER_JMP, 0, "jmp $+0x0"},
    {"jmp rel32", "e9 00 01 00 00", T, X86_XFER_JMP, 0, "jmp $+0x105"},
    {"jmp reg", "ff e0", T, X86_XFER_JMP, IND, "jmp eax"},
    {"jmp table", "ff 24 85 00 10 00 00", T, X86_XFER_JMP, IND, "jmp dword ptr [eax*4+0x1000]"},
    {"je rel8", "74 10", T, X86_XFER_JCC, COND, "je $+0x12"},
    {"jne rel32", "0f 85 10 00 00 00", T, X86_XFER_JCC, COND, "jne $+0x16"},
    {"call rel32", "e8 00 00 00 00", T, X86_XFER_CALL, 0, "call $+0x5"},
    {"call mem", "ff 10", T, X86_XFER_CALL, IND, "call dword ptr [eax]"},
    {"ret", "c3", T, X86_XFER_RET, 0, "ret"},
    {"ret imm16", "c2 04 00", T, X86_XFER_RET, 0, "ret 0x4"},
    {"loop", "e2 fe", T, X86_XFER_LOOP, COND, "loop $+0x0"},
    {"loope", "e1 fe", T, X86_XFER_LOOP, COND, "loope $+0x0"},
    {"loopne", "e0 fe", T, X86_XFER_LOOP, COND, "loopne $+0x0"},
    {"jecxz", "e3 fe", T, X86_XFER_LOOP, COND, "jecxz $+0x0"},
    {"jcxz (67)", "67 e3 fd", T, X86_XFER_LOOP, COND, "jcxz $+0x0"},

    {"mov is normal", "89 c3", X86_CLASS_NORMAL, 0, 0, "mov ebx, eax"},
    {"pause is normal", "f3 90", X86_CLASS_NORMAL, 0, 0, "pause"},
};

static void check_form(void **state)
{
    const struct form *f = *state;
    struct x86_insn in = decode_ok(f->hex, 32);
    assert_int_equal(in.cls, f->cls);
    assert_int_equal(x86_op_class(in.op), f->cls);
    assert_int_equal(in.xfer, f->xfer);
    assert_int_equal(in.xfer_flags, f->xfer_flags);
    assert_text(&in, f->text);
}

static void test_transfer_targets(void **state)
{
    struct x86_insn in = decode_ok("e9 00 01 00 00", 32);
    assert_int_equal(in.target_kind, X86_TARGET_REL);
    assert_int_equal(in.target_rel, 0x100);
    assert_int_equal(x86_rel_target(&in, 0x1000), 0x1105);
    in = decode_ok("eb 80", 32);
    assert_int_equal(in.target_rel, -128);
    assert_int_equal(x86_rel_target(&in, 0x1000), 0x1000 + 2 - 128);
    /* 16-bit operand size truncates the new IP. */
    in = decode_ok("eb 10", 16);
    assert_int_equal(x86_rel_target(&in, 0xFFF0), 0x0002);
    in = decode_ok("e9 fd ff", 16);
    assert_int_equal(in.target_rel, -3);
    in = decode_ok("ea 34 12 00 f0", 16);
    assert_int_equal(in.target_kind, X86_TARGET_FAR);
    assert_int_equal(in.target_sel, 0xF000);
    assert_int_equal(in.target_off, 0x1234);
    in = decode_ok("ff e0", 32);
    assert_int_equal(in.target_kind, X86_TARGET_NONE);
    in = decode_ok("0f 84 fa ff ff ff", 32);
    assert_int_equal(in.cond, X86_CC_E);
    assert_int_equal(in.target_rel, -6);
}

/* The same classification in 16-bit code, where operand and address sizes flip. */
static void test_sixteen_bit_forms(void **state)
{
    struct x86_insn in = decode_ok("9c", 16);
    assert_int_equal(in.cls, X86_CLASS_SENSITIVE);
    assert_text(&in, "pushf");
    in = decode_ok("66 9d", 16);
    assert_text(&in, "popfd");
    in = decode_ok("cf", 16);
    assert_int_equal(in.xfer, X86_XFER_IRET);
    assert_text(&in, "iret");
    in = decode_ok("0f 01 10", 16);
    assert_int_equal(in.cls, X86_CLASS_PRIVILEGED);
    assert_text(&in, "lgdt fword ptr [bx+si]");
    in = decode_ok("ff 1e 34 12", 16);
    assert_int_equal(in.cls, X86_CLASS_SENSITIVE);
    assert_int_equal(in.xfer_flags, X86_XF_FAR | X86_XF_INDIRECT);
    assert_int_equal(in.operands[0].size, 4);
    assert_text(&in, "call far dword ptr [0x1234]");
    in = decode_ok("9a 00 7c 00 00", 16);
    assert_int_equal(in.target_sel, 0);
    assert_int_equal(in.target_off, 0x7C00);
    in = decode_ok("8e d0", 16);
    assert_text(&in, "mov ss, ax");
    in = decode_ok("e4 21", 16);
    assert_int_equal(in.cls, X86_CLASS_PRIVILEGED);
    in = decode_ok("6d", 16);
    assert_text(&in, "insw word ptr [di], dx");
    in = decode_ok("cd 10", 16);
    assert_int_equal(in.xfer, X86_XFER_INT);
    assert_int_equal(in.imm, 0x10);
}

static void test_memory_forms_32(void **state)
{
    struct x86_insn in = decode_ok("8b 44 8d f8", 32);
    const struct x86_mem *m = &in.operands[1].mem;
    assert_int_equal(in.operands[1].type, X86_OPND_MEM);
    assert_int_equal(m->base, X86_EBP);
    assert_int_equal(m->index, X86_ECX);
    assert_int_equal(m->scale, 4);
    assert_int_equal(m->disp, -8);
    assert_int_equal(m->seg, X86_SEG_SS);
    assert_true(in.has_sib);
    assert_int_equal(in.disp_size, 1);
    assert_int_equal(in.disp_off, 3);
    assert_text(&in, "mov eax, dword ptr [ebp+ecx*4-0x8]");

    in = decode_ok("8b 04 24", 32);
    assert_int_equal(in.operands[1].mem.base, X86_ESP);
    assert_int_equal(in.operands[1].mem.index, X86_NOREG);
    assert_int_equal(in.operands[1].mem.seg, X86_SEG_SS);

    in = decode_ok("8b 05 78 56 34 12", 32);
    assert_int_equal(in.operands[1].mem.base, X86_NOREG);
    assert_int_equal(in.operands[1].mem.disp, 0x12345678);
    assert_int_equal(in.operands[1].mem.seg, X86_SEG_DS);

    in = decode_ok("8b 04 25 00 10 00 00", 32);
    assert_int_equal(in.operands[1].mem.base, X86_NOREG);
    assert_int_equal(in.operands[1].mem.index, X86_NOREG);
    assert_int_equal(in.operands[1].mem.disp, 0x1000);

    in = decode_ok("64 8b 45 00", 32);
    assert_int_equal(in.operands[1].mem.seg, X86_SEG_FS);
    assert_int_equal(in.seg_override, X86_SEG_FS);
    assert_true(in.prefixes & X86_PFX_FS);
    assert_text(&in, "mov eax, dword ptr fs:[ebp]");

    in = decode_ok("a1 78 56 34 12", 32);
    assert_int_equal(in.operands[1].method, X86_M_O);
    assert_int_equal(in.operands[1].mem.disp, 0x12345678);
    in = decode_ok("67 a1 34 12", 32);
    assert_int_equal(in.operands[1].mem.addrsize, 2);
}

static void test_memory_forms_16(void **state)
{
    struct x86_insn in = decode_ok("8b 42 04", 16);
    const struct x86_mem *m = &in.operands[1].mem;
    assert_int_equal(in.opsize, 2);
    assert_int_equal(in.addrsize, 2);
    assert_int_equal(m->base, X86_EBP);
    assert_int_equal(m->index, X86_ESI);
    assert_int_equal(m->seg, X86_SEG_SS);
    assert_text(&in, "mov ax, word ptr [bp+si+0x4]");

    in = decode_ok("8b 06 34 12", 16);
    assert_int_equal(in.operands[1].mem.base, X86_NOREG);
    assert_int_equal(in.operands[1].mem.disp, 0x1234);
    assert_int_equal(in.operands[1].mem.seg, X86_SEG_DS);

    in = decode_ok("8b 87 00 80", 16);
    assert_int_equal(in.operands[1].mem.base, X86_EBX);
    assert_int_equal(in.operands[1].mem.disp, -0x8000);

    in = decode_ok("66 67 8b 04 24", 16);
    assert_int_equal(in.opsize, 4);
    assert_int_equal(in.addrsize, 4);
    assert_text(&in, "mov eax, dword ptr [esp]");
}

static void test_immediates(void **state)
{
    struct x86_insn in = decode_ok("83 c0 ff", 32);
    assert_int_equal(in.op, X86_OP_ADD);
    assert_int_equal(in.imm, 0xFFFFFFFFu);
    assert_int_equal(in.imm_size, 1);
    assert_int_equal(in.imm_off, 2);
    in = decode_ok("66 83 c0 ff", 32);
    assert_int_equal(in.operands[1].imm, 0xFFFF);
    in = decode_ok("6a ff", 32);
    assert_int_equal(in.imm, 0xFFFFFFFFu);
    in = decode_ok("81 c1 78 56 34 12", 32);
    assert_int_equal(in.imm, 0x12345678);
    in = decode_ok("66 81 c1 34 12", 32);
    assert_int_equal(in.imm, 0x1234);
    in = decode_ok("b0 80", 32);
    assert_int_equal(in.imm, 0x80);
    in = decode_ok("c8 10 00 01", 32);
    assert_int_equal(in.op, X86_OP_ENTER);
    assert_int_equal(in.imm, 0x10);
    assert_int_equal(in.imm2, 1);
    assert_int_equal(in.imm_size, 2);
    assert_int_equal(in.imm2_size, 1);
    in = decode_ok("9a 78 56 34 12 08 00", 32);
    assert_int_equal(in.imm, 0x12345678);
    assert_int_equal(in.imm2, 8);
    assert_int_equal(in.operands[0].sel, 8);
    in = decode_ok("0f a4 c3 05", 32);
    assert_int_equal(in.noperands, 3);
    assert_text(&in, "shld ebx, eax, 0x5");
    in = decode_ok("c1 e0 04", 32);
    assert_int_equal(in.op, X86_OP_SHL);
    assert_text(&in, "shl eax, 0x4");
    in = decode_ok("d1 f8", 32);
    assert_text(&in, "sar eax, 0x1");
}

static void test_operand_access_and_width(void **state)
{
    struct x86_insn in = decode_ok("01 03", 32);
    assert_int_equal(in.operands[0].access, X86_ACC_READ | X86_ACC_WRITE);
    assert_int_equal(in.operands[1].access, X86_ACC_READ);
    assert_int_equal(in.operands[0].method, X86_M_E);
    assert_int_equal(in.operands[1].method, X86_M_G);
    in = decode_ok("89 03", 32);
    assert_int_equal(in.operands[0].access, X86_ACC_WRITE);
    in = decode_ok("39 03", 32);
    assert_int_equal(in.operands[0].access, X86_ACC_READ);
    in = decode_ok("87 03", 32);
    assert_int_equal(in.operands[1].access, X86_ACC_READ | X86_ACC_WRITE);
    in = decode_ok("8d 03", 32);
    assert_int_equal(in.operands[1].access, 0);
    in = decode_ok("00 c0", 32);
    assert_int_equal(in.width, 1);
    assert_int_equal(in.operands[0].size, 1);
    in = decode_ok("66 01 c0", 32);
    assert_int_equal(in.width, 2);
    in = decode_ok("63 c0", 32);
    assert_int_equal(in.width, 2);
    in = decode_ok("a5", 32);
    assert_int_equal(in.op, X86_OP_MOVS);
    assert_int_equal(in.operands[0].mem.seg, X86_SEG_ES);
    assert_int_equal(in.operands[1].mem.seg, X86_SEG_DS);
    in = decode_ok("26 a5", 32);
    assert_int_equal(in.operands[0].mem.seg, X86_SEG_ES);
    in = decode_ok("64 a5", 32);
    assert_int_equal(in.operands[0].mem.seg, X86_SEG_ES);
    assert_int_equal(in.operands[1].mem.seg, X86_SEG_FS);
}

static void test_prefixes(void **state)
{
    struct x86_insn in = decode_ok("f3 a4", 32);
    assert_int_equal(in.rep, 0xF3);
    assert_int_equal(in.nprefixes, 1);
    assert_text(&in, "rep movsb byte ptr [edi], byte ptr [esi]");
    in = decode_ok("f2 f3 a6", 32);
    assert_int_equal(in.rep, 0xF3);
    in = decode_ok("f3 f2 ae", 32);
    assert_int_equal(in.rep, 0xF2);
    assert_text(&in, "repne scasb al, byte ptr [edi]");
    in = decode_ok("2e 3e 26 64 65 36 8b 00", 32);
    assert_int_equal(in.seg_override, X86_SEG_SS);
    assert_int_equal(in.nprefixes, 6);
    assert_int_equal(in.opcode_off, 6);
    in = decode_ok("f0 01 03", 32);
    assert_true(in.lock);
    assert_text(&in, "lock add dword ptr [ebx], eax");
    in = decode_ok("f0 0f c7 0b", 32);
    assert_int_equal(in.op, X86_OP_CMPXCHG8B);
    assert_int_equal(decode_status("f0 01 c3", 32), X86_UD);
    assert_int_equal(decode_status("f0 39 03", 32), X86_UD);
    assert_int_equal(decode_status("f0 90", 32), X86_UD);
}

static void test_mandatory_prefixes(void **state)
{
    struct x86_insn in = decode_ok("66 0f 58 c1", 32);
    assert_int_equal(in.op, X86_OP_ADDPD);
    assert_int_equal(in.mandatory, 0x66);
    assert_int_equal(in.opsize, 4);
    in = decode_ok("f3 66 0f 58 c1", 32);
    assert_int_equal(in.op, X86_OP_ADDSS);
    assert_int_equal(in.mandatory, 0xF3);
    assert_int_equal(in.rep, 0);
    in = decode_ok("66 f2 0f 58 c1", 32);
    assert_int_equal(in.op, X86_OP_ADDSD);
    in = decode_ok("0f 6f c1", 32);
    assert_text(&in, "movq mm0, mm1");
    in = decode_ok("66 0f 6f c1", 32);
    assert_text(&in, "movdqa xmm0, xmm1");
    in = decode_ok("66 0f fe c1", 32);
    assert_text(&in, "paddd xmm0, xmm1");
    in = decode_ok("0f 38 00 c1", 32);
    assert_int_equal(in.map, X86_MAP_0F38);
    assert_text(&in, "pshufb mm0, mm1");
    in = decode_ok("66 0f 3a 0f c1 08", 32);
    assert_int_equal(in.map, X86_MAP_0F3A);
    assert_text(&in, "palignr xmm0, xmm1, 0x8");
    in = decode_ok("66 0f 73 d9 04", 32);
    assert_text(&in, "psrldq xmm1, 0x4");
    assert_int_equal(decode_status("f3 0f 60 c1", 32), X86_UD);
    assert_int_equal(decode_status("66 0f 77", 32), X86_UD);
    assert_int_equal(decode_status("66 0f ae e8", 32), X86_UD);
    assert_int_equal(decode_status("0f 73 d9 04", 32), X86_UD);
    /* 66 is an operand-size prefix where no SSE form wants it. */
    in = decode_ok("66 0f 44 c1", 32);
    assert_int_equal(in.op, X86_OP_CMOVCC);
    assert_int_equal(in.opsize, 2);
    assert_int_equal(in.mandatory, 0);
    assert_text(&in, "cmove ax, cx");
}

static void test_x87(void **state)
{
    struct x86_insn in = decode_ok("d9 c9", 32);
    assert_text(&in, "fxch st(1)");
    in = decode_ok("dd 1c 24", 32);
    assert_text(&in, "fstp qword ptr [esp]");
    in = decode_ok("da c1", 32);
    assert_text(&in, "fcmovb st(0), st(1)");
    in = decode_ok("db d9", 32);
    assert_text(&in, "fcmovnu st(0), st(1)");
    in = decode_ok("df e0", 32);
    assert_text(&in, "fnstsw ax");
    in = decode_ok("d9 ee", 32);
    assert_text(&in, "fldz");
    in = decode_ok("db 2d 00 10 00 00", 32);
    assert_text(&in, "fld tbyte ptr [0x1000]");
    assert_int_equal(decode_status("d9 d1", 32), X86_UD);
    assert_int_equal(decode_status("d9 08", 32), X86_UD);
}

static void test_limits_and_truncation(void **state)
{
    char hex[64] = "";
    for (int i = 0; i < 14; i++)
        strcat(hex, "66 ");
    strcat(hex, "90");
    struct x86_insn in = decode_ok(hex, 32);
    assert_int_equal(in.len, 15);
    assert_int_equal(decode_status("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 32), X86_GP);
    /* The limit applies even when the tail of the instruction is not available. */
    uint8_t b[16];
    unsigned n = parse_hex("66 66 66 66 66 66 66 66 66 66 66 66 81 c0", b);
    assert_int_equal(x86_decode(b, n, 32, &in), X86_GP);
    assert_int_equal(x86_decode(b, 0, 32, &in), X86_NEED_MORE);
    n = parse_hex("0f", b);
    assert_int_equal(x86_decode(b, n, 32, &in), X86_NEED_MORE);
    n = parse_hex("e8 00 00", b);
    assert_int_equal(x86_decode(b, n, 32, &in), X86_NEED_MORE);
    /* An undefined opcode is reported as soon as it is seen, without its would-be tail. */
    n = parse_hex("0f 04", b);
    assert_int_equal(x86_decode(b, n, 32, &in), X86_UD);
}

static void test_undefined(void **state)
{
    assert_int_equal(decode_status("0f 04", 32), X86_UD);
    assert_int_equal(decode_status("0f 0f c1 b4", 32), X86_UD);
    assert_int_equal(decode_status("0f 05", 32), X86_UD);
    assert_int_equal(decode_status("c4 c0 00", 32), X86_UD);
    assert_int_equal(decode_status("62 c0", 32), X86_UD);
    assert_int_equal(decode_status("8d c0", 32), X86_UD);
    assert_int_equal(decode_status("8f c8", 32), X86_UD);
    assert_int_equal(decode_status("fe d0", 32), X86_UD);
    assert_int_equal(decode_status("ff f8", 32), X86_UD);
    assert_int_equal(decode_status("8e c8", 32), X86_UD);
    assert_int_equal(decode_status("8c f0", 32), X86_UD);
    assert_int_equal(decode_status("0f 20 c8", 32), X86_UD);
    assert_int_equal(decode_status("0f 22 e8", 32), X86_UD);
    assert_int_equal(decode_status("0f 00 f0", 32), X86_UD);
    assert_int_equal(decode_status("0f c7 c8", 32), X86_UD);
    /* UD2 and friends are defined instructions whose job is to raise #UD. */
    struct x86_insn in = decode_ok("0f 0b", 32);
    assert_int_equal(in.op, X86_OP_UD2);
    in = decode_ok("0f b9 c0", 32);
    assert_int_equal(in.op, X86_OP_UD1);
}

static void test_format(void **state)
{
    struct x86_insn in = decode_ok("89 d8", 32);
    char buf[4];
    assert_int_equal(x86_format(&in, buf, sizeof buf), 12);
    assert_string_equal(buf, "mov");
    assert_string_equal(x86_op_name(X86_OP_COUNT), "(bad)");
    assert_string_equal(x86_op_name(X86_OP_CPUID), "cpuid");
    in = decode_ok("98", 32);
    assert_text(&in, "cwde");
    in = decode_ok("66 99", 32);
    assert_text(&in, "cwd");
    in = decode_ok("0f 94 c0", 32);
    assert_text(&in, "sete al");
    in = decode_ok("60", 32);
    assert_text(&in, "pushad");
}

int main(void)
{
    const size_t nforms = sizeof forms / sizeof forms[0];
    static const struct CMUnitTest rules[] = {
        cmocka_unit_test(test_transfer_targets),
        cmocka_unit_test(test_sixteen_bit_forms),
        cmocka_unit_test(test_memory_forms_32),
        cmocka_unit_test(test_memory_forms_16),
        cmocka_unit_test(test_immediates),
        cmocka_unit_test(test_operand_access_and_width),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_mandatory_prefixes),
        cmocka_unit_test(test_x87),
        cmocka_unit_test(test_limits_and_truncation),
        cmocka_unit_test(test_undefined),
        cmocka_unit_test(test_format),
    };
    struct CMUnitTest *tests = calloc(nforms, sizeof *tests);
    if (!tests)
        return 1;
    for (size_t i = 0; i < nforms; i++) {
        tests[i].name = forms[i].name;
        tests[i].test_func = check_form;
        tests[i].initial_state = (void *)&forms[i];
    }
    int failed = _cmocka_run_group_tests("decode forms", tests, nforms, NULL, NULL);
    failed += cmocka_run_group_tests_name("decode rules", rules, NULL, NULL);
    free(tests);
    return failed;
}
