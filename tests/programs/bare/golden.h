/*
 * golden.h -- helpers shared by the golden programs (each program is one file,
 * so everything here is static).
 *
 *   probe_handler  a trap handler (M or S) that records cause/tval/epc in `probe`,
 *                  then skips the faulting instruction (epc += 4) or, for a
 *                  fault on fetching the target of a call (causes 1, 12), returns
 *                  to the caller (epc = ra). (A misaligned target, cause 0, is
 *                  reported on the jump itself, which is skipped.)
 *   probe_m, probe_s  the same, recording in probe.where which level's handler ran
 *   try_load64 / try_store64 / try_load32 / try_fetch   one access, a trap recorded or not
 *   report(what)   prints "what: ok" or the cause and tval of the trap it got
 *   pt_alloc / map / pte_of   Sv39 page tables from a static pool
 */
#ifndef GOLDEN_H
#define GOLDEN_H
#include "bare.h"

struct probe {
    volatile unsigned long cause, tval, epc, status, count;
    volatile char where;           /* 'M' or 'S': which handler took the trap */
};
static struct probe probe;

static void probe_reset(void) { probe.count = 0; probe.cause = probe.tval = probe.epc = 0; }

static void probe_handler(struct bare_frame *f) {
    probe.cause = f->cause;
    probe.tval = f->tval;
    probe.epc = f->epc;
    probe.status = f->status;
    probe.count++;
    if (f->cause == 1 || f->cause == 12)
        f->epc = f->x[1];          /* a fetch fault: the bad pc came from a call; go back */
    else
        f->epc += 4;               /* no C extension: every instruction is 4 bytes */
}

/* The same, telling which level's handler ran. */
static void probe_m(struct bare_frame *f) { probe_handler(f); probe.where = 'M'; }
static void probe_s(struct bare_frame *f) { probe_handler(f); probe.where = 'S'; }

/* One access each, as exactly one instruction. On a trap, the result is 0xdead. */
static unsigned long try_load64(unsigned long addr) {
    unsigned long v = 0xdead;
    probe_reset();
    __asm__ volatile ("ld %0, 0(%1)" : "+r"(v) : "r"(addr) : "memory");
    return v;
}
static unsigned long try_load32(unsigned long addr) {
    unsigned long v = 0xdead;
    probe_reset();
    __asm__ volatile ("lw %0, 0(%1)" : "+r"(v) : "r"(addr) : "memory");
    return v;
}
static void try_store64(unsigned long addr, unsigned long v) {
    probe_reset();
    __asm__ volatile ("sd %0, 0(%1)" :: "r"(v), "r"(addr) : "memory");
}
/* Call addr as a function returning a value in a0 (0xdead if the call trapped). */
static unsigned long try_fetch(unsigned long addr) {
    register unsigned long a0 __asm__("a0") = 0xdead;
    probe_reset();
    __asm__ volatile ("jalr ra, 0(%1)"
                      : "+r"(a0) : "r"(addr)
                      : "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6",
                        "a1", "a2", "a3", "a4", "a5", "a6", "a7", "memory");
    return a0;
}

/* End a function started by bare_mrun/bare_srun without returning through
   bare_lower_return (which a U-mode function cannot fetch when only an alias
   of RAM is mapped for U): the same ecall, made here. */
__attribute__((noreturn)) static inline void lower_return(long value) {
    register long a0 __asm__("a0") = value;
    register unsigned long a7 __asm__("a7") = BARE_ECALL_RETURN;
    __asm__ volatile ("ecall" :: "r"(a0), "r"(a7) : "memory");
    __builtin_unreachable();
}

/* "what: ok" when no trap was taken, else the trap's cause and tval (tval as an offset
   from base, so that the text does not depend on where the linker put things). */
static void report(const char *what, unsigned long base) {
    if (probe.count == 0)
        printf("%s: ok\n", what);
    else
        printf("%s: trap cause=%lu tval=base+%lx\n", what, probe.cause, probe.tval - base);
}

/* ---- Sv39 page tables: a pool of zeroed 4 KiB pages ---- */
static unsigned long pt_pool[24][512] __attribute__((aligned(4096)));
static int pt_used;

static unsigned long *pt_alloc(void) {
    unsigned long *p = pt_pool[pt_used++];
    for (int i = 0; i < 512; i++)
        p[i] = 0;
    return p;
}

/* The PTE for va at level (2: 1 GiB, 1: 2 MiB, 0: 4 KiB), making tables on the way.
   Sv39 va: [38:30] VPN[2] | [29:21] VPN[1] | [20:12] VPN[0] | [11:0] offset */
static unsigned long *pte_of(unsigned long *root, unsigned long va, int level) {
    unsigned long *table = root;
    for (int l = 2; l > level; l--) {
        unsigned long *pte = &table[(va >> (12 + 9 * l)) & 511];
        if (!(*pte & PTE_V))
            *pte = PTE_PA(pt_alloc()) | PTE_V;
        table = (unsigned long *)((*pte >> 10) << 12);
    }
    return &table[(va >> (12 + 9 * level)) & 511];
}

static void map(unsigned long *root, unsigned long va, unsigned long pa, unsigned long flags, int level) {
    *pte_of(root, va, level) = PTE_PA(pa) | flags;
}

/* A root that maps the first GiB (devices) RW and RAM's GiB RWX for S, identity, A and D set. */
static unsigned long *identity_root(void) {
    unsigned long *root = pt_alloc();
    map(root, 0x00000000UL, 0x00000000UL, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, 2);
    map(root, 0x80000000UL, 0x80000000UL, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D, 2);
    return root;
}

static void satp_on(unsigned long *root, unsigned long asid) {
    csr_write(satp, SATP_SV39 | (asid << 44) | ((unsigned long)root >> 12));
    __asm__ volatile ("sfence.vma" ::: "memory");
}

#endif
