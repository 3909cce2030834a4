/*
 * shutdown.c: the monitor's last act. Both emulator exit ports are written because the monitor
 * cannot tell QEMU from Bochs cheaply and neither port does anything on the other machine; on a
 * real PC the CPU is left halted with interrupts off, so the last messages stay on screen.
 */
#include "arch/x86/shutdown.h"
#include "arch/x86/cpu.h"

#define QEMU_DEBUG_EXIT 0xF4
#define BOCHS_SHUTDOWN  0x8900

void machine_exit(uint8_t code)
{
    irq_disable();
    outb(QEMU_DEBUG_EXIT, code);
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN, (uint8_t)*s);
    for (;;)
        halt();
}

void machine_triple_fault(void)
{
    static const struct dtr empty = {0, 0};
    irq_disable();
    lidt(&empty);
    __asm__ volatile("int3");
    for (;;)
        halt();
}
