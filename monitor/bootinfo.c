/*
 * bootinfo.c: multiboot v1 and v2 information parsed into struct boot_info.
 *
 * The loader's structures are read through phys_read, never by pointer, and every length,
 * count and offset is checked against the structure that contains it: a corrupt or hostile
 * information block yields a warning or an error, never a wild read.
 */
#include "monitor/bootinfo.h"
#include "arch/x86/paging.h"

#include <string.h>

#define MB2_INFO_MAX (64u * 1024u)

static void warn(struct boot_info *bi, const char *msg)
{
    if (bi->warning_count < sizeof(bi->warnings) / sizeof(bi->warnings[0]))
        bi->warnings[bi->warning_count++] = msg;
}

static void add_mmap(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
    if (bi->mmap_count == BOOT_MMAP_MAX) {
        warn(bi, "memory map has more entries than the monitor keeps; the rest are ignored");
        return;
    }
    bi->mmap[bi->mmap_count++] = (struct boot_mmap_entry){addr, len, type};
}

static void add_module(struct boot_info *bi, uint32_t start, uint32_t end, uint32_t string_pa)
{
    if (bi->module_count == BOOT_MODULES_MAX) {
        warn(bi, "more modules than the monitor keeps; the rest are ignored");
        return;
    }
    if (end < start) {
        warn(bi, "a module ends before it starts; it is ignored");
        return;
    }
    struct boot_module *m = &bi->modules[bi->module_count++];
    m->start = start;
    m->end = end;
    m->cmdline[0] = '\0';
    if (string_pa && !phys_read_string(string_pa, m->cmdline, sizeof(m->cmdline)))
        warn(bi, "a module command line is too long and was cut");
}

static void read_cmdline(struct boot_info *bi, uint32_t pa)
{
    if (!phys_read_string(pa, bi->cmdline, sizeof(bi->cmdline)))
        warn(bi, "the command line is too long and was cut");
}

static const char *parse_mb1(uint32_t pa, struct boot_info *bi)
{
    struct mb1_info info;
    phys_read(pa, &info, sizeof(info));
    if (info.flags & MB1_INFO_MEM) {
        bi->mem_lower_kib = info.mem_lower;
        bi->mem_upper_kib = info.mem_upper;
    }
    if (info.flags & MB1_INFO_CMDLINE)
        read_cmdline(bi, info.cmdline);
    if (info.flags & MB1_INFO_MMAP) {
        uint32_t off = 0;
        while (off + sizeof(struct mb1_mmap_entry) <= info.mmap_length) {
            struct mb1_mmap_entry e;
            phys_read(info.mmap_addr + off, &e, sizeof(e));
            if (e.size < sizeof(e) - sizeof(e.size)) {
                warn(bi, "memory map entry too small; the map is cut there");
                break;
            }
            add_mmap(bi, e.addr, e.len, e.type);
            off += e.size + sizeof(e.size);
        }
    } else if (info.flags & MB1_INFO_MEM) {
        add_mmap(bi, 0, (uint64_t)info.mem_lower * 1024, MMAP_AVAILABLE);
        add_mmap(bi, 0x100000, (uint64_t)info.mem_upper * 1024, MMAP_AVAILABLE);
    }
    if (info.flags & MB1_INFO_MODS) {
        for (uint32_t i = 0; i < info.mods_count && i <= BOOT_MODULES_MAX; i++) {
            struct mb1_module m;
            phys_read(info.mods_addr + i * sizeof(m), &m, sizeof(m));
            add_module(bi, m.start, m.end, m.string);
        }
    }
    if (info.flags & MB1_INFO_FB) {
        bi->fb = (struct boot_fb){true,           info.fb_addr, info.fb_pitch, info.fb_width,
                                  info.fb_height, info.fb_bpp,  info.fb_type};
    }
    return NULL;
}

static const char *parse_mb2(uint32_t pa, struct boot_info *bi)
{
    uint32_t total;
    phys_read(pa, &total, sizeof(total));
    if (total < 16 || total > MB2_INFO_MAX)
        return "multiboot2 information has an impossible size";
    for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
        struct mb2_tag tag;
        phys_read(pa + off, &tag, sizeof(tag));
        if (tag.type == MB2_TAG_END)
            return NULL;
        if (tag.size < sizeof(tag) || tag.size > total - off)
            return "multiboot2 information has a tag that runs past its end";
        uint32_t tag_pa = pa + off;
        switch (tag.type) {
        case MB2_TAG_CMDLINE: read_cmdline(bi, tag_pa + 8); break;
        case MB2_TAG_MEMINFO: {
            uint32_t mem[2];
            if (tag.size >= 16) {
                phys_read(tag_pa + 8, mem, sizeof(mem));
                bi->mem_lower_kib = mem[0];
                bi->mem_upper_kib = mem[1];
            }
            break;
        }
        case MB2_TAG_MODULE: {
            uint32_t range[2];
            if (tag.size < 16) {
                warn(bi, "module tag too small; ignored");
                break;
            }
            phys_read(tag_pa + 8, range, sizeof(range));
            add_module(bi, range[0], range[1], tag.size > 16 ? tag_pa + 16 : 0);
            break;
        }
        case MB2_TAG_MMAP: {
            struct mb2_tag_mmap hdr;
            phys_read(tag_pa, &hdr, sizeof(hdr));
            if (hdr.entry_size < sizeof(struct mb2_mmap_entry)) {
                warn(bi, "memory map entries too small; map ignored");
                break;
            }
            for (uint32_t e = sizeof(hdr); e + hdr.entry_size <= tag.size; e += hdr.entry_size) {
                struct mb2_mmap_entry ent;
                phys_read(tag_pa + e, &ent, sizeof(ent));
                add_mmap(bi, ent.addr, ent.len, ent.type);
            }
            break;
        }
        case MB2_TAG_FB: {
            struct mb2_tag_fb fb;
            if (tag.size < sizeof(fb)) {
                warn(bi, "framebuffer tag too small; ignored");
                break;
            }
            phys_read(tag_pa, &fb, sizeof(fb));
            bi->fb =
                (struct boot_fb){true, fb.addr, fb.pitch, fb.width, fb.height, fb.bpp, fb.fb_type};
            break;
        }
        default: break;
        }
        off += (tag.size + 7) & ~7u;
    }
    return "multiboot2 information has no end tag";
}

const char *bootinfo_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi)
{
    memset(bi, 0, sizeof(*bi));
    if (magic == MB1_BOOT_MAGIC) {
        bi->protocol = 1;
        return parse_mb1(info_pa, bi);
    }
    if (magic == MB2_BOOT_MAGIC) {
        bi->protocol = 2;
        if (info_pa & 7)
            return "multiboot2 information is not 8-byte aligned";
        return parse_mb2(info_pa, bi);
    }
    return "not started by a multiboot loader (bad magic in EAX)";
}

uint64_t bootinfo_ram_bytes(const struct boot_info *bi)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < bi->mmap_count; i++)
        if (bi->mmap[i].type == MMAP_AVAILABLE)
            total += bi->mmap[i].len;
    return total;
}
