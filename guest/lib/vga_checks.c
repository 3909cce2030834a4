/* Register checks every VGA test guest runs after programming its mode: read-back of every
   register the mode table set, the CRTC protect bit, the attribute controller's flip-flop, the
   DAC and PEL mask, and input status 1's retrace bits. Expected values are the values written
   and the FreeVGA rules for the protect bit (CRTC 0-7 ignore writes except the line compare bit
   in the overflow register) and the flip-flop (toggles on each 0x3c0 write, reset by reading
   input status 1). The PEL mask (0x3c6) is left out: QEMU's VGA reads it as 0 and ignores it. */
#include "guest/lib/vga_checks.h"
#include "guest/lib/io.h"
#include "guest/lib/test.h"
#include "guest/lib/vga.h"

static void check_registers(const char *name, const struct vga_mode *m)
{
    check(inb(VGA_MISC_R) == m->misc, "%s: misc output reads %#x", name, inb(VGA_MISC_R));
    unsigned bad = 0;
    for (uint8_t i = 1; i < sizeof m->seq; i++)
        bad += vga_seq_read(i) != m->seq[i];
    check(bad == 0, "%s: sequencer 1-4 read back as written", name);
    bad = 0;
    for (uint8_t i = 0; i < sizeof m->crtc; i++)
        bad += vga_crtc_read(i) != m->crtc[i];
    check(bad == 0, "%s: CRTC 0-0x18 read back as written", name);
    bad = 0;
    for (uint8_t i = 0; i < sizeof m->gc; i++)
        bad += vga_gc_read(i) != m->gc[i];
    check(bad == 0, "%s: graphics 0-8 read back as written", name);
    bad = 0;
    for (uint8_t i = 0; i < sizeof m->ac; i++)
        bad += vga_ac_read(i) != m->ac[i];
    check(bad == 0, "%s: attribute 0-0x14 read back as written", name);
}

static void check_crtc_protect(const char *name)
{
    uint8_t v11 = vga_crtc_read(CRTC_VSYNC_END);
    vga_crtc(CRTC_VSYNC_END, v11 | 0x80);
    uint8_t before[8];
    for (uint8_t i = 0; i < 8; i++)
        before[i] = vga_crtc_read(i);
    for (uint8_t i = 0; i < 8; i++)
        vga_crtc(i, before[i] ^ 0x11);
    unsigned kept = 0;
    for (uint8_t i = 0; i < 7; i++)
        kept += vga_crtc_read(i) == before[i];
    uint8_t ovf = vga_crtc_read(CRTC_OVERFLOW);
    check(kept == 7, "%s: CRTC 0-6 ignore writes while protected", name);
    check(ovf == (before[7] ^ 0x10), "%s: protected overflow register takes only bit 4 (%#x)", name,
          ovf);
    vga_crtc(CRTC_OVERFLOW, before[7]);
    vga_crtc(CRTC_VSYNC_END, v11 & 0x7f);
    vga_crtc(0x00, before[0] ^ 0x01);
    uint8_t r0 = vga_crtc_read(0x00);
    vga_crtc(0x00, before[0]);
    vga_crtc(CRTC_VSYNC_END, v11);
    check(r0 == (before[0] ^ 0x01), "%s: CRTC 0 takes writes when unprotected", name);
}

static void check_flip_flop(const char *name)
{
    inb(VGA_IS1);
    outb(0x3c0, AC_OVERSCAN | AC_PAS);
    outb(0x3c0, 0x2a);
    uint8_t index = inb(0x3c0);
    outb(0x3c0, AC_OVERSCAN | AC_PAS);
    uint8_t data = inb(0x3c1);
    check(index == (AC_OVERSCAN | AC_PAS) && data == 0x2a,
          "%s: attribute index then data: index reads %#x, overscan %#x", name, index, data);
    inb(VGA_IS1);
    outb(0x3c0, AC_OVERSCAN | AC_PAS);
    inb(VGA_IS1);
    outb(0x3c0, AC_OVERSCAN | AC_PAS);
    outb(0x3c0, 0x00);
    check(vga_ac_read(AC_OVERSCAN) == 0,
          "%s: reading input status 1 sends the next write to the index", name);
}

static void check_dac(const char *name)
{
    for (unsigned i = 0; i < 16; i++)
        vga_dac((uint8_t)(200 + i), (uint8_t)(i * 5 & 0x3f), (uint8_t)(i * 3), (uint8_t)(63 - i));
    outb(0x3c7, 200);
    unsigned bad = 0;
    for (unsigned i = 0; i < 16; i++) {
        uint8_t r = inb(0x3c9), g = inb(0x3c9), b = inb(0x3c9);
        bad += r != (i * 5 & 0x3f) || g != i * 3 || b != 63 - i;
    }
    check(bad == 0, "%s: DAC entries 200-215 read back in order", name);
}

#define RETRACE_READS 100000u

static void check_retrace(const char *name)
{
    uint8_t seen_set = 0, seen_clear = 0;
    for (unsigned i = 0; i < RETRACE_READS && (seen_set & seen_clear & 0x09) != 0x09; i++) {
        uint8_t s = inb(VGA_IS1);
        seen_set |= s;
        seen_clear |= (uint8_t)~s;
    }
    check((seen_set & seen_clear & 0x08) == 0x08, "%s: vertical retrace bit toggles", name);
    check((seen_set & seen_clear & 0x01) == 0x01, "%s: display disabled bit toggles", name);
}

void vga_check_mode(const char *name, const struct vga_mode *m)
{
    check_registers(name, m);
    check_crtc_protect(name);
    check_flip_flop(name);
    check_dac(name);
    check_retrace(name);
}
