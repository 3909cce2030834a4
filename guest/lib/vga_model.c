/* The reference model of the VGA's planar memory path; the rules are in guest/lib/vga_model.h.
 */
#include "guest/lib/vga_model.h"
#include "guest/lib/print.h"
#include "guest/lib/test.h"
#include "guest/lib/vga.h"

static uint8_t planes[4][0x10000];
static uint8_t latch[4];
static uint8_t map_mask, gc[9];

void vm_start(uint8_t mm, const uint8_t regs[9])
{
    map_mask = mm;
    for (int i = 0; i < 9; i++)
        gc[i] = regs[i];
}

void vm_seq_map_mask(uint8_t v)
{
    vga_seq(SEQ_MAP_MASK, v);
    map_mask = v & 0x0f;
}

void vm_gc(uint8_t index, uint8_t v)
{
    vga_gc(index, v);
    gc[index] = v;
}

void vm_modes(unsigned write_mode, unsigned read_mode)
{
    vm_gc(GC_MODE, (uint8_t)((gc[GC_MODE] & 0xf4) | (read_mode << 3) | write_mode));
}

static uint8_t ror(uint8_t v, unsigned n)
{
    return (uint8_t)(v >> n | v << (8 - n));
}

static uint8_t spread(uint8_t bits, unsigned plane)
{
    return (bits >> plane) & 1 ? 0xff : 0x00;
}

void vm_write(uint32_t offset, uint8_t v)
{
    VGA_MEM[offset] = v;
    unsigned mode = gc[GC_MODE] & 3, func = (gc[GC_ROTATE] >> 3) & 3;
    uint8_t rotated = ror(v, gc[GC_ROTATE] & 7);
    uint8_t mask = mode == 3 ? gc[GC_BIT_MASK] & rotated : gc[GC_BIT_MASK];
    for (unsigned p = 0; p < 4; p++) {
        uint8_t d;
        switch (mode) {
        case 0: d = (gc[GC_ENABLE_SR] >> p) & 1 ? spread(gc[GC_SET_RESET], p) : rotated; break;
        case 1: d = latch[p]; break;
        case 2: d = spread(v, p); break;
        default: d = spread(gc[GC_SET_RESET], p); break;
        }
        if (mode != 1) {
            switch (func) {
            case 1: d &= latch[p]; break;
            case 2: d |= latch[p]; break;
            case 3: d ^= latch[p]; break;
            default: break;
            }
            d = (uint8_t)((d & mask) | (latch[p] & ~mask));
        }
        if ((map_mask >> p) & 1)
            planes[p][offset] = d;
    }
}

uint8_t vm_read(uint32_t offset, uint8_t *expect)
{
    uint8_t got = VGA_MEM[offset];
    for (unsigned p = 0; p < 4; p++)
        latch[p] = planes[p][offset];
    if (gc[GC_MODE] & 0x08) {
        uint8_t differ = 0;
        for (unsigned p = 0; p < 4; p++)
            differ |= (latch[p] ^ spread(gc[GC_COLOR_CMP], p)) & spread(gc[GC_DONT_CARE], p);
        *expect = (uint8_t)~differ;
    } else {
        *expect = latch[gc[GC_READ_MAP] & 3];
    }
    return got;
}

uint8_t vm_plane(unsigned plane, uint32_t offset)
{
    return planes[plane][offset];
}

static uint32_t fnv(uint32_t h, uint8_t b)
{
    return (h ^ b) * 16777619u;
}

#define FNV_START 2166136261u

void vm_verify_planes(const char *what, uint32_t start, uint32_t len)
{
    uint8_t saved_map = gc[GC_READ_MAP], saved_mode = gc[GC_MODE];
    vm_modes(saved_mode & 3, 0);
    uint32_t got[4], want[4];
    bool same = true;
    for (unsigned p = 0; p < 4; p++) {
        vm_gc(GC_READ_MAP, (uint8_t)p);
        got[p] = want[p] = FNV_START;
        for (uint32_t o = start; o < start + len; o++) {
            uint8_t e, g = vm_read(o, &e);
            got[p] = fnv(got[p], g);
            want[p] = fnv(want[p], e);
        }
        same &= got[p] == want[p];
    }
    check(same, "%s: planes %08lx %08lx %08lx %08lx", what, (unsigned long)got[0],
          (unsigned long)got[1], (unsigned long)got[2], (unsigned long)got[3]);
    if (!same)
        gprintf("     the rules say %08lx %08lx %08lx %08lx\n", (unsigned long)want[0],
                (unsigned long)want[1], (unsigned long)want[2], (unsigned long)want[3]);
    vm_gc(GC_READ_MAP, saved_map);
    vm_gc(GC_MODE, saved_mode);
}

void vm_verify_compare(const char *what, uint32_t start, uint32_t len, uint8_t compare,
                       uint8_t dont_care)
{
    uint8_t saved_mode = gc[GC_MODE];
    vm_gc(GC_COLOR_CMP, compare);
    vm_gc(GC_DONT_CARE, dont_care);
    vm_modes(saved_mode & 3, 1);
    uint32_t got = FNV_START, want = FNV_START;
    unsigned ones = 0;
    for (uint32_t o = start; o < start + len; o++) {
        uint8_t e, g = vm_read(o, &e);
        got = fnv(got, g);
        want = fnv(want, e);
        ones += (unsigned)__builtin_popcount(g);
    }
    check(got == want, "%s: read mode 1, compare %#x don't care %#x: %u matching pixels, sum %08lx",
          what, compare, dont_care, ones, (unsigned long)got);
    if (got != want)
        gprintf("     the rules say sum %08lx\n", (unsigned long)want);
    vm_gc(GC_MODE, saved_mode);
}
