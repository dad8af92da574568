/*
 * ipi: an inter-processor interrupt between two harts through the CLINT.
 * Hart 1 enables MSIE and sleeps in wfi; hart 0 writes 1 to hart 1's msip;
 * hart 1 takes a machine software interrupt (mcause 0x8000000000000003),
 * clears its msip, and answers by raising hart 0's msip. Only hart 0 prints.
 */
#include "golden.h"

static volatile int hart1_ready, hart1_got, hart0_got;
static volatile unsigned long hart1_cause, hart1_mhartid;

static void on_msi_hart1(struct bare_frame *f) {
    hart1_cause = f->cause;
    hart1_mhartid = csr_read(mhartid);
    *CLINT_MSIP(1) = 0;
    hart1_got++;
    *CLINT_MSIP(0) = 1;                 /* answer */
}

void secondary_main(unsigned long hartid) {
    if (hartid != 1)
        for (;;) __asm__ volatile ("wfi");
    /* crt0 pointed every hart's mtvec at the runtime's entry; the handler
       installed by hart 0 (on_msi) serves both harts. */
    csr_write(mie, 1UL << IRQ_MSI);
    hart1_ready = 1;
    csr_set(mstatus, MSTATUS_MIE);
    for (;;)
        __asm__ volatile ("wfi");
}

static void on_msi(struct bare_frame *f) {
    if (csr_read(mhartid) == 1) {
        on_msi_hart1(f);
        return;
    }
    *CLINT_MSIP(0) = 0;
    hart0_got++;
}

int main(void) {
    bare_set_mtrap(on_msi);       /* one handler for both harts: it asks mhartid */
    while (!hart1_ready)
        ;
    printf("hart 1 is waiting\n");
    printf("msip[1] before: %u\n", *CLINT_MSIP(1));
    csr_write(mie, 1UL << IRQ_MSI);
    *CLINT_MSIP(1) = 1;
    csr_set(mstatus, MSTATUS_MIE);
    while (!hart0_got)
        __asm__ volatile ("wfi");
    csr_clear(mstatus, MSTATUS_MIE);
    printf("hart 1 took %d interrupt(s): mcause=%lx on mhartid %lu\n", hart1_got, hart1_cause,
           hart1_mhartid);
    printf("hart 0 got the answer: %d, msip[0]=%u msip[1]=%u\n", hart0_got, *CLINT_MSIP(0),
           *CLINT_MSIP(1));
    return 0;
}
