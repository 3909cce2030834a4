; nexus_entry.asm: the code of the nexus segment, run at ring 3.
;
; Assembled as a flat binary with origin 0: every address here is an offset in the nexus code
; segment, whose base the monitor chooses (and may change), so the code is position independent
; by construction. The data page follows the code at NEXUS_DATA_OFFSET and is reached through
; the nexus data segment, which has the same base. Layouts: scan/nexus.h.

bits 32
org 0

NEXUS_MAGIC       equ 0x5355584E
NEXUS_DATA_OFFSET equ 0x1000
SEL_NEXUS_DS      equ (((8192 - 8 + 5) << 3) | 3)

D_INT3_HITS equ NEXUS_DATA_OFFSET + 0
D_LAST_CPL  equ NEXUS_DATA_OFFSET + 4
D_LAST_EIP  equ NEXUS_DATA_OFFSET + 8
D_LAST_CS   equ NEXUS_DATA_OFFSET + 12

header:
    dd NEXUS_MAGIC
    dd int3_entry
    dd code_end

; The ring-3 handler gate (IDT vector 3, a DPL-3 trap gate) lands here, on the interrupted
; code's own stack, with no privilege change: [esp] = EIP after the INT3, CS, EFLAGS.
; It records the hit and returns; the interrupted code's registers are preserved.
int3_entry:
    push ds
    push eax
    mov ax, SEL_NEXUS_DS
    mov ds, ax
    inc dword [D_INT3_HITS]
    mov eax, cs
    and eax, 3
    mov [D_LAST_CPL], eax
    mov eax, [esp + 8]
    mov [D_LAST_EIP], eax
    mov eax, [esp + 12]
    mov [D_LAST_CS], eax
    pop eax
    pop ds
    iretd

code_end:
    ; Fails to assemble (negative count) if the code ever grows into its data page.
    times NEXUS_DATA_OFFSET - (code_end - header) db 0
