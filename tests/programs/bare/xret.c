/*
 * xret: what trap entry, mret and sret do to mstatus/sstatus.
 *   trap to M:  MPIE <- MIE, MIE <- 0, MPP <- the mode trapped from
 *   mret:       MIE <- MPIE, MPIE <- 1, MPP <- U, MPRV <- 0 unless returning to M
 *   trap to S:  SPIE <- SIE, SIE <- 0, SPP <- the mode trapped from
 *   sret:       SIE <- SPIE, SPIE <- 1, SPP <- U
 * and the trap-virtualization bits: TSR (sret in S is illegal), TVM (satp and
 * sfence.vma in S are illegal), TW (wfi in S is illegal).
 *
 * QEMU 7.2 keeps MPRV on an mret to S (an older spec's rule); privileged spec
 * v1.12, which our machine follows, clears it: see xret.qemu.expected.
 */
#include "golden.h"

static void mfields(const char *what, unsigned long s) {
    printf("%-34s MIE=%lu MPIE=%lu MPP=%lu MPRV=%lu SIE=%lu SPIE=%lu SPP=%lu\n", what,
           (s >> 3) & 1, (s >> 7) & 1, (s >> 11) & 3, (s >> 17) & 1,
           (s >> 1) & 1, (s >> 5) & 1, (s >> 8) & 1);
}

static void sfields(const char *what, unsigned long s) {
    printf("%-34s SIE=%lu SPIE=%lu SPP=%lu\n", what, (s >> 1) & 1, (s >> 5) & 1, (s >> 8) & 1);
}

static long u_ecall(long arg) {
    __asm__ volatile ("li a7, 1\n\tecall" ::: "a7", "memory");
    return arg;
}

static long s_main(long arg) {
    /* sret within S: SPP=S, SPIE=1, SIE=0 */
    csr_clear(sstatus, MSTATUS_SIE);
    csr_set(sstatus, MSTATUS_SPIE | MSTATUS_SPP);
    __asm__ volatile ("la t0, 1f\n\tcsrw sepc, t0\n\tsret\n1:" ::: "t0", "memory");
    sfields("after sret (SPP=S SPIE=1 SIE=0)", csr_read(sstatus));

    /* a delegated trap from U: SPIE <- SIE (1), SIE <- 0, SPP <- U */
    csr_set(sstatus, MSTATUS_SIE);              /* sie is 0: nothing can interrupt */
    bare_srun(u_ecall, 0, 0);
    sfields("trap U->S with SIE=1 (saved)", probe.status);

    /* an S trap to M: MPP <- S */
    probe_reset();
    __asm__ volatile ("li a7, 1\n\tecall" ::: "a7", "memory");
    mfields("trap S->M (saved mstatus)", probe.status);
    return arg;
}

static long s_virt(long arg) {
    unsigned long v;
    csr_set(sstatus, MSTATUS_SPP);      /* an allowed sret stays in S */
    probe_reset();
    __asm__ volatile ("la t0, 1f\n\tcsrw sepc, t0\n\tsret\n1:" ::: "t0", "memory");
    printf("sret in S -> %s\n", probe.count ? "illegal" : "allowed");
    probe_reset();
    __asm__ volatile ("csrr %0, satp" : "=r"(v) :: "memory");
    printf("csrr satp in S -> %s\n", probe.count ? "illegal" : "allowed");
    probe_reset();
    __asm__ volatile ("sfence.vma" ::: "memory");
    printf("sfence.vma in S -> %s\n", probe.count ? "illegal" : "allowed");
    if (arg) {                          /* only with TW=1: a plain wfi here would wait forever */
        probe_reset();
        __asm__ volatile ("wfi" ::: "memory");
        printf("wfi in S -> %s\n", probe.count ? "illegal" : "allowed");
    }
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    bare_set_strap(probe_s);

    /* mret to M: MPP=M, MPIE=1, MIE=0, MPRV=1 (kept: returning to M) */
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPIE | (3UL << 11) | MSTATUS_MPRV);
    __asm__ volatile ("la t0, 1f\n\tcsrw mepc, t0\n\tmret\n1:" ::: "t0", "memory");
    mfields("after mret to M (MPIE=1 MIE=0)", csr_read(mstatus));
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPRV);

    /* mret to M with MPIE=0 and MIE=1: MIE becomes 0, MPIE 1 */
    csr_set(mstatus, MSTATUS_MIE | (3UL << 11));
    csr_clear(mstatus, MSTATUS_MPIE);
    __asm__ volatile ("la t0, 1f\n\tcsrw mepc, t0\n\tmret\n1:" ::: "t0", "memory");
    mfields("after mret to M (MPIE=0 MIE=1)", csr_read(mstatus));

    /* mret to S clears MPRV (seen in the mstatus saved by the S->M trap);
       ecall from U is delegated so that bare_srun's return comes to S */
    csr_set(mstatus, MSTATUS_MPRV);
    csr_write(medeleg, 1 << 8);
    bare_mrun(PRIV_S, s_main, 0, 0);
    csr_write(medeleg, 0);
    mfields("back in M after bare_mrun", csr_read(mstatus));

    /* the trap-virtualization bits */
    printf("with TSR=TVM=TW=1:\n");
    csr_set(mstatus, MSTATUS_TSR | MSTATUS_TVM | MSTATUS_TW);
    bare_mrun(PRIV_S, s_virt, 1, 0);
    printf("and with TSR=TVM=TW=0:\n");
    csr_clear(mstatus, MSTATUS_TSR | MSTATUS_TVM | MSTATUS_TW);
    bare_mrun(PRIV_S, s_virt, 0, 0);
    return 0;
}
