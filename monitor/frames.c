/*
 * frames.c: a bitmap over the 4 GiB physical space, one bit per 4 KiB frame (set = in use).
 *
 * Everything starts in use; the available ranges of the memory map are then freed, and the
 * ranges the machine already uses (the first megabyte with its BIOS data and video memory, the
 * monitor image, the guest modules) are taken back. A second bitmap remembers which frames were
 * ever available, so a double free or a free of a non-RAM frame is caught.
 */
#include "monitor/frames.h"
#include "arch/x86/layout.h"
#include "monitor/bootinfo.h"
#include "monitor/panic.h"

#include <string.h>

#define FRAME_COUNT (1u << 20)
#define WORDS       (FRAME_COUNT / 32)

static uint32_t used[WORDS];
static uint32_t usable[WORDS];
static uint32_t free_count;
static uint32_t next_hint;

extern char _image_phys_end[];

static void mark(uint32_t *map, uint32_t frame, int on)
{
    if (on)
        map[frame / 32] |= 1u << (frame % 32);
    else
        map[frame / 32] &= ~(1u << (frame % 32));
}

static int test(const uint32_t *map, uint32_t frame)
{
    return (map[frame / 32] >> (frame % 32)) & 1;
}

/* Marks the frames fully inside [start, end) free, or those touching it used. */
static void set_range(uint64_t start, uint64_t end, int make_free)
{
    if (start >= end)
        return;
    if (end > 0x100000000ull)
        end = 0x100000000ull;
    uint64_t first = make_free ? (start + PAGE_SIZE - 1) >> PAGE_SHIFT : start >> PAGE_SHIFT;
    uint64_t last = make_free ? end >> PAGE_SHIFT : (end + PAGE_SIZE - 1) >> PAGE_SHIFT;
    for (uint64_t f = first; f < last && f < FRAME_COUNT; f++) {
        if (make_free && test(used, (uint32_t)f)) {
            mark(used, (uint32_t)f, 0);
            mark(usable, (uint32_t)f, 1);
            free_count++;
        } else if (!make_free && !test(used, (uint32_t)f)) {
            mark(used, (uint32_t)f, 1);
            mark(usable, (uint32_t)f, 0);
            free_count--;
        }
    }
}

void frames_init(const struct boot_info *bi)
{
    memset(used, 0xFF, sizeof(used));
    memset(usable, 0, sizeof(usable));
    free_count = 0;
    for (unsigned i = 0; i < bi->mmap_count; i++)
        if (bi->mmap[i].type == MMAP_AVAILABLE)
            set_range(bi->mmap[i].addr, bi->mmap[i].addr + bi->mmap[i].len, 1);
    /* Overlapping map entries of other types win over available ones. */
    for (unsigned i = 0; i < bi->mmap_count; i++)
        if (bi->mmap[i].type != MMAP_AVAILABLE)
            set_range(bi->mmap[i].addr, bi->mmap[i].addr + bi->mmap[i].len, 0);
    set_range(0, 0x100000, 0);
    set_range(LOAD_PHYS, (uint32_t)_image_phys_end, 0);
    for (unsigned i = 0; i < bi->module_count; i++)
        set_range(bi->modules[i].start, bi->modules[i].end, 0);
    next_hint = 0;
}

uint32_t frame_alloc(void)
{
    for (uint32_t n = 0; n < WORDS; n++) {
        uint32_t w = (next_hint + n) % WORDS;
        if (used[w] == 0xFFFFFFFFu)
            continue;
        uint32_t bit = (uint32_t)__builtin_ctz(~used[w]);
        uint32_t frame = w * 32 + bit;
        mark(used, frame, 1);
        free_count--;
        next_hint = w;
        return frame << PAGE_SHIFT;
    }
    return FRAME_NONE;
}

uint32_t frames_alloc_contiguous(uint32_t count)
{
    uint32_t run = 0;
    for (uint32_t f = 0; f < FRAME_COUNT && count; f++) {
        run = test(used, f) ? 0 : run + 1;
        if (run < count)
            continue;
        uint32_t first = f + 1 - count;
        for (uint32_t g = first; g <= f; g++)
            mark(used, g, 1);
        free_count -= count;
        return first << PAGE_SHIFT;
    }
    return FRAME_NONE;
}

void frame_free(uint32_t phys)
{
    uint32_t frame = phys >> PAGE_SHIFT;
    if ((phys & (PAGE_SIZE - 1)) || !test(usable, frame) || !test(used, frame))
        panic("frame_free: bad or double free of frame %#lx", (unsigned long)phys);
    mark(used, frame, 0);
    free_count++;
}

uint32_t frames_free_count(void)
{
    return free_count;
}

int frame_is_usable(uint32_t phys)
{
    return test(usable, phys >> PAGE_SHIFT);
}
