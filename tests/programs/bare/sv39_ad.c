/*
 * sv39_ad: the Accessed and Dirty bits. Our machine (like QEMU) updates
 * them in hardware during the page-table walk (oskit/machine/choices.py,
 * HARDWARE_AD_UPDATE): any access sets A, a store also sets D; a load
 * through a PTE with D = 0 leaves D alone. Intermediate (non-leaf) PTEs keep
 * A and D clear. The PTEs are read back from M after each S-mode access, with
 * an sfence.vma before each access so that the walk really happens.
 */
#include "golden.h"

#define VA_R 0x200000000UL
#define VA_W 0x200001000UL
#define VA_X 0x200002000UL

static unsigned long page[512] __attribute__((aligned(4096)));
__attribute__((aligned(4096), section(".text.page"))) static unsigned long page_fn(void) {
    return 42;
}

static unsigned long *root, *pte_r, *pte_w, *pte_x;

static void flags(const char *what, unsigned long *pte) {
    unsigned long p = *pte;
    printf("%-28s A=%lu D=%lu\n", what, (p >> 6) & 1, (p >> 7) & 1);
}

static long s_access(long which) {
    __asm__ volatile ("sfence.vma" ::: "memory");
    if (which == 0) try_load64(VA_R);
    if (which == 1) try_load64(VA_W);
    if (which == 2) try_store64(VA_W, 9);
    if (which == 3) try_fetch(VA_X);
    return probe.count;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    root = identity_root();
    map(root, VA_R, (unsigned long)page, PTE_V | PTE_R | PTE_W, 0);
    map(root, VA_W, (unsigned long)page, PTE_V | PTE_R | PTE_W, 0);
    map(root, VA_X, (unsigned long)page_fn, PTE_V | PTE_X | PTE_R, 0);
    pte_r = pte_of(root, VA_R, 0);
    pte_w = pte_of(root, VA_W, 0);
    pte_x = pte_of(root, VA_X, 0);
    satp_on(root, 0);

    flags("before any access", pte_r);
    long t = bare_mrun(PRIV_S, s_access, 0, 0);
    flags(t ? "load (trapped!)" : "after a load", pte_r);
    t = bare_mrun(PRIV_S, s_access, 1, 0);
    flags(t ? "load (trapped!)" : "other page after a load", pte_w);
    t = bare_mrun(PRIV_S, s_access, 2, 0);
    flags(t ? "store (trapped!)" : "after a store", pte_w);
    flags("first page still", pte_r);
    t = bare_mrun(PRIV_S, s_access, 3, 0);
    flags(t ? "fetch (trapped!)" : "after a fetch", pte_x);
    unsigned long *l2 = &root[(VA_R >> 30) & 511];
    unsigned long *l1 = &((unsigned long *)((*l2 >> 10) << 12))[(VA_R >> 21) & 511];
    flags("the non-leaf PTEs (level 2)", l2);
    flags("the non-leaf PTEs (level 1)", l1);
    csr_write(satp, 0);
    printf("page[0]=%lu\n", page[0]);
    return 0;
}
