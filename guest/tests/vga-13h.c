/* VGA mode 13h (320x200, 256 colours, chain-4) programmed through the registers alone:
   register read-back, a 256-colour picture written and read back through chain-4, the same
   bytes seen plane by plane once chain-4 is off, then the planar drawing suite in unchained
   ("mode X") addressing with every write mode and read mode checked against the guest's model
   of the VGA rules. Chain-4 puts CPU address a in plane a & 3 at offset a >> 2: the layout
   QEMU, Bochs and nexus86 use (docs/vga.md, "Memory model"). */
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/vga.h"
#include "guest/lib/vga_checks.h"
#include "guest/lib/vga_model.h"
#include "guest/lib/vga_suite.h"

const char guest_name[] = "vga-13h";

#define WIDTH  320
#define HEIGHT 200

/* 16x16 squares of the 256 colours with a white diagonal. */
static uint8_t pixel(unsigned x, unsigned y)
{
    if (x == y + 60)
        return 15;
    return (uint8_t)(x * 16 / WIDTH | (y * 16 / HEIGHT) << 4);
}

static uint32_t fnv(uint32_t h, uint8_t b)
{
    return (h ^ b) * 16777619u;
}

static void load_dac(void)
{
    vga_load_ega_dac();
    for (unsigned i = 16; i < 256; i++)
        vga_dac((uint8_t)i, (uint8_t)(i * 7 & 0x3f), (uint8_t)(i * 3 & 0x3f), (uint8_t)(i >> 2));
}

static void chain4(void)
{
    for (unsigned y = 0; y < HEIGHT; y++)
        for (unsigned x = 0; x < WIDTH; x++)
            VGA_MEM[y * WIDTH + x] = pixel(x, y);
    uint32_t got = 2166136261u, want = got;
    for (unsigned y = 0; y < HEIGHT; y++)
        for (unsigned x = 0; x < WIDTH; x++) {
            got = fnv(got, VGA_MEM[y * WIDTH + x]);
            want = fnv(want, pixel(x, y));
        }
    check(got == want, "13h: chain-4 picture reads back, sum %08lx", (unsigned long)got);
    vga_screen_point("13h-chain4");

    /* Chain-4 off, read mode 0: plane p offset o holds CPU address 4o + p. */
    vga_seq(SEQ_MEMMODE, 0x06);
    unsigned bad = 0;
    for (unsigned p = 0; p < 4; p++) {
        vga_gc(GC_READ_MAP, (uint8_t)p);
        for (unsigned o = 0; o < WIDTH * HEIGHT / 4; o++) {
            unsigned a = 4 * o + p;
            bad += VGA_MEM[o] != pixel(a % WIDTH, a / WIDTH);
        }
    }
    vga_gc(GC_READ_MAP, 0);
    check(bad == 0, "13h: planes hold chain-4 address a at plane a & 3, offset a >> 2");
}

void guest_main(void)
{
    const struct vga_mode *m = &vga_mode_13h;
    vga_set_mode(m);
    load_dac();
    vga_check_mode("13h", m);
    load_dac();
    chain4();

    /* Unchained: the CRTC scans the same planes; 320 pixels are 80 bytes of each plane. */
    vm_start(m->seq[SEQ_MAP_MASK], m->gc);
    vga_planar_suite("13h unchained", WIDTH / 4, HEIGHT);
    vga_screen_point("13h-unchained");
}
