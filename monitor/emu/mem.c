/* The memory layer: linear accesses of any size, split at page boundaries. Every piece is
 * translated (and so permission-checked) before any byte moves; reads happen at once (MMIO in
 * program order), writes are queued and reach RAM, ROM (dropped), MMIO or a watched page only
 * when the instruction commits, so a fault on either page leaves both unwritten. */
#include <string.h>

#include "monitor/emu/emu-int.h"

#define PAGE 0x1000u

struct piece {
    uint32_t lin;
    unsigned size;
    struct emu_page pg;
};

/* Splits [lin, lin+size) into at most two page pieces and translates each. */
static int translate(struct emu *e, uint32_t lin, unsigned size, unsigned acc, struct piece p[2],
                     unsigned *n)
{
    unsigned first = PAGE - (lin & (PAGE - 1));
    if (first > size)
        first = size;
    p[0].lin = lin;
    p[0].size = first;
    p[1].lin = lin + first;
    p[1].size = size - first;
    *n = p[1].size ? 2 : 1;
    for (unsigned i = 0; i < *n; i++) {
        int r = e->ops->translate(e->ctx, p[i].lin, acc, &p[i].pg, e->exc);
        if (r != EMU_OK)
            return r;
    }
    return EMU_OK;
}

int mem_lin_check(struct emu *e, uint32_t lin, unsigned size, unsigned acc)
{
    struct piece p[2];
    unsigned n;
    return translate(e, lin, size, acc, p, &n);
}

/* A read sees the instruction's own earlier writes (ENTER, far CALL through a shared page). */
static void forward(struct emu *e, uint32_t lin, uint8_t *buf, unsigned size)
{
    for (unsigned i = 0; i < e->nwr; i++) {
        const struct emu_wr *w = &e->wr[i];
        for (unsigned b = 0; b < w->size; b++) {
            uint32_t d = w->linear + b - lin;
            if (d < size)
                buf[d] = w->data[b];
        }
    }
}

int mem_lin_read(struct emu *e, uint32_t lin, void *buf, unsigned size, unsigned acc)
{
    struct piece p[2];
    unsigned n;
    uint8_t *out = buf;
    int r = translate(e, lin, size, acc & ~EMU_ACC_WRITE, p, &n);
    if (r != EMU_OK)
        return r;
    for (unsigned i = 0; i < n; i++) {
        uint32_t off = p[i].lin & (PAGE - 1);
        if (p[i].pg.kind == EMU_MEM_MMIO) {
            r = e->ops->mmio_read(e->ctx, p[i].pg.phys + off, out, p[i].size);
            if (r != EMU_OK)
                return r;
        } else {
            memcpy(out, p[i].pg.host + off, p[i].size);
        }
        out += p[i].size;
    }
    forward(e, lin, buf, size);
    return EMU_OK;
}

int mem_lin_write(struct emu *e, uint32_t lin, const void *buf, unsigned size, unsigned acc)
{
    struct piece p[2];
    unsigned n;
    const uint8_t *in = buf;
    int r = translate(e, lin, size, acc | EMU_ACC_WRITE, p, &n);
    if (r != EMU_OK)
        return r;
    for (unsigned i = 0; i < n; i++) {
        if (e->nwr == EMU_MAX_WRITES || p[i].size > sizeof e->wr[0].data)
            return GP0(e);
        struct emu_wr *w = &e->wr[e->nwr++];
        w->linear = p[i].lin;
        w->pg = p[i].pg;
        w->off = p[i].lin & (PAGE - 1);
        w->size = p[i].size;
        memcpy(w->data, in, p[i].size);
        in += p[i].size;
    }
    return EMU_OK;
}

void mem_commit(struct emu *e)
{
    for (unsigned i = 0; i < e->nwr; i++) {
        const struct emu_wr *w = &e->wr[i];
        switch (w->pg.kind) {
        case EMU_MEM_RAM: memcpy(w->pg.host + w->off, w->data, w->size); break;
        case EMU_MEM_ROM: break;
        case EMU_MEM_MMIO: e->ops->mmio_write(e->ctx, w->pg.phys + w->off, w->data, w->size); break;
        case EMU_MEM_WATCHED:
            e->ops->watched_write(e->ctx, w->pg.phys + w->off, w->data, w->size);
            break;
        }
    }
    e->nwr = 0;
}
