/*
 * counters: cycle, time and instret, and who may read them. M reads them
 * always; S only where mcounteren allows (bit 0 CY, 1 TM, 2 IR); U only where
 * both mcounteren and scounteren allow; otherwise the read is an illegal
 * instruction. mcycle and minstret are writable from M. Values are not
 * printed (they depend on the machine's speed), only facts about them.
 */
#include "golden.h"

static char results[3][3];      /* [cycle, time, instret] x [M, S, U] */

static void try_all(int col) {
    unsigned long v;
    probe_reset();
    __asm__ volatile ("csrr %0, cycle" : "=r"(v) :: "memory");
    results[0][col] = probe.count ? 'X' : 'r';
    probe_reset();
    __asm__ volatile ("csrr %0, time" : "=r"(v) :: "memory");
    results[1][col] = probe.count ? 'X' : 'r';
    probe_reset();
    __asm__ volatile ("csrr %0, instret" : "=r"(v) :: "memory");
    results[2][col] = probe.count ? 'X' : 'r';
}

static long u_try(long arg) { try_all(2); return arg; }
static long s_try(long arg) {
    try_all(1);
    csr_write(scounteren, arg);
    bare_srun(u_try, 0, 0);
    return 0;
}

static void row(unsigned long mcen, unsigned long scen) {
    csr_write(mcounteren, mcen);
    try_all(0);
    bare_mrun(PRIV_S, s_try, (long)scen, 0);
    printf("mcounteren=%lx scounteren=%lx:", mcen, scen);
    static const char *names[3] = {"cycle", "time", "instret"};
    for (int i = 0; i < 3; i++)
        printf(" %s M%c S%c U%c", names[i], results[i][0], results[i][1], results[i][2]);
    printf("\n");
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    bare_set_strap(probe_s);
    csr_write(medeleg, 1 << 8);          /* bare_srun returns to S by ecall */
    printf("r = readable, X = illegal instruction\n");
    row(0, 0);
    row(7, 0);
    row(7, 7);
    row(5, 7);
    row(0, 7);

    unsigned long i0 = csr_read(minstret);
    for (volatile int k = 0; k < 100; k++)
        ;
    unsigned long i1 = csr_read(minstret);
    printf("instret advances over a loop: %s\n", i1 > i0 + 100 ? "yes" : "no");
    unsigned long c0 = csr_read(mcycle), c1 = csr_read(mcycle);
    printf("cycle advances: %s\n", c1 > c0 ? "yes" : "no");
    csr_write(minstret, 1000000);
    unsigned long w = csr_read(minstret);
    printf("minstret after writing 1000000: %s\n",
           w >= 1000000 && w < 1000000 + 100000 ? "1000000 + a little" : "something else");
    csr_write(mcycle, 0);
    w = csr_read(mcycle);
    printf("mcycle after writing 0: %s\n", w < 100000 ? "small" : "something else");
    return 0;
}
