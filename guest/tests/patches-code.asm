; The sequences of the patches guest: each sensitive instruction the nexus emulates (CLI, STI,
; PUSHFD, POPFD, MOV r/PUSH from a segment register, STR, SLDT, SMSW) is followed by at least seven
; bytes of plain instructions (no transfer, no site, nothing privileged), so under vmethod=nexus
; the insert-call patch (a 7-byte far JMP) covers the site and displaces them into its stub. The
; section is page aligned (guest/lib/guest.ld) and this file is far smaller than a page, so no
; region can be refused for running into the next page. The "displaced" comments name the
; instructions a patch covers. Every function follows cdecl and returns its result in EAX.
        bits 32
        section .pagetest progbits alloc exec nowrite align=4096

; uint32_t patch_cli_sti(uint32_t a, uint32_t b):
; ((((a + b) * 3 + 5) ^ 0x5a) * 3 + 0x1234), with IF set on return.
        global patch_cli_sti
patch_cli_sti:
        mov eax, [esp + 4]
        mov ecx, [esp + 8]
        cli
        add eax, ecx                    ; displaced
        lea eax, [eax + eax * 2 + 5]    ; displaced
        xor eax, 0x5a
        sti
        imul eax, eax, 3                ; displaced (the STI's interrupt shadow)
        add eax, strict dword 0x1234    ; displaced
        ret

; uint32_t patch_pushf_popf(uint32_t a): ~(rol(a - 7, 5) ^ 0x3c3c3c3c) + 0x100, the caller's
; flags (IF) restored by the POPFD; interrupts may arrive in the first and the last region.
        global patch_pushf_popf
patch_pushf_popf:
        mov eax, [esp + 4]
        pushfd
        sub eax, 7                      ; displaced
        rol eax, 5                      ; displaced
        cli
        xor eax, 0x3c3c3c3c             ; displaced
        not eax                         ; displaced
        popfd
        lea eax, [eax + 0x100]          ; displaced
        ret

; uint32_t patch_pushf_esp(uint32_t out[2]): the flags image PUSHFD stored, with the arithmetic
; flags of a zero result (ZF, PF), read through ESP by a displaced instruction; out[0] is how far
; the push moved ESP (4), out[1] ESP before the push less ESP after the pop (0).
        global patch_pushf_esp
patch_pushf_esp:
        push ebx
        mov ebx, [esp + 8]
        mov ecx, esp
        mov edx, esp
        sub eax, eax
        pushfd
        mov eax, [esp]                  ; displaced
        sub ecx, esp                    ; displaced
        add esp, 4                      ; displaced
        sub edx, esp
        mov [ebx], ecx
        mov [ebx + 4], edx
        pop ebx
        ret

; uint32_t patch_popf_pending(uint32_t flags): loads flags with POPFD (the caller sets IF in them
; while IRQ 0 is pending); ECX is 0 until the instruction at patch_popf_after. Returns 0x11111133.
        global patch_popf_pending, patch_popf_after
patch_popf_pending:
        mov eax, [esp + 4]
        push eax
        xor ecx, ecx
        popfd
patch_popf_after:
        mov ecx, 0x11111111             ; displaced
        add ecx, 0x22                   ; displaced
        mov eax, ecx
        ret

; uint32_t patch_sti_pending(void): STI while IRQ 0 is pending; the interrupt comes after the one
; instruction of the shadow, at patch_sti_after, with ECX 0x11111111. Returns 0x11111133.
        global patch_sti_pending, patch_sti_after
patch_sti_pending:
        xor ecx, ecx
        sti
        mov ecx, 0x11111111             ; displaced
patch_sti_after:
        add ecx, 0x22                   ; displaced
        mov eax, ecx
        ret

; uint32_t patch_div_fault(uint32_t x): PUSHFD, then a DIV by zero among the displaced
; instructions (#DE at patch_div_insn with EAX = x, ECX = EDX = 0, EBX = 0x600dcafe and the flags
; image on top of the stack); the guest's handler skips the DIV. Returns x + 0x10 + 0x600dcaff.
        global patch_div_fault, patch_div_insn
patch_div_fault:
        push ebx
        mov eax, [esp + 8]
        mov ebx, 0x600dcafe
        sub ecx, ecx
        sub edx, edx
        pushfd
patch_div_insn:
        div ecx                         ; displaced
        add eax, 0x10                   ; displaced
        lea ebx, [ebx + 1]              ; displaced
        pop edx
        add eax, ebx
        pop ebx
        ret

; uint32_t patch_vga(uint32_t v): CLI, then v stored to VGA text memory and loaded back (MMIO
; under nexus86) by displaced instructions; STI. Returns what the load read.
        global patch_vga
patch_vga:
        mov eax, [esp + 4]
        cli
        mov [0xb8f00], eax              ; displaced
        mov edx, [0xb8f00]              ; displaced
        sti
        mov eax, edx                    ; displaced
        lea ecx, [edx + 0x1000]         ; displaced
        ret

; uint32_t patch_step(uint32_t tf): POPFD sets TF when tf is 0x100; then a CLI and a PUSHFD, each
; with its displaced instructions, run under the guest's single steps. patch_step_trace lists the
; EIP of every single-step trap that follows, up to patch_step_end, where the guest's handler
; clears TF. Returns the flags image the PUSHFD stored.
        global patch_step, patch_step_end, patch_step_trace
patch_step:
        push ebx
        mov eax, [esp + 8]
        pushfd
        or [esp], eax
        popfd
        nop
.s1:    cli
.s2:    mov eax, 1                      ; displaced
.s3:    add ecx, edx                    ; displaced
.s4:    lea ebx, [ebx + 4]
.s5:    pushfd
.s6:    pop eax                         ; displaced
.s7:    mov ecx, 0x33333333             ; displaced
patch_step_end:
        pop ebx
        ret

; void patch_selectors(uint32_t out[9]): CS (MOV r32), DS into CX with ECX's upper half set
; (MOV r16), SS (PUSH and POP), 0x5a5a5a5a, TR (STR r32), LDTR (SLDT r32), 0x11111111, the machine
; status word (SMSW r32), 0x22222222.
        global patch_selectors
patch_selectors:
        push esi
        mov esi, [esp + 8]
        mov eax, cs
        mov [esi], eax                  ; displaced
        mov ecx, 0xffffffff             ; displaced
        mov cx, ds
        mov [esi + 4], ecx              ; displaced
        mov edx, 0x5a5a5a5a             ; displaced
        push ss
        pop eax                         ; displaced
        mov [esi + 8], eax              ; displaced
        mov [esi + 12], edx             ; displaced
        str eax
        mov [esi + 16], eax             ; displaced
        mov edx, 0x11111111             ; displaced
        sldt ecx
        mov [esi + 20], ecx             ; displaced
        mov [esi + 24], edx             ; displaced
        smsw eax
        mov [esi + 28], eax             ; displaced
        mov ecx, 0x22222222             ; displaced
        mov [esi + 32], ecx
        pop esi
        ret

; uint32_t patch_flags_fn(uint32_t unused): a kernel function that returns its PUSHFD image,
; called from ring 0 and from ring 3.
        global patch_flags_fn
patch_flags_fn:
        pushfd
        pop eax                         ; displaced
        mov ecx, 0x12345678             ; displaced
        ret

        section .rodata
; The EIPs of the single-step traps in patch_step after its POPFD set TF: the NOP runs first.
patch_step_trace:
        dd patch_step.s1, patch_step.s2, patch_step.s3, patch_step.s4, patch_step.s5
        dd patch_step.s6, patch_step.s7, patch_step_end
