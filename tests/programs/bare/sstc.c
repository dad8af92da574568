/*
 * sstc: the S-mode timer of the Sstc extension. With menvcfg.STCE = 1,
 * mip.STIP is (time >= stimecmp) and S-mode writes stimecmp itself; with
 * mcounteren.TM = 0, S may neither read time nor touch stimecmp; with
 * STCE = 0, stimecmp is not there for S (illegal instruction).
 */
#include "golden.h"

#define MENVCFG_STCE (1UL << 63)
#define MCOUNTEREN_TM (1UL << 1)

static volatile int ticks;
static volatile unsigned long tick_cause;

static void on_stimer(struct bare_frame *f) {
    if (!(f->cause & CAUSE_INTERRUPT)) {
        probe_s(f);
        return;
    }
    tick_cause = f->cause;
    ticks++;
    csr_write(stimecmp, ~0UL);          /* clears STIP */
}

static long s_probe(long arg) {
    unsigned long v;
    probe_reset();
    __asm__ volatile ("csrr %0, stimecmp" : "=r"(v) :: "memory");
    printf("  csrr stimecmp: %s", probe.count ? "illegal" : "ok");
    probe_reset();
    __asm__ volatile ("csrr %0, time" : "=r"(v) :: "memory");
    printf(", csrr time: %s\n", probe.count ? "illegal" : "ok");
    return arg;
}

static long s_timer(long arg) {
    csr_write(stimecmp, ~0UL);
    printf("  STIP with stimecmp=max: %lu\n", (csr_read(sip) >> IRQ_STI) & 1);
    csr_write(stimecmp, 0);
    printf("  STIP with stimecmp=0: %lu\n", (csr_read(sip) >> IRQ_STI) & 1);
    csr_write(stimecmp, ~0UL);
    csr_set(sie, 1UL << IRQ_STI);
    csr_write(stimecmp, csr_read(time) + 300);
    csr_set(sstatus, MSTATUS_SIE);
    while (ticks == 0)
        __asm__ volatile ("wfi");
    csr_clear(sstatus, MSTATUS_SIE);
    printf("  tick in S: ticks=%d scause=%lx STIP now %lu\n", ticks, tick_cause,
           (csr_read(sip) >> IRQ_STI) & 1);
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    bare_set_strap(on_stimer);
    csr_write(medeleg, 1 << 2);                  /* illegal instructions: to S */

    csr_write(menvcfg, 0);
    csr_write(mcounteren, MCOUNTEREN_TM);
    printf("STCE=0 TM=1:\n");
    bare_mrun(PRIV_S, s_probe, 0, 0);
    csr_write(menvcfg, MENVCFG_STCE);
    csr_write(mcounteren, 0);
    printf("STCE=1 TM=0:\n");
    bare_mrun(PRIV_S, s_probe, 0, 0);
    csr_write(mcounteren, MCOUNTEREN_TM);
    printf("STCE=1 TM=1:\n");
    bare_mrun(PRIV_S, s_probe, 0, 0);

    csr_write(mideleg, 1UL << IRQ_STI);
    csr_write(stimecmp, ~0UL);
    csr_set(mip, 1UL << IRQ_STI);
    printf("STCE=1: M writing mip.STIP has no effect: %lu\n", (csr_read(mip) >> IRQ_STI) & 1);
    bare_mrun(PRIV_S, s_timer, 0, 0);
    return 0;
}
