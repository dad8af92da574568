/*
 * sv39_walk: how a page-table walk can fail, from S-mode (faults go to M).
 *  - A virtual address whose bits 63:39 are not all equal to bit 38 is not an
 *    Sv39 address: page fault (13 load, 15 store, 12 fetch).
 *  - A PTE with reserved bits 63:54 set (no Svpbmt, no Svnapot here): page fault.
 *  - A non-leaf PTE pointing at a physical address where nothing answers: the
 *    walk's own read fails, which is an access fault of the access that caused
 *    the walk (5 load, 7 store), as the privileged spec's walk (4.3.2 step 2)
 *    says. QEMU 7.2 reports a page fault instead (sv39_walk.qemu.expected).
 *  - The high half works like the low half: 0xFFFFFFC0_00000000 (bits 63:38
 *    all ones) is a valid address, mapped here like RAM.
 */
#include "golden.h"

#define NONCANON  0x0000008000000000UL   /* bit 39 set, bit 38 clear */
#define RESERVED  0x200000000UL          /* leaf with bit 54 set */
#define BADTABLE  0x240000000UL          /* level-2 pointer to PA 0x1000_0000_0 (nothing there) */
#define HIGH      0xFFFFFFC000000000UL   /* the first address of the high half */

static unsigned long page[512] __attribute__((aligned(4096)));

static void show(const char *what, unsigned long va) {
    if (probe.count == 0)
        printf("%-36s ok\n", what);
    else
        printf("%-36s fault %lu%s\n", what, probe.cause, probe.tval == va ? "" : " (tval is not the va)");
}

static long s_main(long arg) {
    try_load64(NONCANON);        show("ld non-canonical va", NONCANON);
    try_store64(NONCANON, 1);    show("sd non-canonical va", NONCANON);
    try_fetch(NONCANON);         show("fetch non-canonical va", NONCANON);
    try_load64(RESERVED);        show("ld through PTE with bit 54 set", RESERVED);
    try_load64(BADTABLE);        show("ld, table at a PA with nothing", BADTABLE);
    try_store64(BADTABLE, 1);    show("sd, table at a PA with nothing", BADTABLE);
    unsigned long v = try_load64(HIGH + (unsigned long)page - 0x80000000UL);
    show("ld high-half va", HIGH + (unsigned long)page - 0x80000000UL);
    printf("  it read %lx\n", v);
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    page[0] = 0x600d;
    unsigned long *root = identity_root();
    unsigned long f = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    map(root, RESERVED, (unsigned long)page, f | (1UL << 54), 0);
    root[(BADTABLE >> 30) & 511] = PTE_PA(0x1000000000UL) | PTE_V;      /* a non-leaf PTE */
    map(root, HIGH, 0x80000000UL, f, 2);
    satp_on(root, 0);
    bare_mrun(PRIV_S, s_main, 0, 0);
    csr_write(satp, 0);
    return 0;
}
