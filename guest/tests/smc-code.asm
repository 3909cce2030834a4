; Code that the smc guest runs, then rewrites while it stays in place, then runs again.
        bits 32
        section .text

; uint32_t smc_imm(void): returns the immediate of its MOV, which the guest rewrites.
        global smc_imm, smc_imm_field
smc_imm:
        mov eax, 0x11111111
smc_imm_field equ smc_imm + 1
        ret

; uint32_t smc_next(uint32_t v): stores v into the immediate of the very next instruction and
; returns what that instruction loads: the CPU must see the store.
        global smc_next
smc_next:
        mov eax, [esp + 4]
        mov [.insn + 1], eax
.insn:  mov eax, 0x0badc0de
        ret

; uint32_t smc_trap(void): its first byte is a NOP or an INT3 depending on the guest's patch.
        global smc_trap, smc_trap_site
smc_trap:
smc_trap_site:
        nop
        mov eax, 7
        ret

; uint32_t smc_branch(void): the guest replaces its first instruction with a short jump over the
; first return into code that has never run.
        global smc_branch
smc_branch:
        mov eax, 1
        ret
        mov eax, 2
        ret
