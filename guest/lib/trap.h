/* The guest's IDT, its trap dispatch, and expected faults.
   Expected faults: code wraps a faulting instruction in PROBE_SITE(); when a trap arrives whose
   return address lies in a probe site and no handler is registered for the vector, the runtime
   records it in trap_last and resumes after the site. Any other trap prints its vector, error
   code and return address and ends the run with GUEST_EXIT_TRAP. */
#ifndef GUEST_LIB_TRAP_H
#define GUEST_LIB_TRAP_H

#include "guest/lib/desc.h"
#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_at_pushad, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
    uint32_t outer_esp, outer_ss; /* pushed only when the trap came from ring 3 */
};

typedef void (*trap_handler)(struct trap_frame *f);

/* IDT gate attribute bytes: present, DPL, 32-bit interrupt or trap gate. */
#define GATE_INTR      0x8e
#define GATE_TRAP      0x8f
#define GATE_INTR_USER 0xee
#define GATE_TRAP_USER 0xef

extern uint64_t idt[256];

/* Builds the IDT (exceptions 0-31 present as interrupt gates, INT3 and INTO reachable from ring 3,
   every other vector not present) and loads IDTR. */
void trap_init(void);
/* Makes vector vec present with the given attributes, pointing at its stub. */
void idt_set(unsigned vec, uint8_t attr);
void idt_clear(unsigned vec);
struct dtr idt_dtr(void);
/* A handler runs instead of the probe/unexpected logic; it may change the frame. NULL removes. */
void trap_set_handler(unsigned vec, trap_handler h);

/* What the last expected trap looked like. */
struct trap_record {
    unsigned count;
    uint32_t vector, error, cs, eip, site, outer_ss;
    bool has_error;
};
extern volatile struct trap_record trap_last;
void trap_reset(void);
/* Checks that exactly one expected trap arrived since trap_reset with this vector, error code
   (ignored for vectors without one) and return address (site + offset), printing what came. */
bool trap_expect(const char *what, uint32_t vector, uint32_t error, uint32_t offset);

/* An instruction sequence whose faults are expected (see above); use inside asm(). */
#define PROBE_SITE(insns)                                                                          \
    "1:\n\t" insns "\n2:\n\t.pushsection .extable,\"a\"\n\t.long 1b, 2b\n\t.popsection\n\t"

#endif
