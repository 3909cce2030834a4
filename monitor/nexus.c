/*
 * nexus.c: installs the nexus. The nexus code segment and data segment share one base (the
 * nexus pages in the monitor region) so nexus code addresses its data page at a fixed offset;
 * moving the nexus later means changing that base and the mapping, nothing in the guest.
 */
#include "monitor/nexus.h"
#include "arch/x86/desc.h"
#include "arch/x86/trap.h"
#include "monitor/panic.h"

#include <string.h>

extern char nexus_code_start[], nexus_data_start[], _nexus_end[];

static volatile struct nexus_data *data(void)
{
    return (volatile struct nexus_data *)nexus_data_start;
}

void nexus_init(void)
{
    const struct nexus_header *h = (const struct nexus_header *)nexus_code_start;
    uint32_t code_bytes = (uint32_t)(nexus_data_start - nexus_code_start);
    if (h->magic != NEXUS_MAGIC || h->int3_entry >= h->code_size || h->code_size > code_bytes ||
        code_bytes != NEXUS_DATA_OFFSET)
        panic("nexus image is malformed");
    gdt_set_nexus((uint32_t)nexus_code_start, h->code_size - 1,
                  (uint32_t)(_nexus_end - nexus_code_start) - 1);
    idt_set_gate(TRAP_BP, SEL_NEXUS_CS, h->int3_entry, GATE_TRAP32 | DESC_DPL(3));
    nexus_data_reset();
}

struct nexus_data nexus_data_snapshot(void)
{
    struct nexus_data copy;
    memcpy(&copy, (const void *)data(), sizeof(copy));
    return copy;
}

void nexus_data_reset(void)
{
    memset((void *)data(), 0, sizeof(struct nexus_data));
}
