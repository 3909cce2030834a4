/* devices/misc_ports.c: port 0x80 and isa-debug-exit. */
#include "devices/misc_ports.h"

#define DEBUG_EXIT_PORT  0xf4
#define DEBUG_EXIT_PORTS 4 /* QEMU's iosize=4: 0xf4-0xf7 */

static void post_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct post_port *post = dev;
    post->last = value;
    post->writes++;
}

int post_port_init(struct post_port *post, struct bus *bus)
{
    *post = (struct post_port){0};
    return bus_port_register(bus, 0x80, 1, 1, NULL, post_write, post, "post");
}

static void debug_exit_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct debug_exit *dexit = dev;
    bus_log(dexit->bus, "debug-exit: guest wrote 0x%x (size %u)", (unsigned)value, size);
    bus_debug_exit(dexit->bus, value, size);
}

int debug_exit_init(struct debug_exit *dexit, struct bus *bus)
{
    dexit->bus = bus;
    return bus_port_register(bus, DEBUG_EXIT_PORT, DEBUG_EXIT_PORTS, 4, NULL, debug_exit_write,
                             dexit, "isa-debug-exit");
}
