; mb2-hello.asm: a multiboot2-only kernel written apart from the guest runtime (its own header,
; no GDT of its own, plain port I/O), to check that nexus86 boots a kernel through the multiboot2
; protocol: EAX holds the magic, EBX the information structure, whose command-line tag it prints
; on COM1 before it leaves through the debug-exit port with 0x10. QEMU's -kernel cannot boot it
; natively, so its test compares against the expected transcript instead.
        bits 32
        section .multiboot align=8
mb2_start:
        dd 0xe85250d6                   ; magic
        dd 0                            ; architecture: i386
        dd mb2_end - mb2_start
        dd -(0xe85250d6 + 0 + (mb2_end - mb2_start))
        dw 0, 0                         ; end tag
        dd 8
mb2_end:

        section .text
        global _start
_start:
        mov esp, stack_top
        mov esi, msg_hello
        call puts
        cmp eax, 0x36d76289
        jne .bad
        mov esi, msg_magic
        call puts
        lea edi, [ebx + 8]              ; first tag
.tag:
        mov eax, [edi]
        test eax, eax
        jz .bad                         ; end tag before any command line
        cmp eax, 1                      ; command line
        je .cmdline
        mov eax, [edi + 4]              ; next tag: size rounded up to 8
        add eax, 7
        and eax, ~7
        add edi, eax
        jmp .tag
.cmdline:
        mov esi, msg_cmdline
        call puts
        lea esi, [edi + 8]
        call puts
        mov esi, msg_nl
        call puts
        mov al, 0x10
        out 0xf4, al
.bad:
        mov esi, msg_bad
        call puts
        mov al, 0x11
        out 0xf4, al
        cli
        hlt

; Prints the NUL-terminated string at ESI on COM1, polling the transmitter.
puts:
        push eax
        push edx
.next:
        lodsb
        test al, al
        jz .done
        mov ah, al
        mov dx, 0x3fd
.wait:
        in al, dx
        test al, 0x20
        jz .wait
        mov al, ah
        mov dx, 0x3f8
        out dx, al
        jmp .next
.done:
        pop edx
        pop eax
        ret

        section .rodata
msg_hello:   db "mb2-hello: started", 10, 0
msg_magic:   db "mb2-hello: multiboot2 magic in EAX", 10, 0
msg_cmdline: db "mb2-hello: command line '", 0
msg_nl:      db "'", 10, 0
msg_bad:     db "mb2-hello: bad boot information", 10, 0

        section .bss
        align 16
        resb 4096
stack_top:
