/* emu-test's mock machine: 64 guest pages identity-mapped by a one-level page map whose entries
 * the tests change (present, writable, user, RAM/ROM/MMIO/watched), a vCPU in flat 32-bit
 * protected mode at CPL 0, and a log of every callback the emulator makes, in order. */
#ifndef NEXUS86_TESTS_EMU_TEST_MOCK_H
#define NEXUS86_TESTS_EMU_TEST_MOCK_H

#include <stdint.h>

#include "monitor/emu/emu.h"

#define TM_PAGES 64
#define TM_PG_P  1u
#define TM_PG_W  2u
#define TM_PG_U  4u

struct tm_page {
    enum emu_mem_kind kind;
    unsigned flags;
};

enum tm_event_kind {
    TM_MMIO_READ,
    TM_MMIO_WRITE,
    TM_WATCHED_WRITE,
    TM_PORT_IN,
    TM_PORT_OUT,
    TM_SYS_WRITE,
    TM_INVLPG,
};

struct tm_event {
    enum tm_event_kind kind;
    uint32_t addr; /* physical address, port, enum emu_sys or linear address */
    unsigned size;
    uint32_t value;
};

struct tm {
    uint8_t mem[TM_PAGES * 4096];
    struct tm_page page[TM_PAGES];
    struct vcpu cpu;
    struct tm_event log[256];
    unsigned nlog;
    uint32_t mmio_value; /* what MMIO reads return (plus the offset) */
    int mmio_redirect;   /* MMIO reads answer EMU_REDIRECT */
    int sys_refuse;      /* sys_write answers #GP(0) */
    uint64_t tsc;
};

extern struct tm tm;
extern const struct emu_ops tm_ops;

/* Fresh machine: all pages RAM, present, writable, user; vCPU at CPL 0, EIP = 0x1000. */
void tm_reset(void);
/* Places instruction bytes at EIP. */
void tm_code(const void *bytes, unsigned len);
/* One emu_step with a large REP budget. */
int tm_step(struct emu_exc *exc);
void tm_put32(uint32_t addr, uint32_t v);
uint32_t tm_get32(uint32_t addr);
/* Writes a descriptor into the GDT at 0x3000 (gdtr covers 16 entries). */
void tm_desc(uint16_t sel, uint32_t base, uint32_t limit, unsigned access, unsigned flags);
#define TM_GDT 0x3000u
/* Writes a gate (interrupt, trap, call or task: type 4-7, 12-15) with present bit and DPL: into
 * the IDT at 0x3400 for tm_idt (idtr covers 256 vectors), into the GDT for tm_gdt_gate. */
void tm_idt(unsigned vec, uint16_t sel, uint32_t off, unsigned type, unsigned dpl, int present);
void tm_gdt_gate(uint16_t at, uint16_t sel, uint32_t off, unsigned type, unsigned dpl,
                 unsigned count);
#define TM_IDT 0x3400u
/* A 32-bit TSS at 0x3c00 (limit 0x67) in TR, with SS0:ESP0, SS1:ESP1 and SS2:ESP2. */
void tm_tss32(uint16_t ss0, uint32_t esp0, uint16_t ss1, uint32_t esp1);
#define TM_TSS 0x3c00u

#endif
