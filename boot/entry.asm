; entry.asm: the multiboot v1 and v2 headers and the first instructions of the monitor.
;
; Both loaders enter _start in 32-bit protected mode, paging off, with EAX holding the protocol's
; magic and EBX the physical address of its boot information. This code runs at its load address
; (1 MiB), zeroes .bss, maps the monitor region at the top of the linear space plus a temporary
; identity map of the first 4 MiB (so this code keeps running when paging comes on), enables
; paging and jumps high. monitor_main removes the identity map once it has what it needs.

bits 32

HIGH_OFFSET equ 0xFFB00000      ; MON_BASE - LOAD_PHYS (arch/x86/layout.h)
PTE_P_RW    equ 0x003

MB1_MAGIC   equ 0x1BADB002
MB1_FLAGS   equ 0x00000003      ; page-align modules, give memory information
MB2_MAGIC   equ 0xE85250D6

extern _bss_start, _bss_end, _image_phys_end
extern mon_pd, mon_pt, boot_pt
extern monitor_main

section .multiboot
align 4
mb1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)

align 8
mb2_header:
    dd MB2_MAGIC
    dd 0                        ; i386 protected mode
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
align 8
    dw 1, 1                     ; information request (optional): what monitor_main reads
    dd 4 * 2 + 4 * 5
    dd 1, 3, 4, 6, 8            ; command line, modules, basic memory, memory map, framebuffer
align 8
    dw 6, 1                     ; modules page-aligned
    dd 8
align 8
    dw 0, 0                     ; end
    dd 8
mb2_header_end:

section .boot
global _start
_start:
    cli
    cld
    mov [boot_magic], eax
    mov [boot_info], ebx

    mov edi, _bss_start - HIGH_OFFSET
    mov ecx, _bss_end - HIGH_OFFSET
    sub ecx, edi
    xor eax, eax
    rep stosb

    ; Identity map of the first 4 MiB, where this code and the loader's structures live.
    mov edi, boot_pt - HIGH_OFFSET
    mov eax, PTE_P_RW
    mov ecx, 1024
.identity:
    stosd
    add eax, 4096
    loop .identity

    ; The image, linked at MON_BASE, backed by the frames it was loaded into.
    mov edi, mon_pt - HIGH_OFFSET
    mov eax, 0x00100000 | PTE_P_RW
    mov ecx, _image_phys_end
    sub ecx, 0x00100000
    shr ecx, 12
.image:
    stosd
    add eax, 4096
    loop .image

    mov edi, mon_pd - HIGH_OFFSET
    mov dword [edi], boot_pt - HIGH_OFFSET + PTE_P_RW
    mov dword [edi + 1023 * 4], mon_pt - HIGH_OFFSET + PTE_P_RW
    mov cr3, edi
    mov eax, cr0
    or eax, 0x80010000          ; PG | WP: the monitor honours read-only pages too
    mov cr0, eax
    mov eax, start_high
    jmp eax

align 4
boot_magic: dd 0
boot_info:  dd 0

section .text.entry
start_high:
    mov esp, boot_stack_top
    xor ebp, ebp
    push dword [boot_info]
    push dword [boot_magic]
    call monitor_main
.stop:
    cli
    hlt
    jmp .stop

section .bss
align 16
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    resb 16384
boot_stack_top:
