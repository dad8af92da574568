/*
 * vectored: mtvec in vectored mode (MODE = 1). Exceptions go to BASE;
 * an interrupt with code c goes to BASE + 4*c. Each slot here writes its
 * number into sscratch (unused by this program while in M) and jumps to the
 * runtime's trap entry, so the handler can tell which slot ran.
 */
#include "golden.h"

extern void bare_mtrap_entry(void);
extern char vector_table[];

/* 12 slots of one instruction pair each would be 8 bytes; slots are 4 bytes
   apart, so each slot jumps to its own two-instruction stub. */
__asm__(
    ".text\n"
    ".balign 256\n"
    ".globl vector_table\n"
    "vector_table:\n"
    "  j slot0\n  j slot1\n  j slot2\n  j slot3\n  j slot4\n  j slot5\n"
    "  j slot6\n  j slot7\n  j slot8\n  j slot9\n  j slot10\n  j slot11\n"
    "slot0:  csrwi sscratch, 0\n  j bare_mtrap_entry\n"
    "slot1:  csrwi sscratch, 1\n  j bare_mtrap_entry\n"
    "slot2:  csrwi sscratch, 2\n  j bare_mtrap_entry\n"
    "slot3:  csrwi sscratch, 3\n  j bare_mtrap_entry\n"
    "slot4:  csrwi sscratch, 4\n  j bare_mtrap_entry\n"
    "slot5:  csrwi sscratch, 5\n  j bare_mtrap_entry\n"
    "slot6:  csrwi sscratch, 6\n  j bare_mtrap_entry\n"
    "slot7:  csrwi sscratch, 7\n  j bare_mtrap_entry\n"
    "slot8:  csrwi sscratch, 8\n  j bare_mtrap_entry\n"
    "slot9:  csrwi sscratch, 9\n  j bare_mtrap_entry\n"
    "slot10: csrwi sscratch, 10\n  j bare_mtrap_entry\n"
    "slot11: csrwi sscratch, 11\n  j bare_mtrap_entry\n");

static volatile unsigned long slot, cause;

static void handler(struct bare_frame *f) {
    slot = csr_read(sscratch);
    cause = f->cause;
    if (f->cause & CAUSE_INTERRUPT) {
        unsigned long code = f->cause & 0xff;
        if (code == IRQ_MSI) *CLINT_MSIP(0) = 0;
        if (code == IRQ_MTI) *CLINT_MTIMECMP(0) = ~0UL;
        if (code == IRQ_SSI) csr_clear(mip, 1UL << IRQ_SSI);
    } else {
        f->epc += 4;
    }
}

static void show(const char *what) {
    printf("%-20s mcause=%lx slot=%lu\n", what, cause, slot);
    slot = 99;
}

int main(void) {
    unsigned long saved_sscratch = csr_read(sscratch);
    bare_set_mtrap(handler);                           /* the handler pointer */
    csr_write(mtvec, (unsigned long)vector_table | 1);  /* ...and vectored mode */
    printf("mtvec mode=%lu base aligned=%s\n", csr_read(mtvec) & 3,
           (csr_read(mtvec) & ~3UL) == (unsigned long)vector_table ? "yes" : "no");

    __asm__ volatile ("li a7, 0\n\tecall" ::: "a7", "memory");
    show("ecall");
    __asm__ volatile ("ebreak" ::: "memory");
    show("ebreak");

    *CLINT_MTIMECMP(0) = ~0UL;
    csr_write(mie, (1UL << IRQ_MSI) | (1UL << IRQ_MTI) | (1UL << IRQ_SSI));
    *CLINT_MSIP(0) = 1;
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    show("software interrupt");
    *CLINT_MTIMECMP(0) = 0;
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    show("timer interrupt");
    csr_set(mip, 1UL << IRQ_SSI);
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    show("S software interrupt");
    csr_write(mie, 0);
    csr_write(sscratch, saved_sscratch);
    return 0;
}
