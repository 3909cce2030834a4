/*
 * trap.c: where trap entry stubs hand over to C. Interrupts are serviced wherever they arrive;
 * an exception inside the monitor is a monitor bug and ends in a panic report.
 */
#include "monitor/trap.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "arch/x86/pic8259.h"
#include "arch/x86/timer.h"
#include "monitor/panic.h"

void trap_handle_irq(uint32_t vector)
{
    unsigned irq = vector - IRQ_BASE_VECTOR;
    if (!pic8259_irq_is_real(irq))
        return;
    if (irq == IRQ_TIMER)
        timer_tick();
    pic8259_eoi(irq);
}

void trap_from_monitor(struct trap_frame *tf)
{
    if (trap_is_irq(tf->vector)) {
        trap_handle_irq(tf->vector);
        return;
    }
    panic_trap(tf);
}

uint32_t ring3_run(void)
{
    for (;;) {
        ring3_enter();
        if (!trap_is_irq(ring3_frame.vector))
            return ring3_frame.vector;
        trap_handle_irq(ring3_frame.vector);
    }
}
