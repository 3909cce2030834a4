/*
 * display.c: the real VGA as the guest's display (display.h). The logic is display_sync.c; this
 * file gives it the real card: port I/O, and the card's memory at 0xA0000 through a temporary
 * mapping slot that moves page by page as the copy advances (a sync writes in address order
 * within each pass, so it remaps at most a few dozen times).
 */
#include "monitor/display.h"
#include "arch/x86/cpu.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "monitor/bootinfo.h"
#include "monitor/display_sync.h"
#include "monitor/log.h"

#define VGA_PHYS     0xA0000u
#define FONT_GLYPHS  256
#define FONT_HEIGHT  16
#define GLYPH_STRIDE 32 /* bytes between glyphs in plane 2 */
#define FB_TYPE_TEXT 2  /* multiboot2 framebuffer type: EGA text */

static struct display_shadow shadow; /* 256 KiB: what the real card holds */
static bool enabled;
static uint8_t font[FONT_GLYPHS * FONT_HEIGHT];
static bool have_font;
static uint32_t mapped_page = 0xFFFFFFFFu;
static volatile uint8_t *window;

static volatile uint8_t *card_byte(uint32_t offset)
{
    uint32_t page = offset & PAGE_MASK;
    if (page != mapped_page) {
        window = tmp_map(TMP_SLOT_DISPLAY, VGA_PHYS + page);
        mapped_page = page;
    }
    return window + (offset & ~PAGE_MASK);
}

static void card_outb(void *ctx, uint16_t port, uint8_t value)
{
    outb(port, value);
}

static uint8_t card_inb(void *ctx, uint16_t port)
{
    return inb(port);
}

static void card_mem_write(void *ctx, uint32_t offset, uint8_t value)
{
    *card_byte(offset) = value;
}

static uint8_t reg_read(uint16_t port, uint8_t index)
{
    outb(port, index);
    return inb(port + 1);
}

static void reg_write(uint16_t port, uint8_t index, uint8_t value)
{
    outb(port, index);
    outb(port + 1, value);
}

/* Reads font map 0 from plane 2 with planar reads (FreeVGA "loading a font", read side),
 * keeping the text/graphics bit so the picture does not change. */
static void read_font(void)
{
    uint8_t seq2 = reg_read(0x3c4, 2), seq4 = reg_read(0x3c4, 4);
    uint8_t gc4 = reg_read(0x3ce, 4), gc5 = reg_read(0x3ce, 5), gc6 = reg_read(0x3ce, 6);
    reg_write(0x3c4, 4, 0x06);
    reg_write(0x3ce, 4, 0x02);
    reg_write(0x3ce, 5, gc5 & 0x60);
    reg_write(0x3ce, 6, (gc6 & 0x01) | 0x04);
    for (unsigned c = 0; c < FONT_GLYPHS; c++)
        for (unsigned r = 0; r < FONT_HEIGHT; r++)
            font[c * FONT_HEIGHT + r] = *card_byte(c * GLYPH_STRIDE + r);
    reg_write(0x3c4, 2, seq2);
    reg_write(0x3c4, 4, seq4);
    reg_write(0x3ce, 4, gc4);
    reg_write(0x3ce, 5, gc5);
    reg_write(0x3ce, 6, gc6);
    have_font = true;
}

void display_init(const struct boot_info *bi)
{
    if (bi->fb.present && bi->fb.type != FB_TYPE_TEXT) {
        log_warn("display: the loader left a %lux%lu graphics framebuffer; the guest's VGA "
                 "is not shown",
                 (unsigned long)bi->fb.width, (unsigned long)bi->fb.height);
        return;
    }
    read_font();
    shadow.valid = false;
    enabled = true;
    log_info("display: the real VGA shows the guest's VGA");
}

const uint8_t *display_font(void)
{
    return have_font ? font : NULL;
}

void display_refresh(struct vga *vga, uint32_t frame)
{
    if (!enabled || (shadow.valid && !vga->dirty))
        return;
    const struct display_card card = {card_outb, card_inb, card_mem_write, NULL};
    display_sync(&shadow, vga, &card);
    vga->dirty = false;
}
