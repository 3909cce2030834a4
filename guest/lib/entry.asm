; Multiboot v1 header and entry point of every guest: the loader (QEMU, GRUB or nexus86) enters
; here in protected mode with paging off; we only set up a stack and hand over to C.
        bits 32

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00000003         ; page-aligned modules, memory info; ELF headers give the layout

        section .multiboot progbits alloc noexec nowrite align=4
        dd MB_MAGIC
        dd MB_FLAGS
        dd -(MB_MAGIC + MB_FLAGS)

        section .text
        global _start
        extern rt_start
_start:
        cld
        mov esp, boot_stack_top
        push ebx                ; multiboot info
        push eax                ; multiboot magic
        call rt_start
.halt:  cli
        hlt
        jmp .halt

        section .bss nobits alloc noexec write align=16
boot_stack:
        resb 16384
boot_stack_top:
