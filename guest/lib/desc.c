/* Builds and loads the guest's GDT, LDT and TSS (layout in desc.h). */
#include "guest/lib/desc.h"

extern void callgate_entry(void);

uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(8)));
uint64_t ldt[LDT_ENTRIES] __attribute__((aligned(8)));
struct tss32 guest_tss __attribute__((aligned(16)));

uint8_t ring0_stack[RING0_STACK_SIZE] __attribute__((aligned(16)));

uint64_t desc_segment(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    uint64_t d = limit & 0xffff;
    d |= (uint64_t)(base & 0xffffff) << 16;
    d |= (uint64_t)access << 40;
    d |= (uint64_t)((limit >> 16) & 0xf) << 48;
    d |= (uint64_t)(flags & 0xf) << 52;
    d |= (uint64_t)(base >> 24) << 56;
    return d;
}

uint64_t desc_gate(uint16_t sel, uint32_t offset, uint8_t access)
{
    uint64_t d = offset & 0xffff;
    d |= (uint64_t)sel << 16;
    d |= (uint64_t)access << 40;
    d |= (uint64_t)(offset >> 16) << 48;
    return d;
}

struct dtr desc_gdtr(void)
{
    return (struct dtr){.limit = sizeof gdt - 1, .base = (uint32_t)gdt};
}

void desc_init(void)
{
    gdt[0] = 0;
    gdt[SEL_KCODE >> 3] = desc_segment(0, 0xfffff, ACC_KCODE, FLAGS_4G);
    gdt[SEL_KDATA >> 3] = desc_segment(0, 0xfffff, ACC_KDATA, FLAGS_4G);
    gdt[SEL_UCODE >> 3] = desc_segment(0, 0xfffff, ACC_UCODE, FLAGS_4G);
    gdt[SEL_UDATA >> 3] = desc_segment(0, 0xfffff, ACC_UDATA, FLAGS_4G);
    gdt[SEL_TSS >> 3] = desc_segment((uint32_t)&guest_tss, sizeof guest_tss - 1, ACC_TSS, 0);
    gdt[SEL_KCODE2 >> 3] = desc_segment(0, 0xfffff, ACC_KCODE, FLAGS_4G);
    gdt[SEL_LDT >> 3] = desc_segment((uint32_t)ldt, sizeof ldt - 1, ACC_LDT, 0);
    gdt[SEL_NP_DATA >> 3] = desc_segment(0, 0xfffff, ACC_KDATA & 0x7f, FLAGS_4G);
    gdt[SEL_CALLGATE >> 3] = desc_gate(SEL_KCODE, (uint32_t)callgate_entry, ACC_CALLGATE);
    gdt[SEL_XO_CODE >> 3] = desc_segment(0, 0xfffff, 0x99, FLAGS_4G);
    gdt[SEL_RO_DATA >> 3] = desc_segment(0, 0xfffff, 0x91, FLAGS_4G);
    gdt[SEL_SMALL >> 3] = desc_segment(0x1000, 0xfff, ACC_KDATA, FLAGS_BYTE);
    gdt[SEL_CONF >> 3] = desc_segment(0, 0xfffff, 0x9f, FLAGS_4G);
    gdt[SEL_DPL1 >> 3] = desc_segment(0, 0xfffff, 0xb3, FLAGS_4G);
    gdt[SEL_SPARE >> 3] = 0;
    ldt[0] = 0;
    ldt[1] = desc_segment(0, 0xfffff, ACC_KDATA, FLAGS_4G);

    guest_tss = (struct tss32){
        .esp0 = RING0_STACK_TOP,
        .ss0 = SEL_KDATA,
        .iomap_base = sizeof guest_tss, /* no I/O bitmap: ring 3 port access needs IOPL 3 */
    };

    struct dtr g = desc_gdtr();
    asm volatile("lgdt %0\n\t"
                 "ljmp %1, $1f\n"
                 "1:\n\t"
                 "movw %w2, %%ds\n\t"
                 "movw %w2, %%es\n\t"
                 "movw %w2, %%fs\n\t"
                 "movw %w2, %%gs\n\t"
                 "movw %w2, %%ss\n\t"
                 "lldt %w3\n\t"
                 "ltr %w4"
                 :
                 : "m"(g), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(0), "r"(SEL_TSS)
                 : "memory");
}
