/* Port I/O and the few single instructions the runtime needs, as inline functions. */
#ifndef GUEST_LIB_IO_H
#define GUEST_LIB_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint32_t read_eflags(void)
{
    uint32_t f;
    asm volatile("pushfl; popl %0" : "=r"(f) : : "memory");
    return f;
}

static inline void write_eflags(uint32_t f)
{
    asm volatile("pushl %0; popfl" : : "r"(f) : "memory", "cc");
}

static inline void cli(void)
{
    asm volatile("cli" : : : "memory");
}

static inline void sti(void)
{
    asm volatile("sti" : : : "memory");
}

#define EFLAGS_CF   0x00000001u
#define EFLAGS_TF   0x00000100u
#define EFLAGS_IF   0x00000200u
#define EFLAGS_DF   0x00000400u
#define EFLAGS_OF   0x00000800u
#define EFLAGS_IOPL 0x00003000u
#define EFLAGS_NT   0x00004000u
#define EFLAGS_AC   0x00040000u
#define EFLAGS_ID   0x00200000u

#endif
