/*
 * timer: the CLINT's machine timer. mip.MTIP is set while mtime >= mtimecmp
 * (it is read-only in mip: only a new mtimecmp clears it). WFI wakes when an
 * interrupt is pending and enabled in mie, even with mstatus.MIE = 0, and
 * then no trap is taken: execution just continues after the wfi.
 */
#include "golden.h"

static volatile int ticks;
static volatile unsigned long tick_cause;

static void on_timer(struct bare_frame *f) {
    tick_cause = f->cause;
    ticks++;
    *CLINT_MTIMECMP(0) = ~0UL;          /* no more ticks */
}

int main(void) {
    bare_set_mtrap(on_timer);
    *CLINT_MTIMECMP(0) = ~0UL;
    printf("MTIP with mtimecmp=max: %lu\n", (csr_read(mip) >> IRQ_MTI) & 1);
    csr_set(mip, 1UL << IRQ_MTI);
    printf("csrs mip.MTIP has no effect: %lu\n", (csr_read(mip) >> IRQ_MTI) & 1);

    unsigned long t0 = *CLINT_MTIME;
    unsigned long t1 = *CLINT_MTIME;
    printf("mtime does not go backwards: %s\n", t1 >= t0 ? "yes" : "no");
    printf("time CSR matches mtime: %s\n", csr_read(time) >= t1 ? "yes" : "no");

    /* WFI wakes with MIE=0: no trap, MTIP pending afterwards. */
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 1UL << IRQ_MTI);
    *CLINT_MTIMECMP(0) = *CLINT_MTIME + 200;
    while (!((csr_read(mip) >> IRQ_MTI) & 1))
        __asm__ volatile ("wfi");
    printf("woke from wfi with MIE=0: ticks=%d MTIP=%lu mtime>=mtimecmp: %s\n", ticks,
           (csr_read(mip) >> IRQ_MTI) & 1, *CLINT_MTIME >= *CLINT_MTIMECMP(0) ? "yes" : "no");

    /* Now let it trap. */
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    printf("after enabling MIE: ticks=%d cause=%lx MTIP=%lu\n", ticks, tick_cause,
           (csr_read(mip) >> IRQ_MTI) & 1);

    /* A tick in the future, waited for with interrupts on. */
    *CLINT_MTIMECMP(0) = *CLINT_MTIME + 300;
    csr_set(mstatus, MSTATUS_MIE);
    while (ticks < 2)
        __asm__ volatile ("wfi");
    csr_clear(mstatus, MSTATUS_MIE);
    printf("second tick: ticks=%d cause=%lx\n", ticks, tick_cause);
    return 0;
}
