; Code placed at exact offsets around 4 KiB page boundaries: instructions (plain and sensitive)
; that straddle a boundary split after each possible byte, instructions that end exactly at a
; boundary, and blocks that run off the end of a page into one that never ran. The section is
; page aligned (guest/lib/guest.ld); filler bytes are INT3, so running into filler is reported as
; an unexpected trap. Every function follows cdecl and returns its result in EAX.
        bits 32
        section .pagetest progbits alloc exec write align=4096

%define PAGE 4096
%macro AT 1                     ; continue at this offset from the section start
        times (%1) - ($ - $$) db 0xcc
%endmacro

; MOV EAX, imm32 split 2 | 3 across pages 0 and 1.
        AT 1 * PAGE - 2
        global pe_mov_straddle
pe_mov_straddle:
        mov eax, 0x12345678
        ret

; MOV EAX, CR0 split 1 | 2 (0F | 20 C0).
        AT 2 * PAGE - 1
        global pe_cr0_split1
pe_cr0_split1:
        mov eax, cr0
        ret

; MOV EAX, CR0 split 2 | 1 (0F 20 | C0).
        AT 3 * PAGE - 2
        global pe_cr0_split2
pe_cr0_split2:
        mov eax, cr0
        ret

; CPUID leaf 0 split 1 | 1 (0F | A2); returns the highest leaf.
        AT 4 * PAGE - 4
        global pe_cpuid_split
pe_cpuid_split:
        push ebx
        xor eax, eax
        cpuid
        pop ebx
        ret

; SGDT [ECX] split 2 | 1 (0F 01 | 09); void pe_sgdt_split(struct dtr *).
        AT 5 * PAGE - 6
        global pe_sgdt_split
pe_sgdt_split:
        mov ecx, [esp + 4]
        sgdt [ecx]
        ret

; CLI as the last byte of a page, PUSHF as the first of the next: returns EFLAGS after CLI.
        AT 6 * PAGE - 1
        global pe_cli_end
pe_cli_end:
        cli
        pushfd
        pop eax
        ret

; The guest's own INT3 as the last byte of a page: the return address is the next page.
        AT 7 * PAGE - 1
        global pe_int3_end, pe_int3_after
pe_int3_end:
        int3
pe_int3_after:
        mov eax, 5
        ret

; A short JMP in the last two bytes of a page to code in the next page that never ran.
        AT 8 * PAGE - 2
        global pe_jmp_end
pe_jmp_end:
        jmp short .target
        AT 8 * PAGE + 16
.target:
        mov eax, 9
        ret

; CALL rel32 split 3 | 2, to a target in the next page.
        AT 9 * PAGE - 3
        global pe_call_split
pe_call_split:
        call .target
        ret
        AT 9 * PAGE + 64
.target:
        mov eax, 11
        ret

; A 10-byte MOV [ECX+0x100], imm32 split 7 | 3; void pe_long_split(uint32_t cell_minus_0x100).
        AT 10 * PAGE - 11
        global pe_long_split
pe_long_split:
        mov ecx, [esp + 4]
        mov dword [ecx + 0x100], 0x9abcdef0
        ret

; MOV EAX, CS split 1 | 1 (8C | C8).
        AT 11 * PAGE - 3
        global pe_movcs_split
pe_movcs_split:
        xor eax, eax
        mov eax, cs
        ret

; LAR EAX, ECX split 2 | 1 (0F 02 | C1); uint32_t pe_lar_split(uint32_t selector).
        AT 12 * PAGE - 6
        global pe_lar_split
pe_lar_split:
        mov ecx, [esp + 4]
        lar eax, ecx
        ret

; IN AL, 0x80 split 1 | 1 (E4 | 80).
        AT 13 * PAGE - 3
        global pe_in_split
pe_in_split:
        xor eax, eax
        in al, 0x80
        ret

; A block running off the end of a page into one never run, with PUSH CS first in it:
; returns 2 + CS.
        AT 14 * PAGE - 3
        global pe_fallthrough
pe_fallthrough:
        xor eax, eax
        inc eax
        inc eax
        push cs
        pop edx
        add eax, edx
        ret

; MOV EAX, CR0 ending exactly at the boundary; the RET is the first byte of the next page.
        AT 15 * PAGE - 3
        global pe_cr0_end
pe_cr0_end:
        mov eax, cr0
        ret

; PUSHF as the last byte of a page.
        AT 16 * PAGE - 1
        global pe_pushf_end
pe_pushf_end:
        pushfd
        pop eax
        ret
        AT 17 * PAGE
