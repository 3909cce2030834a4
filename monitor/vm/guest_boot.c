/*
 * guest_boot.c: the multiboot entry state (guest_boot.h). The information structure goes below
 * the EBDA at 0x9000, where loaders put theirs, unless the kernel occupies that page; then it
 * goes on the first page after the kernel.
 */
#include "monitor/vm/guest_boot.h"
#include "boot/multiboot.h"
#include "monitor/guest_mem.h"

#include <string.h>

#define INFO_LOW    0x9000u
#define INFO_MAX    0x1000u
#define EBDA_BASE   0x9fc00u
#define LOADER_NAME "nexus86"

/* Builds the structure in a local page, then copies it into guest RAM at `at`. */
struct info_buf {
    uint8_t bytes[INFO_MAX];
    uint32_t used, at;
};

static uint32_t put(struct info_buf *b, const void *src, uint32_t len, uint32_t align)
{
    b->used = (b->used + align - 1) & ~(align - 1);
    uint32_t addr = b->at + b->used;
    if (b->used + len > INFO_MAX)
        len = INFO_MAX - b->used;
    memcpy(b->bytes + b->used, src, len);
    b->used += len;
    return addr;
}

struct region {
    uint64_t addr, len;
    uint32_t type;
};

static unsigned memory_map(uint32_t ram_size, struct region out[3])
{
    out[0] = (struct region){0, EBDA_BASE, MMAP_AVAILABLE};
    out[1] = (struct region){EBDA_BASE, 0x100000u - EBDA_BASE, 2};
    out[2] = (struct region){0x100000u, ram_size - 0x100000u, MMAP_AVAILABLE};
    return 3;
}

static uint32_t build_v1(struct info_buf *b, const char *cmdline, uint32_t ram_size)
{
    struct mb1_info info;
    memset(&info, 0, sizeof info);
    uint32_t info_addr = put(b, &info, sizeof info, 8);
    info.flags = MB1_INFO_MEM | MB1_INFO_CMDLINE | MB1_INFO_MMAP | (1u << 9);
    info.mem_lower = EBDA_BASE >> 10;
    info.mem_upper = (ram_size - 0x100000u) >> 10;
    info.cmdline = put(b, cmdline, strlen(cmdline) + 1, 1);
    info.boot_loader_name = put(b, LOADER_NAME, sizeof LOADER_NAME, 1);
    struct region map[3];
    unsigned n = memory_map(ram_size, map);
    for (unsigned i = 0; i < n; i++) {
        struct mb1_mmap_entry e = {sizeof e - 4, map[i].addr, map[i].len, map[i].type};
        uint32_t a = put(b, &e, sizeof e, i == 0 ? 8 : 1);
        if (i == 0)
            info.mmap_addr = a;
    }
    info.mmap_length = n * sizeof(struct mb1_mmap_entry);
    memcpy(b->bytes + (info_addr - b->at), &info, sizeof info);
    return info_addr;
}

static void tag(struct info_buf *b, uint32_t type, const void *body, uint32_t len)
{
    struct mb2_tag t = {type, sizeof t + len};
    put(b, &t, sizeof t, 8);
    put(b, body, len, 1);
}

static uint32_t build_v2(struct info_buf *b, const char *cmdline, uint32_t ram_size)
{
    uint32_t header[2] = {0, 0};
    uint32_t info_addr = put(b, header, sizeof header, 8);
    tag(b, MB2_TAG_CMDLINE, cmdline, strlen(cmdline) + 1);
    tag(b, 2, LOADER_NAME, sizeof LOADER_NAME);
    uint32_t meminfo[2] = {EBDA_BASE >> 10, (ram_size - 0x100000u) >> 10};
    tag(b, MB2_TAG_MEMINFO, meminfo, sizeof meminfo);
    struct region map[3];
    unsigned n = memory_map(ram_size, map);
    struct {
        uint32_t entry_size, entry_version;
        struct mb2_mmap_entry e[3];
    } __attribute__((packed)) mmap = {sizeof(struct mb2_mmap_entry), 0, {{0}}};
    for (unsigned i = 0; i < n; i++)
        mmap.e[i] = (struct mb2_mmap_entry){map[i].addr, map[i].len, map[i].type, 0};
    tag(b, MB2_TAG_MMAP, &mmap, 8 + n * sizeof(struct mb2_mmap_entry));
    tag(b, MB2_TAG_END, 0, 0);
    header[0] = b->used;
    memcpy(b->bytes + (info_addr - b->at), header, sizeof header);
    return info_addr;
}

static struct vcpu_seg flat(uint16_t sel, uint32_t type)
{
    return (struct vcpu_seg){sel, 0, 0xffffffffu,
                             type | SEG_TYPE_A | SEG_S | SEG_P | SEG_DB | SEG_G};
}

void guest_boot_setup(struct vcpu *cpu, const struct guest_image *img, const char *cmdline,
                      uint32_t ram_size)
{
    static struct info_buf buf;
    memset(&buf, 0, sizeof buf);
    bool low_free = img->lowest >= INFO_LOW + INFO_MAX || img->highest <= INFO_LOW;
    buf.at = low_free ? INFO_LOW : (img->highest + 0xfffu) & ~0xfffu;
    uint32_t info =
        img->protocol == 2 ? build_v2(&buf, cmdline, ram_size) : build_v1(&buf, cmdline, ram_size);
    guest_mem_write(buf.at, buf.bytes, buf.used);

    memset(cpu, 0, sizeof *cpu);
    cpu->gpr[R_EAX] = img->protocol == 2 ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC;
    cpu->gpr[R_EBX] = info;
    cpu->eip = img->entry;
    cpu->eflags = FL_RSV1;
    cpu->seg[S_CS] = flat(GUEST_BOOT_CS, SEG_TYPE_CODE | SEG_TYPE_R);
    for (int s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            cpu->seg[s] = flat(GUEST_BOOT_DS, SEG_TYPE_W);
    cpu->ldtr = (struct vcpu_seg){0, 0, 0, SEG_UNUSABLE};
    cpu->tr = (struct vcpu_seg){0, 0, 0xffff, SEG_P | 0xb};
    cpu->idtr.limit = 0x3ff;
    cpu->cr0 = CR0_PE | 0x10; /* ET: an i686 has its FPU built in */
    cpu->dr[6] = 0xffff0ff0u;
    cpu->dr[7] = 0x400u;
    cpu->cpl = 0;
}
