/*
 * sbi_entry.S -- the firmware's trap vector: every trap taken to M-mode lands here.
 *
 * mtvec points at sbi_vector. M-mode runs without translation, so this code is
 * fetched at its physical address. What reaches M-mode: an ecall from S-mode
 * (an SBI call: medeleg does not delegate cause 9), the machine timer (MTI,
 * when the kernel asked for a timer through SBI) and the machine software
 * interrupt (MSI: an IPI another hart sent through SBI).
 *
 * The work itself is Python (oskit/firmware/sbi.py), reached as a host call,
 * just as the kernel's trampoline calls the Python trap(): entry and exit are
 * real RISC-V, so the trap from S to M and the mret back are the hardware's.
 */
	.section .text.sbi, "ax"
	.balign 8
	.globl sbi_entry_start
sbi_entry_start:
	.globl sbi_vector
sbi_vector:
	/* Here: mepc = the trapping pc, mcause, mstatus.MPP = the mode we came from,
	 * interrupts off (MIE = 0); every register still the caller's. */
	csrw	mscratch, ra		/* 1. keep the caller's ra: the call below needs ra */
1:	auipc	ra, %pcrel_hi(sbi_handler)
	ld	ra, %pcrel_lo(1b)(ra)	/* the host function's address, set at boot */
	jalr	ra, 0(ra)		/* 2. sbi.py: a0/a1 answered, mepc moved past the ecall */
	csrr	ra, mscratch		/* 3. the caller's ra back */
	mret				/* 4. to mepc, in mode MPP (S) */

	.balign 8
	.globl sbi_handler
sbi_handler:
	.dword	0
	.globl sbi_entry_end
sbi_entry_end:
