/*
 * nexus.h: the layout shared by the nexus code (scan/nexus_entry.asm, ring 3) and the monitor:
 * the header at the start of the nexus code segment, the nexus data pages and the site cache in
 * them. The D_* offsets in nexus_entry.asm must match struct nexus_data (monitor/nexus.c checks
 * them at compile time).
 *
 * Everything in the data pages is written by ring-3 code (and the guest can write it too), so it
 * is untrusted: the monitor checks each value it takes from there.
 */
#ifndef SCAN_NEXUS_H
#define SCAN_NEXUS_H

#include <stdint.h>

#define NEXUS_MAGIC 0x5355584Eu /* "NXUS" */
/* The nexus segments, in order: the code page (header, ring-3 INT3 handler, stub templates),
 * the stub pages (insert-call stubs, written by ring 0; user read-only like the code page), the
 * data pages (user read-write). */
#define NEXUS_STUB_OFFSET 0x1000u
#define NEXUS_STUB_PAGES  32u
#define NEXUS_STUB_SIZE   256u /* bytes per stub slot */
#define NEXUS_STUBS       (NEXUS_STUB_PAGES * 4096u / NEXUS_STUB_SIZE)
#define NEXUS_DATA_OFFSET (NEXUS_STUB_OFFSET + NEXUS_STUB_PAGES * 4096u)
#define NEXUS_DATA_PAGES  4u
#define NEXUS_SITES        512u /* site cache entries (direct-mapped by linear address) */
#define NEXUS_CPUID_MAX    48u
#define NEXUS_SITES_OFFSET 0x1000u /* site cache's offset within the data pages */

struct nexus_header {
    uint32_t magic;
    uint32_t int3_entry; /* offset of the ring-3 INT3 handler in the nexus code segment */
    uint32_t code_size;
    uint16_t ds_sel;    /* SEL_NEXUS_DS: the stubs load DS from here */
    uint16_t reserved;
    uint32_t templates; /* offset of the stub template table (NEXUS_OPS struct nexus_template) */
};

/* An insert-call stub template in the code page (scan/nexus_entry.asm describes a stub). All
 * fields are offsets in the nexus code segment; start == 0: no stub for that operation. */
struct nexus_template {
    uint16_t start;      /* the deferral blocks, then the entry */
    uint16_t entry;      /* the patch's far JMP lands here */
    uint16_t end;        /* the displaced instructions follow */
    uint16_t site_ret;   /* after INT NEXUS_CALL_VECTOR: the guest is at the site */
    uint16_t resume_ret; /* after INT NEXUS_CALL_VECTOR: the guest is past the site */
    uint16_t nrec;       /* entry + k (k < nrec): k dwords pushed, nothing else done */
    uint16_t f_cs;       /* the byte after each field (imm32 or disp32) */
    uint16_t f_hits;
    uint16_t f_next; /* 0: none */
    uint16_t f_src;  /* 0: none */
    uint16_t f_move; /* 0: none; else the first of four bytes */
    uint16_t reserve; /* bytes the prologue reserves (a push's slot) */
};

/* What a cached site's instruction does (the handler's op_table). */
enum nexus_op {
    NEXUS_OP_NONE,
    NEXUS_OP_CLI,
    NEXUS_OP_STI,
    NEXUS_OP_PUSHF,  /* PUSHFD */
    NEXUS_OP_POPF,   /* POPFD */
    NEXUS_OP_MOV32,  /* 32-bit register := vals[src] (MOV r, Sreg; SMSW, STR, SLDT r) */
    NEXUS_OP_MOV16,  /* 16-bit register := vals[src] */
    NEXUS_OP_PUSH32, /* PUSH Sreg, 32-bit operand size (zero-extended) */
    NEXUS_OP_CPUID,
    NEXUS_OP_RET,   /* RET, RET imm16 (reg and src hold imm16) to the target in aux */
    NEXUS_OP_JMPR,  /* JMP r32 to the target in aux */
    NEXUS_OP_CALLR, /* CALL r32 to the target in aux */
    NEXUS_OPS,
};

/* Indices of nexus_data.vals: the six segment registers (enum vcpu_sreg order), then these. */
#define NEXUS_VAL_CR0  6u
#define NEXUS_VAL_LDTR 7u
#define NEXUS_VAL_TR   8u
#define NEXUS_VALS     9u

enum nexus_defer { NEXUS_DEFER_SITE = 1, NEXUS_DEFER_RESUME = 2 };

struct nexus_site {
    uint32_t addr; /* linear address of the site's INT3 */
    uint8_t op;    /* enum nexus_op; NONE: empty */
    uint8_t len;   /* instruction length */
    uint8_t reg;   /* general register (MOV32, MOV16: destination; JMPR, CALLR: target) */
    uint8_t src;   /* index into vals */
    uint32_t hits; /* times the nexus emulated it */
    uint32_t aux;  /* RET, JMPR, CALLR: the one target ring 0 found scanned */
};

struct nexus_cpuid {
    uint32_t leaf, eax, ebx, ecx, edx;
};

/* The start of the data pages: what the handler records of every INT3 it takes. */
struct nexus_data {
    uint32_t int3_hits; /* INT3s taken by the ring-3 handler */
    uint32_t last_cpl;  /* probe (no guest active): the handler's privilege level */
    uint32_t last_eip;  /* probe: return address of the last INT3 (the byte after it) */
    uint32_t last_cs;   /* probe */
};

/* The data pages. */
struct nexus_page {
    struct nexus_data probe;
    uint32_t active;      /* ring 0: a guest runs with vmethod=r3 (0: the probe) */
    uint32_t fast;        /* ring 0: the handler may emulate (virtual CPL 0, 32-bit, no step) */
    uint32_t pending;     /* ring 0: a virtual interrupt waits for IF */
    uint32_t vflags;      /* the virtual EFLAGS bits (IF, IOPL, NT); both sides */
    uint32_t cs_sel;      /* ring 0: the real CS selector the guest runs with */
    uint32_t cs_base;     /* ring 0: its base */
    uint32_t defer_kind;  /* nexus: enum nexus_defer, at INT NEXUS_CALL_VECTOR */
    uint32_t sti_eip;     /* nexus: EIP after an STI that set IF (its interrupt shadow) */
    uint32_t emulated;    /* nexus: sites it emulated */
    uint32_t deferred;    /* nexus: times it deferred to ring 0 */
    uint32_t in_handler;  /* nexus: 1 from the checkpoint on (regs, gds, frame are valid) */
    uint32_t frame;       /* nexus: ESP of the INT3 frame */
    uint32_t gds;         /* nexus: the guest's DS */
    uint32_t entry;       /* nexus: the site entry being emulated */
    uint32_t adv;         /* nexus: EIP advance past the INT3 */
    uint32_t cpuid_count; /* ring 0: entries of cpuid */
    uint32_t regs[8];     /* nexus: the guest's general registers (ESP's slot unused) */
    uint32_t vals[NEXUS_VALS]; /* ring 0: selectors as the guest sees them, CR0, LDTR, TR */
    uint32_t sreg_real[6];     /* ring 0: the selectors the real CPU holds */
    struct nexus_cpuid cpuid[NEXUS_CPUID_MAX]; /* ring 0: leaves without subleaves */
    uint8_t pad[NEXUS_SITES_OFFSET - 172 - NEXUS_CPUID_MAX * sizeof(struct nexus_cpuid)];
    struct nexus_site sites[NEXUS_SITES];
    uint32_t stub_hits[NEXUS_STUBS]; /* nexus: times each insert-call stub was entered */
};

#endif
