/*
 * cpu.h: thin inline wrappers for the instructions C cannot express (port I/O, control
 * registers, descriptor tables, TSC, CPUID, interrupt flag).
 */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include <stdint.h>

#define CR0_PE      0x00000001u
#define CR0_WP      0x00010000u
#define CR0_PG      0x80000000u
#define CR4_PSE     0x00000010u
#define CR4_PVI     0x00000002u
#define EFLAGS_IF   0x00000200u
#define EFLAGS_IOPL 0x00003000u
#define EFLAGS_RSVD 0x00000002u

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

#define DEFINE_CR_ACCESS(n)                                                                        \
    static inline uint32_t read_cr##n(void)                                                        \
    {                                                                                              \
        uint32_t v;                                                                                \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                          \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_cr##n(uint32_t v)                                                     \
    {                                                                                              \
        __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                                 \
    }
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

static inline void invlpg(uint32_t linear)
{
    __asm__ volatile("invlpg (%0)" : : "r"(linear) : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint32_t read_eflags(void)
{
    uint32_t f;
    __asm__ volatile("pushfl; popl %0" : "=r"(f));
    return f;
}

static inline void irq_enable(void)
{
    __asm__ volatile("sti" : : : "memory");
}
static inline void irq_disable(void)
{
    __asm__ volatile("cli" : : : "memory");
}
/* Saves the interrupt flag and disables interrupts; irq_restore puts it back. */
static inline uint32_t irq_save(void)
{
    uint32_t f = read_eflags();
    irq_disable();
    return f;
}
static inline void irq_restore(uint32_t flags)
{
    if (flags & EFLAGS_IF)
        irq_enable();
}
static inline void halt(void)
{
    __asm__ volatile("hlt" : : : "memory");
}

struct __attribute__((packed)) dtr {
    uint16_t limit;
    uint32_t base;
};

static inline void lgdt(const struct dtr *d)
{
    __asm__ volatile("lgdt %0" : : "m"(*d));
}
static inline void lidt(const struct dtr *d)
{
    __asm__ volatile("lidt %0" : : "m"(*d));
}
static inline void ltr(uint16_t sel)
{
    __asm__ volatile("ltr %0" : : "r"(sel));
}

#endif
