/*
 * crt0.S -- start-up and trap entry for bare-metal programs.
 *
 * Every hart starts at _start in M-mode (as on QEMU's virt board with -bios none).
 *   1. tp = mhartid; sp = this hart's stack; mscratch/sscratch = this hart's
 *      M/S trap stacks; mtvec = bare_mtrap_entry.
 *   2. Hart 0 zeroes .bss, releases the other harts, calls main() and exits
 *      with its return value.
 *   3. Other harts wait until .bss is zeroed, then call secondary_main(hartid)
 *      (weak: the default sleeps in wfi forever).
 * Harts numbered BARE_MAX_HARTS or more park in wfi at once.
 *
 * Trap entry (bare_mtrap_entry, bare_strap_entry): swap sp with xscratch
 * (which holds the top of this hart's trap stack), save the 31 registers and
 * epc/cause/tval/status in a struct bare_frame (bare.h), call the C dispatcher,
 * write back what it may have changed, and xRET. Not re-entrant: a trap
 * inside a handler of the same level overwrites the frame.
 */
#define BARE_MAX_HARTS   4
#define STACK_SIZE       16384
#define TRAP_STACK_SIZE  4096
#define FRAME_SIZE       (36 * 8)
#define BARE_ECALL_RETURN 0x0ba5eba11

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr    tp, mhartid
    li      t0, BARE_MAX_HARTS
    bgeu    tp, t0, park
    /* sp = __stacks_end - hartid * STACK_SIZE */
    li      t0, STACK_SIZE
    mul     t1, tp, t0
    la      sp, __stacks_end
    sub     sp, sp, t1
    /* mscratch, sscratch = tops of this hart's trap stacks */
    li      t0, TRAP_STACK_SIZE
    mul     t1, tp, t0
    la      t2, __mtrap_stacks_end
    sub     t2, t2, t1
    csrw    mscratch, t2
    la      t2, __strap_stacks_end
    sub     t2, t2, t1
    csrw    sscratch, t2
    la      t0, bare_mtrap_entry
    csrw    mtvec, t0
    bnez    tp, secondary

    /* hart 0: zero .bss (8 bytes at a time; link.ld aligns both ends to 8) */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  fence   rw, rw
    la      t0, bare_boot_done
    li      t1, 1
    sw      t1, 0(t0)
    li      a0, 0               /* argc */
    li      a1, 0               /* argv */
    li      a2, 0               /* envp */
    call    main
    call    bare_exit           /* main's return value is already in a0 */

secondary:
    la      t0, bare_boot_done
3:  lw      t1, 0(t0)
    beqz    t1, 3b
    fence   rw, rw
    mv      a0, tp
    call    secondary_main
park:
    wfi
    j       park

/* The default secondary_main: sleep. Interrupts still wake wfi, so loop. */
    .text
    .weak   secondary_main
secondary_main:
    wfi
    j       secondary_main

/* ---- trap entry: one macro for M and S ---- */
.macro TRAP_ENTRY name, scratch, epc, cause, tval, status, dispatch, xret
    .globl \name
    .balign 4
\name:
    csrrw   sp, \scratch, sp            /* sp = trap stack, xscratch = interrupted sp */
    addi    sp, sp, -FRAME_SIZE
    sd      x1, 1*8(sp)
    sd      x3, 3*8(sp)
    sd      x4, 4*8(sp)
    sd      x5, 5*8(sp)
    sd      x6, 6*8(sp)
    sd      x7, 7*8(sp)
    sd      x8, 8*8(sp)
    sd      x9, 9*8(sp)
    sd      x10, 10*8(sp)
    sd      x11, 11*8(sp)
    sd      x12, 12*8(sp)
    sd      x13, 13*8(sp)
    sd      x14, 14*8(sp)
    sd      x15, 15*8(sp)
    sd      x16, 16*8(sp)
    sd      x17, 17*8(sp)
    sd      x18, 18*8(sp)
    sd      x19, 19*8(sp)
    sd      x20, 20*8(sp)
    sd      x21, 21*8(sp)
    sd      x22, 22*8(sp)
    sd      x23, 23*8(sp)
    sd      x24, 24*8(sp)
    sd      x25, 25*8(sp)
    sd      x26, 26*8(sp)
    sd      x27, 27*8(sp)
    sd      x28, 28*8(sp)
    sd      x29, 29*8(sp)
    sd      x30, 30*8(sp)
    sd      x31, 31*8(sp)
    csrr    t0, \scratch
    sd      t0, 2*8(sp)
    sd      zero, 0(sp)
    csrr    t0, \epc
    sd      t0, 32*8(sp)
    csrr    t0, \cause
    sd      t0, 33*8(sp)
    csrr    t0, \tval
    sd      t0, 34*8(sp)
    csrr    t0, \status
    sd      t0, 35*8(sp)
    mv      a0, sp
    call    \dispatch
    ld      t0, 32*8(sp)
    csrw    \epc, t0
    ld      t0, 35*8(sp)
    csrw    \status, t0
    addi    t0, sp, FRAME_SIZE
    csrw    \scratch, t0                /* the trap stack is whole again */
    ld      x1, 1*8(sp)
    ld      x3, 3*8(sp)
    ld      x4, 4*8(sp)
    ld      x5, 5*8(sp)
    ld      x6, 6*8(sp)
    ld      x7, 7*8(sp)
    ld      x8, 8*8(sp)
    ld      x9, 9*8(sp)
    ld      x10, 10*8(sp)
    ld      x11, 11*8(sp)
    ld      x12, 12*8(sp)
    ld      x13, 13*8(sp)
    ld      x14, 14*8(sp)
    ld      x15, 15*8(sp)
    ld      x16, 16*8(sp)
    ld      x17, 17*8(sp)
    ld      x18, 18*8(sp)
    ld      x19, 19*8(sp)
    ld      x20, 20*8(sp)
    ld      x21, 21*8(sp)
    ld      x22, 22*8(sp)
    ld      x23, 23*8(sp)
    ld      x24, 24*8(sp)
    ld      x25, 25*8(sp)
    ld      x26, 26*8(sp)
    ld      x27, 27*8(sp)
    ld      x28, 28*8(sp)
    ld      x29, 29*8(sp)
    ld      x30, 30*8(sp)
    ld      x31, 31*8(sp)
    ld      sp, 2*8(sp)                 /* last: the interrupted (or handler-chosen) sp */
    \xret
.endm

    TRAP_ENTRY bare_mtrap_entry, mscratch, mepc, mcause, mtval, mstatus, bare_mtrap_dispatch, mret
    TRAP_ENTRY bare_strap_entry, sscratch, sepc, scause, stval, sstatus, bare_strap_dispatch, sret

/*
 * long bare_mrun(int priv, long (*fn)(long), long arg, void *stack)
 * long bare_srun(long (*fn)(long), long arg, void *stack)
 *
 * Save the callee-saved registers on the caller's stack, remember that sp in
 * bare_mrun_sp[hartid] (bare_srun_sp), then xRET into fn with ra =
 * bare_lower_return. The ecall there comes back through the trap entry, whose
 * dispatcher calls bare_mresume(value) (bare_sresume), which restores the
 * registers and returns value to the caller of bare_mrun.
 */
#define SAVE_CALLEE \
    addi sp, sp, -112;  \
    sd ra, 0(sp);  sd s0, 8(sp);  sd s1, 16(sp); sd s2, 24(sp); \
    sd s3, 32(sp); sd s4, 40(sp); sd s5, 48(sp); sd s6, 56(sp); \
    sd s7, 64(sp); sd s8, 72(sp); sd s9, 80(sp); sd s10, 88(sp); \
    sd s11, 96(sp)
#define RESTORE_CALLEE \
    ld ra, 0(sp);  ld s0, 8(sp);  ld s1, 16(sp); ld s2, 24(sp); \
    ld s3, 32(sp); ld s4, 40(sp); ld s5, 48(sp); ld s6, 56(sp); \
    ld s7, 64(sp); ld s8, 72(sp); ld s9, 80(sp); ld s10, 88(sp); \
    ld s11, 96(sp); addi sp, sp, 112

    .text
    .globl bare_mrun
bare_mrun:
    SAVE_CALLEE
    csrr    t0, mstatus
    andi    t0, t0, 8                   /* MIE, restored by bare_mresume */
    sd      t0, 104(sp)
    la      t0, bare_mrun_sp
    slli    t1, tp, 3
    add     t0, t0, t1
    sd      sp, 0(t0)
    /* mstatus.MPP = priv (bits 12:11) */
    li      t0, 3 << 11
    csrc    mstatus, t0
    andi    a0, a0, 3
    slli    a0, a0, 11
    csrs    mstatus, a0
    csrw    mepc, a1
    beqz    a3, 1f
    mv      sp, a3
1:  mv      a0, a2
    la      ra, bare_lower_return
    mret

    .globl bare_mresume
bare_mresume:                           /* a0 = value; runs in M on the trap stack */
    la      t0, bare_mrun_sp
    slli    t1, tp, 3
    add     t0, t0, t1
    ld      t2, 0(t0)
    /* the trap stack is free again: mscratch = its top, as crt0 set it */
    li      t0, TRAP_STACK_SIZE
    mul     t1, tp, t0
    la      t0, __mtrap_stacks_end
    sub     t0, t0, t1
    csrw    mscratch, t0
    mv      sp, t2
    ld      t0, 104(sp)
    csrs    mstatus, t0
    RESTORE_CALLEE
    ret

    .globl bare_srun
bare_srun:
    SAVE_CALLEE
    csrr    t0, sstatus
    andi    t0, t0, 2                   /* SIE */
    sd      t0, 104(sp)
    la      t0, bare_srun_sp
    slli    t1, tp, 3
    add     t0, t0, t1
    sd      sp, 0(t0)
    li      t0, 1 << 8                  /* sstatus.SPP = U */
    csrc    sstatus, t0
    csrw    sepc, a0
    beqz    a2, 1f
    mv      sp, a2
1:  mv      a0, a1
    la      ra, bare_lower_return
    sret

    .globl bare_sresume
bare_sresume:
    la      t0, bare_srun_sp
    slli    t1, tp, 3
    add     t0, t0, t1
    ld      t2, 0(t0)
    li      t0, TRAP_STACK_SIZE
    mul     t1, tp, t0
    la      t0, __strap_stacks_end
    sub     t0, t0, t1
    csrw    sscratch, t0
    mv      sp, t2
    ld      t0, 104(sp)
    csrs    sstatus, t0
    RESTORE_CALLEE
    ret

    .globl bare_lower_return
bare_lower_return:                      /* fn returned here with its value in a0 */
    li      a7, BARE_ECALL_RETURN
    ecall
    j       bare_lower_return

    .section .data
    .balign 8
    .globl bare_boot_done
bare_boot_done:
    .word   0
    .balign 8
bare_mrun_sp:
    .zero   8 * BARE_MAX_HARTS
bare_srun_sp:
    .zero   8 * BARE_MAX_HARTS

/* HTIF: writing (code << 1) | 1 to tohost ends the run (our machine, Spike). */
    .section .tohost, "aw", @progbits
    .balign 64
    .globl tohost
tohost:
    .dword  0
    .balign 64
    .globl fromhost
fromhost:
    .dword  0
