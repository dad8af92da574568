/*
 * sfence: the TLB and sfence.vma. After a PTE changes, sfence.vma with the
 * page's address (or with no operands) makes the new translation visible;
 * translations are tagged with satp.ASID, so switching satp to another ASID
 * uses that address space's own entries, and an sfence.vma x0, asid flushes
 * one address space only. A global (G) mapping is shared by every ASID.
 *
 * Without an sfence.vma the old translation may stay in use. Whether it
 * does is up to the implementation; our machine keeps TLB entries until
 * flushed, so it shows the stale value (the "stale" lines). QEMU 7.2 keeps
 * the first one too, but its TLB has no ASID tags: it flushes everything on
 * any sfence.vma, so after "sfence.vma of asid 2" it already sees asid 1's
 * new PTE (sfence.qemu.expected).
 */
#include "golden.h"

#define VA 0x200000000UL
#define GVA 0x200001000UL

static unsigned long pa[3][512] __attribute__((aligned(4096)));
static unsigned long *root1, *root2;

static void set_satp(unsigned long *root, unsigned long asid) {
    csr_write(satp, SATP_SV39 | (asid << 44) | ((unsigned long)root >> 12));
}

static long s_main(long arg) {
    unsigned long f = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    set_satp(root1, 1);
    __asm__ volatile ("sfence.vma" ::: "memory");
    printf("asid 1 reads %lx\n", try_load64(VA));

    *pte_of(root1, VA, 0) = PTE_PA(pa[1]) | f;            /* remap VA in asid 1 */
    printf("stale: after the PTE changed, no sfence: %lx\n", try_load64(VA));
    __asm__ volatile ("sfence.vma %0, zero" :: "r"(VA + 8) : "memory");
    printf("after sfence.vma va: %lx\n", try_load64(VA));

    set_satp(root2, 2);
    printf("asid 2 (another table) reads %lx\n", try_load64(VA));
    set_satp(root1, 1);
    printf("back to asid 1 reads %lx\n", try_load64(VA));

    *pte_of(root1, VA, 0) = PTE_PA(pa[2]) | f;
    __asm__ volatile ("sfence.vma zero, %0" :: "r"(2UL) : "memory");   /* flushes asid 2 only */
    printf("stale: after sfence.vma of asid 2: %lx\n", try_load64(VA));
    __asm__ volatile ("sfence.vma zero, %0" :: "r"(1UL) : "memory");
    printf("after sfence.vma of asid 1: %lx\n", try_load64(VA));

    printf("global page from asid 1: %lx\n", try_load64(GVA));
    set_satp(root2, 2);
    printf("global page from asid 2: %lx\n", try_load64(GVA));
    set_satp(root1, 1);
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    pa[0][0] = 0xa0; pa[1][0] = 0xa1; pa[2][0] = 0xa2;
    unsigned long f = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    root1 = identity_root();
    root2 = identity_root();
    map(root1, VA, (unsigned long)pa[0], f, 0);
    map(root2, VA, (unsigned long)pa[2], f, 0);
    map(root1, GVA, (unsigned long)pa[1], f | PTE_G, 0);
    map(root2, GVA, (unsigned long)pa[1], f | PTE_G, 0);
    bare_mrun(PRIV_S, s_main, 0, 0);
    csr_write(satp, 0);
    return 0;
}
