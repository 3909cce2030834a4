; trap_entry.asm: the 256 interrupt entry stubs, the common frame-saving path, and the switch
; into ring 3.
;
; Every stub makes the stack look the same (an error code, real or zero, then the vector) and
; jumps to trap_common, which saves the rest of struct trap_frame (arch/x86/trap.h). A trap that
; interrupted the monitor is handled by trap_from_monitor on the monitor's stack and resumed with
; IRET. A trap from ring 3 arrived on the ring-3 frame area (TSS.esp0 points just above it), so
; the frame is already where ring3_enter's caller expects it: the stub only restores the stack
; ring3_enter saved and returns from it.

bits 32

SEL_MON_DS equ ((8192 - 8 + 1) << 3)
FRAME_SIZE equ 19 * 4
FRAME_CS   equ 15 * 4

extern trap_from_monitor, double_fault_report

section .bss
align 16
global ring3_frame
ring3_frame: resb FRAME_SIZE
global ring3_frame_top
ring3_frame_top:
ring0_resume_esp: resd 1

section .text

; Pops a struct trap_frame from the stack (segments, general registers, vector and error code)
; and returns from the interrupt to the state it describes.
%macro RESTORE_FRAME_AND_IRET 0
    pop gs
    pop fs
    pop es
    pop ds
    popa
    add esp, 8
    iret
%endmacro

%macro STUB 1
trap_stub_%1:
%if (%1 == 8) || (%1 == 10) || (%1 == 11) || (%1 == 12) || (%1 == 13) || (%1 == 14) || (%1 == 17)
%else
    push dword 0
%endif
    push dword %1
    jmp trap_common
%endmacro

%assign v 0
%rep 256
STUB v
%assign v v + 1
%endrep

section .rodata
align 4
global trap_stub_table
trap_stub_table:
%assign v 0
%rep 256
    dd trap_stub_ %+ v
%assign v v + 1
%endrep

section .text
trap_common:
    pusha
    push ds
    push es
    push fs
    push gs
    mov ax, SEL_MON_DS
    mov ds, ax
    mov es, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    cld
    test byte [esp + FRAME_CS], 3
    jnz .from_ring3
    push esp
    call trap_from_monitor
    add esp, 4
    RESTORE_FRAME_AND_IRET
.from_ring3:
    mov esp, [ring0_resume_esp]
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; void ring3_enter(void): IRET into ring3_frame; returns when ring 3 traps (see above).
global ring3_enter
ring3_enter:
    cli
    push ebp
    push ebx
    push esi
    push edi
    mov [ring0_resume_esp], esp
    mov esp, ring3_frame
    RESTORE_FRAME_AND_IRET

; The double-fault task starts here on its own stack; the faulting state is in the main TSS.
global double_fault_task
double_fault_task:
    call double_fault_report
.stop:
    cli
    hlt
    jmp .stop
