/* VGA mode 12h (640x480, 16 colours, planar) programmed through the registers alone: register
   read-back, the planar drawing suite with every write mode and read mode checked against the
   guest's model of the VGA rules, then the attribute palette, colour plane enable, start
   address and line compare as pictures for the screen tests (tests/screen). */
#include "guest/lib/test.h"
#include "guest/lib/vga.h"
#include "guest/lib/vga_checks.h"
#include "guest/lib/vga_model.h"
#include "guest/lib/vga_suite.h"

const char guest_name[] = "vga-12h";

#define ROW_BYTES 80
#define ROWS      480

void guest_main(void)
{
    const struct vga_mode *m = &vga_mode_12h;
    vga_set_mode(m);
    vga_load_ega_dac();
    vga_check_mode("12h", m);
    vga_load_ega_palette();

    vm_start(m->seq[SEQ_MAP_MASK], m->gc);
    vga_planar_suite("12h", ROW_BYTES, ROWS);
    vga_screen_point("12h-bands");

    /* Palette reversed and plane 3 off: colour c shows palette entry 15 - (c & 7). */
    for (uint8_t c = 0; c < 16; c++)
        vga_ac(c, vga_mode_12h.ac[15 - c]);
    vga_ac(AC_PLANE_EN, 0x07);
    check(vga_ac_read(AC_PLANE_EN) == 0x07, "12h: colour plane enable reads 0x07");
    vga_screen_point("12h-palette");
    vga_load_ega_palette();
    vga_ac(AC_PLANE_EN, 0x0f);

    /* Split screen: the picture starts at row 240, and the scan returns to offset 0 after
       line compare 239 (bit 8 in overflow bit 4, writable while CRTC 0-7 are protected, bit 9
       in maximum scan line bit 6). */
    uint16_t start = 240 * ROW_BYTES;
    vga_crtc(CRTC_START_HI, (uint8_t)(start >> 8));
    vga_crtc(CRTC_START_LO, (uint8_t)start);
    vga_crtc(CRTC_LINE_COMP, 239);
    vga_crtc(CRTC_OVERFLOW, vga_crtc_read(CRTC_OVERFLOW) & ~0x10);
    vga_crtc(CRTC_MAX_SCAN, vga_crtc_read(CRTC_MAX_SCAN) & ~0x40);
    check((vga_crtc_read(CRTC_START_HI) << 8 | vga_crtc_read(CRTC_START_LO)) == start,
          "12h: start address reads %#x", start);
    vga_screen_point("12h-split");
}
