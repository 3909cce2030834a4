/*
 * display_test.c: host unit tests of monitor/display_sync.c (build/host/display-test [SEED]).
 *
 * The "real card" is a second emulated VGA (devices/vga*.c) driven only through the ports and
 * memory writes display_sync makes. After a sync the card must hold what the guest's VGA holds:
 * the same registers (the sequencer reset register aside: the card always runs), the same
 * planes, DAC and palette address source bit, hence the same picture from vga_render. Syncs
 * must write only what changed, and a sync that only copies memory must never change anything
 * that shapes the picture on the way (no flicker). The random test takes a seed from the
 * command line so that a failure replays.
 */
#include "monitor/display_sync.h"
#include "tests/host/vga_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned seed = 1;

struct fake_card {
    struct vga vga;
    bool watch;      /* check every port write against `look` */
    bool flickered;  /* a watched write changed the picture's registers */
    struct vga look; /* the registers the picture depended on when watching started */
};

/* What shapes the picture besides memory: everything but the addressing registers. */
static bool same_look(const struct vga *a, const struct vga *b)
{
    return a->misc == b->misc && a->seq[VGA_SEQ_CLOCK] == b->seq[VGA_SEQ_CLOCK] &&
           a->seq[VGA_SEQ_CHARMAP] == b->seq[VGA_SEQ_CHARMAP] &&
           memcmp(a->crtc, b->crtc, sizeof a->crtc) == 0 &&
           (a->gc[VGA_GC_MODE] & 0x60) == (b->gc[VGA_GC_MODE] & 0x60) &&
           (a->gc[VGA_GC_MISC] & 0x01) == (b->gc[VGA_GC_MISC] & 0x01) &&
           memcmp(a->ac, b->ac, sizeof a->ac) == 0 &&
           (a->ac_index & VGA_AC_INDEX_PAS) == (b->ac_index & VGA_AC_INDEX_PAS) &&
           memcmp(a->dac, b->dac, sizeof a->dac) == 0 && a->pel_mask == b->pel_mask;
}

static void card_outb(void *ctx, uint16_t port, uint8_t value)
{
    struct fake_card *c = ctx;
    vga_port_write(&c->vga, port, value);
    if (c->watch && !same_look(&c->vga, &c->look))
        c->flickered = true;
}

static uint8_t card_inb(void *ctx, uint16_t port)
{
    return vga_port_read(&((struct fake_card *)ctx)->vga, port);
}

static void card_mem_write(void *ctx, uint32_t offset, uint8_t value)
{
    assert_true(offset < 0x10000);
    vga_mem_write(&((struct fake_card *)ctx)->vga, offset, value);
}

struct rig {
    struct vga guest;
    struct fake_card card;
    struct display_shadow shadow;
    struct display_card ops;
};

static struct rig *rig_new(void)
{
    struct rig *r = calloc(1, sizeof *r);
    assert_non_null(r);
    vga_init(&r->guest);
    vga_init(&r->card.vga);
    r->ops = (struct display_card){card_outb, card_inb, card_mem_write, &r->card};
    return r;
}

static struct display_sync_stats sync_watched(struct rig *r, bool watch)
{
    r->card.look = r->card.vga;
    r->card.watch = watch;
    r->card.flickered = false;
    struct display_sync_stats st = display_sync(&r->shadow, &r->guest, &r->ops);
    r->card.watch = false;
    return st;
}

static void assert_mirrors(struct rig *r)
{
    const struct vga *g = &r->guest, *c = &r->card.vga;
    assert_int_equal(c->misc, g->misc);
    assert_memory_equal(c->seq + 1, g->seq + 1, VGA_SEQ_REGS - 1);
    assert_memory_equal(c->crtc, g->crtc, VGA_CRTC_REGS);
    assert_memory_equal(c->gc, g->gc, VGA_GC_REGS);
    assert_memory_equal(c->ac, g->ac, VGA_AC_REGS);
    assert_int_equal(c->ac_index & VGA_AC_INDEX_PAS, g->ac_index & VGA_AC_INDEX_PAS);
    assert_memory_equal(c->dac, g->dac, sizeof g->dac);
    assert_int_equal(c->pel_mask, g->pel_mask);
    for (unsigned p = 0; p < 4; p++)
        assert_memory_equal(c->plane[p], g->plane[p], VGA_PLANE_SIZE);

    static uint32_t a[800 * 600], b[800 * 600];
    struct vga_surface sa = {a, 800, 800, 600}, sb = {b, 800, 800, 600};
    unsigned wa, ha, wb, hb;
    vga_render(&r->guest, &sa, 0, &wa, &ha);
    vga_render(&r->card.vga, &sb, 0, &wb, &hb);
    assert_int_equal(wa, wb);
    assert_int_equal(ha, hb);
    assert_memory_equal(a, b, sizeof a);
}

/* The card as something else left it: another mode, random memory. */
static void card_dirty(struct rig *r, const struct vga_mode *m)
{
    vga_set_mode(&r->card.vga, m);
    for (unsigned p = 0; p < 4; p++)
        for (uint32_t o = 0; o < VGA_PLANE_SIZE; o++)
            r->card.vga.plane[p][o] = (uint8_t)rand();
}

static void text_screen(struct vga *v)
{
    static uint8_t font[256 * 16];
    for (unsigned i = 0; i < sizeof font; i++)
        font[i] = (uint8_t)(i * 37 + (i >> 4));
    vga_reset_text_mode(v, font);
    const char *s = "nexus86 display";
    for (unsigned i = 0; s[i]; i++) {
        vga_mem_write(v, 0x18000 + 2 * i, (uint8_t)s[i]);
        vga_mem_write(v, 0x18000 + 2 * i + 1, (uint8_t)(0x1e + i));
    }
}

/* 16-colour bars through write mode 2. */
static void planar_bars(struct vga *v, unsigned bytes)
{
    vga_set_gc(v, VGA_GC_MODE, 0x02);
    for (uint32_t o = 0; o < bytes; o++)
        vga_mem_write(v, o, (uint8_t)(o / 5));
    vga_set_gc(v, VGA_GC_MODE, 0x00);
}

static void first_sync_text(void **state)
{
    struct rig *r = rig_new();
    card_dirty(r, &vga_mode_13h);
    text_screen(&r->guest);
    struct display_sync_stats st = sync_watched(r, false);
    assert_int_equal(st.mem_writes, 4 * VGA_PLANE_SIZE);
    assert_mirrors(r);
    free(r);
}

static void first_sync_12h(void **state)
{
    struct rig *r = rig_new();
    card_dirty(r, &vga_mode_03h);
    vga_set_mode(&r->guest, &vga_mode_12h);
    planar_bars(&r->guest, 640 / 8 * 480);
    sync_watched(r, false);
    assert_mirrors(r);
    free(r);
}

static void first_sync_13h(void **state)
{
    struct rig *r = rig_new();
    card_dirty(r, &vga_mode_12h);
    vga_set_mode(&r->guest, &vga_mode_13h);
    for (uint32_t a = 0; a < 320 * 200; a++)
        vga_mem_write(&r->guest, a, (uint8_t)(a * 7 / 320));
    vga_set_dac(&r->guest, 77, 10, 20, 30);
    sync_watched(r, false);
    assert_mirrors(r);
    free(r);
}

/* Nothing changed: not one access. One text cell: two bytes, and nothing that shapes the
 * picture changes while they are copied. */
static void incremental(void **state)
{
    struct rig *r = rig_new();
    text_screen(&r->guest);
    sync_watched(r, false);
    struct display_sync_stats st = sync_watched(r, true);
    assert_int_equal(st.port_writes, 0);
    assert_int_equal(st.mem_writes, 0);

    vga_mem_write(&r->guest, 0x18000 + 160, 'X');
    vga_mem_write(&r->guest, 0x18000 + 161, 0x4f);
    st = sync_watched(r, true);
    assert_int_equal(st.mem_writes, 2);
    assert_false(r->card.flickered);
    assert_mirrors(r);

    /* A font glyph (plane 2, beyond odd/even reach) goes planar; still no flicker. */
    r->guest.plane[2][0x7fff] ^= 0xff;
    st = sync_watched(r, true);
    assert_int_equal(st.mem_writes, 1);
    assert_false(r->card.flickered);
    assert_mirrors(r);
    free(r);
}

/* Register changes reach the card without memory traffic. */
static void registers_only(void **state)
{
    struct rig *r = rig_new();
    vga_set_mode(&r->guest, &vga_mode_12h);
    planar_bars(&r->guest, 800);
    sync_watched(r, false);

    vga_set_dac(&r->guest, 3, 63, 0, 0);
    vga_set_ac(&r->guest, 2, 0x3f);
    vga_set_crtc(&r->guest, VGA_CRTC_START_LO, 0x50);
    struct display_sync_stats st = sync_watched(r, false);
    assert_int_equal(st.mem_writes, 0);
    assert_mirrors(r);

    /* The guest blanks the screen through the palette address source bit. */
    vga_port_read(&r->guest, 0x3da);
    vga_port_write(&r->guest, 0x3c0, 0x00);
    sync_watched(r, false);
    assert_int_equal(r->card.vga.ac_index & VGA_AC_INDEX_PAS, 0);
    assert_mirrors(r);
    free(r);
}

/* Mode changes between modes whose CRTC 0-7 are protected: the card follows. */
static void protected_crtc(void **state)
{
    struct rig *r = rig_new();
    vga_set_mode(&r->guest, &vga_mode_0dh);
    sync_watched(r, false);
    assert_true(r->card.vga.crtc[VGA_CRTC_VSYNC_END] & 0x80);
    vga_set_mode(&r->guest, &vga_mode_12h);
    planar_bars(&r->guest, 400);
    sync_watched(r, false);
    assert_mirrors(r);
    free(r);
}

/* Random guests: modes, register writes and memory writes through every write mode, each
 * round followed by a sync that must leave the card mirroring the guest. */
static void random_guests(void **state)
{
    static const struct vga_mode *const modes[] = {&vga_mode_03h, &vga_mode_0dh, &vga_mode_10h,
                                                   &vga_mode_12h, &vga_mode_13h};
    srand(seed);
    struct rig *r = rig_new();
    card_dirty(r, &vga_mode_10h);
    for (unsigned round = 0; round < 40; round++) {
        if (rand() % 4 == 0)
            vga_set_mode(&r->guest, modes[rand() % 5]);
        for (unsigned i = rand() % 6; i > 0; i--)
            vga_set_gc(&r->guest, (uint8_t)(rand() % 9), (uint8_t)rand());
        if (rand() % 3 == 0)
            vga_set_seq(&r->guest, VGA_SEQ_MAP_MASK, (uint8_t)rand());
        if (rand() % 5 == 0)
            vga_set_dac(&r->guest, (uint8_t)rand(), (uint8_t)rand(), (uint8_t)rand(),
                        (uint8_t)rand());
        if (rand() % 5 == 0)
            vga_set_ac(&r->guest, (uint8_t)(rand() % 16), (uint8_t)rand());
        bool memory_only = rand() % 2 == 0;
        if (!memory_only)
            vga_set_crtc(&r->guest, VGA_CRTC_START_LO, (uint8_t)rand());
        uint32_t base = (uint32_t)rand() % 0x20000;
        for (unsigned i = rand() % 3000; i > 0; i--) {
            uint32_t a = (base + (uint32_t)rand() % 4096) % 0x20000;
            if (rand() % 3 == 0)
                vga_mem_read(&r->guest, a);
            vga_mem_write(&r->guest, a, (uint8_t)rand());
        }
        /* Only memory (and addressing registers) changed since the last sync: no flicker. */
        bool look_same = same_look(&r->guest, &r->card.vga);
        sync_watched(r, look_same);
        if (look_same && r->card.flickered)
            fail_msg("seed %u round %u: a memory-only sync changed the picture's registers", seed,
                     round);
        assert_mirrors(r);
    }
    free(r);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        seed = (unsigned)strtoul(argv[1], NULL, 0);
    printf("display-test: seed %u\n", seed);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_sync_text), cmocka_unit_test(first_sync_12h),
        cmocka_unit_test(first_sync_13h),  cmocka_unit_test(incremental),
        cmocka_unit_test(registers_only),  cmocka_unit_test(protected_crtc),
        cmocka_unit_test(random_guests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
