; nexus_image.asm: places the assembled nexus code, the stub pages and the data pages in the
; monitor image's .nexus section. Ring 3 reaches these frames only through the movable window
; monitor/nexus.c maps (the monitor's own view of them is supervisor-only). The page counts are
; NEXUS_STUB_PAGES and NEXUS_DATA_PAGES of scan/nexus.h (monitor/nexus.c checks them).

section .nexus progbits alloc noexec write align=4096
global nexus_code_start, nexus_stub_start, nexus_data_start
nexus_code_start:
    incbin NEXUS_BIN
    align 4096, db 0
nexus_stub_start:
    times 32 * 4096 db 0
nexus_data_start:
    times 4 * 4096 db 0
