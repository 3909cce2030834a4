; nexus_image.asm: places the assembled nexus code and its data pages in the monitor image's
; .nexus section, which paging makes the only user-accessible part of the monitor region.

section .nexus progbits alloc noexec write align=4096
global nexus_code_start, nexus_data_start
nexus_code_start:
    incbin NEXUS_BIN
    align 4096, db 0
nexus_data_start:
    times 3 * 4096 db 0
