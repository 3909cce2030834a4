/*
 * shutdown.h: stopping the machine with a status code.
 */
#ifndef ARCH_X86_SHUTDOWN_H
#define ARCH_X86_SHUTDOWN_H

#include <stdint.h>

/*
 * Ends the run: QEMU's isa-debug-exit (port 0xf4) turns the code into QEMU's exit status
 * ((code << 1) | 1), Bochs stops on its shutdown port (0x8900); a real PC halts.
 */
__attribute__((noreturn)) void machine_exit(uint8_t code);

/* Shuts the machine down the way a guest's triple fault does on bare hardware: QEMU with
 * -no-reboot then exits with status 0, a PC resets. */
__attribute__((noreturn)) void machine_triple_fault(void);

#endif
