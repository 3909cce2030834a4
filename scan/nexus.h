/*
 * nexus.h: the layout shared by the nexus code (scan/nexus_entry.asm, ring 3) and the monitor:
 * the header at the start of the nexus code segment and the nexus data page.
 *
 * Everything in the data page is written by ring-3 code and so is untrusted: the monitor checks
 * each value it takes from there.
 */
#ifndef SCAN_NEXUS_H
#define SCAN_NEXUS_H

#include <stdint.h>

#define NEXUS_MAGIC       0x5355584Eu /* "NXUS" */
#define NEXUS_DATA_OFFSET 0x1000u     /* data page offset within the nexus segment */

struct nexus_header {
    uint32_t magic;
    uint32_t int3_entry; /* offset of the ring-3 INT3 handler in the nexus code segment */
    uint32_t code_size;
};

struct nexus_data {
    uint32_t int3_hits; /* INT3s taken by the ring-3 handler */
    uint32_t last_cpl;  /* privilege level the handler found itself at */
    uint32_t last_eip;  /* return address of the last INT3 (the byte after it) */
    uint32_t last_cs;
};

#endif
