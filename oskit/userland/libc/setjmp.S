/*
 * setjmp.S: save and restore the callee-saved registers (see <setjmp.h>).
 *
 *   jmp_buf:  0 ra   8 sp   16 s0  24 s1  ...  104 s11
 *
 * setjmp returns 0 now; longjmp(env, v) makes it return v (1 if v == 0) a
 * second time, from the saved ra, on the saved stack. The signal mask is
 * not touched here: sigsetjmp/siglongjmp (sigsetjmp.c) do that around these.
 */
        .text
        .globl  setjmp
        .globl  _setjmp
        .type   setjmp, @function
setjmp:
_setjmp:
        sd      ra, 0(a0)
        sd      sp, 8(a0)
        sd      s0, 16(a0)
        sd      s1, 24(a0)
        sd      s2, 32(a0)
        sd      s3, 40(a0)
        sd      s4, 48(a0)
        sd      s5, 56(a0)
        sd      s6, 64(a0)
        sd      s7, 72(a0)
        sd      s8, 80(a0)
        sd      s9, 88(a0)
        sd      s10, 96(a0)
        sd      s11, 104(a0)
        li      a0, 0
        ret
        .size   setjmp, . - setjmp

        .globl  longjmp
        .globl  _longjmp
        .type   longjmp, @function
longjmp:
_longjmp:
        ld      ra, 0(a0)
        ld      sp, 8(a0)
        ld      s0, 16(a0)
        ld      s1, 24(a0)
        ld      s2, 32(a0)
        ld      s3, 40(a0)
        ld      s4, 48(a0)
        ld      s5, 56(a0)
        ld      s6, 64(a0)
        ld      s7, 72(a0)
        ld      s8, 80(a0)
        ld      s9, 88(a0)
        ld      s10, 96(a0)
        ld      s11, 104(a0)
        seqz    a0, a1                  /* a0 = (val == 0) */
        add     a0, a0, a1              /* val, or 1 for 0: setjmp never seems to return 0 twice */
        ret                             /* to the saved ra: "back from setjmp" */
        .size   longjmp, . - longjmp

/*
 * sigsetjmp(env, savemask): setjmp, and if savemask is not 0 also record the
 * signal mask (sigprocmask(SIG_BLOCK, NULL, &env->mask)).
 *
 *   sigjmp_buf:  0 the jmp_buf (112 bytes)   112 savemask   120 mask (16 bytes)
 *
 * It must be assembly, like setjmp: a C function's frame would be gone when
 * siglongjmp comes back into it.
 */
        .globl  sigsetjmp
        .type   sigsetjmp, @function
sigsetjmp:
        sd      a1, 112(a0)
        beqz    a1, setjmp              /* no mask: plain setjmp */
        sd      ra, 0(a0)               /* the buffer is scratch until setjmp fills it */
        sd      s0, 16(a0)
        mv      s0, a0                  /* env survives the call in s0 */
        li      a0, 1                   /* SIG_BLOCK with no set: only reads the mask */
        li      a1, 0
        addi    a2, s0, 120
        call    sigprocmask
        mv      a0, s0
        ld      ra, 0(a0)
        ld      s0, 16(a0)
        j       setjmp                  /* now save the registers, as the caller had them */
        .size   sigsetjmp, . - sigsetjmp
