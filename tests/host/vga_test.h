/* tests/host/vga_test.h: shared pieces of the VGA unit tests (build/host/vga-test): the standard
 * mode register tables and helpers that program the device through its ports, as a guest with
 * no BIOS would. */
#ifndef NEXUS86_TESTS_HOST_VGA_TEST_H
#define NEXUS86_TESTS_HOST_VGA_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "devices/vga.h"

struct vga_mode {
    uint8_t misc;
    uint8_t seq[VGA_SEQ_REGS];
    uint8_t crtc[VGA_CRTC_REGS];
    uint8_t gc[VGA_GC_REGS];
    uint8_t ac[VGA_AC_REGS];
};

extern const struct vga_mode vga_mode_03h, vga_mode_0dh, vga_mode_10h, vga_mode_12h, vga_mode_13h;

/* cmocka setup/teardown: *state becomes a freshly initialised struct vga. */
int vga_test_setup(void **state);
int vga_test_teardown(void **state);

void vga_set_mode(struct vga *vga, const struct vga_mode *mode);
void vga_set_seq(struct vga *vga, uint8_t index, uint8_t value);
void vga_set_gc(struct vga *vga, uint8_t index, uint8_t value);
void vga_set_crtc(struct vga *vga, uint8_t index, uint8_t value);
uint8_t vga_get_crtc(struct vga *vga, uint8_t index);
void vga_set_ac(struct vga *vga, uint8_t index, uint8_t value);
void vga_set_dac(struct vga *vga, uint8_t index, uint8_t r, uint8_t g, uint8_t b);

int vga_test_regs(void);
int vga_test_mem(void);
int vga_test_render(void);
int vga_test_bus(void);

#endif
