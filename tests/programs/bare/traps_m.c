/*
 * traps_m: every synchronous exception cause that M-mode code can raise,
 * with mcause, mtval (printed relative to a reference address "ref", so that the text does not
 * depend on where the linker put things) and mepc, and the rule that a
 * trapping instruction writes no register and no memory.
 *
 * Misaligned loads and stores are done by the hardware, as on QEMU ("no
 * trap"; a machine with misaligned_access_traps on traps with causes 4 and 6);
 * a misaligned lr or AMO still traps.
 *
 * Our machine's choices (oskit/machine/choices.py) where QEMU 7.2 differs
 * (traps_m.qemu.expected holds what QEMU prints):
 *  - ebreak's mtval is its pc; QEMU writes 0;
 *  - a misaligned AMO is cause 6 and an AMO to nowhere cause 7 (the spec's
 *    "store/AMO" causes); QEMU reports 4 and 5.
 * An illegal instruction's mtval is the instruction's bits on both.
 */
#include "golden.h"

static unsigned long ret_zero(void) { return 0; }

__attribute__((aligned(8))) static unsigned long data[2] = {0x1122334455667788UL, 0x99aabbccddeeff00UL};

static void show(const char *what, unsigned long base) {
    if (probe.count == 0)
        printf("%-26s no trap\n", what);
    else
        printf("%-26s mcause=%lu mtval=%s+%lx\n", what, probe.cause,
               base ? "ref" : "0", probe.tval - base);
}

int main(void) {
    bare_set_mtrap(probe_handler);
    unsigned long base = (unsigned long)data, v, pc;

    /* 0: a jump to an address that is not a multiple of 4 traps on the jump itself */
    unsigned long target = (unsigned long)ret_zero + 2;
    v = try_fetch(target);
    show("jump to pc+2", target);
    printf("  a0 unchanged? %s\n", v == 0xdead ? "yes" : "no");

    /* 1: fetch from where nothing answers */
    v = try_fetch(0x0);
    show("fetch from 0x0", 0);
    printf("  mepc=%lx\n", probe.epc);

    /* 2: illegal instructions: mtval holds the bits */
    probe_reset();
    __asm__ volatile (".word 0xffffffff" ::: "memory");
    show("illegal .word 0xffffffff", 0);
    probe_reset();
    __asm__ volatile (".word 0x00000000" ::: "memory");
    show("illegal .word 0", 0);
    probe_reset();
    __asm__ volatile ("csrr %0, 0x8ff" : "=r"(v) :: "memory");
    show("unknown CSR 0x8ff", 0);
    probe_reset();
    __asm__ volatile ("csrw mhartid, zero" ::: "memory");
    show("write read-only mhartid", 0);
    probe_reset();
    __asm__ volatile ("csrr zero, cycle" ::: "memory");
    show("read cycle in M", 0);

    /* 3: ebreak */
    probe_reset();
    __asm__ volatile ("auipc %0, 0\n\tebreak" : "=r"(pc) :: "memory");
    printf("%-26s mcause=%lu mtval=%s\n", "ebreak", probe.cause,
           probe.tval == pc + 4 ? "its pc" : probe.tval == 0 ? "0" : "other");
    printf("  mepc=its pc? %s\n", probe.epc == pc + 4 ? "yes" : "no");

    /* 4, 5: loads */
    v = try_load64(base + 4);
    show("ld misaligned", base);
    printf("  rd unchanged? %s\n", v == 0xdead ? "yes" : "no");
    v = try_load32(base + 2);
    show("lw misaligned", base);
    v = try_load64(0x8);
    show("ld from 0x8", 0);
    printf("  rd unchanged? %s\n", v == 0xdead ? "yes" : "no");
    probe_reset();
    __asm__ volatile ("lr.d %0, (%1)" : "=r"(v) : "r"(base + 4) : "memory");
    show("lr.d misaligned", base);

    /* 6, 7: stores and AMOs */
    try_store64(base + 1, 0);
    show("sd misaligned", base);
    probe_reset();
    __asm__ volatile ("amoadd.d %0, %2, (%1)" : "=r"(v) : "r"(base + 4), "r"(1UL) : "memory");
    show("amoadd.d misaligned", base);
    try_store64(0x8, 0);
    show("sd to 0x8", 0);
    probe_reset();
    __asm__ volatile ("amoswap.w %0, %2, (%1)" : "=r"(v) : "r"(0x8UL), "r"(1UL) : "memory");
    show("amoswap.w to 0x8", 0);

    /* 11: ecall from M */
    probe_reset();
    __asm__ volatile ("li a7, 0\n\tecall" ::: "a7", "memory");
    show("ecall", 0);
    printf("data: %lx %lx\n", data[0], data[1]);
    return 0;
}
