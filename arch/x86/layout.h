/*
 * layout.h: where the monitor lives in linear memory and which GDT slots it owns.
 *
 * The monitor region is the top page-directory entry (4 MiB at MON_BASE); every address space the
 * guest runs in shares its page table, so the monitor is always mapped, supervisor-only, except
 * for the nexus window: a second, user-accessible mapping of the nexus pages that can move. The
 * monitor's own descriptors sit at the top of a full-size GDT so that guest descriptors can be
 * shadowed at their own indices below them.
 */
#ifndef ARCH_X86_LAYOUT_H
#define ARCH_X86_LAYOUT_H

#define PAGE_SIZE  4096u
#define PAGE_SHIFT 12
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define MON_BASE    0xFFC00000u /* linear base of the monitor region (one PDE) */
#define MON_PDE     1023u
#define LOAD_PHYS   0x00100000u /* where GRUB/QEMU put the image */
#define HIGH_OFFSET (MON_BASE - LOAD_PHYS)

/* Temporary mapping slots: the last pages of the region, for reaching any physical frame. */
#define TMP_SLOTS 16u
#define TMP_BASE  (0u - TMP_SLOTS * PAGE_SIZE)

/* Slots for the nexus window, each as large as the nexus pages, stacked down from TMP_BASE; the
 * window is in one of them at a time (monitor/nexus.c moves it). */
#define NEXUS_WINDOWS 4u

/* GDT: 8192 entries; the monitor owns the last eight. */
#define GDT_ENTRIES      8192u
#define GDT_MON_FIRST    (GDT_ENTRIES - 8u)
#define GDT_IDX_MON_CS   (GDT_MON_FIRST + 0)
#define GDT_IDX_MON_DS   (GDT_MON_FIRST + 1)
#define GDT_IDX_TSS      (GDT_MON_FIRST + 2)
#define GDT_IDX_DF_TSS   (GDT_MON_FIRST + 3)
#define GDT_IDX_NEXUS_CS (GDT_MON_FIRST + 4)
#define GDT_IDX_NEXUS_DS (GDT_MON_FIRST + 5)

#define SEL_MON_CS   (GDT_IDX_MON_CS << 3)
#define SEL_MON_DS   (GDT_IDX_MON_DS << 3)
#define SEL_TSS      (GDT_IDX_TSS << 3)
#define SEL_DF_TSS   (GDT_IDX_DF_TSS << 3)
#define SEL_NEXUS_CS ((GDT_IDX_NEXUS_CS << 3) | 3)
#define SEL_NEXUS_DS ((GDT_IDX_NEXUS_DS << 3) | 3)

/* Vectors the monitor uses for the real PIC. */
#define IRQ_BASE_VECTOR 0x20u
#define IRQ_TIMER       0u

#endif
