/*
 * sv39_deleg: page faults delegated to S-mode (medeleg bits 12, 13, 15), as a
 * kernel sees them: scause, stval = the faulting virtual address, and
 * sstatus.SPP = where the fault came from (U or S). Misaligned accesses
 * from U are delegated too (bits 4, 6), but the hardware does them (on our
 * machine by default, as on QEMU): the misaligned load succeeds and the
 * misaligned store to a read-only page is a store page fault (15). (A machine
 * with misaligned_access_traps on would report causes 4 and 6 instead,
 * checking alignment before translation.)
 */
#include "golden.h"

#define USER_ALIAS 0x100000000UL
#define TEST_VA    0x200000000UL
#define S_PAGE     (TEST_VA + 0x0000)       /* R | W, no U */
#define U_RO       (TEST_VA + 0x1000)       /* U | R */
#define UNMAPPED   (TEST_VA + 0x5000)
#define ALIAS(p) ((unsigned long)(p) - 0x80000000UL + USER_ALIAS)

static unsigned long page[512] __attribute__((aligned(4096)));
static unsigned long ustack[512] __attribute__((aligned(4096)));
static volatile unsigned long res[8][4];

static void note(int i) {
    res[i][0] = probe.count;
    res[i][1] = probe.cause;
    res[i][2] = probe.tval;
    res[i][3] = probe.where == 'S' ? (probe.status >> 8) & 1 : 9;
}

static long u_main(long arg) {
    try_load64(S_PAGE);          note(0);
    try_store64(U_RO, 1);        note(1);
    try_fetch(UNMAPPED);         note(2);
    try_load64(U_RO + 4);        note(3);
    try_store64(U_RO + 2, 1);    note(4);
    lower_return(arg);
}

static void show(const char *what, int i, unsigned long va) {
    if (res[i][0] == 0) {
        printf("%-24s no trap\n", what);
        return;
    }
    printf("%-24s scause=%lu stval=%s from %s\n", what, res[i][1],
           res[i][2] == va ? "va" : "?", res[i][3] == 0 ? "U" : res[i][3] == 1 ? "S" : "(not S)");
}

static long s_main(long arg) {
    bare_srun((long (*)(long))ALIAS(u_main), 0, (void *)ALIAS(ustack + 512));
    show("U load from S page", 0, S_PAGE);
    show("U store to read-only", 1, U_RO);
    show("U fetch from unmapped", 2, UNMAPPED);
    show("U ld misaligned", 3, U_RO + 4);
    show("U sd misaligned", 4, U_RO + 2);
    try_load64(UNMAPPED);   note(5);
    try_store64(U_RO, 1);   note(6);    /* SUM = 0: a U page */
    show("S load from unmapped", 5, UNMAPPED);
    show("S store to U page", 6, U_RO);
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    bare_set_strap(probe_s);
    unsigned long *root = identity_root();
    map(root, USER_ALIAS, 0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D, 2);
    map(root, S_PAGE, (unsigned long)page, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 0);
    map(root, U_RO, (unsigned long)page, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D, 0);
    satp_on(root, 0);
    csr_write(medeleg, (1 << 4) | (1 << 6) | (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15));
    bare_mrun(PRIV_S, s_main, 0, 0);
    csr_write(satp, 0);
    return 0;
}
