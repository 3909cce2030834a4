/* devices/pic.h: the 8259A programmable interrupt controller pair of a PC (master at 0x20,
 * slave at 0xa0 cascaded on the master's IR2) with the ELCR at 0x4d0/0x4d1; it is the bus's irq
 * chip. */
#ifndef NEXUS86_DEVICES_PIC_H
#define NEXUS86_DEVICES_PIC_H

#include "devices/bus.h"

struct pic_chip {
    uint8_t irr, isr, imr;
    uint8_t lines;       /* current level of each IR input */
    uint8_t elcr;        /* level-triggered inputs (ELCR) */
    uint8_t elcr_mask;   /* ELCR bits that exist */
    uint8_t vector_base; /* ICW2 */
    uint8_t icw3;        /* slave mask (master) or slave id (slave) */
    uint8_t lowest;      /* the IR level with the lowest priority (rotation) */
    uint8_t init_step;   /* 0 ready; 2, 3, 4 waiting for that ICW */
    bool need_icw4, single, ltim;
    bool auto_eoi, rotate_on_aeoi, sfnm;
    bool special_mask, read_isr, poll;
};

struct pic {
    struct bus *bus;
    struct pic_chip chip[2]; /* master, slave */
};

/* Register the ports and attach as the bus's irq chip; 0 or -1 (a port was taken). */
int pic_init(struct pic *pic, struct bus *bus);

/* The CPU's side (also reached through the bus's irq chip). */
bool pic_pending(struct pic *pic);
uint8_t pic_ack(struct pic *pic);

#endif
