/*
 * crt0.S: where a user program starts. The kernel's execve jumps here with
 * the stack it built (FreeBSD/ELF convention; sp is 16-byte aligned):
 *
 *      sp ->   argc                    8 bytes
 *              argv[0] .. argv[argc-1] pointers to the argument strings
 *              NULL
 *              envp[0] .. envp[n-1]    pointers to "NAME=value" strings
 *              NULL
 *              auxv: (type, value) pairs, ending with AT_NULL (0, 0)
 *              ... the strings themselves, higher up
 *
 * _start sets gp (so the linker may reach small data through it) and tp (the
 * thread pointer: the main thread's TLS block, where errno lives), then
 * calls __libc_start(argc, argv, envp), which runs exit(main(argc, argv, envp)).
 */
        .section .text.start, "ax", @progbits
        .globl  _start
        .type   _start, @function
_start:
        .option push
        .option norelax                 /* gp must not be set relative to itself */
        la      gp, __global_pointer$
        .option pop

        mv      s0, sp                  /* s0 -> argc, kept across the setup below */

        /* The main thread's TLS block: carved out below the arguments,
         * 64-byte aligned, __tls_size bytes (.tdata then .tbss). tp points
         * at its start: RISC-V's TLS variant I, where a __thread variable
         * lives at tp + its offset in the TLS segment. __libc_init_tls
         * copies .tdata there and zeroes the rest. */
        la      t0, __tls_size
        sub     sp, sp, t0
        andi    sp, sp, -64
        mv      tp, sp
        mv      a0, tp
        call    __libc_init_tls

        ld      a0, 0(s0)               /* argc */
        addi    a1, s0, 8               /* argv = &argv[0] */
        slli    t0, a0, 3
        add     a2, a1, t0
        addi    a2, a2, 8               /* envp = &argv[argc + 1] */
        call    __libc_start            /* never returns */
        unimp                           /* if it did: an illegal instruction, not a silent fall-through */
        .size   _start, . - _start
