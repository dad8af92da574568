/*
 * sv39_user: the U bit, SUM and MXR.
 *  - U-mode may use only U pages; S-mode may load and store U pages only
 *    with sstatus.SUM = 1, and never fetches from them, SUM or not.
 *  - MXR = 1 lets loads read execute-only pages (from S, and from U for
 *    U pages).
 * U-mode code runs through an alias of RAM mapped with U at USER_ALIAS (the
 * identity map of RAM has no U bit); its code is position-independent
 * (medany uses pc-relative addresses), so it runs there unchanged.
 * Faults go to M (nothing delegated); the lines say what each access got.
 */
#include "golden.h"

#define USER_ALIAS 0x100000000UL    /* 4 GiB: RAM again, with U */
#define TEST_VA    0x200000000UL    /* 8 GiB: the test pages */
#define U_RW   (TEST_VA + 0x0000)   /* U | R | W       */
#define S_RW   (TEST_VA + 0x1000)   /* R | W           */
#define U_X    (TEST_VA + 0x2000)   /* U | X           */
#define S_X    (TEST_VA + 0x3000)   /* X               */
#define U_CODE (TEST_VA + 0x4000)   /* U | R | X: code */

#define ALIAS(p) ((unsigned long)(p) - 0x80000000UL + USER_ALIAS)

static unsigned long page[512] __attribute__((aligned(4096)));
static unsigned long ustack[512] __attribute__((aligned(4096)));
__attribute__((aligned(4096), section(".text.page"))) static unsigned long page_fn(void) {
    return 42;
}

/* Results of the U-mode run, read by S/M afterwards (U cannot reach the UART). */
static volatile unsigned long ures[8][2];

static void note(int i) { ures[i][0] = probe.count; ures[i][1] = probe.cause; }

static long u_main(long arg) {
    try_load64(U_RW);       note(0);
    try_store64(U_RW, 5);   note(1);
    try_load64(S_RW);       note(2);
    try_store64(S_RW, 5);   note(3);
    try_fetch(U_CODE);      note(4);
    try_load64(U_X);        note(5);     /* MXR decides */
    try_load64(S_X);        note(6);     /* never: not a U page */
    lower_return(arg);
}

static void show(const char *what) {
    if (probe.count == 0)
        printf("  %-34s ok\n", what);
    else
        printf("  %-34s fault %lu\n", what, probe.cause);
}

static void show_u(const char *what, int i) {
    if (ures[i][0] == 0)
        printf("  %-34s ok\n", what);
    else
        printf("  %-34s fault %lu\n", what, ures[i][1]);
}

static long s_main(long arg) {
    printf("S, SUM=%ld MXR=%ld:\n", arg & 1, arg >> 1);
    if (arg & 1) csr_set(sstatus, MSTATUS_SUM); else csr_clear(sstatus, MSTATUS_SUM);
    if (arg & 2) csr_set(sstatus, MSTATUS_MXR); else csr_clear(sstatus, MSTATUS_MXR);
    try_load64(U_RW);      show("load from U page");
    try_store64(U_RW, 7);  show("store to U page");
    try_fetch(U_CODE);     show("fetch from U page");
    try_load64(S_RW);      show("load from S page");
    try_load64(S_X);       show("load from execute-only S page");
    try_load64(U_X);       show("load from execute-only U page");
    csr_clear(sstatus, MSTATUS_SUM | MSTATUS_MXR);
    return 0;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    unsigned long *root = identity_root();
    map(root, USER_ALIAS, 0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D, 2);
    unsigned long ad = PTE_V | PTE_A | PTE_D;
    map(root, U_RW, (unsigned long)page, ad | PTE_U | PTE_R | PTE_W, 0);
    map(root, S_RW, (unsigned long)page, ad | PTE_R | PTE_W, 0);
    map(root, U_X, (unsigned long)page_fn, ad | PTE_U | PTE_X, 0);
    map(root, S_X, (unsigned long)page_fn, ad | PTE_X, 0);
    map(root, U_CODE, (unsigned long)page_fn, ad | PTE_U | PTE_R | PTE_X, 0);
    satp_on(root, 0);

    for (long a = 0; a < 4; a++)
        bare_mrun(PRIV_S, s_main, a, 0);

    for (int mxr = 0; mxr < 2; mxr++) {
        if (mxr) csr_set(mstatus, MSTATUS_MXR); else csr_clear(mstatus, MSTATUS_MXR);
        bare_mrun(PRIV_U, (long (*)(long))ALIAS(u_main), 0, (void *)ALIAS(ustack + 512));
        printf("U, MXR=%d:\n", mxr);
        show_u("load from U page", 0);
        show_u("store to U page", 1);
        show_u("load from S page", 2);
        show_u("store to S page", 3);
        show_u("fetch from U page", 4);
        show_u("load from execute-only U page", 5);
        show_u("load from execute-only S page", 6);
    }
    csr_clear(mstatus, MSTATUS_MXR);
    csr_write(satp, 0);
    printf("page[0]=%lx\n", page[0]);
    return 0;
}
