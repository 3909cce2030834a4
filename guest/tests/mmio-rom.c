/* Memory that is not plain RAM: the ROM range 0xC0000-0xFFFFF (the BIOS bytes read there,
   writes dropped, read-modify-write instructions that set flags and registers as if the write
   happened), an access spanning RAM and the VGA window, string instructions into, out of and
   across VGA text memory, and reads from addresses beyond RAM that nothing claims. */
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"

#include <stdint.h>
#include <string.h>

const char guest_name[] = "mmio-rom";

#define ARITH_FLAGS 0x8d5u /* OF SF ZF AF PF CF */
#define EFLAGS_ZF   0x040u

#define VGA_TEXT  0xb8000u
#define VGA_END   0xc0000u
#define RAM_TOP   0xa0000u /* conventional memory ends where the VGA window starts */
#define UNCLAIMED 0xe0000000u

static volatile uint8_t *mem(uint32_t addr)
{
    return (volatile uint8_t *)addr;
}

static uint32_t fnv1a(uint32_t addr, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ mem(addr)[i]) * 16777619u;
    return h;
}

/* ---- ROM contents ---- */

/* FNV-1a of the system BIOS, 0xf0000-0xfffff, leaving out the ACPI RSDP: it holds the address
   of the RSDT in high RAM, which moves with the size of the tables, and so with the machine's
   devices (the monitor's run has a second serial port for its log). Returns the RSDP's
   address, 0 if there is none. */
static uint32_t system_bios_hash(uint32_t *hash)
{
    uint32_t rsdp = 0;
    for (uint32_t a = 0xf0000; a < 0x100000 && !rsdp; a += 16)
        if (memcmp((const void *)a, "RSD PTR ", 8) == 0)
            rsdp = a;
    uint32_t skip_end = rsdp + (rsdp && mem(rsdp + 15)[0] >= 2 ? 36 : 20);
    uint32_t h = 2166136261u;
    for (uint32_t a = 0xf0000; a < 0x100000; a++)
        if (!rsdp || a < rsdp || a >= skip_end)
            h = (h ^ mem(a)[0]) * 16777619u;
    *hash = h;
    return rsdp;
}

/* The option ROMs (a 55 aa header at a 2 KiB boundary, the size in 512-byte units in its third
   byte) from the VGA BIOS at 0xc0000 up, and the system BIOS. Between them the BIOS keeps
   read-write memory whose bytes change from boot to boot: not hashed. */
static void rom_contents(void)
{
    check(mem(0xc0000)[0] == 0x55 && mem(0xc0001)[0] == 0xaa,
          "VGA BIOS signature 55 aa at 0xc0000");
    uint32_t a = 0xc0000;
    while (a < 0xe0000 && mem(a)[0] == 0x55 && mem(a + 1)[0] == 0xaa && mem(a + 2)[0] != 0) {
        uint32_t size = mem(a + 2)[0] * 512u;
        gprintf("option ROM at %05lx, %lu bytes: fnv1a %08lx\n", (unsigned long)a,
                (unsigned long)size, (unsigned long)fnv1a(a, size));
        a = (a + size + 2047) & ~2047u;
    }
    check(mem(0xffff0)[0] == 0xea, "far JMP at the reset vector 0xffff0");
    uint32_t hash, rsdp = system_bios_hash(&hash);
    gprintf("system BIOS f0000-fffff: ACPI RSDP at %05lx, the rest fnv1a %08lx\n",
            (unsigned long)rsdp, (unsigned long)hash);
}

/* ---- plain writes to ROM ---- */

static void rom_writes(uint32_t addr)
{
    uint8_t b = mem(addr)[0];
    mem(addr)[0] = (uint8_t)~b;
    check(mem(addr)[0] == b, "byte write to ROM %05lx dropped (%02x)", (unsigned long)addr, b);

    uint32_t d = *(volatile uint32_t *)(addr + 4);
    *(volatile uint32_t *)(addr + 4) = ~d;
    check(*(volatile uint32_t *)(addr + 4) == d, "dword write to ROM %05lx dropped",
          (unsigned long)(addr + 4));

    uint8_t before[64];
    memcpy(before, (const void *)(addr + 16), sizeof before);
    uint32_t count = sizeof before / 4, dst = addr + 16;
    asm volatile("cld; rep stosl" : "+D"(dst), "+c"(count) : "a"(0x5a5a5a5au) : "memory");
    check(memcmp(before, (const void *)(addr + 16), sizeof before) == 0 &&
              dst == addr + 16 + sizeof before && count == 0,
          "rep stosd into ROM %05lx dropped, EDI and ECX advance", (unsigned long)(addr + 16));
}

/* ---- read-modify-write instructions on ROM ---- */

struct rmw {
    uint32_t reg, flags;
};

/* Each runs one instruction on *p with reg in a register, all arithmetic flags set before. */
#define RMW_OP(fn, insn)                                                                           \
    static struct rmw fn(uint32_t p, uint32_t reg)                                                 \
    {                                                                                              \
        uint32_t flags;                                                                            \
        asm volatile("pushl $0x8d7; popfl; " insn "; pushfl; popl %1"                              \
                     : "+r"(reg), "=&r"(flags)                                                     \
                     : "r"(p)                                                                      \
                     : "eax", "memory", "cc");                                                     \
        return (struct rmw){reg, flags & ARITH_FLAGS};                                             \
    }

RMW_OP(op_addb, "addb $0x7f, (%2)")
RMW_OP(op_incl, "incl (%2)")
RMW_OP(op_negw, "negw (%2)")
RMW_OP(op_roll, "roll $1, (%2)")
RMW_OP(op_subl, "subl %0, (%2)")
RMW_OP(op_xchgl, "xchgl %0, (%2)")
RMW_OP(op_xaddl, "lock xaddl %0, (%2)")
RMW_OP(op_lock_addl, "lock addl %0, (%2)")
RMW_OP(op_cmpxchgl, "movl (%2), %%eax; lock cmpxchgl %0, (%2); movl %%eax, %0")
RMW_OP(op_btsl, "btsl %0, (%2)")
RMW_OP(op_lock_btrl, "lock btrl %0, (%2)")

struct rmw_case {
    const char *name;
    struct rmw (*op)(uint32_t p, uint32_t reg);
    uint32_t reg;   /* RMW_BIT_SET/CLEAR: a bit of the dword that is set / clear */
    uint32_t flags; /* the flags the instruction defines */
};

#define RMW_BIT_SET   0xffffff01u
#define RMW_BIT_CLEAR 0xffffff00u

static const struct rmw_case rmw_cases[] = {
    {"ADD byte imm", op_addb, 0, ARITH_FLAGS},
    {"INC dword", op_incl, 0, ARITH_FLAGS},
    {"NEG word", op_negw, 0, ARITH_FLAGS},
    {"ROL dword by 1", op_roll, 0, EFLAGS_CF | EFLAGS_OF},
    {"SUB dword reg", op_subl, 0x12345678u, ARITH_FLAGS},
    {"XCHG", op_xchgl, 0x13579bdfu, ARITH_FLAGS},
    {"LOCK XADD", op_xaddl, 0x80000001u, ARITH_FLAGS},
    {"LOCK ADD", op_lock_addl, 0x7fffffffu, ARITH_FLAGS},
    {"LOCK CMPXCHG (equal)", op_cmpxchgl, 0x0badf00du, ARITH_FLAGS},
    {"BTS on a clear bit", op_btsl, RMW_BIT_CLEAR, EFLAGS_CF | EFLAGS_ZF},
    {"LOCK BTR on a set bit", op_lock_btrl, RMW_BIT_SET, EFLAGS_CF | EFLAGS_ZF},
};

static uint32_t pick_bit(uint32_t v, bool set)
{
    for (uint32_t b = 0; b < 32; b++)
        if (((v >> b) & 1) == set)
            return b;
    return 32;
}

/* The same instruction on a RAM copy of the ROM bytes gives the expected register and flags, and
   shows the write would change memory, so a write that was not dropped cannot go unnoticed. */
static void rom_rmw(uint32_t addr)
{
    static uint8_t copy[8] __attribute__((aligned(8)));
    for (unsigned i = 0; i < sizeof rmw_cases / sizeof rmw_cases[0]; i++) {
        const struct rmw_case *c = &rmw_cases[i];
        uint8_t rom[8];
        memcpy(rom, (const void *)addr, sizeof rom);
        memcpy(copy, rom, sizeof copy);
        uint32_t reg = c->reg, dword;
        memcpy(&dword, rom, 4);
        if (reg == RMW_BIT_SET || reg == RMW_BIT_CLEAR)
            reg = pick_bit(dword, reg == RMW_BIT_SET);
        ASSERT(reg != 32);
        struct rmw want = c->op((uint32_t)copy, reg);
        struct rmw got = c->op(addr, reg);
        want.flags &= c->flags;
        got.flags &= c->flags;
        ASSERT(memcmp(copy, rom, sizeof copy) != 0);
        check(memcmp((const void *)addr, rom, sizeof rom) == 0 && got.reg == want.reg &&
                  got.flags == want.flags,
              "%s on ROM %05lx: memory unchanged, register %08lx, flags %03lx", c->name,
              (unsigned long)addr, (unsigned long)got.reg, (unsigned long)got.flags);
    }
}

/* ---- an access spanning RAM and the VGA window, and the VGA window and ROM ---- */

static void gc_write(uint8_t index, uint8_t v)
{
    outb(0x3ce, index);
    outb(0x3cf, v);
}

static uint8_t gc_read(uint8_t index)
{
    outb(0x3ce, index);
    return inb(0x3cf);
}

#define GC_MISC       6
#define MAP_SELECT(g) (((g) >> 2) & 3)

static void spanning(void)
{
    uint8_t gc6 = gc_read(GC_MISC);
    /* The BIOS's text mode: the window is 0xb8000-0xbffff, addressed odd/even. */
    ASSERT(MAP_SELECT(gc6) == 3);
    volatile uint32_t *d = (volatile uint32_t *)(RAM_TOP - 2);
    volatile uint16_t *w = (volatile uint16_t *)(RAM_TOP - 1);
    uint32_t ram = *(volatile uint16_t *)(RAM_TOP - 2);
    uint8_t cell[2] = {mem(VGA_TEXT)[0], mem(VGA_TEXT)[1]};

    *d = 0x44332211u;
    uint32_t v = *d;
    check(v == 0xffff2211u && mem(RAM_TOP - 2)[0] == 0x11 && mem(RAM_TOP - 1)[0] == 0x22,
          "dword at 9fffe, window at b8000: RAM half written, VGA half unclaimed (%08lx)",
          (unsigned long)v);

    gc_write(GC_MISC, (gc6 & ~0x0c) | 0x04); /* the window at 0xa0000-0xaffff */
    *d = 0x88776655u;
    v = *d;
    check(v == 0x88776655u && mem(RAM_TOP - 2)[0] == 0x55 && mem(RAM_TOP - 1)[0] == 0x66 &&
              mem(RAM_TOP)[0] == 0x77 && mem(RAM_TOP + 1)[0] == 0x88,
          "dword at 9fffe, window at a0000: written and read back across RAM and VGA (%08lx)",
          (unsigned long)v);
    *w = 0xbbaau;
    check(*w == 0xbbaau && mem(RAM_TOP - 1)[0] == 0xaa && mem(RAM_TOP)[0] == 0xbb,
          "word at 9ffff, window at a0000: written and read back across RAM and VGA");
    mem(RAM_TOP)[0] = cell[0];
    mem(RAM_TOP + 1)[0] = cell[1];
    gc_write(GC_MISC, gc6);
    *(volatile uint16_t *)(RAM_TOP - 2) = (uint16_t)ram;
    check(mem(VGA_TEXT)[0] == cell[0] && mem(VGA_TEXT)[1] == cell[1],
          "the first text cell is back at b8000 with the window moved back");

    uint16_t rom = *(volatile uint16_t *)VGA_END;
    *(volatile uint32_t *)(VGA_END - 2) = 0xddccbbaau;
    v = *(volatile uint32_t *)(VGA_END - 2);
    check(v == ((uint32_t)rom << 16 | 0xbbaau),
          "dword at bfffe: VGA half written, ROM half dropped (%08lx)", (unsigned long)v);
}

/* ---- string instructions and VGA text memory (odd/even: plain memory to the CPU) ---- */

static uint8_t pattern[4096], back[4096];

static void movsb(uint32_t dst, uint32_t src, uint32_t n)
{
    asm volatile("cld; rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static void movsd(uint32_t dst, uint32_t src, uint32_t n)
{
    asm volatile("cld; rep movsl" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

static bool same(uint32_t a, uint32_t b, uint32_t n)
{
    return memcmp((const void *)a, (const void *)b, n) == 0;
}

static void strings(void)
{
    for (unsigned i = 0; i < sizeof pattern; i++)
        pattern[i] = (uint8_t)(i * 7 + 3);
    uint32_t p = (uint32_t)pattern, b = (uint32_t)back;

    movsb(VGA_TEXT + 0x101, p, 1001);
    memset(back, 0, sizeof back);
    movsb(b, VGA_TEXT + 0x101, 1001);
    check(same(b, p, 1001), "rep movsb RAM to VGA and back, odd address and count");

    movsd(VGA_TEXT + 0x800, p + 4, 512);
    memset(back, 0, sizeof back);
    movsd(b, VGA_TEXT + 0x800, 512);
    check(same(b, p + 4, 2048), "rep movsd RAM to VGA and back");

    movsd(VGA_TEXT + 0x2000, VGA_TEXT + 0x800, 512);
    memset(back, 0, sizeof back);
    movsb(b, VGA_TEXT + 0x2000, 2048);
    check(same(b, p + 4, 2048), "rep movsd VGA to VGA");

    uint32_t dst = VGA_TEXT + 0x3000, n = 300;
    asm volatile("cld; rep stosl" : "+D"(dst), "+c"(n) : "a"(0x1e411f42u) : "memory");
    bool ok = dst == VGA_TEXT + 0x3000 + 1200 && n == 0;
    for (unsigned i = 0; i < 300; i++)
        ok &= ((volatile uint32_t *)(VGA_TEXT + 0x3000))[i] == 0x1e411f42u;
    check(ok, "rep stosd into VGA, read back");

    uint32_t src = VGA_TEXT + 0x101 + 1000, to = b + 1000;
    n = 1001;
    memset(back, 0, sizeof back);
    asm volatile("std; rep movsb; cld" : "+D"(to), "+S"(src), "+c"(n) : : "memory");
    check(same(b, p, 1001) && src == VGA_TEXT + 0x100 && to == b - 1,
          "rep movsb backwards (DF set) out of VGA");

    uint8_t rom[16];
    memcpy(rom, (const void *)VGA_END, sizeof rom);
    dst = VGA_END - 16;
    n = 8;
    asm volatile("cld; rep stosl" : "+D"(dst), "+c"(n) : "a"(0x0f0e0d0cu) : "memory");
    ok = same(VGA_END, (uint32_t)rom, sizeof rom);
    for (unsigned i = 0; i < 4; i++)
        ok &= ((volatile uint32_t *)(VGA_END - 16))[i] == 0x0f0e0d0cu;
    check(ok, "rep stosd from VGA into ROM: VGA part written, ROM part dropped");

    uint8_t ram[16];
    memcpy(ram, (const void *)(RAM_TOP - 16), sizeof ram);
    dst = RAM_TOP - 16;
    n = 8;
    asm volatile("cld; rep stosl" : "+D"(dst), "+c"(n) : "a"(0x04030201u) : "memory");
    ok = dst == RAM_TOP + 16 && n == 0;
    for (unsigned i = 0; i < 4; i++)
        ok &= ((volatile uint32_t *)(RAM_TOP - 16))[i] == 0x04030201u &&
              ((volatile uint32_t *)RAM_TOP)[i] == 0xffffffffu;
    check(ok, "rep stosd from RAM into the unclaimed window a0000: RAM part written, window reads "
              "all ones");
    memcpy((void *)(RAM_TOP - 16), ram, sizeof ram);

    memset(back, 0, sizeof back);
    movsd(b, RAM_TOP, 64);
    ok = true;
    for (unsigned i = 0; i < 256; i++)
        ok &= back[i] == 0xff;
    check(ok, "rep movsd out of the unclaimed window a0000 reads all ones");
}

/* ---- beyond RAM ---- */

/* Nothing answers at 0xe0000000 (below the PCI devices' BARs, far above RAM). QEMU reads its
   unassigned memory as zeros, the monitor's bus as all ones, what a PC's PCI master abort
   gives: checked here is what both do, every byte the same, whatever the access, and writes
   lost. */
static void unclaimed(void)
{
    uint8_t b = mem(UNCLAIMED)[0];
    bool ok = b == 0x00 || b == 0xff;
    uint32_t all = b * 0x01010101u;
    ok &= *(volatile uint16_t *)(UNCLAIMED + 2) == (uint16_t)all;
    ok &= *(volatile uint32_t *)(UNCLAIMED + 4) == all;
    ok &= *(volatile uint32_t *)(UNCLAIMED + 0xffd) == all;
    check(ok, "byte, word, dword and unaligned reads beyond RAM give one byte value throughout");

    *(volatile uint32_t *)UNCLAIMED = 0x12345678u;
    mem(UNCLAIMED + 5)[0] = 0x9a;
    check(*(volatile uint32_t *)UNCLAIMED == all && mem(UNCLAIMED + 5)[0] == b,
          "writes beyond RAM are lost");

    memset(back, 0x5a, sizeof back);
    movsd((uint32_t)back, UNCLAIMED, 64);
    ok = true;
    for (unsigned i = 0; i < 256; i++)
        ok &= back[i] == b;
    check(ok && back[256] == 0x5a, "rep movsd out of memory beyond RAM");
}

void guest_main(void)
{
    rom_contents();
    rom_writes(0xf0000);
    rom_writes(0xc0000);
    rom_rmw(0xffff0);
    rom_rmw(0xc0004);
    spanning();
    strings();
    unclaimed();
}
