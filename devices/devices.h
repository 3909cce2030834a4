/* devices/devices.h: the standard virtual PC's device set, created together on one bus. */
#ifndef NEXUS86_DEVICES_DEVICES_H
#define NEXUS86_DEVICES_DEVICES_H

#include "devices/bus.h"
#include "devices/misc_ports.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/rtc.h"
#include "devices/uart.h"

#define COM1_BASE 0x3f8
#define COM1_IRQ  4

/* BIOS-style PIC vector bases the guest finds before it programs the PICs itself. */
#define DEVICES_MASTER_VECTORS 0x08
#define DEVICES_SLAVE_VECTORS  0x70

struct pc_devices {
    struct pic pic;
    struct pit pit;
    struct uart com1;
    struct rtc rtc;
    struct post_port post;
    struct debug_exit debug_exit;
};

/* Create the PIC pair, PIT, COM1, RTC (with ram_bytes in its memory fields), port 0x80 and
 * isa-debug-exit on an initialised bus, left as a PC BIOS leaves them: PICs at vectors 0x08 and
 * 0x70 with everything masked but the cascade. 0, or -1 if a port was already taken. */
int devices_init(struct pc_devices *pc, struct bus *bus, uint64_t ram_bytes);

#endif
