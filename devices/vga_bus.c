/* devices/vga_bus.c: the thin adapter between the bus and the VGA core. Both ranges are
 * registered one byte wide, so the bus splits word and dword accesses into bytes in address
 * order, which is what the VGA's 8-bit data path does (each byte loads the latches anew). */
#include "devices/vga_bus.h"

static uint32_t port_read(void *dev, uint32_t offset, unsigned size)
{
    return vga_port_read(dev, (uint16_t)(VGA_PORT_FIRST + offset));
}

static void port_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    vga_port_write(dev, (uint16_t)(VGA_PORT_FIRST + offset), (uint8_t)value);
}

static uint32_t mem_read(void *dev, uint32_t offset, unsigned size)
{
    return vga_mem_read(dev, offset);
}

static void mem_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    vga_mem_write(dev, offset, (uint8_t)value);
}

int vga_bus_attach(struct vga *vga, struct bus *bus)
{
    if (bus_port_register(bus, VGA_PORT_FIRST, VGA_PORT_LAST - VGA_PORT_FIRST + 1, 1, port_read,
                          port_write, vga, "vga") < 0)
        return -1;
    return bus_mmio_register(bus, VGA_MMIO_BASE, VGA_WINDOW_SIZE, 1, mem_read, mem_write, vga,
                             "vga-mem");
}

uint32_t vga_bus_frame(const struct bus *bus)
{
    return (uint32_t)(bus_now(bus) * 60u / 1000000000u);
}
