/*
 * host.c: the virtual PC's view of the real machine (struct bus_host): time from the TSC, the
 * guest's COM1 bridged to the real COM1, the real RTC, and the isa-debug-exit port passed
 * through so the guest ends a QEMU run with its own code (after the monitor logs its
 * statistics). Also creates the devices on the bus, and at the timer tick shows the display,
 * serves the requests typed on the log's port and moves the nexus when a move is due.
 */
#include "arch/x86/cmos.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "arch/x86/serial.h"
#include "arch/x86/timer.h"
#include "arch/x86/trap.h"
#include "devices/vga_bus.h"
#include "monitor/display.h"
#include "monitor/log.h"
#include "monitor/nexus.h"
#include "monitor/panic.h"
#include "monitor/vm/vm_exit.h"
#include "monitor/vm/vm_host.h"

#define DEBUG_EXIT_PORT 0xf4

static uint64_t host_now(void *ctx)
{
    return timer_ns();
}

static void host_log(void *ctx, const char *line)
{
    log_info("device: %s", line);
}

static void host_serial_tx(void *ctx, uint8_t byte)
{
    serial_putc(COM1_PORT, (char)byte);
}

static bool host_serial_rx(void *ctx, uint8_t *byte)
{
    int c = serial_getc(COM1_PORT);
    if (c < 0)
        return false;
    *byte = (uint8_t)c;
    return true;
}

static bool host_rtc_read(void *ctx, struct bus_datetime *out)
{
    struct cmos_time t;
    if (!cmos_read_time(&t))
        return false;
    *out = (struct bus_datetime){t.year, t.month, t.day, t.hour, t.minute, t.second, t.weekday};
    return true;
}

static void host_debug_exit(void *ctx, uint32_t value, unsigned size)
{
    struct vm *vm = ctx;
    log_info("guest wrote %#lx to the debug exit port", (unsigned long)value);
    vm_stats_print(vm, "at the guest's exit");
    switch (size) {
    case 1: outb(DEBUG_EXIT_PORT, (uint8_t)value); break;
    case 2: outw(DEBUG_EXIT_PORT, (uint16_t)value); break;
    default: outl(DEBUG_EXIT_PORT, value); break;
    }
}

void vm_host_init(struct vm *vm)
{
    struct bus_host host = {
        .ctx = vm,
        .now_ns = host_now,
        .log = host_log,
        .serial_tx = host_serial_tx,
        .serial_rx = host_serial_rx,
        .rtc_read = host_rtc_read,
        .debug_exit = host_debug_exit,
    };
    bus_init(&vm->bus, &host);
    if (devices_init(&vm->pc, &vm->bus, vm->ram_size) != 0)
        panic("the virtual devices do not fit on the bus");
    vga_init(vm->vga);
    vga_reset_text_mode(vm->vga, display_font());
    if (vga_bus_attach(vm->vga, &vm->bus) != 0)
        panic("the VGA does not fit on the bus");
}

void vm_exit_advance_devices(struct vm *vm)
{
    bus_advance(&vm->bus, timer_ns());
}

/*
 * Moves the nexus when the self-test's period is up (nexus_move=N) or a move was asked for. Not
 * while the interrupted ring-3 code is inside the nexus segment (vm_nexus_after resumes it in
 * place; this runs in its loop too): nexus code may count on its base staying put while it runs,
 * so the move waits for a later tick.
 */
static void nexus_move_tick(struct vm *vm)
{
    uint64_t now = timer_ticks();
    bool timed = vm->nexus_move != 0 && now >= vm->next_move;
    if ((!timed && !vm->move_asked) || (uint16_t)ring3_frame.cs == SEL_NEXUS_CS)
        return;
    uint32_t window = nexus_move();
    vm->stats.nexus_moves++;
    if (vm->move_asked)
        log_info("nexus moved to %08lx on request", (unsigned long)window);
    else
        log_debug("nexus moved to %08lx", (unsigned long)window);
    vm->move_asked = false;
    if (timed)
        vm->next_move = now + vm->nexus_move;
}

/* At each display frame: the picture, and requests typed on the log's port ('s': statistics,
 * 'm': move the nexus). At every tick: a nexus move that is due. */
void vm_display_tick(struct vm *vm)
{
    uint32_t frame = vga_bus_frame(&vm->bus);
    if (frame != vm->display_frame) {
        vm->display_frame = frame;
        display_refresh(vm->vga, frame);
        int key = log_getc();
        if (key == 's')
            vm_stats_print(vm, "on request");
        else if (key == 'm')
            vm->move_asked = true;
    }
    nexus_move_tick(vm);
}
