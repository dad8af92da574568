/*
 * csr: the Zicsr instructions and a few CSR rules.
 *  - csrrw returns the old value; csrrs/csrrc set/clear bits; the immediate
 *    forms take a 5-bit zero-extended value.
 *  - csrrs/csrrc with rs1 = x0 (or uimm = 0) do not write: reading a
 *    read-only CSR that way is legal; csrrw to it, or csrrs with a nonzero
 *    register, is an illegal instruction.
 *  - sstatus, sie and sip are views of mstatus, mie and mip; sie and sip show
 *    only what mideleg delegates.
 *  - misa reports RV64 (MXL = 2) with I, M, A, S and U.
 *  - mepc keeps bits 1:0 at zero (no C extension).
 * QEMU 7.2 differs twice (csr.qemu.expected): it treats csrrs with a register
 * that holds 0 as no write (the spec: only rs1 = x0 means no write, so the
 * write to read-only mhartid is illegal), and it keeps mepc/sepc bit 1 and
 * bit 0 as written even with C disabled.
 */
#include "golden.h"

int main(void) {
    bare_set_mtrap(probe_m);
    unsigned long old, v;

    /* mscratch holds this hart's trap-stack pointer (crt0.S): no trap until it is back */
    unsigned long trap_stack = csr_read(mscratch);
    csr_write(mscratch, 0x1122334455667788UL);
    __asm__ volatile ("csrrw %0, mscratch, %1" : "=r"(old) : "r"(0xffUL));
    printf("csrrw: old=%lx new=%lx\n", old, csr_read(mscratch));
    __asm__ volatile ("csrrs %0, mscratch, %1" : "=r"(old) : "r"(0xf00UL));
    printf("csrrs: old=%lx new=%lx\n", old, csr_read(mscratch));
    __asm__ volatile ("csrrc %0, mscratch, %1" : "=r"(old) : "r"(0x0f0UL));
    printf("csrrc: old=%lx new=%lx\n", old, csr_read(mscratch));
    __asm__ volatile ("csrrwi %0, mscratch, 31" : "=r"(old));
    printf("csrrwi 31: old=%lx new=%lx\n", old, csr_read(mscratch));
    __asm__ volatile ("csrrsi %0, mscratch, 0x10\n\tcsrrci zero, mscratch, 1" : "=r"(old));
    printf("csrrsi 0x10, csrrci 1: new=%lx\n", csr_read(mscratch));
    csr_write(mscratch, -1L);
    v = csr_read(mscratch);
    csr_write(mscratch, trap_stack);
    printf("mscratch holds 64 bits: %lx\n", v);

    probe_reset();
    __asm__ volatile ("csrrs %0, mhartid, zero" : "=r"(v) :: "memory");
    printf("csrrs mhartid, x0: %s\n", probe.count ? "illegal" : "ok");
    probe_reset();
    __asm__ volatile ("csrrsi %0, mhartid, 0" : "=r"(v) :: "memory");
    printf("csrrsi mhartid, 0: %s\n", probe.count ? "illegal" : "ok");
    probe_reset();
    __asm__ volatile ("li t0, 0\n\tcsrrs %0, mhartid, t0" : "=r"(v) :: "t0", "memory");
    printf("csrrs mhartid, (reg = 0): %s\n", probe.count ? "illegal" : "ok");
    probe_reset();
    __asm__ volatile ("csrrw %0, mvendorid, zero" : "=r"(v) :: "memory");
    printf("csrrw mvendorid: %s\n", probe.count ? "illegal" : "ok");
    probe_reset();
    __asm__ volatile ("csrr %0, mvendorid\n\tcsrr %0, marchid\n\tcsrr %0, mimpid" : "=r"(v) :: "memory");
    printf("read mvendorid/marchid/mimpid: %s\n", probe.count ? "illegal" : "ok");

    unsigned long misa = csr_read(misa);
    printf("misa: MXL=%lu I=%lu M=%lu A=%lu S=%lu U=%lu C=%lu\n", misa >> 62,
           (misa >> 8) & 1, (misa >> 12) & 1, (misa >> 0) & 1, (misa >> 18) & 1,
           (misa >> 20) & 1, (misa >> 2) & 1);

    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
    csr_set(sstatus, MSTATUS_SUM);
    printf("sstatus.SUM set -> mstatus.SUM=%lu\n", (csr_read(mstatus) >> 18) & 1);
    csr_set(mstatus, MSTATUS_MPP);
    printf("mstatus.MPP=3 -> visible in sstatus: %s\n", (csr_read(sstatus) >> 11) & 3 ? "yes" : "no");
    csr_clear(mstatus, MSTATUS_SUM);

    csr_write(mideleg, 0);
    csr_write(mie, 0);
    csr_set(sie, 1UL << IRQ_SSI);
    printf("mideleg=0: sie.SSIE write -> sie=%lx mie=%lx\n", csr_read(sie), csr_read(mie));
    csr_write(mideleg, 1UL << IRQ_SSI);
    csr_set(sie, 1UL << IRQ_SSI);
    printf("mideleg=SSI: sie.SSIE write -> sie=%lx mie=%lx\n", csr_read(sie), csr_read(mie));
    csr_set(mie, 1UL << IRQ_MTI);
    printf("mie.MTIE set -> sie=%lx\n", csr_read(sie));
    csr_write(mie, 0);
    csr_set(sip, 1UL << IRQ_SSI);
    printf("sip.SSIP write -> mip.SSIP=%lu\n", (csr_read(mip) >> IRQ_SSI) & 1);
    csr_clear(mip, 1UL << IRQ_SSI);

    csr_write(mepc, 0x80000007UL);
    printf("mepc written 0x80000007 reads %lx\n", csr_read(mepc));
    csr_write(sepc, 0x80000006UL);
    printf("sepc written 0x80000006 reads %lx\n", csr_read(sepc));
    return 0;
}
