; Entry stubs for all 256 IDT vectors: each pushes a dummy error code where the CPU pushes none,
; then its vector, and joins one common path that saves the registers as struct trap_frame
; (trap.h) and calls trap_dispatch.
        bits 32
        section .text

        extern trap_dispatch
        global trap_stubs

%define KDATA 0x10

%macro STUB 1
stub_%1:
%if (%1 == 8) || ((%1 >= 10) && (%1 <= 14)) || (%1 == 17) || (%1 == 21)
%else
        push dword 0
%endif
        push dword %1
        jmp trap_common
%endmacro

%assign vec 0
%rep 256
        STUB vec
%assign vec vec + 1
%endrep

trap_common:
        pushad
        push ds
        push es
        push fs
        push gs
        mov ax, KDATA
        mov ds, ax
        mov es, ax
        cld
        push esp
        call trap_dispatch
        add esp, 4
        pop gs
        pop fs
        pop es
        pop ds
        popad
        add esp, 8              ; vector and error code
        iretd

        section .rodata
trap_stubs:
%assign vec 0
%rep 256
        dd stub_ %+ vec
%assign vec vec + 1
%endrep
