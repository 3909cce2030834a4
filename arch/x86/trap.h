/*
 * trap.h: the frame every trap entry stub saves, and the two ways a trap continues: a trap taken
 * in the monitor is handled on the spot; a trap taken at ring 3 ends ring3_enter(), which returns
 * to whoever let ring 3 run, with the frame left in ring3_frame.
 */
#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#include <stdint.h>

struct trap_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t esp, ss; /* pushed by the CPU only when the trap changed privilege */
};

#define TRAP_DE  0
#define TRAP_DB  1
#define TRAP_NMI 2
#define TRAP_BP  3
#define TRAP_UD  6
#define TRAP_DF  8
#define TRAP_TS  10
#define TRAP_NP  11
#define TRAP_SS  12
#define TRAP_GP  13
#define TRAP_PF  14

/* Vector used by nexus code (ring 3) to enter the ring-0 monitor on purpose. */
#define NEXUS_CALL_VECTOR 0x30

/* The state ring 3 runs with, and what it left when it trapped. */
extern struct trap_frame ring3_frame;
/* Where TSS.esp0 points: the top of ring3_frame, so a trap from ring 3 fills it in place. */
extern char ring3_frame_top[];

/*
 * Runs ring 3 from ring3_frame until the next trap or interrupt, which is then in ring3_frame
 * (vector, error code, registers). Called with interrupts disabled.
 */
void ring3_enter(void);

extern const uint32_t trap_stub_table[256];

/* C side of the entry stubs: a trap that interrupted the monitor itself. */
void trap_from_monitor(struct trap_frame *tf);
/* Entry of the double-fault task (its own TSS and stack). */
void double_fault_report(void);

#endif
