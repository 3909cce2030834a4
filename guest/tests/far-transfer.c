/* Far transfers in ring 0: far JMP/CALL/RET direct and through memory, RET imm16, far calls to a
   second code segment, a conforming segment and through a call gate, same-privilege IRET with
   changed flags and CS, and the faults of far transfers to selectors that are not code. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"

const char guest_name[] = "far-transfer";

/* Far-called helpers: return CS in EAX; far_sum also adds its two stack parameters. */
asm(".text\n"
    "far_cs:\n\t"
    "movl %cs, %eax\n\t"
    "lret\n"
    "far_sum:\n\t"
    "movl 8(%esp), %edx\n\t"
    "addl 12(%esp), %edx\n\t"
    "movl %cs, %eax\n\t"
    "lret $8\n");
extern char far_cs[], far_sum[];

struct farptr {
    uint32_t offset;
    uint16_t sel;
} __attribute__((packed));

static uint32_t read_cs(void)
{
    uint32_t cs;
    asm volatile("movl %%cs, %0" : "=r"(cs));
    return cs;
}

static void jump_tests(void)
{
    uint32_t cs;
    asm volatile("ljmp %1, $1f\n"
                 "1:\n\t"
                 "movl %%cs, %0\n\t"
                 "ljmp %2, $2f\n"
                 "2:"
                 : "=r"(cs)
                 : "i"(SEL_KCODE2), "i"(SEL_KCODE));
    check(cs == SEL_KCODE2, "direct far JMP to the second code segment: CS %#lx",
          (unsigned long)cs);
    check(read_cs() == SEL_KCODE, "direct far JMP back: CS %#lx", (unsigned long)read_cs());

    static struct farptr there, back;
    uint32_t cs2;
    asm volatile("movl $1f, %[t]\n\t"
                 "movw %[s2], %[ts]\n\t"
                 "movl $2f, %[b]\n\t"
                 "movw %[s1], %[bs]\n\t"
                 "ljmp *%[t]\n"
                 "1:\n\t"
                 "movl %%cs, %0\n\t"
                 "ljmp *%[b]\n"
                 "2:"
                 : "=&r"(cs2), [t] "=m"(there.offset), [ts] "=m"(there.sel), [b] "=m"(back.offset),
                   [bs] "=m"(back.sel)
                 : [s2] "i"(SEL_KCODE2), [s1] "i"(SEL_KCODE)
                 : "memory");
    check(cs2 == SEL_KCODE2 && read_cs() == SEL_KCODE, "far JMP through m16:32 and back");
}

static void call_tests(void)
{
    uint32_t cs;
    asm volatile("lcall %1, $far_cs" : "=a"(cs) : "i"(SEL_KCODE2) : "memory");
    check(cs == SEL_KCODE2 && read_cs() == SEL_KCODE,
          "direct far CALL runs in CS %#lx, far RET returns to CS %#lx", (unsigned long)cs,
          (unsigned long)read_cs());

    struct farptr p = {(uint32_t)far_cs, SEL_KCODE2};
    asm volatile("lcall *%1" : "=a"(cs) : "m"(p) : "memory");
    check(cs == SEL_KCODE2, "far CALL through m16:32 runs in CS %#lx", (unsigned long)cs);

    uint32_t esp_before, esp_after, sum;
    asm volatile("movl %%esp, %0\n\t"
                 "pushl $40\n\t"
                 "pushl $2\n\t"
                 "lcall %4, $far_sum\n\t"
                 "movl %%esp, %1"
                 : "=&r"(esp_before), "=&r"(esp_after), "=a"(cs), "=d"(sum)
                 : "i"(SEL_KCODE2)
                 : "memory");
    check(sum == 42 && esp_after == esp_before, "far RET imm16 pops the parameters (sum %lu)",
          (unsigned long)sum);

    asm volatile("lcall %1, $far_cs" : "=a"(cs) : "i"(SEL_CONF) : "memory");
    check(cs == SEL_CONF, "far CALL to a conforming segment: CS %#lx", (unsigned long)cs);

    uint32_t gate_cs, gate_esp, esp;
    asm volatile("movl %%esp, %2\n\t"
                 "lcall %3, $0"
                 : "=a"(gate_cs), "=d"(gate_esp), "=&r"(esp)
                 : "i"(SEL_CALLGATE)
                 : "memory");
    check(gate_cs == SEL_KCODE, "far CALL through a call gate in ring 0: CS %#lx",
          (unsigned long)gate_cs);
    check(gate_esp == esp - 8, "same-privilege gate call pushes only CS:EIP (%lu bytes)",
          (unsigned long)(esp - gate_esp));
}

static void iret_tests(void)
{
    uint32_t f = read_eflags(), cs, inside;
    asm volatile("pushl %3\n\t"
                 "pushl %4\n\t"
                 "pushl $1f\n\t"
                 "iretl\n"
                 "1:\n\t"
                 "movl %%cs, %0\n\t"
                 "pushfl\n\t"
                 "popl %1\n\t"
                 "pushl %2\n\t"
                 "pushl %5\n\t"
                 "pushl $2f\n\t"
                 "iretl\n"
                 "2:"
                 : "=&r"(cs), "=&r"(inside)
                 : "r"(f), "r"(f | EFLAGS_AC | EFLAGS_CF | EFLAGS_IF | EFLAGS_IOPL),
                   "i"(SEL_KCODE2), "i"(SEL_KCODE)
                 : "memory", "cc");
    check(cs == SEL_KCODE2, "IRET to the second code segment: CS %#lx", (unsigned long)cs);
    check((inside & (EFLAGS_AC | EFLAGS_CF | EFLAGS_IF | EFLAGS_IOPL)) ==
              (EFLAGS_AC | EFLAGS_CF | EFLAGS_IF | EFLAGS_IOPL),
          "IRET in ring 0 loads AC, CF, IF and IOPL (%#lx)",
          (unsigned long)(inside & (EFLAGS_AC | EFLAGS_CF | EFLAGS_IF | EFLAGS_IOPL)));
    uint32_t now = read_eflags();
    check(read_cs() == SEL_KCODE && (now & (EFLAGS_IF | EFLAGS_IOPL | EFLAGS_AC)) ==
                                        (f & (EFLAGS_IF | EFLAGS_IOPL | EFLAGS_AC)),
          "IRET back restores CS and flags");
}

static void fault_tests(void)
{
    trap_reset();
    asm volatile(PROBE_SITE("ljmp %0, $0") : : "i"(SEL_KDATA));
    trap_expect("far JMP to a data selector raises #GP(selector)", 13, SEL_KDATA, 0);
    trap_reset();
    asm volatile(PROBE_SITE("lcall %0, $0") : : "i"(0));
    trap_expect("far CALL to the null selector raises #GP(0)", 13, 0, 0);
    trap_reset();
    asm volatile(PROBE_SITE("ljmp %0, $0") : : "i"(0x1000));
    trap_expect("far JMP beyond the GDT limit raises #GP(selector)", 13, 0x1000, 0);
    trap_reset();
    asm volatile(PROBE_SITE("ljmp %0, $0") : : "i"(SEL_KCODE | 3));
    trap_expect("far JMP to DPL 0 code with RPL 3 raises #GP(selector)", 13, SEL_KCODE, 0);
    check(read_cs() == SEL_KCODE, "CS unchanged after the faults");
}

void guest_main(void)
{
    jump_tests();
    call_tests();
    iret_tests();
    fault_tests();
}
