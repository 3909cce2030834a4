/* Entering ring 3 and coming back. ring3_call runs fn(arg) at ring 3 (SEL_UCODE, SEL_UDATA, its
   own stack) with the caller's EFLAGS, by IRET; fn's return brings it to an INT through a DPL 3
   interrupt gate, which switches to the TSS ring 0 stack and resumes the caller. */
#ifndef GUEST_LIB_RING_H
#define GUEST_LIB_RING_H

#include <stdint.h>

#define RING3_RETURN_VECTOR 0x30
#define USER_STACK_SIZE     8192

typedef uint32_t (*ring3_fn)(uint32_t);
uint32_t ring3_call(ring3_fn fn, uint32_t arg);

/* The last return through the gate: ESP on arrival (in the TSS ring 0 stack) and the frame. */
struct ring3_exit_frame {
    uint32_t esp_at_gate;
    uint32_t eip, cs, eflags, esp, ss;
};
extern volatile struct ring3_exit_frame ring3_exit;
extern uint8_t user_stack[USER_STACK_SIZE];

/* Installs the return gate in the IDT. */
void ring_init(void);

#endif
