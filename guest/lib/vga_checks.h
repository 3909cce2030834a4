/* Register checks the VGA test guests share (guest/lib/vga_checks.c). */
#ifndef GUEST_LIB_VGA_CHECKS_H
#define GUEST_LIB_VGA_CHECKS_H

#include "guest/lib/vga.h"

/* Right after vga_set_mode(m): every register reads back as the table set it, the CRTC
   protect bit, the attribute flip-flop, the DAC, the retrace bits. Leaves the
   mode's registers as they were (the attribute overscan colour becomes 0, as in every table). */
void vga_check_mode(const char *name, const struct vga_mode *m);

#endif
