/* devices/devices.c: assembling the standard PC device set. */
#include "devices/devices.h"

/* Program a PIC through its ports the way a BIOS does, so its state is reachable by a guest. */
static void pic_bios_setup(struct bus *bus, uint16_t base, uint8_t vectors, uint8_t icw3,
                           uint8_t mask)
{
    bus_port_write(bus, base, 1, 0x11);
    bus_port_write(bus, base + 1, 1, vectors);
    bus_port_write(bus, base + 1, 1, icw3);
    bus_port_write(bus, base + 1, 1, 0x01);
    bus_port_write(bus, base + 1, 1, mask);
}

int devices_init(struct pc_devices *pc, struct bus *bus, uint64_t ram_bytes)
{
    if (pic_init(&pc->pic, bus) || pit_init(&pc->pit, bus) ||
        uart_init(&pc->com1, bus, COM1_BASE, COM1_IRQ) || rtc_init(&pc->rtc, bus) ||
        post_port_init(&pc->post, bus) || debug_exit_init(&pc->debug_exit, bus))
        return -1;
    pic_bios_setup(bus, 0x20, DEVICES_MASTER_VECTORS, 1u << 2, 0xfb);
    pic_bios_setup(bus, 0xa0, DEVICES_SLAVE_VECTORS, 2, 0xff);
    rtc_set_memory(&pc->rtc, ram_bytes);
    return 0;
}
