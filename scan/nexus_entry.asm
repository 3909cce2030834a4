; nexus_entry.asm: the code of the nexus segment, run at ring 3: the ring-3 INT3 handler of
; vmethod=r3, which finds a planted site in the site cache the ring-0 monitor fills and emulates
; it on the virtual state in the nexus data page, or defers to ring 0 (INT NEXUS_CALL_VECTOR).
;
; Assembled as a flat binary with origin 0: every address here is an offset in the nexus code
; segment, whose base the monitor chooses (and may change), so the code is position independent
; by construction. The data pages follow the code at NEXUS_DATA_OFFSET and are reached through
; the nexus data segment, which has the same base. Layouts: scan/nexus.h (struct nexus_data); the
; D_* offsets below must match it (monitor/nexus.c checks them at compile time).
;
; Contract with the ring-0 monitor (monitor/vm/nexus_run.c):
;  - The handler runs on the guest's stack, below the 12-byte frame the INT3 pushed. Its first
;    two instructions (push ds, push eax) are the only ones that may fault on that stack; the
;    monitor recognises them by EIP (header offset int3_entry, +1) and finds the frame at ESP or
;    ESP + 4. From "checkpoint" on, the guest's registers are in the data page (D_REGS, D_GDS)
;    and D_FRAME says where the frame is; a fault after that (a guest stack access) is recovered
;    from there.
;  - To defer, the handler restores every guest register, leaves a frame (EIP, CS, EFLAGS) at
;    the guest's ESP and executes INT NEXUS_CALL_VECTOR; D_DEFER_KIND says whether EIP is just
;    past a site the monitor must handle (DEFER_SITE) or the next instruction (DEFER_RESUME:
;    emulated, but an interrupt became deliverable).
;  - Nothing here is trusted by ring 0: the guest can write every data byte.

bits 32
org 0

NEXUS_MAGIC       equ 0x5355584E
NEXUS_STUB_OFFSET equ 0x1000
NEXUS_STUB_PAGES  equ 32
NEXUS_DATA_OFFSET equ NEXUS_STUB_OFFSET + NEXUS_STUB_PAGES * 0x1000
SEL_NEXUS_DS      equ (((8192 - 8 + 5) << 3) | 3)
NEXUS_CALL_VECTOR equ 0x30

FL_TF   equ 0x100
FL_IF   equ 0x200
; The flags the guest's native code changes itself (run.c LIVE_FLAGS: arithmetic, TF, DF, AC, ID)
; and the virtual ones POPF changes at virtual CPL 0 (IF, IOPL, NT).
LIVE    equ 0x8D5 | 0x100 | 0x400 | 0x40000 | 0x200000
VIRT    equ 0x200 | 0x3000 | 0x4000

DEFER_SITE   equ 1
DEFER_RESUME equ 2

D equ NEXUS_DATA_OFFSET
D_INT3_HITS   equ D + 0
D_LAST_CPL    equ D + 4
D_LAST_EIP    equ D + 8
D_LAST_CS     equ D + 12
D_ACTIVE      equ D + 16
D_FAST        equ D + 20
D_PENDING     equ D + 24
D_VFLAGS      equ D + 28
D_CS_SEL      equ D + 32
D_CS_BASE     equ D + 36
D_DEFER_KIND  equ D + 40
D_STI_EIP     equ D + 44
D_EMULATED    equ D + 48
D_DEFERRED    equ D + 52
D_IN          equ D + 56
D_FRAME       equ D + 60
D_GDS         equ D + 64
D_ENTRY       equ D + 68
D_ADV         equ D + 72
D_CPUID_COUNT equ D + 76
D_REGS        equ D + 80          ; 8 dwords, encoding order (ESP's slot unused)
D_VALS        equ D + 112         ; 9 dwords: ES CS SS DS FS GS as the guest sees them, CR0, LDTR, TR
D_SREG_REAL   equ D + 148         ; 6 dwords: the selectors the real CPU holds
D_CPUID       equ D + 172         ; CPUID_MAX entries of 5 dwords: leaf, EAX, EBX, ECX, EDX
CPUID_MAX     equ 48
D_SITES       equ D + 0x1000      ; NSITES entries of 16 bytes (struct nexus_site)
NSITES        equ 512

; struct nexus_site
S_ADDR equ 0
S_OP   equ 4
S_LEN  equ 5
S_REG  equ 6
S_SRC  equ 7
S_HITS equ 8
S_AUX  equ 12

; Operations (enum nexus_op)
OP_NONE    equ 0
OP_CLI     equ 1
OP_STI     equ 2
OP_PUSHF   equ 3
OP_POPF    equ 4
OP_MOV32   equ 5
OP_MOV16   equ 6
OP_PUSH32  equ 7
OP_CPUID   equ 8
OP_RET     equ 9
OP_JMPR    equ 10
OP_CALLR   equ 11
OP_COUNT   equ 12

header:
    dd NEXUS_MAGIC
    dd int3_entry
    dd code_end

; The ring-3 handler gate (IDT vector 3, a DPL-3 trap gate) lands here, on the interrupted
; code's own stack, with no privilege change: [esp] = EIP after the INT3, CS, EFLAGS.
int3_entry:
    push ds                     ; a fault here: the monitor finds the frame at ESP
    push eax                    ; a fault here: at ESP + 4
    mov eax, SEL_NEXUS_DS
    mov ds, eax
    inc dword [D_INT3_HITS]
    cmp dword [D_ACTIVE], 0
    je probe
    pop dword [D_REGS + 0]
    pop dword [D_GDS]
    mov [D_REGS + 4], ecx
    mov [D_REGS + 8], edx
    mov [D_REGS + 12], ebx
    mov [D_REGS + 20], ebp
    mov [D_REGS + 24], esi
    mov [D_REGS + 28], edi
    mov [D_FRAME], esp
    mov dword [D_IN], 1         ; checkpoint
    cmp dword [D_FAST], 0
    je defer_site
    mov eax, [esp + 4]
    cmp eax, [D_CS_SEL]
    jne defer_site
    test dword [esp + 8], FL_TF
    jnz defer_site
    mov eax, [esp]
    dec eax
    add eax, [D_CS_BASE]        ; the site's linear address
    mov ebx, eax
    and ebx, NSITES - 1
    shl ebx, 4
    add ebx, D_SITES
    cmp [ebx + S_ADDR], eax
    jne defer_site
    mov [D_ENTRY], ebx
    movzx eax, byte [ebx + S_LEN]
    dec eax
    mov [D_ADV], eax            ; EIP is past the INT3 already
    movzx ecx, byte [ebx + S_OP]
    cmp ecx, OP_COUNT
    jae defer_site
    jmp [cs:op_table + ecx * 4]

op_table:
    dd defer_site, op_cli, op_sti, op_pushf, op_popf, op_mov32, op_mov16, op_push32, op_cpuid
    dd op_ret, op_jmpr, op_callr

op_cli:
    and dword [D_VFLAGS], ~FL_IF
    jmp done

op_sti:
    test dword [D_VFLAGS], FL_IF
    jnz done
    ; An interrupt waits: ring 0 runs the STI, with its interrupt shadow, and delivers it.
    cmp dword [D_PENDING], 0
    jne defer_site
    or dword [D_VFLAGS], FL_IF
    mov eax, [esp]
    mov [D_STI_EIP], eax        ; ring 0 keeps the shadow if an interrupt stops the next one
    jmp done

; The flags image goes where the frame's EFLAGS is; the frame moves one slot down (into the slot
; the prologue's push ds wrote, so no new stack byte is touched).
op_pushf:
    mov eax, [esp + 8]
    and eax, LIVE
    mov edx, [D_VFLAGS]
    and edx, VIRT
    or eax, edx
    or eax, 2
    jmp push_eax

op_push32:
    movzx eax, byte [ebx + S_SRC]
    call sreg_current
    mov eax, [D_VALS + eax * 4]
push_eax:
    mov ecx, [esp]
    mov edx, [esp + 4]
    mov ebx, [esp + 8]
    mov [esp + 8], eax
    mov [esp + 4], ebx
    mov [esp], edx
    mov [esp - 4], ecx
    sub esp, 4
    jmp done

; At virtual CPL 0 POPF loads the live flags and IF, IOPL, NT; the frame moves one slot up.
op_popf:
    mov eax, [esp + 12]         ; may fault: recovered from the checkpoint
    test eax, FL_TF
    jnz defer_site
    mov esi, eax
    and esi, LIVE
    mov ebx, [esp + 8]
    and ebx, ~LIVE
    or ebx, esi
    mov ecx, [esp]
    mov edx, [esp + 4]
    mov [esp + 12], ebx         ; the only write that can fault, so it comes first
    mov [esp + 8], edx
    mov [esp + 4], ecx
    add esp, 4
    and eax, VIRT
    mov edx, [D_VFLAGS]
    and edx, ~VIRT
    or edx, eax
    mov [D_VFLAGS], edx
    jmp done

; MOV r, Sreg / SMSW r / STR r / SLDT r with a register destination.
op_mov32:
    movzx eax, byte [ebx + S_SRC]
    call sreg_current
    mov ecx, [D_VALS + eax * 4]
    movzx edx, byte [ebx + S_REG]
    and edx, 7
    mov [D_REGS + edx * 4], ecx
    jmp done

op_mov16:
    movzx eax, byte [ebx + S_SRC]
    call sreg_current
    mov ecx, [D_VALS + eax * 4]
    movzx edx, byte [ebx + S_REG]
    and edx, 7
    mov [D_REGS + edx * 4], cx
    jmp done

; Returns if value eax (an index into D_VALS) is current: a data segment register the guest may
; have loaded natively since ring 0 published the values must still hold the published selector.
; Otherwise drops the return address and defers.
sreg_current:
    cmp eax, 9
    jae .stale
    cmp eax, 0
    je .es
    cmp eax, 3
    je .ds
    cmp eax, 4
    je .fs
    cmp eax, 5
    je .gs
    ret
.es:
    mov ecx, es
    jmp .cmp
.ds:
    mov ecx, [D_GDS]
    jmp .cmp
.fs:
    mov ecx, fs
    jmp .cmp
.gs:
    mov ecx, gs
.cmp:
    movzx ecx, cx
    cmp ecx, [D_SREG_REAL + eax * 4]
    jne .stale
    ret
.stale:
    add esp, 4
    jmp defer_site

op_cpuid:
    mov eax, [D_REGS + 0]
    mov ecx, [D_CPUID_COUNT]
    cmp ecx, CPUID_MAX
    ja defer_site
    mov esi, D_CPUID
.next:
    test ecx, ecx
    jz defer_site               ; a leaf the table does not hold (or one that takes a subleaf)
    cmp [esi], eax
    je .hit
    add esi, 20
    dec ecx
    jmp .next
.hit:
    mov eax, [esi + 4]
    mov [D_REGS + 0], eax
    mov eax, [esi + 8]
    mov [D_REGS + 12], eax
    mov eax, [esi + 12]
    mov [D_REGS + 4], eax
    mov eax, [esi + 16]
    mov [D_REGS + 8], eax
    jmp done

; Transfers go only to the one target ring 0 found scanned (S_AUX), whose page it watches.
; RET [imm16]: the new frame goes where the return address and imm16 bytes were popped; its
; highest slot is written first, so a fault leaves the old frame whole.
op_ret:
    mov eax, [esp + 12]         ; the return address (may fault: recovered from the checkpoint)
    cmp eax, [ebx + S_AUX]
    jne defer_site
    movzx edx, word [ebx + S_REG]
    lea esi, [esp + 4 + edx]
    mov ecx, [esp + 4]
    mov edx, [esp + 8]
    mov [ss:esi + 8], edx
    mov [ss:esi + 4], ecx
    mov [ss:esi], eax
    mov esp, esi
    mov dword [D_ADV], 0
    jmp done

op_jmpr:
    movzx edx, byte [ebx + S_REG]
    and edx, 7
    mov eax, [D_REGS + edx * 4]
    cmp eax, [ebx + S_AUX]
    jne defer_site
    mov [esp], eax
    mov dword [D_ADV], 0
    jmp done

op_callr:
    movzx edx, byte [ebx + S_REG]
    and edx, 7
    mov eax, [D_REGS + edx * 4]
    cmp eax, [ebx + S_AUX]
    jne defer_site
    mov ecx, [esp]
    add ecx, [D_ADV]            ; the return address
    mov [esp], eax
    mov dword [D_ADV], 0
    mov eax, ecx
    jmp push_eax

done:
    mov ebx, [D_ENTRY]
    inc dword [ebx + S_HITS]
    inc dword [D_EMULATED]
    mov eax, [D_ADV]
    add [esp], eax
    test dword [D_VFLAGS], FL_IF
    jz leave
    cmp dword [D_PENDING], 0
    jne defer_resume
leave:
    mov dword [D_IN], 0
    call restore_regs
    push dword [D_GDS]          ; a slot the prologue or the INT3 already wrote
    mov eax, [D_REGS + 0]
    pop ds
    iretd

defer_resume:
    mov dword [D_DEFER_KIND], DEFER_RESUME
    jmp defer
defer_site:
    mov dword [D_DEFER_KIND], DEFER_SITE
defer:
    inc dword [D_DEFERRED]
    mov dword [D_IN], 0
    call restore_regs
    push dword [D_GDS]
    mov eax, [D_REGS + 0]
    pop ds
    int NEXUS_CALL_VECTOR

restore_regs:
    mov ecx, [D_REGS + 4]
    mov edx, [D_REGS + 8]
    mov ebx, [D_REGS + 12]
    mov ebp, [D_REGS + 20]
    mov esi, [D_REGS + 24]
    mov edi, [D_REGS + 28]
    ret

; No guest runs through the nexus (the self-test's probe): record the hit and return.
probe:
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
    times NEXUS_STUB_OFFSET - (code_end - header) db 0
