/*
 * nexus.c: installs the nexus and moves it. The nexus code segment and data segment share one
 * base so nexus code addresses its data pages at a fixed offset. That base is the window: a
 * second, user-accessible mapping of the nexus pages in one of NEXUS_WINDOWS slots of the monitor
 * region, while the monitor keeps using the pages where the linker put them (supervisor-only).
 * Everything that enters the nexus names its selector and an offset, never an address, so moving
 * the window (map the new one, change the base, unmap the old one) changes nothing in the guest,
 * its sites or the scanner.
 */
#include "monitor/nexus.h"
#include "arch/x86/desc.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "arch/x86/trap.h"
#include "monitor/panic.h"

#include <stddef.h>
#include <string.h>

extern char nexus_code_start[], nexus_stub_start[], nexus_data_start[], _nexus_end[];
extern char _image_end[];

/* The offsets scan/nexus_entry.asm uses (its D_* and S_* constants). */
_Static_assert(offsetof(struct nexus_page, active) == 16, "nexus D_ACTIVE");
_Static_assert(offsetof(struct nexus_page, vflags) == 28, "nexus D_VFLAGS");
_Static_assert(offsetof(struct nexus_page, defer_kind) == 40, "nexus D_DEFER_KIND");
_Static_assert(offsetof(struct nexus_page, in_handler) == 56, "nexus D_IN");
_Static_assert(offsetof(struct nexus_page, cpuid_count) == 76, "nexus D_CPUID_COUNT");
_Static_assert(offsetof(struct nexus_page, regs) == 80, "nexus D_REGS");
_Static_assert(offsetof(struct nexus_page, vals) == 112, "nexus D_VALS");
_Static_assert(offsetof(struct nexus_page, sreg_real) == 148, "nexus D_SREG_REAL");
_Static_assert(offsetof(struct nexus_page, cpuid) == 172, "nexus D_CPUID");
_Static_assert(offsetof(struct nexus_page, sites) == NEXUS_SITES_OFFSET, "nexus D_SITES");
_Static_assert(sizeof(struct nexus_site) == 16 && offsetof(struct nexus_site, hits) == 8,
               "nexus struct nexus_site");
_Static_assert(sizeof(struct nexus_page) <= NEXUS_DATA_PAGES * 4096, "nexus data pages");
_Static_assert(sizeof(struct nexus_header) == 20 && sizeof(struct nexus_template) == 24,
               "nexus header and template rows (scan/nexus_entry.asm)");

static uint32_t int3_entry;
static unsigned window_slot; /* the slot the window is in */

/* Slot i of the window, stacked down from the temporary mapping slots. */
static uint32_t window_base(unsigned slot)
{
    return TMP_BASE - (slot + 1) * (uint32_t)(_nexus_end - nexus_code_start);
}

volatile struct nexus_page *nexus_page(void)
{
    return (volatile struct nexus_page *)nexus_data_start;
}

const struct nexus_header *nexus_header(void)
{
    return (const struct nexus_header *)nexus_code_start;
}

uint8_t *nexus_code_ptr(uint32_t offset)
{
    if (offset >= NEXUS_DATA_OFFSET)
        panic("nexus code offset %lx out of range", (unsigned long)offset);
    return (uint8_t *)nexus_code_start + offset;
}

uint32_t nexus_int3_entry(void)
{
    return int3_entry;
}

void nexus_init(void)
{
    const struct nexus_header *h = (const struct nexus_header *)nexus_code_start;
    uint32_t code_bytes = (uint32_t)(nexus_stub_start - nexus_code_start);
    if (h->magic != NEXUS_MAGIC || h->int3_entry >= h->code_size || h->code_size > code_bytes ||
        code_bytes != NEXUS_STUB_OFFSET ||
        (uint32_t)(nexus_data_start - nexus_code_start) != NEXUS_DATA_OFFSET ||
        (uint32_t)(_nexus_end - nexus_data_start) != NEXUS_DATA_PAGES * 4096)
        panic("nexus image is malformed");
    /* The slots lie between the image and the temporary slots, where nothing else is mapped. */
    if (window_base(NEXUS_WINDOWS - 1) < (uint32_t)_image_end)
        panic("the nexus windows overlap the monitor image");
    int3_entry = h->int3_entry;
    paging_map_nexus_window(nexus_window());
    /* The code segment covers the code page and the stubs, the data segment everything. */
    gdt_set_nexus(nexus_window(), NEXUS_DATA_OFFSET - 1,
                  (uint32_t)(_nexus_end - nexus_code_start) - 1);
    idt_set_gate(TRAP_BP, SEL_NEXUS_CS, h->int3_entry, GATE_TRAP32 | DESC_DPL(3));
    nexus_data_reset();
}

uint32_t nexus_window(void)
{
    return window_base(window_slot);
}

uint32_t nexus_move(void)
{
    uint32_t from = nexus_window();
    window_slot = (window_slot + 1) % NEXUS_WINDOWS;
    paging_map_nexus_window(nexus_window());
    gdt_set_nexus_base(nexus_window());
    paging_unmap_nexus_window(from);
    return nexus_window();
}

struct nexus_data nexus_data_snapshot(void)
{
    struct nexus_data copy;
    memcpy(&copy, (const void *)&nexus_page()->probe, sizeof(copy));
    return copy;
}

void nexus_data_reset(void)
{
    memset((void *)nexus_page(), 0, sizeof(struct nexus_page));
}
