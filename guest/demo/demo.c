/* The demo guest (make qemu): greets on COM1 and on the VGA text screen, shows what the machine
   told it (command line, memory, CPU), counts a few timer ticks, switches the VGA to mode 12h
   through its registers and shows a picture for a few seconds (guest/demo/picture.c), and exits
   through the debug port (or halts where there is none). Not a test: its output may differ
   between machines. */
#include "guest/demo/picture.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/start.h"
#include "guest/lib/test.h"
#include "guest/lib/timer.h"
#include "guest/lib/trap.h"
#include "guest/lib/vga.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char guest_name[] = "demo";

#define VGA_TEXT ((volatile uint16_t *)0xb8000)
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x1f00 /* white on blue */

static unsigned vga_row;

static void vga_clear(void)
{
    for (unsigned i = 0; i < VGA_COLS * VGA_ROWS; i++)
        VGA_TEXT[i] = VGA_ATTR | ' ';
}

/* One line on COM1 and on the next screen row. */
static void say(const char *fmt, ...)
{
    char line[VGA_COLS + 1];
    va_list ap;
    va_start(ap, fmt);
    vsniprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    gprintf("%s\n", line);
    if (vga_row < VGA_ROWS) {
        for (unsigned i = 0; line[i] && i < VGA_COLS; i++)
            VGA_TEXT[vga_row * VGA_COLS + i] = VGA_ATTR | (uint8_t)line[i];
        vga_row++;
    }
}

static volatile unsigned ticks;

static void tick(struct trap_frame *f)
{
    ticks++;
    pic_eoi(0);
}

#define PICTURE_TICKS 400

/* Halts until n more timer ticks of 10 ms arrived; at most 2n + 100 halts, since any other
   interrupt ends a halt too. */
static void wait_ticks(unsigned n)
{
    unsigned until = ticks + n;
    pit_periodic(11932);
    pic_set_mask(0xfffe);
    sti();
    for (unsigned halts = 0; halts < 2 * n + 100 && ticks < until; halts++)
        asm volatile("hlt");
    cli();
    pic_set_mask(0xffff);
}

void guest_main(void)
{
    vga_clear();
    say("Hello from the nexus86 demo guest.");
    const struct multiboot_info *mb = boot_info;
    if (mb->flags & MB_INFO_CMDLINE)
        say("command line: %s", (const char *)mb->cmdline);
    if (mb->flags & MB_INFO_MEMORY)
        say("memory: %lu KiB low, %lu KiB above 1 MiB", (unsigned long)mb->mem_lower,
            (unsigned long)mb->mem_upper);

    uint32_t r[4];
    char vendor[13];
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0));
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(1));
    say("cpu: %s family %lu model %lu", vendor, (unsigned long)((r[0] >> 8) & 0xf),
        (unsigned long)((r[0] >> 4) & 0xf));

    uint32_t cs, f = read_eflags();
    asm volatile("movl %%cs, %0" : "=r"(cs));
    say("running with CS %#lx, IOPL %lu", (unsigned long)cs, (unsigned long)((f >> 12) & 3));

    idt_set(PIC_VECTOR_BASE, GATE_INTR);
    trap_set_handler(PIC_VECTOR_BASE, tick);
    wait_ticks(50);
    say("timer: %u ticks of 10 ms arrived", ticks);

    say("Now a picture in VGA mode 12h, for %u seconds.", PICTURE_TICKS / 100);
    demo_picture();
    vga_row = VGA_ROWS; /* the text screen is gone: COM1 only from here */
    vga_screen_point("demo-mode12h");
    wait_ticks(PICTURE_TICKS);
    say("Goodbye.");
}
