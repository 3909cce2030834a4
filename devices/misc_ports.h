/* devices/misc_ports.h: the two trivial ports: the POST code port 0x80 (the last byte written is
 * remembered for the monitor; reads give all ones, as on QEMU, which the differential tests
 * compare against) and QEMU's isa-debug-exit at 0xf4 (passed to the host so the guest ends the
 * run with its own code). */
#ifndef NEXUS86_DEVICES_MISC_PORTS_H
#define NEXUS86_DEVICES_MISC_PORTS_H

#include "devices/bus.h"

struct post_port {
    uint8_t last;
    uint32_t writes;
};

struct debug_exit {
    struct bus *bus;
};

int post_port_init(struct post_port *post, struct bus *bus);
int debug_exit_init(struct debug_exit *dexit, struct bus *bus);

#endif
