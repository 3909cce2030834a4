/*
 * display_sync.c: mirrors an emulated VGA onto a real one (display_sync.h).
 *
 * Order: the timing registers (misc output and clocking mode, inside a sequencer synchronous
 * reset, as FreeVGA prescribes for clock changes), the CRTC (unlocked through register 0x11
 * first), the memory, then the addressing and graphics registers, the attribute controller and
 * the DAC. The shadow always holds what the card holds, so each register write is skipped when
 * the card already has the value.
 *
 * Memory goes through the CPU addressing the guest itself uses where that can reach the bytes:
 * chain-4 address 4o + p for plane p offset o, odd/even address 2o + p for planes 0 and 1;
 * everything else (planes 2 and 3 in odd/even, where fonts live, planar modes, offsets the mode
 * cannot reach) through planar addressing, one plane at a time. The emulated planes use the
 * compressed layout (docs/vga.md, "Memory model"); writing through the guest's own addressing
 * lets a real card place the bytes where its own CRTC scans them, whatever its layout.
 *
 * While memory is written the card uses write mode 0 with no rotation, function, set/reset or
 * bit mask, memory map 1 (0xA0000-0xAFFFF), and the map mask and memory mode the pass needs.
 * None of those change the picture: the text/graphics bit of graphics register 6 and the shift
 * bits of register 5 keep the guest's values, and the sequencer clock, CRTC, attribute
 * controller and DAC are not touched, so a sync never makes the screen flicker.
 */
#include "monitor/display_sync.h"

#include <string.h>

struct sync {
    struct display_shadow *sh;
    const struct vga *vga;
    const struct display_card *card;
    struct display_sync_stats stats;
    bool force; /* the shadow was not valid: write everything */
    uint16_t crtc_port;
};

static void out(struct sync *s, uint16_t port, uint8_t value)
{
    s->card->outb(s->card->ctx, port, value);
    s->stats.port_writes++;
}

static void seq_set(struct sync *s, uint8_t index, uint8_t value)
{
    if (!s->force && s->sh->seq[index] == value)
        return;
    out(s, 0x3c4, index);
    out(s, 0x3c5, value);
    s->sh->seq[index] = value;
}

static void gc_set(struct sync *s, uint8_t index, uint8_t value)
{
    if (!s->force && s->sh->gc[index] == value)
        return;
    out(s, 0x3ce, index);
    out(s, 0x3cf, value);
    s->sh->gc[index] = value;
}

static void crtc_out(struct sync *s, uint8_t index, uint8_t value)
{
    out(s, s->crtc_port, index);
    out(s, s->crtc_port + 1, value);
    s->sh->crtc[index] = value;
}

static void sync_timing(struct sync *s)
{
    const struct vga *vga = s->vga;
    struct display_shadow *sh = s->sh;
    if (s->force || sh->misc != vga->misc || sh->seq[VGA_SEQ_CLOCK] != vga->seq[VGA_SEQ_CLOCK]) {
        out(s, 0x3c4, 0x00);
        out(s, 0x3c5, 0x01); /* synchronous reset */
        out(s, 0x3c2, vga->misc);
        out(s, 0x3c4, VGA_SEQ_CLOCK);
        out(s, 0x3c5, vga->seq[VGA_SEQ_CLOCK]);
        out(s, 0x3c4, 0x00);
        out(s, 0x3c5, 0x03);
        sh->misc = vga->misc;
        sh->seq[VGA_SEQ_CLOCK] = vga->seq[VGA_SEQ_CLOCK];
        sh->seq[0] = 0x03;
    }
    s->crtc_port = (vga->misc & 1) ? 0x3d4 : 0x3b4;
}

static void sync_crtc(struct sync *s)
{
    const uint8_t *want = s->vga->crtc;
    if (!s->force && memcmp(s->sh->crtc, want, VGA_CRTC_REGS) == 0)
        return;
    /* Unlock CRTC 0-7 first: the card may hold the protect bit from an earlier mode. */
    crtc_out(s, VGA_CRTC_VSYNC_END, want[VGA_CRTC_VSYNC_END] & 0x7f);
    for (uint8_t i = 0; i < VGA_CRTC_REGS; i++)
        if (i != VGA_CRTC_VSYNC_END && (s->force || s->sh->crtc[i] != want[i]))
            crtc_out(s, i, want[i]);
    crtc_out(s, VGA_CRTC_VSYNC_END, want[VGA_CRTC_VSYNC_END]);
}

static bool differs(const struct sync *s, unsigned plane, uint32_t offset)
{
    return s->sh->plane[plane][offset] != s->vga->plane[plane][offset];
}

static void mem_out(struct sync *s, unsigned plane, uint32_t offset, uint32_t cpu_address)
{
    uint8_t v = s->vga->plane[plane][offset];
    s->card->mem_write(s->card->ctx, cpu_address, v);
    s->sh->plane[plane][offset] = v;
    s->stats.mem_writes++;
}

/* The write path that stores the CPU byte unchanged, with the display bits of graphics 5 and
 * 6 as the guest has them. memmode: sequencer 4; oddeven: graphics 5 bit 4 and 6 bit 1. */
static void write_path(struct sync *s, uint8_t memmode, bool oddeven)
{
    const uint8_t *gc = s->vga->gc;
    seq_set(s, VGA_SEQ_MEMMODE, memmode);
    gc_set(s, VGA_GC_ENABLE_SR, 0x00);
    gc_set(s, VGA_GC_ROTATE, 0x00);
    gc_set(s, VGA_GC_BIT_MASK, 0xff);
    gc_set(s, VGA_GC_MODE, (uint8_t)((gc[VGA_GC_MODE] & 0x60) | (oddeven ? 0x10 : 0)));
    gc_set(s, VGA_GC_MISC,
           (uint8_t)((gc[VGA_GC_MISC] & 0x01) | (oddeven ? gc[VGA_GC_MISC] & 0x02 : 0) | 0x04));
}

static void copy_chain4(struct sync *s)
{
    write_path(s, 0x0e, false);
    seq_set(s, VGA_SEQ_MAP_MASK, 0x0f);
    for (uint32_t o = 0; o < VGA_PLANE_SIZE / 4; o++)
        for (unsigned p = 0; p < 4; p++)
            if (differs(s, p, o))
                mem_out(s, p, o, 4 * o + p);
}

static void copy_odd_even(struct sync *s)
{
    write_path(s, 0x02, true);
    seq_set(s, VGA_SEQ_MAP_MASK, 0x03);
    gc_set(s, VGA_GC_READ_MAP, 0x00); /* QEMU picks the odd/even plane pair from it */
    for (uint32_t o = 0; o < VGA_PLANE_SIZE / 2; o++)
        for (unsigned p = 0; p < 2; p++)
            if (differs(s, p, o))
                mem_out(s, p, o, 2 * o + p);
}

static bool plane_differs(const struct sync *s, unsigned p)
{
    return memcmp(s->sh->plane[p], s->vga->plane[p], VGA_PLANE_SIZE) != 0;
}

static void copy_planar(struct sync *s)
{
    for (unsigned p = 0; p < 4; p++) {
        if (!plane_differs(s, p))
            continue;
        write_path(s, 0x06, false);
        seq_set(s, VGA_SEQ_MAP_MASK, (uint8_t)(1u << p));
        for (uint32_t o = 0; o < VGA_PLANE_SIZE; o++)
            if (differs(s, p, o))
                mem_out(s, p, o, o);
    }
}

static void sync_memory(struct sync *s)
{
    bool any = false;
    for (unsigned p = 0; p < 4; p++)
        any |= plane_differs(s, p);
    if (!any)
        return;
    uint8_t memmode = s->vga->seq[VGA_SEQ_MEMMODE];
    if (memmode & 0x08)
        copy_chain4(s);
    else if (!(memmode & 0x04))
        copy_odd_even(s);
    /* Every byte the passes above wrote now matches, so only the rest goes planar. */
    copy_planar(s);
}

static void sync_sequencer_graphics(struct sync *s)
{
    for (uint8_t i = VGA_SEQ_MAP_MASK; i < VGA_SEQ_REGS; i++)
        seq_set(s, i, s->vga->seq[i]);
    for (uint8_t i = 0; i < VGA_GC_REGS; i++)
        gc_set(s, i, s->vga->gc[i]);
}

/* Palette registers go in with the palette address source clear (some cards ignore them
 * otherwise), which blanks a real screen until the final index write restores the guest's bit:
 * this happens only when the guest changed its palette. */
static void sync_attributes(struct sync *s)
{
    struct display_shadow *sh = s->sh;
    uint8_t pas = s->vga->ac_index & VGA_AC_INDEX_PAS;
    bool any = false, palette = false;
    for (uint8_t i = 0; i < VGA_AC_REGS; i++) {
        if (!s->force && sh->ac[i] == s->vga->ac[i])
            continue;
        if (!any)
            s->card->inb(s->card->ctx, s->crtc_port + 6); /* flip-flop to index */
        any = true;
        palette |= i < 16;
        out(s, 0x3c0, i < 16 ? i : (uint8_t)(i | pas));
        out(s, 0x3c0, s->vga->ac[i]);
        sh->ac[i] = s->vga->ac[i];
    }
    if (palette || s->force || sh->pas != pas) {
        if (!any)
            s->card->inb(s->card->ctx, s->crtc_port + 6);
        out(s, 0x3c0, pas);
        sh->pas = pas;
    }
}

static void sync_dac(struct sync *s)
{
    struct display_shadow *sh = s->sh;
    int next = -1;
    for (int i = 0; i < 256; i++) {
        if (!s->force && memcmp(sh->dac[i], s->vga->dac[i], 3) == 0)
            continue;
        if (next != i)
            out(s, 0x3c8, (uint8_t)i);
        for (int c = 0; c < 3; c++)
            out(s, 0x3c9, s->vga->dac[i][c]);
        memcpy(sh->dac[i], s->vga->dac[i], 3);
        next = i + 1;
    }
    if (s->force || sh->pel_mask != s->vga->pel_mask) {
        out(s, 0x3c6, s->vga->pel_mask);
        sh->pel_mask = s->vga->pel_mask;
    }
}

struct display_sync_stats display_sync(struct display_shadow *shadow, const struct vga *vga,
                                       const struct display_card *card)
{
    struct sync s = {.sh = shadow, .vga = vga, .card = card, .force = !shadow->valid};
    if (s.force) {
        /* Unknown card memory: make every shadow byte differ so that all of it is written. */
        for (unsigned p = 0; p < 4; p++)
            for (uint32_t o = 0; o < VGA_PLANE_SIZE; o++)
                shadow->plane[p][o] = (uint8_t)~vga->plane[p][o];
    }
    sync_timing(&s);
    sync_crtc(&s);
    sync_memory(&s);
    sync_sequencer_graphics(&s);
    sync_attributes(&s);
    sync_dac(&s);
    shadow->valid = true;
    return s.stats;
}
