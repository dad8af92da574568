/*
 * mprv: mstatus.MPRV. With MPRV = 1, M-mode loads and stores are translated
 * and checked as if made in mode MPP (with SUM and MXR applying as usual);
 * instruction fetches are not affected. With MPP = M, or MPRV = 0, M-mode
 * accesses are physical. Each access here is one instruction between setting
 * and clearing MPRV, so that nothing else (the stack) is translated.
 */
#include "golden.h"

#define S_PAGE (0x200000000UL)            /* R | W          */
#define U_PAGE (0x200001000UL)            /* U | R | W      */
#define X_PAGE (0x200002000UL)            /* X only         */
#define RO_PAGE (0x200003000UL)           /* R only         */

static unsigned long page[512] __attribute__((aligned(4096)));

static void set_mpp(unsigned long mpp) {
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, mpp << 11);
}

static void load(const char *what, unsigned long va, unsigned long mpp, unsigned long extra) {
    unsigned long v = 0xdead;
    probe_reset();
    set_mpp(mpp);
    csr_set(mstatus, extra);
    __asm__ volatile ("csrs mstatus, %2\n\tld %0, 0(%1)\n\tcsrc mstatus, %2"
                      : "+r"(v) : "r"(va), "r"(MSTATUS_MPRV) : "memory");
    csr_clear(mstatus, extra | MSTATUS_MPRV);
    if (probe.count)
        printf("%-34s fault %lu%s\n", what, probe.cause, probe.tval == va ? "" : " (tval?)");
    else
        printf("%-34s %lx\n", what, v);
}

static void store(const char *what, unsigned long va, unsigned long mpp) {
    probe_reset();
    set_mpp(mpp);
    __asm__ volatile ("csrs mstatus, %2\n\tsd %0, 0(%1)\n\tcsrc mstatus, %2"
                      :: "r"(0x5eedUL), "r"(va), "r"(MSTATUS_MPRV) : "memory");
    csr_clear(mstatus, MSTATUS_MPRV);
    if (probe.count)
        printf("%-34s fault %lu\n", what, probe.cause);
    else
        printf("%-34s ok, page[0]=%lx\n", what, page[0]);
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    page[0] = 0xabc;
    unsigned long *root = identity_root();
    unsigned long ad = PTE_V | PTE_A | PTE_D;
    map(root, S_PAGE, (unsigned long)page, ad | PTE_R | PTE_W, 0);
    map(root, U_PAGE, (unsigned long)page, ad | PTE_U | PTE_R | PTE_W, 0);
    map(root, X_PAGE, (unsigned long)page, ad | PTE_X, 0);
    map(root, RO_PAGE, (unsigned long)page, ad | PTE_R, 0);
    satp_on(root, 0);

    probe_reset();
    unsigned long v = try_load64(S_PAGE);
    printf("%-34s %s\n", "MPRV=0: ld va (physical)", probe.count ? "access fault" : "loaded?!");
    (void)v;
    load("MPRV=1 MPP=M: ld va (physical)", S_PAGE, PRIV_M, 0);
    load("MPRV=1 MPP=S: ld S page", S_PAGE, PRIV_S, 0);
    load("MPRV=1 MPP=S: ld U page", U_PAGE, PRIV_S, 0);
    load("MPRV=1 MPP=S SUM=1: ld U page", U_PAGE, PRIV_S, MSTATUS_SUM);
    load("MPRV=1 MPP=U: ld U page", U_PAGE, PRIV_U, 0);
    load("MPRV=1 MPP=U: ld S page", S_PAGE, PRIV_U, 0);
    load("MPRV=1 MPP=S: ld X-only page", X_PAGE, PRIV_S, 0);
    load("MPRV=1 MPP=S MXR=1: ld X-only page", X_PAGE, PRIV_S, MSTATUS_MXR);
    store("MPRV=1 MPP=S: sd read-only page", RO_PAGE, PRIV_S);
    store("MPRV=1 MPP=S: sd S page", S_PAGE, PRIV_S);
    csr_write(satp, 0);
    return 0;
}
