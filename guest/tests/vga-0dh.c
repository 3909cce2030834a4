/* VGA mode 0Dh (320x200, 16 colours, planar, double scan and half dot clock) programmed through
   the registers alone: register read-back, the planar drawing suite with every write mode and
   read mode checked against the guest's model of the VGA rules, and a second display page
   shown through the start address, as pictures for the screen tests (tests/screen). */
#include "guest/lib/test.h"
#include "guest/lib/vga.h"
#include "guest/lib/vga_checks.h"
#include "guest/lib/vga_model.h"
#include "guest/lib/vga_suite.h"

const char guest_name[] = "vga-0dh";

#define ROW_BYTES 40
#define ROWS      200
#define PAGE      0x2000 /* the BIOS's page size in mode 0Dh */

void guest_main(void)
{
    const struct vga_mode *m = &vga_mode_0dh;
    vga_set_mode(m);
    vga_load_ega_dac();
    vga_check_mode("0dh", m);
    vga_load_ega_palette();

    vm_start(m->seq[SEQ_MAP_MASK], m->gc);
    vga_planar_suite("0dh", ROW_BYTES, ROWS);
    vga_screen_point("0dh-bands");

    /* Page 1: the bars band copied through the latches (write mode 1) into every band,
       each band's copy shifted one byte further right. */
    vm_modes(1, 0);
    for (unsigned y = 0; y < ROWS; y++)
        for (unsigned x = 0; x < ROW_BYTES; x++) {
            uint8_t e;
            vm_read((y % (ROWS / 8)) * ROW_BYTES + (x + y / (ROWS / 8)) % ROW_BYTES, &e);
            vm_write(PAGE + y * ROW_BYTES + x, 0);
        }
    vm_modes(0, 0);
    vm_verify_planes("0dh page 1 latch copies", PAGE, ROW_BYTES * ROWS);
    vga_crtc(CRTC_START_HI, PAGE >> 8);
    vga_crtc(CRTC_START_LO, 0);
    vga_screen_point("0dh-page1");
}
