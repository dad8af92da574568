/*
 * traps_lower: exceptions raised in S- and U-mode, first with nothing
 * delegated (all go to M: mcause, mtval, and mstatus.MPP = the mode they came
 * from), then with medeleg delegating them to S (scause, stval,
 * sstatus.SPP). A delegated exception raised in M-mode still goes to M:
 * a trap never moves to a less privileged mode.
 * Misaligned loads and stores are done by the hardware ("no trap"), on our
 * machine (by default) as on QEMU 7.2.
 */
#include "golden.h"

#define MPP(status) (((status) >> 11) & 3)
#define SPP(status) (((status) >> 8) & 1)
static const char *mode_name[4] = {"U", "S", "?", "M"};

static void show(const char *what) {
    if (probe.count == 0) {
        printf("  %-24s no trap\n", what);
        return;
    }
    unsigned long from = probe.where == 'M' ? MPP(probe.status) : SPP(probe.status);
    printf("  %-24s cause=%lu to %c from %s tval=%lx\n", what, probe.cause, probe.where,
           mode_name[from], probe.tval);
}

/* tval relative to a reference address, so that the text does not depend on the link */
static void show_ref(const char *what, unsigned long ref) {
    unsigned long t = probe.tval;
    probe.tval = t - ref;
    show(what);
}

static unsigned long ret_zero(void) { return 0; }
static unsigned long word[2] __attribute__((aligned(8)));

/* The exceptions both S and U can raise. */
static void common(void) {
    unsigned long v;
    probe_reset();
    __asm__ volatile ("li a7, 1\n\tecall" ::: "a7", "memory");
    show("ecall");
    probe_reset();
    __asm__ volatile ("ebreak" ::: "memory");
    probe.tval = 0;                 /* ebreak's tval is an implementation choice (traps_m) */
    show("ebreak");
    probe_reset();
    __asm__ volatile ("csrr %0, mstatus" : "=r"(v) :: "memory");
    show("csrr mstatus");
    probe_reset();
    __asm__ volatile ("mret" ::: "memory");
    show("mret");
    try_load64(0x8);
    show("ld from 0x8");
    try_store64(0x8, 1);
    show("sd to 0x8");
    try_fetch(0x0);
    show("fetch from 0x0");
    try_fetch((unsigned long)ret_zero + 2);
    show_ref("jump to pc+2 (tval-ref)", (unsigned long)ret_zero + 2);
    try_load64((unsigned long)word + 4);
    show_ref("ld misaligned (tval-ref)", (unsigned long)word);
    try_store64((unsigned long)word + 2, 0);
    show_ref("sd misaligned (tval-ref)", (unsigned long)word);
}

static long u_main(long arg) {
    unsigned long v;
    printf(" U-mode (%s):\n", arg ? "delegated" : "not delegated");
    common();
    probe_reset();
    __asm__ volatile ("csrr %0, sstatus" : "=r"(v) :: "memory");
    show("csrr sstatus");
    probe_reset();
    __asm__ volatile ("sret" ::: "memory");
    show("sret");
    probe_reset();
    __asm__ volatile ("sfence.vma" ::: "memory");
    show("sfence.vma");
    return 0;
}

static long s_main(long arg) {
    printf(" S-mode (%s):\n", arg ? "delegated" : "not delegated");
    common();
    if (arg)
        bare_srun(u_main, 1, 0);    /* U's ecall goes to S: medeleg bit 8 */
    return 0;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    bare_set_strap(probe_s);

    printf("medeleg=0:\n");
    bare_mrun(PRIV_S, s_main, 0, 0);
    bare_mrun(PRIV_U, u_main, 0, 0);

    /* Delegate misaligned fetch (0), illegal instruction (2), breakpoint (3), misaligned
       load/store (4, 6), access faults (1, 5, 7), ecall from U (8). */
    csr_write(medeleg, 0x1ff);
    printf("medeleg=%lx:\n", csr_read(medeleg));
    bare_mrun(PRIV_S, s_main, 1, 0);

    printf(" M-mode (delegated):\n");
    probe_reset();
    __asm__ volatile ("ebreak" ::: "memory");
    probe.tval = 0;
    show("ebreak");
    return 0;
}
