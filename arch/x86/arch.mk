# arch/x86/: descriptors, paging, port I/O drivers of the real machine, trap entry.
MON_C += arch/x86/gdt.c arch/x86/idt.c arch/x86/paging.c arch/x86/pic8259.c arch/x86/timer.c \
	arch/x86/serial.c arch/x86/shutdown.c arch/x86/cmos.c
MON_ASM += arch/x86/trap_entry.asm
