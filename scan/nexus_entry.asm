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

H_DS_SEL equ 12

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
    dw SEL_NEXUS_DS             ; H_DS_SEL: the stubs load DS from here (no register needed)
    dw 0
    dd templates

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

; ---------------------------------------------------------------------------------------------
; Insert-call stub templates (vmethod=nexus). Ring 0 (monitor/vm/nexus_stub.c) copies a template
; into a stub slot, fills its fields, appends the instructions the patch displaced and a far jump
; back to the guest (through a pointer after it, CS-relative), and patches the site with a far
; JMP to the template's entry. So a stub is:
;
;   defer_site:   pop eax / pop ds / popfd [/ lea esp, [esp + 4]] / int NEXUS_CALL_VECTOR
;   defer_resume: pop eax / pop ds / popfd / int NEXUS_CALL_VECTOR
;   entry:        [push eax]  pushfd  push ds  push eax       recovery points: entry + k, k pushes
;                 mov ds, [cs:H_DS_SEL]; the checks; count the hit
;                 the operation
;                 pop eax / pop ds / popfd
;                 the displaced instructions
;                 jmp far [cs:back]
;   back:         dd next EIP, dw the guest's CS selector
;
; Nothing but the prologue's pushes (and POPF's read of the guest's stack) can fault before the
; displaced instructions, so ring 0 can always say where the guest is: at the site (a recovery
; point, a deferral from defer_site), just past it (defer_resume), or at one of the displaced
; instructions or the end of the region (the guest's registers are all live there, ESP included).
; The real flags are saved by the prologue, so the operations may change them freely. A guest's
; own TF traps at the entry (after the far JMP), which ring 0 takes as the site.
;
; Fields ring 0 fills (the labels name the first byte after each): f_cs, the real CS selector the
; stub is for (it defers when the guest runs with another); f_hits, the address of its hit counter;
; f_next (STI), the EIP after the STI; f_src, the address of the value in D_VALS; f_move (MOV r,
; Sreg), four bytes that put EAX (or AX) into the destination register.

%macro T_DEFERS 2 ; name, bytes reserved by the prologue
%1_defer_site:
    pop eax
    pop ds
    popfd
%if %2
    lea esp, [esp + %2]
%endif
    int NEXUS_CALL_VECTOR
%1_site_ret:
%1_defer_resume:
    pop eax
    pop ds
    popfd
    int NEXUS_CALL_VECTOR
%1_resume_ret:
%endmacro

%macro T_CHECKS 1
    mov ds, [cs:H_DS_SEL]
    cmp dword [D_FAST], 0
    je %1_defer_site
    cmp dword [D_CS_SEL], strict dword 0
%1_f_cs:
    jne %1_defer_site
    inc dword [dword 0]
%1_f_hits:
%endmacro

%macro T_EXIT 1
    pop eax
    pop ds
    popfd
%1_end:
%endmacro

t_cli:
    T_DEFERS t_cli, 0
t_cli_entry:
    pushfd
    push ds
    push eax
    T_CHECKS t_cli
    and dword [D_VFLAGS], ~FL_IF
    T_EXIT t_cli

; STI with an interrupt waiting defers before it changes anything: ring 0 runs the STI and its
; interrupt shadow. Otherwise the EIP after it is noted for the shadow (as op_sti does).
t_sti:
    T_DEFERS t_sti, 0
t_sti_entry:
    pushfd
    push ds
    push eax
    T_CHECKS t_sti
    test dword [D_VFLAGS], FL_IF
    jnz t_sti_done
    cmp dword [D_PENDING], 0
    jne t_sti_defer_site
    or dword [D_VFLAGS], FL_IF
    mov dword [D_STI_EIP], strict dword 0
t_sti_f_next:
t_sti_done:
    T_EXIT t_sti

; PUSHFD: the first push reserves the slot the flags image goes to.
t_pushf:
    T_DEFERS t_pushf, 4
t_pushf_entry:
    push eax
    pushfd
    push ds
    push eax
    T_CHECKS t_pushf
    mov eax, [esp + 8]
    and eax, LIVE
    or eax, 2
    mov [esp + 12], eax
    mov eax, [D_VFLAGS]
    and eax, VIRT
    or [esp + 12], eax
    T_EXIT t_pushf

; POPFD at virtual CPL 0: the live flags go into the saved real flags, IF/IOPL/NT into the virtual
; ones; the saved slots move up over the popped one. Reading the guest's stack is the fourth
; recovery point (nothing changed yet). A TF being set goes to ring 0.
t_popf:
    T_DEFERS t_popf, 0
t_popf_entry:
    pushfd
    push ds
    push eax
    mov eax, [esp + 12]
    T_CHECKS t_popf
    test eax, FL_TF
    jnz t_popf_defer_site
    and eax, LIVE
    and dword [esp + 8], ~LIVE
    or [esp + 8], eax
    mov eax, [esp + 12]
    and eax, VIRT
    and dword [D_VFLAGS], ~VIRT
    or [D_VFLAGS], eax
    mov eax, [esp + 8]
    mov [esp + 12], eax
    mov eax, [esp + 4]
    mov [esp + 8], eax
    mov eax, [esp]
    mov [esp + 4], eax
    add esp, 4
    test dword [D_VFLAGS], FL_IF
    jz t_popf_done
    cmp dword [D_PENDING], 0
    jne t_popf_defer_resume
t_popf_done:
    T_EXIT t_popf

; MOV r32/r16, Sreg; SMSW, STR, SLDT r: the value is the guest's (segment loads are sites, so
; the values ring 0 published stay current while the guest runs natively).
t_mov:
    T_DEFERS t_mov, 0
t_mov_entry:
    pushfd
    push ds
    push eax
    T_CHECKS t_mov
    mov eax, [dword 0]
t_mov_f_src:
t_mov_f_move:
    times 4 nop
    T_EXIT t_mov

; PUSH Sreg, 32-bit operand size.
t_push:
    T_DEFERS t_push, 4
t_push_entry:
    push eax
    pushfd
    push ds
    push eax
    T_CHECKS t_push
    mov eax, [dword 0]
t_push_f_src:
    mov [esp + 12], eax
    T_EXIT t_push

; The template table, indexed by enum nexus_op (struct nexus_template): no stub where start is 0.
%macro T_ROW 6 ; name, recovery points, f_next, f_src, f_move, reserved bytes
    dw %1, %1_entry, %1_end, %1_site_ret, %1_resume_ret, %2
    dw %1_f_cs, %1_f_hits, %3, %4, %5, %6
%endmacro
%macro T_NONE 0
    times 12 dw 0
%endmacro
templates:
    T_NONE                                              ; OP_NONE
    T_ROW t_cli, 3, 0, 0, 0, 0                          ; OP_CLI
    T_ROW t_sti, 3, t_sti_f_next, 0, 0, 0               ; OP_STI
    T_ROW t_pushf, 4, 0, 0, 0, 4                        ; OP_PUSHF
    T_ROW t_popf, 4, 0, 0, 0, 0                         ; OP_POPF
    T_ROW t_mov, 3, 0, t_mov_f_src, t_mov_f_move, 0     ; OP_MOV32
    T_ROW t_mov, 3, 0, t_mov_f_src, t_mov_f_move, 0     ; OP_MOV16
    T_ROW t_push, 4, 0, t_push_f_src, 0, 4              ; OP_PUSH32
    T_NONE                                              ; OP_CPUID
    T_NONE                                              ; OP_RET
    T_NONE                                              ; OP_JMPR
    T_NONE                                              ; OP_CALLR

code_end:
    ; Fails to assemble (negative count) if the code ever grows into its data page.
    times NEXUS_STUB_OFFSET - (code_end - header) db 0
