/* The C entry of every guest: sets up serial output, descriptors, traps and the PIC, runs the
   guest's own code, then ends the run with the verdict. */
#include "guest/lib/start.h"
#include "guest/lib/desc.h"
#include "guest/lib/print.h"
#include "guest/lib/ring.h"
#include "guest/lib/serial.h"
#include "guest/lib/test.h"
#include "guest/lib/timer.h"
#include "guest/lib/trap.h"

uint32_t boot_magic;
const struct multiboot_info *boot_info;

void rt_start(uint32_t magic, const struct multiboot_info *info);

void rt_start(uint32_t magic, const struct multiboot_info *info)
{
    boot_magic = magic;
    boot_info = info;
    serial_init();
    gprintf("%s: start\n", guest_name);
    check(magic == MULTIBOOT_LOADER_MAGIC, "entered by a multiboot loader");
    desc_init();
    trap_init();
    ring_init();
    pic_init();
    guest_main();
    test_done();
}
