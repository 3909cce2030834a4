/* devices/vga_mem.c: CPU accesses to video memory through the 0xA0000-0xBFFFF window.
 *
 * The path a byte takes follows FreeVGA's "VGA Memory Organization", "Graphics Registers" and
 * "Sequencer Registers" pages (http://www.osdever.net/FreeVGA/vga/vgamem.htm, graphreg.htm,
 * seqreg.htm): the memory map select picks the window, chain-4 / odd-even / planar addressing
 * picks planes and the offset in them, every read loads the four latches, and writes go through
 * the write mode, data rotate, set/reset, logical function, bit mask and map mask. */
#include "devices/vga.h"

/* Offset in the memory map window, or -1 when the window does not cover this address. */
static int32_t window_offset(const struct vga *vga, uint32_t offset)
{
    offset &= VGA_WINDOW_SIZE - 1;
    switch ((vga->gc[VGA_GC_MISC] >> 2) & 3) {
    case 0: return (int32_t)offset;
    case 1: return offset < 0x10000 ? (int32_t)offset : -1;
    case 2: return offset >= 0x10000 && offset < 0x18000 ? (int32_t)(offset - 0x10000) : -1;
    default: return offset >= 0x18000 ? (int32_t)(offset - 0x18000) : -1;
    }
}

static bool chain4(const struct vga *vga)
{
    return vga->seq[VGA_SEQ_MEMMODE] & 0x08;
}

/* Each byte of a 32-bit value is one plane; expand a 4-bit plane set to those bytes. */
static uint32_t planes_to_bytes(uint8_t planes)
{
    uint32_t v = 0;
    for (unsigned p = 0; p < 4; p++)
        if (planes & (1u << p))
            v |= 0xffu << (8 * p);
    return v;
}

static uint32_t latches(const struct vga *vga)
{
    return (uint32_t)vga->latch[0] | (uint32_t)vga->latch[1] << 8 | (uint32_t)vga->latch[2] << 16 |
           (uint32_t)vga->latch[3] << 24;
}

static void load_latches(struct vga *vga, uint32_t poff)
{
    for (unsigned p = 0; p < 4; p++)
        vga->latch[p] = vga->plane[p][poff];
}

/* Read mode 1: a 1 bit wherever every plane not marked "don't care" matches the colour compare
 * value. */
static uint8_t colour_compare(const struct vga *vga)
{
    uint32_t diff = (latches(vga) ^ planes_to_bytes(vga->gc[VGA_GC_COLOR_CMP])) &
                    planes_to_bytes(vga->gc[VGA_GC_DONT_CARE]);
    diff |= diff >> 16;
    diff |= diff >> 8;
    return (uint8_t)~diff;
}

uint8_t vga_mem_read(struct vga *vga, uint32_t offset)
{
    int32_t w = window_offset(vga, offset);
    if (w < 0)
        return 0xff;
    uint32_t addr = (uint32_t)w;
    uint32_t poff;
    unsigned plane;
    if (chain4(vga)) {
        plane = addr & 3;
        poff = (addr >> 2) & (VGA_PLANE_SIZE - 1);
    } else if (vga->gc[VGA_GC_MODE] & 0x10) {
        /* Host odd/even: bit 1 of read map select picks planes 0/1 or 2/3, address bit 0 the
         * plane of the pair. */
        plane = (vga->gc[VGA_GC_READ_MAP] & 2) | (addr & 1);
        poff = (addr >> 1) & (VGA_PLANE_SIZE - 1);
    } else {
        plane = vga->gc[VGA_GC_READ_MAP] & 3;
        poff = addr & (VGA_PLANE_SIZE - 1);
    }
    load_latches(vga, poff);
    if (vga->gc[VGA_GC_MODE] & 0x08)
        return colour_compare(vga);
    return vga->latch[plane];
}

static uint32_t rotate(const struct vga *vga, uint8_t value)
{
    unsigned n = vga->gc[VGA_GC_ROTATE] & 7;
    uint32_t r = (uint8_t)((value >> n) | (value << (8 - n)));
    return r * 0x01010101u;
}

/* The four planes' new bytes for a write of value, before the map mask. */
static uint32_t write_pipeline(const struct vga *vga, uint8_t value)
{
    uint32_t latch = latches(vga);
    uint32_t data;
    uint8_t bit_mask = vga->gc[VGA_GC_BIT_MASK];
    switch (vga->gc[VGA_GC_MODE] & 3) {
    case 0: {
        uint32_t sr_enable = planes_to_bytes(vga->gc[VGA_GC_ENABLE_SR]);
        data = (rotate(vga, value) & ~sr_enable) |
               (planes_to_bytes(vga->gc[VGA_GC_SET_RESET]) & sr_enable);
        break;
    }
    case 1: return latch;
    case 2: data = planes_to_bytes(value & 0x0f); break;
    default:
        bit_mask &= (uint8_t)rotate(vga, value);
        data = planes_to_bytes(vga->gc[VGA_GC_SET_RESET]);
        break;
    }
    switch ((vga->gc[VGA_GC_ROTATE] >> 3) & 3) {
    case 1: data &= latch; break;
    case 2: data |= latch; break;
    case 3: data ^= latch; break;
    default: break;
    }
    uint32_t mask = bit_mask * 0x01010101u;
    return (data & mask) | (latch & ~mask);
}

void vga_mem_write(struct vga *vga, uint32_t offset, uint8_t value)
{
    int32_t w = window_offset(vga, offset);
    if (w < 0)
        return;
    uint32_t addr = (uint32_t)w;
    uint8_t planes = vga->seq[VGA_SEQ_MAP_MASK] & 0x0f;
    uint32_t poff;
    if (chain4(vga)) {
        planes &= 1u << (addr & 3);
        poff = (addr >> 2) & (VGA_PLANE_SIZE - 1);
    } else if (!(vga->seq[VGA_SEQ_MEMMODE] & 0x04)) {
        /* Odd/even: even addresses reach planes 0 and 2, odd ones planes 1 and 3. */
        planes &= (addr & 1) ? 0x0a : 0x05;
        poff = (addr >> 1) & (VGA_PLANE_SIZE - 1);
    } else {
        poff = addr & (VGA_PLANE_SIZE - 1);
    }
    uint32_t data = write_pipeline(vga, value);
    for (unsigned p = 0; p < 4; p++) {
        if (!(planes & (1u << p)))
            continue;
        uint8_t byte = (uint8_t)(data >> (8 * p));
        if (vga->plane[p][poff] != byte) {
            vga->plane[p][poff] = byte;
            vga->dirty = true;
        }
    }
}
