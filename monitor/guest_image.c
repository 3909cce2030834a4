/*
 * guest_image.c: multiboot kernel images, v1 (ELF, or the "a.out kludge" address fields) and v2
 * (ELF, or the address and entry tags). Layouts: Multiboot Specification 0.6.96 section 3.1,
 * Multiboot2 Specification 2.0 section 3.1, and the System V ABI i386 ELF supplement.
 *
 * The rules follow the specifications' "must fail" cases: a v1 header with an unknown required
 * flag bit (0-15), a v2 header with a required tag we do not support, a bad checksum. Beyond the
 * specifications, every segment must fit guest RAM without touching the VGA window or the ROM,
 * and the entry point must be inside a loaded segment: a guest that would start in nothing is a
 * bad image, reported at load, not a crash later.
 */
#include "monitor/guest_image.h"

#include <stdio.h>
#include <string.h>

#define MB1_HEADER_MAGIC  0x1BADB002u
#define MB1_SEARCH        8192u
#define MB1_F_PAGE_ALIGN  (1u << 0)
#define MB1_F_MEMINFO     (1u << 1)
#define MB1_F_VIDEO       (1u << 2)
#define MB1_F_ADDRESSES   (1u << 16)
#define MB1_F_KNOWN       (MB1_F_PAGE_ALIGN | MB1_F_MEMINFO | MB1_F_VIDEO)
#define MB2_HEADER_MAGIC  0xE85250D6u
#define MB2_SEARCH        32768u
#define MB2_TAG_END       0
#define MB2_TAG_INFO_REQ  1
#define MB2_TAG_ADDRESS   2
#define MB2_TAG_ENTRY     3
#define MB2_TAG_FLAGS     4
#define MB2_TAG_FB        5
#define MB2_TAG_MOD_ALIGN 6
#define MB2_TAG_OPTIONAL  1u

#define HOLE_START 0xA0000u
#define HOLE_END   0x100000u

#define ELF_PT_LOAD 1

struct elf32_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

struct mb1_header {
    uint32_t magic, flags, checksum;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

struct parse {
    const struct guest_image_io *io;
    uint32_t guest_mem;
    struct guest_image *img;
    char *err;
    unsigned err_len;
};

#define FAIL(p, ...) (sniprintf((p)->err, (p)->err_len, __VA_ARGS__), (p)->err)

static void rd(const struct parse *p, uint32_t off, void *dst, uint32_t len)
{
    p->io->read(p->io->ctx, off, dst, len);
}

static bool in_file(const struct parse *p, uint32_t off, uint32_t len)
{
    return off <= p->io->image_size && len <= p->io->image_size - off;
}

static const char *add_segment(struct parse *p, uint32_t file_off, uint32_t file_size, uint32_t gpa,
                               uint32_t mem_size)
{
    struct guest_image *img = p->img;
    if (mem_size == 0)
        return NULL;
    if (img->segment_count == GUEST_SEGMENTS_MAX)
        return FAIL(p, "more than %d loadable segments", GUEST_SEGMENTS_MAX);
    if (file_size > mem_size || !in_file(p, file_off, file_size))
        return FAIL(p, "segment at file offset %#lx (%lu bytes) runs past the end of the image",
                    (unsigned long)file_off, (unsigned long)file_size);
    if (gpa > p->guest_mem || mem_size > p->guest_mem - gpa)
        return FAIL(p, "segment %#lx-%#lx lies outside guest RAM (%lu KiB; raise mem=)",
                    (unsigned long)gpa, (unsigned long)gpa + mem_size - 1,
                    (unsigned long)(p->guest_mem >> 10));
    if (gpa < HOLE_END && gpa + mem_size > HOLE_START)
        return FAIL(p, "segment %#lx-%#lx overlaps the VGA window and ROM (0xa0000-0xfffff)",
                    (unsigned long)gpa, (unsigned long)gpa + mem_size - 1);
    for (unsigned i = 0; i < img->segment_count; i++) {
        const struct guest_segment *s = &img->segments[i];
        if (gpa < s->gpa + s->mem_size && s->gpa < gpa + mem_size)
            return FAIL(p, "segments at %#lx and %#lx overlap", (unsigned long)s->gpa,
                        (unsigned long)gpa);
    }
    img->segments[img->segment_count++] =
        (struct guest_segment){file_off, file_size, gpa, mem_size};
    if (img->segment_count == 1 || gpa < img->lowest)
        img->lowest = gpa;
    if (gpa + mem_size > img->highest)
        img->highest = gpa + mem_size;
    return NULL;
}

static const char *check_entry(struct parse *p)
{
    for (unsigned i = 0; i < p->img->segment_count; i++) {
        const struct guest_segment *s = &p->img->segments[i];
        if (p->img->entry >= s->gpa && p->img->entry - s->gpa < s->mem_size)
            return NULL;
    }
    return FAIL(p, "entry point %#lx is not inside any loaded segment",
                (unsigned long)p->img->entry);
}

static const char *parse_elf(struct parse *p)
{
    struct elf32_ehdr eh;
    if (!in_file(p, 0, sizeof(eh)))
        return FAIL(p, "too small for an ELF header and no address fields in its multiboot header");
    rd(p, 0, &eh, sizeof(eh));
    if (memcmp(eh.ident, "\177ELF", 4) != 0)
        return FAIL(p, "not an ELF file, and its multiboot header gives no load addresses");
    if (eh.ident[4] != 1 || eh.ident[5] != 1 || eh.machine != 3)
        return FAIL(p, "not a 32-bit little-endian i386 ELF file");
    if (eh.type != 2)
        return FAIL(p, "ELF file is not an executable (type %u)", eh.type);
    if (eh.phentsize != sizeof(struct elf32_phdr) || eh.phnum == 0)
        return FAIL(p, "ELF program headers are missing or of an unknown size");
    if (!in_file(p, eh.phoff, (uint32_t)eh.phnum * sizeof(struct elf32_phdr)))
        return FAIL(p, "ELF program headers run past the end of the image");
    for (uint32_t i = 0; i < eh.phnum; i++) {
        struct elf32_phdr ph;
        rd(p, eh.phoff + i * sizeof(ph), &ph, sizeof(ph));
        if (ph.type != ELF_PT_LOAD)
            continue;
        /* Multiboot loads by physical address, as GRUB and QEMU do. */
        const char *e = add_segment(p, ph.offset, ph.filesz, ph.paddr, ph.memsz);
        if (e)
            return e;
    }
    if (p->img->segment_count == 0)
        return FAIL(p, "ELF file has nothing to load");
    p->img->entry = eh.entry;
    return check_entry(p);
}

/* The v1 "a.out kludge" and the v2 address tag describe the same thing: one contiguous load. */
static const char *parse_addresses(struct parse *p, uint32_t header_addr, uint32_t load_addr,
                                   uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
    uint32_t hdr = p->img->header_off;
    if (load_addr > header_addr || header_addr - load_addr > hdr)
        return FAIL(p, "multiboot load address %#lx is after its header or before the file",
                    (unsigned long)load_addr);
    uint32_t file_off = hdr - (header_addr - load_addr);
    uint32_t file_size = load_end ? load_end - load_addr : p->io->image_size - file_off;
    if (load_end && load_end < load_addr)
        return FAIL(p, "multiboot load end address is before the load address");
    uint32_t mem_size = file_size;
    if (bss_end) {
        if (bss_end < load_addr + file_size)
            return FAIL(p, "multiboot bss end address is inside the loaded image");
        mem_size = bss_end - load_addr;
    }
    const char *e = add_segment(p, file_off, file_size, load_addr, mem_size);
    if (e)
        return e;
    p->img->entry = entry;
    return check_entry(p);
}

static bool find_header(const struct parse *p, uint32_t magic, uint32_t limit, uint32_t step,
                        uint32_t *at)
{
    for (uint32_t off = 0; off + 12 <= limit && off + 12 <= p->io->image_size; off += step) {
        uint32_t w[3];
        rd(p, off, w, sizeof(w));
        if (w[0] != magic)
            continue;
        /* v1: magic, flags, checksum; v2: magic, architecture, length, checksum. */
        if (magic == MB1_HEADER_MAGIC && w[0] + w[1] + w[2] != 0)
            continue;
        *at = off;
        return true;
    }
    return false;
}

static const char *parse_mb1(struct parse *p)
{
    struct mb1_header h;
    memset(&h, 0, sizeof(h));
    rd(p, p->img->header_off, &h, in_file(p, p->img->header_off, sizeof(h)) ? sizeof(h) : 12);
    uint32_t unknown = h.flags & 0xFFFFu & ~MB1_F_KNOWN;
    if (unknown)
        return FAIL(p, "multiboot header requires features nexus86 does not know (flags %#lx)",
                    (unsigned long)unknown);
    p->img->wants_meminfo = h.flags & MB1_F_MEMINFO;
    p->img->wants_page_aligned_modules = h.flags & MB1_F_PAGE_ALIGN;
    if (h.flags & MB1_F_ADDRESSES) {
        if (!in_file(p, p->img->header_off, sizeof(h)))
            return FAIL(p, "multiboot header address fields run past the end of the image");
        return parse_addresses(p, h.header_addr, h.load_addr, h.load_end_addr, h.bss_end_addr,
                               h.entry_addr);
    }
    return parse_elf(p);
}

static const char *parse_mb2(struct parse *p)
{
    uint32_t h[4];
    uint32_t off = p->img->header_off;
    if (!in_file(p, off, sizeof(h)))
        return FAIL(p, "multiboot2 header runs past the end of the image");
    rd(p, off, h, sizeof(h));
    if (h[0] + h[1] + h[2] + h[3] != 0)
        return FAIL(p, "multiboot2 header checksum is wrong");
    if (h[1] != 0)
        return FAIL(p, "multiboot2 header is not for i386 (architecture %lu)", (unsigned long)h[1]);
    if (h[2] < 24 || !in_file(p, off, h[2]))
        return FAIL(p, "multiboot2 header length %lu is impossible", (unsigned long)h[2]);
    bool have_addr = false, have_entry = false;
    uint32_t addr[4] = {0}, entry = 0;
    for (uint32_t t = off + 16; t + 8 <= off + h[2];) {
        uint16_t tag[2];
        uint32_t size;
        rd(p, t, tag, sizeof(tag));
        rd(p, t + 4, &size, sizeof(size));
        if (tag[0] == MB2_TAG_END)
            break;
        if (size < 8 || size > off + h[2] - t)
            return FAIL(p, "multiboot2 header tag %u has a bad size", tag[0]);
        switch (tag[0]) {
        case MB2_TAG_ADDRESS:
            if (size < 24)
                return FAIL(p, "multiboot2 address tag is too small");
            rd(p, t + 8, addr, sizeof(addr));
            have_addr = true;
            break;
        case MB2_TAG_ENTRY:
            if (size < 12)
                return FAIL(p, "multiboot2 entry tag is too small");
            rd(p, t + 8, &entry, sizeof(entry));
            have_entry = true;
            break;
        case MB2_TAG_MOD_ALIGN: p->img->wants_page_aligned_modules = true; break;
        case MB2_TAG_INFO_REQ:
        case MB2_TAG_FLAGS: break;
        default:
            if (!(tag[1] & MB2_TAG_OPTIONAL))
                return FAIL(p, "multiboot2 header requires tag %u, which nexus86 does not support",
                            tag[0]);
            break;
        }
        t += (size + 7) & ~7u;
    }
    p->img->wants_meminfo = true;
    if (have_addr) {
        if (!have_entry)
            return FAIL(p, "multiboot2 header has an address tag but no entry tag");
        return parse_addresses(p, addr[0], addr[1], addr[2], addr[3], entry);
    }
    const char *e = parse_elf(p);
    if (!e && have_entry) {
        p->img->entry = entry;
        return check_entry(p);
    }
    return e;
}

const char *guest_image_parse(const struct guest_image_io *io, uint32_t guest_mem,
                              struct guest_image *out, char *err, unsigned err_len)
{
    struct parse p = {io, guest_mem, out, err, err_len};
    memset(out, 0, sizeof(*out));
    if (find_header(&p, MB1_HEADER_MAGIC, MB1_SEARCH, 4, &out->header_off)) {
        out->protocol = 1;
        return parse_mb1(&p);
    }
    if (find_header(&p, MB2_HEADER_MAGIC, MB2_SEARCH, 8, &out->header_off)) {
        out->protocol = 2;
        return parse_mb2(&p);
    }
    return FAIL(&p, "no multiboot header in the first %u KiB: not a multiboot kernel",
                MB2_SEARCH / 1024);
}

void guest_image_load(const struct guest_image_io *io, const struct guest_image *img)
{
    uint8_t buf[512];
    for (unsigned i = 0; i < img->segment_count; i++) {
        const struct guest_segment *s = &img->segments[i];
        for (uint32_t done = 0; done < s->file_size;) {
            uint32_t n = s->file_size - done < sizeof(buf) ? s->file_size - done : sizeof(buf);
            io->read(io->ctx, s->file_off + done, buf, n);
            io->write(io->ctx, s->gpa + done, buf, n);
            done += n;
        }
        if (s->mem_size > s->file_size)
            io->write(io->ctx, s->gpa + s->file_size, NULL, s->mem_size - s->file_size);
    }
}
