# boot/: multiboot headers and the entry code.
MON_ASM += boot/entry.asm
