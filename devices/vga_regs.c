/* devices/vga_regs.c: the VGA's I/O ports (0x3b0-0x3df): miscellaneous output, input status,
 * sequencer, CRTC, graphics controller, attribute controller and DAC.
 *
 * Register layouts follow FreeVGA (http://www.osdever.net/FreeVGA/vga/vga.htm); reserved bits
 * read back as zero, with the same masks QEMU's VGA applies, so a guest sees the same values
 * natively on QEMU and under nexus86. */
#include "devices/vga.h"

/* Writable bits of each register. */
static const uint8_t seq_mask[VGA_SEQ_REGS] = {0x03, 0x3d, 0x0f, 0x3f, 0x0e};
static const uint8_t gc_mask[VGA_GC_REGS] = {0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f, 0xff};

/* The CRTC, input status 1 and feature control answer at 0x3dx when misc bit 0 (I/O address
 * select) is set, at 0x3bx when it is clear; the other block is not decoded. */
static bool port_decoded(const struct vga *vga, uint16_t port)
{
    if (vga->misc & 0x01)
        return port < 0x3b0 || port > 0x3bf;
    return port < 0x3d0 || port > 0x3df;
}

static void set_reg(struct vga *vga, uint8_t *reg, uint8_t value)
{
    if (*reg != value) {
        *reg = value;
        vga->dirty = true;
    }
}

/* Polling loops wait for the retrace bits to change; without a beam to follow, toggling them on
 * every read (as QEMU's default retrace model does) lets every such loop finish. */
static uint8_t read_status1(struct vga *vga)
{
    vga->status1 ^= VGA_IS1_DISPLAY_OFF | VGA_IS1_VRETRACE;
    vga->ac_data_next = false;
    return vga->status1;
}

static uint8_t read_dac_data(struct vga *vga)
{
    uint8_t value = vga->dac[vga->dac_read_index][vga->dac_step];
    if (++vga->dac_step == 3) {
        vga->dac_step = 0;
        vga->dac_read_index++;
    }
    return value;
}

/* A colour changes only when its third component arrives. */
static void write_dac_data(struct vga *vga, uint8_t value)
{
    vga->dac_latch[vga->dac_step] = value & 0x3f;
    if (++vga->dac_step < 3)
        return;
    vga->dac_step = 0;
    uint8_t *entry = vga->dac[vga->dac_write_index++];
    for (unsigned i = 0; i < 3; i++)
        set_reg(vga, &entry[i], vga->dac_latch[i]);
}

static uint8_t ac_write_mask(uint8_t index)
{
    if (index < 0x10)
        return 0x3f;
    switch (index) {
    case VGA_AC_MODE: return 0xef;
    case VGA_AC_PLANE_EN: return 0x3f;
    case VGA_AC_HPEL:
    case VGA_AC_COLOR_SEL: return 0x0f;
    default: return 0xff;
    }
}

static void write_ac(struct vga *vga, uint8_t value)
{
    if (!vga->ac_data_next) {
        uint8_t old_pas = vga->ac_index & VGA_AC_INDEX_PAS;
        vga->ac_index = value & 0x3f;
        if ((vga->ac_index & VGA_AC_INDEX_PAS) != old_pas)
            vga->dirty = true;
    } else {
        uint8_t index = vga->ac_index & 0x1f;
        if (index < VGA_AC_REGS)
            set_reg(vga, &vga->ac[index], value & ac_write_mask(index));
    }
    vga->ac_data_next = !vga->ac_data_next;
}

/* Register 0x11 bit 7 write-protects CRTC registers 0-7, except the line compare bit (bit 4)
 * of the overflow register (FreeVGA crtcreg.htm, "Vertical Retrace End Register"). */
static void write_crtc(struct vga *vga, uint8_t value)
{
    uint8_t index = vga->crtc_index;
    if (index >= VGA_CRTC_REGS)
        return;
    if ((vga->crtc[VGA_CRTC_VSYNC_END] & 0x80) && index <= VGA_CRTC_OVERFLOW) {
        if (index == VGA_CRTC_OVERFLOW)
            set_reg(vga, &vga->crtc[index], (vga->crtc[index] & ~0x10) | (value & 0x10));
        return;
    }
    set_reg(vga, &vga->crtc[index], value);
}

uint8_t vga_port_read(struct vga *vga, uint16_t port)
{
    if (!port_decoded(vga, port))
        return 0xff;
    switch (port) {
    case 0x3c0: return vga->ac_index;
    case 0x3c1: return (vga->ac_index & 0x1f) < VGA_AC_REGS ? vga->ac[vga->ac_index & 0x1f] : 0;
    case 0x3c2: return 0; /* input status 0: no switch sense, no retrace interrupt */
    case 0x3c4: return vga->seq_index;
    case 0x3c5: return vga->seq_index < VGA_SEQ_REGS ? vga->seq[vga->seq_index] : 0;
    case 0x3c6: return vga->pel_mask;
    case 0x3c7: return vga->dac_state;
    case 0x3c8: return vga->dac_write_index;
    case 0x3c9: return read_dac_data(vga);
    case 0x3ca: return vga->feature;
    case 0x3cc: return vga->misc;
    case 0x3ce: return vga->gc_index;
    case 0x3cf: return vga->gc_index < VGA_GC_REGS ? vga->gc[vga->gc_index] : 0;
    case 0x3b4:
    case 0x3d4: return vga->crtc_index;
    case 0x3b5:
    case 0x3d5: return vga->crtc_index < VGA_CRTC_REGS ? vga->crtc[vga->crtc_index] : 0;
    case 0x3ba:
    case 0x3da: return read_status1(vga);
    default: return 0;
    }
}

void vga_port_write(struct vga *vga, uint16_t port, uint8_t value)
{
    if (!port_decoded(vga, port))
        return;
    switch (port) {
    case 0x3c0: write_ac(vga, value); break;
    case 0x3c2: set_reg(vga, &vga->misc, value & ~0x10); break;
    case 0x3c4: vga->seq_index = value & 0x07; break;
    case 0x3c5:
        if (vga->seq_index < VGA_SEQ_REGS)
            set_reg(vga, &vga->seq[vga->seq_index], value & seq_mask[vga->seq_index]);
        break;
    case 0x3c6: set_reg(vga, &vga->pel_mask, value); break;
    case 0x3c7:
        vga->dac_read_index = value;
        vga->dac_step = 0;
        vga->dac_state = 3;
        break;
    case 0x3c8:
        vga->dac_write_index = value;
        vga->dac_step = 0;
        vga->dac_state = 0;
        break;
    case 0x3c9: write_dac_data(vga, value); break;
    case 0x3ce: vga->gc_index = value & 0x0f; break;
    case 0x3cf:
        if (vga->gc_index < VGA_GC_REGS)
            set_reg(vga, &vga->gc[vga->gc_index], value & gc_mask[vga->gc_index]);
        break;
    case 0x3b4:
    case 0x3d4: vga->crtc_index = value; break;
    case 0x3b5:
    case 0x3d5: write_crtc(vga, value); break;
    case 0x3ba:
    case 0x3da: vga->feature = value & 0x0b; break;
    default: break;
    }
}
