/* The planar drawing suite shared by the VGA test guests (guest/lib/vga_suite.c). */
#ifndef GUEST_LIB_VGA_SUITE_H
#define GUEST_LIB_VGA_SUITE_H

/* Clears row_bytes x rows bytes of every plane from offset 0 and draws eight bands there with
   every write mode, checking each against the model; the mode is in planar addressing with
   the model started (vm_start). mode names the checks ("12h"). */
void vga_planar_suite(const char *mode, unsigned row_bytes, unsigned rows);

#endif
