; Ring switches: ring3_call enters ring 3 with IRET and comes back through the DPL 3 interrupt
; gate RING3_RETURN_VECTOR; callgate_entry is the ring 0 end of the GDT's call gate.
        bits 32

%define KDATA 0x10
%define UCODE 0x1b
%define UDATA 0x23
%define RING3_RETURN_VECTOR 0x30

        section .text
        global ring3_call, ring3_return_entry, callgate_entry

; uint32_t ring3_call(uint32_t (*fn)(uint32_t), uint32_t arg)
ring3_call:
        push ebp
        push ebx
        push esi
        push edi
        pushfd
        mov [ring0_saved_esp], esp
        mov eax, [esp + 24]     ; fn
        mov ecx, [esp + 28]     ; arg
        mov edx, user_stack_top - 8
        mov [edx + 4], ecx
        mov dword [edx], ring3_back
        push dword UDATA        ; SS
        push edx                ; ESP
        pushfd                  ; EFLAGS: the caller's IF and IOPL
        push dword UCODE        ; CS
        push eax                ; EIP
        mov cx, UDATA
        mov ds, cx
        mov es, cx
        mov fs, cx
        mov gs, cx
        iretd

; fn returns here, still at ring 3, with its result in EAX.
ring3_back:
        int RING3_RETURN_VECTOR
        ud2                     ; the gate never returns here

ring3_return_entry:
        mov ecx, KDATA
        mov ds, ecx
        mov es, ecx
        mov fs, ecx
        mov gs, ecx
        mov [ring3_exit], esp
%assign i 0
%rep 5
        mov ecx, [esp + 4 * i]
        mov [ring3_exit + 4 + 4 * i], ecx
%assign i i + 1
%endrep
        mov esp, [ring0_saved_esp]
        popfd
        pop edi
        pop esi
        pop ebx
        pop ebp
        ret

; Reached from ring 3 by a far call through SEL_CALLGATE: returns CS and ESP seen at ring 0.
callgate_entry:
        mov eax, cs
        mov edx, esp
        retf

        section .data
        global ring3_exit
ring0_saved_esp:
        dd 0
; struct ring3_exit_frame: ESP at the gate, then the frame the CPU pushed
ring3_exit:
        times 6 dd 0

        section .bss nobits alloc noexec write align=16
        global user_stack
user_stack:
        resb 8192
user_stack_top:
