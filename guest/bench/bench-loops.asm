; The timed loops of the benchmark guest. Every loop is a cdecl function uint32_t f(uint32_t n)
; that runs n iterations (none when n is 0) of the same loop skeleton, so the cost of
; bench_empty, the skeleton alone, can be subtracted from any of them. The bodies are written out
; here rather than as C inline assembly so the compiler cannot add, move or merge instructions.
        bits 32

; Each loop iteration runs its operation UNROLL times, so the loop's own cost, which QEMU makes
; larger than a cheap operation's, weighs less; bench.c reads the factor from bench_unroll.
%define UNROLL 4

; The vectors bench.c points at bench_iret (written twice: these are immediates).
%define BENCH_INT_VECTOR     0x81
%define BENCH_SYSCALL_VECTOR 0x80

; LOOP name: a loop function whose body is the macro's following lines up to ENDLOOP. EAX starts
; from a fixed seed, so bench_cpu_loop computes the same thing every run; the others ignore it.
%macro LOOP 1
        global %1
        align 16
%1:
        mov eax, 0x92d68ca2
        mov ecx, [esp + 4]
        test ecx, ecx
        jz %%done
        align 16
%%next:
%define LOOP_DONE %%done
%define LOOP_NEXT %%next
%endmacro

%macro ENDLOOP 0
        dec ecx
        jnz LOOP_NEXT
LOOP_DONE:
        ret
%endmacro

        section .text

LOOP bench_empty
ENDLOOP

; A critical section's bracket. Entered with IF as the caller left it; leaves IF set.
LOOP bench_cli_sti
%rep UNROLL
        cli
        sti
%endrep
ENDLOOP

LOOP bench_pushf_popf
%rep UNROLL
        pushfd
        popfd
%endrep
ENDLOOP

; MOV from CS shows the current privilege level in its RPL: the classic non-faulting leak. The
; store to memory keeps the native cost above zero under QEMU, which folds a register move away.
LOOP bench_mov_sreg
%rep UNROLL
        mov [sreg_store], cs
%endrep
ENDLOOP

LOOP bench_smsw_sgdt
%rep UNROLL
        smsw eax
        sgdt [gdtr_store]
%endrep
ENDLOOP

; The master PIC's mask register: an emulated device register that has no side effect to read.
LOOP bench_in_port
%rep UNROLL
        in al, 0x21
%endrep
ENDLOOP

; To bench_iret through an interrupt gate of the guest's own IDT (bench.c installs it).
LOOP bench_int_iret
%rep UNROLL
        int BENCH_INT_VECTOR
%endrep
ENDLOOP

; Runs at ring 3 (through ring3_call): a system call into ring 0 and straight back.
LOOP bench_syscall
%rep UNROLL
        int BENCH_SYSCALL_VECTOR
%endrep
ENDLOOP

; No sensitive instruction: a chain of dependent multiplies (its latency cannot hide behind the
; loop's own overhead) and a read-modify-write of the table entry the result picks.
LOOP bench_cpu_loop
%rep UNROLL
%rep 8
        imul eax, eax, 0x9e3779b1
        add eax, ecx
%endrep
        mov edx, eax
        shr edx, 22
        add [cpu_table + 4 * edx], eax
%endrep
ENDLOOP

; The whole handler of both vectors: return at once.
        global bench_iret
        align 16
bench_iret:
        iretd

        section .rodata
        global bench_unroll
        align 4
bench_unroll:
        dd UNROLL

        section .bss nobits alloc noexec write align=16
cpu_table:
        resd 1024
gdtr_store:
        resb 8
sreg_store:
        resw 1
