/*
 * plic: an external interrupt through the PLIC without any input: the UART's
 * "transmitter empty" interrupt (IER bit 1) is raised as soon as it is
 * enabled, since THR is always empty. UART source 10 -> PLIC context 0
 * (hart 0, M-mode) -> mip.MEIP -> mcause 0x800000000000000b. The handler
 * claims (reads source 10), turns the UART interrupt off, and completes.
 * The threshold masks it; a claim with nothing pending reads 0.
 * Also MEI and MSI pending together: MEI is taken first (QEMU 7.2 without
 * AIA takes the lowest number, MSI, first: plic.qemu.expected).
 */
#include "golden.h"

#define PLIC_BASE       0x0C000000UL
#define PLIC_PRIORITY(s)  ((volatile uint32_t *)(PLIC_BASE + 4 * (s)))
#define PLIC_PENDING      ((volatile uint32_t *)(PLIC_BASE + 0x1000))
#define PLIC_ENABLE(c)    ((volatile uint32_t *)(PLIC_BASE + 0x2000 + 0x80 * (c)))
#define PLIC_THRESHOLD(c) ((volatile uint32_t *)(PLIC_BASE + 0x200000 + 0x1000 * (c)))
#define PLIC_CLAIM(c)     ((volatile uint32_t *)(PLIC_BASE + 0x200004 + 0x1000 * (c)))
#define UART_IER ((volatile uint8_t *)(UART0_BASE + 1))
#define UART_IRQ 10

static volatile unsigned long order[4];
static volatile int n;
static volatile uint32_t claimed;

static void handler(struct bare_frame *f) {
    unsigned long code = f->cause & 0xff;
    order[n++] = code;
    if (code == IRQ_MEI) {
        claimed = *PLIC_CLAIM(0);
        *UART_IER = 0;                  /* the device stops asking */
        *PLIC_CLAIM(0) = claimed;       /* complete */
    } else if (code == IRQ_MSI) {
        *CLINT_MSIP(0) = 0;
    }
}

static void show(const char *what) {
    printf("%-36s", what);
    if (n == 0)
        printf(" none");
    for (int i = 0; i < n; i++)
        printf(" %lu", order[i]);
    printf("  claimed=%u\n", claimed);
    n = 0;
    claimed = 0;
}

int main(void) {
    bare_set_mtrap(handler);
    *PLIC_PRIORITY(UART_IRQ) = 1;
    *PLIC_ENABLE(0) = 1u << UART_IRQ;
    *PLIC_THRESHOLD(0) = 0;
    csr_write(mie, (1UL << IRQ_MEI) | (1UL << IRQ_MSI));

    /* Nothing touches the UART between enabling the interrupt and taking it:
       printing (a THR write) or reading IIR would change its THRE state. */
    *UART_IER = 2;                              /* ETBEI */
    uint32_t pend = (*PLIC_PENDING >> UART_IRQ) & 1;
    unsigned long meip = (csr_read(mip) >> IRQ_MEI) & 1;
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    printf("with ETBEI: PLIC pending bit 10: %u, MEIP: %lu\n", pend, meip);
    show("taken:");
    printf("after complete: MEIP=%lu, claim reads %u\n", (csr_read(mip) >> IRQ_MEI) & 1, *PLIC_CLAIM(0));

    *PLIC_THRESHOLD(0) = 1;                     /* priority 1 is not above 1 */
    *UART_IER = 2;
    pend = (*PLIC_PENDING >> UART_IRQ) & 1;
    meip = (csr_read(mip) >> IRQ_MEI) & 1;
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    *UART_IER = 0;
    printf("threshold 1: pending bit 10: %u, MEIP: %lu\n", pend, meip);
    show("taken with threshold 1:");
    *PLIC_THRESHOLD(0) = 0;

    *UART_IER = 2;
    *CLINT_MSIP(0) = 1;                         /* MSI and MEI together */
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    show("MEI and MSI pending, taken:");
    csr_write(mie, 0);
    return 0;
}
