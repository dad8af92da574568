/*
 * fence_i: self-modifying code and Zifencei. A function that returns 1 is
 * called often enough to be decoded (and translated) by the machine; then
 * its first instruction is overwritten with "addi a0, zero, 2" and, after
 * fence.i, the next call must return 2. Written in assembly because it
 * patches instruction words.
 */
    .section .rodata
fmt:
    .string "before the patch: %ld, after store + fence.i: %ld, patched word: %x\n"

    .text
    .globl main
main:
    addi    sp, sp, -32
    sd      ra, 24(sp)
    sd      s0, 16(sp)
    sd      s1, 8(sp)

    li      s1, 200                 /* warm up: call it many times */
1:  call    patchme
    addi    s1, s1, -1
    bnez    s1, 1b
    mv      s0, a0                  /* 1 */

    la      t0, patchme
    li      t1, 0x00200513          /* addi a0, zero, 2 */
    sw      t1, 0(t0)
    fence.i
    call    patchme
    mv      a2, a0                  /* 2 */

    la      a0, fmt
    mv      a1, s0
    la      t0, patchme
    lwu     a3, 0(t0)
    call    bare_printf

    li      a0, 0
    ld      ra, 24(sp)
    ld      s0, 16(sp)
    ld      s1, 8(sp)
    addi    sp, sp, 32
    ret

    .balign 4
patchme:
    addi    a0, zero, 1
    ret
