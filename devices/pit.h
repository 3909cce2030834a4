/* devices/pit.h: the 8254 programmable interval timer (ports 0x40-0x43; counter 0 drives IRQ0)
 * and system control port B (0x61: counter 2 gate, speaker, refresh toggle, counter 2 output).
 * Counts are derived from the monitor's clock at 1.193182 MHz. */
#ifndef NEXUS86_DEVICES_PIT_H
#define NEXUS86_DEVICES_PIT_H

#include "devices/bus.h"

#define PIT_HZ 1193182u

struct pit_counter {
    uint8_t mode;   /* 0-5 */
    uint8_t access; /* 1 lsb, 2 msb, 3 lsb then msb */
    bool bcd;
    uint32_t reload; /* the count in binary: 1-65536, or 1-10000 in BCD */
    bool loaded;     /* a full count was written since the control word */
    bool counting;   /* started (modes 1 and 5: triggered by the gate) */
    bool paused;     /* modes 0 and 4 with the gate low */
    bool gate;
    uint64_t start;    /* PIT cycle at which the count began */
    uint64_t paused_d; /* cycles counted when paused */
    uint64_t seen;     /* PIT cycle up to which output edges were reported */
    bool write_msb_next, read_msb_next;
    uint8_t write_lsb;
    uint16_t latch;
    uint8_t latch_bytes; /* latched count bytes still to read */
    bool latch_msb_next;
    bool status_latched;
    uint8_t status;
    bool null_count;
};

struct pit {
    struct bus *bus;
    struct pit_counter counter[3];
    uint8_t port61; /* bits 0-3 as written */
};

/* Register ports 0x40-0x43 and 0x61 and the tick; 0 or -1. */
int pit_init(struct pit *pit, struct bus *bus);

/* Output level of a counter now (counter 2's is also port 0x61 bit 5). */
bool pit_output(struct pit *pit, unsigned counter);

#endif
