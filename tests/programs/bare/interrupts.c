/*
 * interrupts: priority and masking.
 *  - Five interrupts pending at once (MSI from the CLINT's msip, MTI from
 *    mtimecmp = 0, and SEI, SSI, STI written into mip by M) are taken one at
 *    a time in the order MEI > MSI > MTI > SEI > SSI > STI; each handler
 *    clears its source. (QEMU 7.2 without AIA takes the lowest-numbered
 *    pending interrupt first, against the privileged spec, section 3.1.9:
 *    see interrupts.qemu.expected.)
 *  - Masking: nothing is taken in M while mstatus.MIE = 0 or while mie's bit is
 *    clear; in S an M-level interrupt is taken whatever mstatus.MIE says; an
 *    interrupt delegated to S (mideleg) is never taken while in M, is taken
 *    in S only with sstatus.SIE = 1, and always in U.
 */
#include "golden.h"

static volatile unsigned long seen[16];
static volatile int nseen;

static void clear_source(unsigned long code) {
    switch (code) {
    case IRQ_MSI: *CLINT_MSIP(0) = 0; break;
    case IRQ_MTI: *CLINT_MTIMECMP(0) = ~0UL; break;
    default: csr_clear(mip, 1UL << code); break;   /* SSI, STI, SEI: M clears them in mip */
    }
}

static void irq_m(struct bare_frame *f) {
    if (!(f->cause & CAUSE_INTERRUPT)) {
        probe_m(f);
        return;
    }
    unsigned long code = f->cause & 0xff;
    seen[nseen++] = code | ('M' << 8);
    clear_source(code);
}

static volatile unsigned long last_scause;

static void irq_s(struct bare_frame *f) {
    unsigned long code = f->cause & 0xff;
    last_scause = f->cause;
    seen[nseen++] = code | ('S' << 8);
    if (code == IRQ_SSI)
        csr_clear(sip, 1UL << IRQ_SSI);      /* SSIP is writable from S */
}

static void show(const char *what) {
    printf("%-40s", what);
    if (nseen == 0)
        printf(" none");
    for (int i = 0; i < nseen; i++)
        printf(" %c%lu", (int)(seen[i] >> 8), seen[i] & 0xff);
    printf("\n");
    nseen = 0;
}

static void raise_all(void) {
    *CLINT_MSIP(0) = 1;
    *CLINT_MTIMECMP(0) = 0;
    csr_set(mip, (1UL << IRQ_SEI) | (1UL << IRQ_SSI) | (1UL << IRQ_STI));
}

static long spin(long n) {
    for (volatile long i = 0; i < n; i++)
        ;
    return 0;
}

static long s_with_sie(long sie) {
    if (sie)
        csr_set(sstatus, MSTATUS_SIE);
    else
        csr_clear(sstatus, MSTATUS_SIE);
    spin(100);
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}

static long s_runs_u(long arg) {
    return bare_srun(spin, 100, 0);
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(irq_m);
    bare_set_strap(irq_s);
    *CLINT_MTIMECMP(0) = ~0UL;
    csr_clear(mstatus, MSTATUS_MIE);
    unsigned long all = (1UL << IRQ_MSI) | (1UL << IRQ_MTI) | (1UL << IRQ_SEI) |
                        (1UL << IRQ_SSI) | (1UL << IRQ_STI);

    raise_all();
    csr_write(mie, all);
    spin(100);
    show("M, MIE=0, all pending and enabled:");
    printf("mip pending: %lx\n", csr_read(mip) & all);
    csr_write(mie, 0);
    csr_set(mstatus, MSTATUS_MIE);
    spin(100);
    show("M, MIE=1, mie=0:");
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, all);
    csr_set(mstatus, MSTATUS_MIE);
    spin(100);
    csr_clear(mstatus, MSTATUS_MIE);
    show("M, MIE=1, all enabled (priority order):");

    /* In S, M-level interrupts are on whatever mstatus.MIE is. */
    *CLINT_MSIP(0) = 1;
    bare_mrun(PRIV_S, spin, 100, 0);
    show("S, MIE=0, MSI pending:");

    /* SSI delegated to S. */
    csr_write(mideleg, 1UL << IRQ_SSI);
    csr_set(mip, 1UL << IRQ_SSI);
    csr_set(mstatus, MSTATUS_MIE);
    spin(100);
    csr_clear(mstatus, MSTATUS_MIE);
    show("M, MIE=1, delegated SSI pending:");
    bare_mrun(PRIV_S, s_with_sie, 0, 0);
    show("S, SIE=0, delegated SSI pending:");
    bare_mrun(PRIV_S, s_with_sie, 1, 0);
    show("S, SIE=1, delegated SSI pending:");
    csr_set(mip, 1UL << IRQ_SSI);
    csr_clear(mstatus, MSTATUS_SIE);
    csr_write(medeleg, 1 << 8);       /* bare_srun returns to S by a delegated ecall */
    bare_mrun(PRIV_S, s_runs_u, 0, 0);
    show("U (SIE=0), delegated SSI pending:");
    printf("scause of that interrupt: %lx\n", last_scause);
    return 0;
}
