/* devices/pic.c: the 8259A pair. Requests latch in IRR (on a rising edge, or follow the line in
 * level mode), the priority resolver picks the best unmasked request that beats everything in
 * service, and the INTA cycle moves it to ISR and yields the vector. The slave's INT output
 * drives the master's IR2. */
#include "devices/pic.h"

enum { MASTER, SLAVE };

#define CASCADE_IR 2

static bool level_mode(const struct pic_chip *c, unsigned ir)
{
    return c->ltim || (c->elcr >> ir & 1);
}

/* Priority rank of the best bit in mask (0 = highest), 8 when mask is empty. */
static unsigned best_rank(const struct pic_chip *c, uint8_t mask)
{
    for (unsigned rank = 0; rank < 8; rank++)
        if (mask >> ((c->lowest + 1 + rank) & 7) & 1)
            return rank;
    return 8;
}

static unsigned rank_to_ir(const struct pic_chip *c, unsigned rank)
{
    return (c->lowest + 1 + rank) & 7;
}

/* The IR the chip would interrupt the CPU for, or -1. */
static int chip_request(const struct pic_chip *c, bool master)
{
    unsigned want = best_rank(c, c->irr & ~c->imr);
    if (want == 8)
        return -1;
    uint8_t blocking = c->isr;
    if (c->special_mask)
        blocking &= ~c->imr;
    /* Fully nested: the slave may interrupt again while its cascade IR is in service. */
    if (master && c->sfnm)
        blocking &= ~(1u << CASCADE_IR);
    return want < best_rank(c, blocking) ? (int)rank_to_ir(c, want) : -1;
}

static void chip_input(struct pic_chip *c, unsigned ir, bool level)
{
    uint8_t bit = 1u << ir;
    bool was = c->lines & bit;
    c->lines = level ? c->lines | bit : c->lines & ~bit;
    if (level_mode(c, ir))
        c->irr = level ? c->irr | bit : c->irr & ~bit;
    else if (level && !was)
        c->irr |= bit;
}

static void update_cascade(struct pic *pic)
{
    chip_input(&pic->chip[MASTER], CASCADE_IR, chip_request(&pic->chip[SLAVE], false) >= 0);
}

static void chip_intack(struct pic_chip *c, unsigned ir)
{
    if (!level_mode(c, ir))
        c->irr &= ~(1u << ir);
    if (c->auto_eoi) {
        if (c->rotate_on_aeoi)
            c->lowest = ir;
    } else {
        c->isr |= 1u << ir;
    }
}

static void pic_set_line(void *dev, unsigned line, bool level)
{
    struct pic *pic = dev;
    /* On the AT the ISA pin once called IRQ2 is wired to the slave's IR1 (IRQ9). */
    if (line == CASCADE_IR)
        line = 9;
    chip_input(&pic->chip[line >> 3], line & 7, level);
    update_cascade(pic);
}

bool pic_pending(struct pic *pic)
{
    return chip_request(&pic->chip[MASTER], true) >= 0;
}

uint8_t pic_ack(struct pic *pic)
{
    struct pic_chip *m = &pic->chip[MASTER], *s = &pic->chip[SLAVE];
    int ir = chip_request(m, true);
    uint8_t vector;
    if (ir < 0) {
        /* The request went away before INTA: the 8259A answers with IR7, ISR untouched. */
        vector = m->vector_base + 7;
    } else {
        chip_intack(m, ir);
        if (ir == CASCADE_IR && !m->single) {
            int sir = chip_request(s, false);
            if (sir < 0) {
                vector = s->vector_base + 7;
            } else {
                chip_intack(s, sir);
                vector = s->vector_base + sir;
            }
        } else {
            vector = m->vector_base + ir;
        }
    }
    update_cascade(pic);
    return vector;
}

static uint8_t poll_read(struct pic *pic, struct pic_chip *c, bool master)
{
    c->poll = false;
    int ir = chip_request(c, master);
    if (ir < 0)
        return 0;
    chip_intack(c, ir);
    update_cascade(pic);
    return 0x80 | ir;
}

static void icw1(struct pic_chip *c, uint8_t value)
{
    c->need_icw4 = value & 0x01;
    c->single = value & 0x02;
    c->ltim = value & 0x08;
    c->init_step = 2;
    c->imr = 0;
    c->isr = 0;
    c->lowest = 7;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->auto_eoi = false;
    c->rotate_on_aeoi = false;
    c->sfnm = false;
    /* Edge sense is reset: an input that is high needs a new rising edge. */
    c->irr = 0;
    for (unsigned ir = 0; ir < 8; ir++)
        if (level_mode(c, ir) && (c->lines >> ir & 1))
            c->irr |= 1u << ir;
}

static void ocw2(struct pic_chip *c, uint8_t value)
{
    unsigned ir = value & 7;
    switch (value >> 5) {
    case 0: c->rotate_on_aeoi = false; break;
    case 4: c->rotate_on_aeoi = true; break;
    case 1:
    case 5: {
        unsigned rank = best_rank(c, c->isr);
        if (rank == 8)
            break;
        ir = rank_to_ir(c, rank);
        c->isr &= ~(1u << ir);
        if (value >> 5 == 5)
            c->lowest = ir;
        break;
    }
    case 3: c->isr &= ~(1u << ir); break;
    case 7:
        c->isr &= ~(1u << ir);
        c->lowest = ir;
        break;
    case 6: c->lowest = ir; break;
    default: break;
    }
}

static void ocw3(struct pic_chip *c, uint8_t value)
{
    if (value & 0x04)
        c->poll = true;
    if (value & 0x02)
        c->read_isr = value & 0x01;
    if (value & 0x40)
        c->special_mask = value & 0x20;
}

static void data_write(struct pic_chip *c, uint8_t value)
{
    switch (c->init_step) {
    case 2:
        c->vector_base = value & 0xf8;
        c->init_step = c->single ? (c->need_icw4 ? 4 : 0) : 3;
        break;
    case 3:
        c->icw3 = value;
        c->init_step = c->need_icw4 ? 4 : 0;
        break;
    case 4:
        c->auto_eoi = value & 0x02;
        c->sfnm = value & 0x10;
        c->init_step = 0;
        break;
    default: c->imr = value; break;
    }
}

static struct pic_chip *chip_of(struct pic *pic, uint32_t offset, bool *master)
{
    *master = offset < 0x80;
    return &pic->chip[*master ? MASTER : SLAVE];
}

/* Offsets 0-1 are the master's ports, 0x80-0x81 the slave's (as 0x20 and 0xa0 differ). */
static uint32_t pic_port_read(void *dev, uint32_t offset, unsigned size)
{
    struct pic *pic = dev;
    bool master;
    struct pic_chip *c = chip_of(pic, offset, &master);
    if (c->poll)
        return poll_read(pic, c, master);
    if (offset & 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

static void pic_port_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct pic *pic = dev;
    bool master;
    struct pic_chip *c = chip_of(pic, offset, &master);
    uint8_t v = value;
    if (offset & 1)
        data_write(c, v);
    else if (v & 0x10)
        icw1(c, v);
    else if (v & 0x08)
        ocw3(c, v);
    else
        ocw2(c, v);
    update_cascade(pic);
}

static uint32_t pic_slave_read(void *dev, uint32_t offset, unsigned size)
{
    return pic_port_read(dev, offset | 0x80, size);
}

static void pic_slave_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    pic_port_write(dev, offset | 0x80, size, value);
}

static uint32_t elcr_read(void *dev, uint32_t offset, unsigned size)
{
    struct pic *pic = dev;
    return pic->chip[offset].elcr;
}

static void elcr_write(void *dev, uint32_t offset, unsigned size, uint32_t value)
{
    struct pic *pic = dev;
    struct pic_chip *c = &pic->chip[offset];
    c->elcr = value & c->elcr_mask;
    for (unsigned ir = 0; ir < 8; ir++)
        if (level_mode(c, ir))
            c->irr = (c->irr & ~(1u << ir)) | (c->lines & (1u << ir));
    update_cascade(pic);
}

static bool pic_chip_pending(void *dev)
{
    return pic_pending(dev);
}

static uint8_t pic_chip_ack(void *dev)
{
    return pic_ack(dev);
}

int pic_init(struct pic *pic, struct bus *bus)
{
    *pic = (struct pic){.bus = bus};
    for (unsigned i = 0; i < 2; i++)
        pic->chip[i].lowest = 7;
    /* IRQ0-2, 8 and 13 are edge-only on the PC (timer, keyboard, cascade, RTC, FPU). */
    pic->chip[MASTER].elcr_mask = 0xf8;
    pic->chip[SLAVE].elcr_mask = 0xde;
    if (bus_port_register(bus, 0x20, 2, 1, pic_port_read, pic_port_write, pic, "pic-master") ||
        bus_port_register(bus, 0xa0, 2, 1, pic_slave_read, pic_slave_write, pic, "pic-slave") ||
        bus_port_register(bus, 0x4d0, 2, 1, elcr_read, elcr_write, pic, "elcr"))
        return -1;
    bus_irq_chip_attach(bus,
                        &(struct bus_irq_chip){pic, pic_set_line, pic_chip_pending, pic_chip_ack});
    return 0;
}
