/*
 * trampoline.S -- the only kernel code that runs as RISC-V instructions.
 *
 * Mapped at TRAMPOLINE (the kernel half, R/X, no U bit) in every address space,
 * so it keeps running when satp changes. It is position-independent: the kernel
 * copies these bytes into a page; nothing here refers to an absolute address.
 *
 * The six steps of a trap and a context switch:
 *   1. hardware: pc -> sepc, cause -> scause, stval, sstatus.SPP/SPIE; pc = stvec (uservec)
 *   2. uservec: swap sp with sscratch (which holds this thread's trap frame),
 *      save the 31 registers and sepc into the frame, call the host function trap()
 *   3. trap() (Python, oskit/kernel/riscv/trap.py) handles the trap
 *   4. the scheduler may pick another thread: satp, sscratch, sstatus change;
 *      trap() returns that thread's frame in a0
 *   5. userret: restore the 31 registers and sepc from that frame
 *   6. sret: back to user mode (or to the hart's idle loop)
 *
 * The trap frame layout (struct trapframe, TRAPFRAME_* offsets) comes from
 * oskit/kernel/structs.py through the generated header oskit_structs.h.
 */
#include "oskit_structs.h"

	.section .text.trampoline, "ax"
	.balign 4096
	.globl trampoline_start
trampoline_start:

	.globl uservec
uservec:
	/* Step 2. sscratch holds the kernel (DMAP) address of the current thread's
	 * trap frame; after the swap sp points at it and sscratch holds the
	 * interrupted sp. No register may change before it is saved. */
	csrrw	sp, sscratch, sp
	sd	ra, TRAPFRAME_RA(sp)
	sd	gp, TRAPFRAME_GP(sp)
	sd	tp, TRAPFRAME_TP(sp)
	sd	t0, TRAPFRAME_T0(sp)
	sd	t1, TRAPFRAME_T1(sp)
	sd	t2, TRAPFRAME_T2(sp)
	sd	s0, TRAPFRAME_S0(sp)
	sd	s1, TRAPFRAME_S1(sp)
	sd	a0, TRAPFRAME_A0(sp)
	sd	a1, TRAPFRAME_A1(sp)
	sd	a2, TRAPFRAME_A2(sp)
	sd	a3, TRAPFRAME_A3(sp)
	sd	a4, TRAPFRAME_A4(sp)
	sd	a5, TRAPFRAME_A5(sp)
	sd	a6, TRAPFRAME_A6(sp)
	sd	a7, TRAPFRAME_A7(sp)
	sd	s2, TRAPFRAME_S2(sp)
	sd	s3, TRAPFRAME_S3(sp)
	sd	s4, TRAPFRAME_S4(sp)
	sd	s5, TRAPFRAME_S5(sp)
	sd	s6, TRAPFRAME_S6(sp)
	sd	s7, TRAPFRAME_S7(sp)
	sd	s8, TRAPFRAME_S8(sp)
	sd	s9, TRAPFRAME_S9(sp)
	sd	s10, TRAPFRAME_S10(sp)
	sd	s11, TRAPFRAME_S11(sp)
	sd	t3, TRAPFRAME_T3(sp)
	sd	t4, TRAPFRAME_T4(sp)
	sd	t5, TRAPFRAME_T5(sp)
	sd	t6, TRAPFRAME_T6(sp)
	csrr	t0, sscratch		/* the interrupted sp */
	sd	t0, TRAPFRAME_SP(sp)
	csrr	t0, sepc		/* the interrupted pc */
	sd	t0, TRAPFRAME_SEPC(sp)

	/* Step 3: call trap(frame) on this thread's kernel stack. */
	mv	a0, sp
	ld	t0, TRAPFRAME_KERNEL_TRAP(a0)
	ld	sp, TRAPFRAME_KERNEL_SP(a0)
	jalr	t0			/* Python trap(); returns a0 = frame to resume */

	.globl userret
userret:
	/* Step 5. a0 = the trap frame of the thread to run (maybe another one:
	 * step 4 already switched satp). Keep it in sscratch for the next trap. */
	csrw	sscratch, a0
	ld	t0, TRAPFRAME_SEPC(a0)
	csrw	sepc, t0
	ld	ra, TRAPFRAME_RA(a0)
	ld	sp, TRAPFRAME_SP(a0)
	ld	gp, TRAPFRAME_GP(a0)
	ld	tp, TRAPFRAME_TP(a0)
	ld	t0, TRAPFRAME_T0(a0)
	ld	t1, TRAPFRAME_T1(a0)
	ld	t2, TRAPFRAME_T2(a0)
	ld	s0, TRAPFRAME_S0(a0)
	ld	s1, TRAPFRAME_S1(a0)
	ld	a1, TRAPFRAME_A1(a0)
	ld	a2, TRAPFRAME_A2(a0)
	ld	a3, TRAPFRAME_A3(a0)
	ld	a4, TRAPFRAME_A4(a0)
	ld	a5, TRAPFRAME_A5(a0)
	ld	a6, TRAPFRAME_A6(a0)
	ld	a7, TRAPFRAME_A7(a0)
	ld	s2, TRAPFRAME_S2(a0)
	ld	s3, TRAPFRAME_S3(a0)
	ld	s4, TRAPFRAME_S4(a0)
	ld	s5, TRAPFRAME_S5(a0)
	ld	s6, TRAPFRAME_S6(a0)
	ld	s7, TRAPFRAME_S7(a0)
	ld	s8, TRAPFRAME_S8(a0)
	ld	s9, TRAPFRAME_S9(a0)
	ld	s10, TRAPFRAME_S10(a0)
	ld	s11, TRAPFRAME_S11(a0)
	ld	t3, TRAPFRAME_T3(a0)
	ld	t4, TRAPFRAME_T4(a0)
	ld	t5, TRAPFRAME_T5(a0)
	ld	t6, TRAPFRAME_T6(a0)
	ld	a0, TRAPFRAME_A0(a0)	/* last: a0 was our pointer */
	/* Step 6: to sepc, in the mode sstatus.SPP says (U for a process). */
	sret

	/* Each hart's idle thread: entered by sret with SPP=S and SPIE=1, so it
	 * waits with interrupts on; the next interrupt goes to uservec like any trap. */
	.globl idle
idle:
	wfi
	j	idle

	/* sbi_ecall -- a call to the M-mode firmware (SBI), for the Python kernel
	 * (riscv/sbi.py runs it with hart.call): a0-a5 the arguments, a6 the function,
	 * a7 the extension. ecall from S-mode is not delegated (medeleg bit 9 is
	 * clear), so it traps to M-mode, one level down, as a user ecall traps to S;
	 * the firmware answers in a0 (error) and a1 (value) and mrets to the ret. */
	.globl sbi_ecall
sbi_ecall:
	ecall
	ret

	.globl trampoline_end
trampoline_end:

/*
 * sigcode -- copied into the shared page at the top of every user address
 * space (R/X/U). A signal handler returns here (ra); the signal frame is at sp,
 * its ucontext_t (what sigreturn reads) right after the siginfo_t.
 */
	.section .text.sigcode, "ax"
	.balign 4096
	.globl sigcode_start
sigcode_start:
	addi	a0, sp, SIGFRAME_UC_SIGMASK	/* &frame->sf_uc (uc_sigmask is its first field) */
	li	t0, 417			/* SYS_sigreturn */
	ecall
	li	a0, 127			/* sigreturn only returns on a bad frame */
	li	t0, 1			/* SYS_exit */
	ecall
	.globl sigcode_end
sigcode_end:
