; Code reached only through indirect jumps, calls and returns, each target running for the first
; time when reached, and the guest's own INT3s mixed with sensitive instructions.
        bits 32
        section .text

; Eight functions reached only through a table; each returns its index plus CS.
%assign i 0
%rep 8
ind_fn %+ i:
        mov eax, cs
        add eax, i
        ret
%assign i i + 1
%endrep

        section .rodata
        global ind_table
ind_table:
%assign i 0
%rep 8
        dd ind_fn %+ i
%assign i i + 1
%endrep
        section .text

; uint32_t ind_call_mem(uint32_t n): CALL through memory.
        global ind_call_mem
ind_call_mem:
        mov ecx, [esp + 4]
        call [ind_table + ecx * 4]
        ret

; uint32_t ind_switch(uint32_t n): JMP through a jump table, n < 4; returns 100 + n.
        global ind_switch
ind_switch:
        mov ecx, [esp + 4]
        jmp [.jt + ecx * 4]
.c0:    mov eax, 100
        ret
.c1:    mov eax, 101
        ret
.c2:    mov eax, 102
        ret
.c3:    mov eax, 103
        ret
        section .rodata
.jt:    dd .c0, .c1, .c2, .c3
        section .text

; uint32_t ind_push_ret(void): RET to an address pushed by hand.
        global ind_push_ret
ind_push_ret:
        push .target
        ret
.target:
        mov eax, 0x5a5a
        ret

; uint32_t ind_ret_skip(void): a callee moves its return address past a JMP to the failure exit.
        global ind_ret_skip
ind_ret_skip:
        call .callee
        jmp short .fail
        mov eax, 1
        ret
.fail:  xor eax, eax
        ret
.callee:
        add dword [esp], 2
        ret

; uint32_t ind_sled(uint32_t k): JMP through a register into the k-th of 16 INC EAX; returns 16-k.
        global ind_sled
ind_sled:
        mov ecx, [esp + 4]
        xor eax, eax
        lea edx, [.sled + ecx]
        jmp edx
.sled:
        times 16 inc eax
        ret

; Overlapping instructions: from offset 0, MOV EAX, 0xc3589c90 then RET; from offset 2,
; PUSHF; POP EAX; RET hidden in the immediate.
        global ind_overlap
ind_overlap:
        mov eax, 0xc3589c90
        ret

; uint32_t ind_int3_mix(void): the guest's own INT3s between sensitive instructions; returns
; EFLAGS read between them.
        global ind_int3_mix
ind_int3_mix:
        int3
        pushfd
        int3
        pop eax
        int3
        ret
