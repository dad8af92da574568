/*
 * sv39_superpage: 2 MiB (level 1) and 1 GiB (level 2) leaf PTEs, and the
 * fault for a misaligned superpage: a level-1 leaf whose PPN[0] is not zero,
 * or a level-2 leaf whose PPN[1] or PPN[0] is not zero, is a page fault on
 * every access (cause 13 for a load), even though V and R are set.
 * A marker word is written at a physical address from M; S reads it back
 * through each mapping.
 */
#include "golden.h"

#define MARK_PA   0x80601238UL          /* 6 MiB into RAM, past this program */
#define MEGA_VA   0x200000000UL         /* maps PA 0x80600000, 2 MiB */
#define GIGA_VA   0xC0000000UL          /* maps PA 0x80000000, 1 GiB */
#define BADMEGA_VA 0x200200000UL        /* level-1 leaf with PPN[0] = 1 */
#define BADGIGA_VA 0x300000000UL        /* level-2 leaf with PPN[1] = 1 */

static void show(const char *what, unsigned long v) {
    if (probe.count == 0)
        printf("%-44s %lx\n", what, v);
    else
        printf("%-44s fault %lu (tval %s)\n", what, probe.cause,
               probe.tval >= BADMEGA_VA ? "= va" : "?");
}

static long s_main(long arg) {
    unsigned long v;
    v = try_load64(MEGA_VA + 0x1238);
    show("megapage   va 0x200001238 -> pa 0x80601238", v);
    v = try_load64(GIGA_VA + 0x601238);
    show("gigapage   va 0x0c0601238 -> pa 0x80601238", v);
    v = try_load64(MEGA_VA + 0x1FFFF8);
    show("megapage, its last word", v);
    v = try_load64(BADMEGA_VA + 0x1238);
    show("misaligned megapage (PPN[0]=1)", v);
    v = try_load64(BADGIGA_VA + 0x601238);
    show("misaligned gigapage (PPN[1]=1)", v);
    try_store64(MEGA_VA + 0x1240, 0x5a5a);
    show("store through the megapage", 0);
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    *(volatile unsigned long *)MARK_PA = 0xfeedf00dUL;
    *(volatile unsigned long *)(0x80600000UL + 0x1FFFF8) = 0x1a57UL;
    unsigned long *root = identity_root();
    unsigned long f = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    map(root, MEGA_VA, 0x80600000UL, f, 1);
    map(root, GIGA_VA, 0x80000000UL, f, 2);
    map(root, BADMEGA_VA, 0x80601000UL, f, 1);
    map(root, BADGIGA_VA, 0x80200000UL, f, 2);
    satp_on(root, 0);
    bare_mrun(PRIV_S, s_main, 0, 0);
    csr_write(satp, 0);
    printf("pa 0x80601240 seen from M: %lx\n", *(volatile unsigned long *)0x80601240UL);
    return 0;
}
