/*
 * sv39_perms: every combination of a leaf PTE's R, W and X bits, tried from
 * S-mode with a load, a store and a fetch. Page faults go to M (nothing is
 * delegated): cause 13 (load), 15 (store) or 12 (fetch), and mtval = the
 * virtual address. W without R (W, WX) is reserved: every access faults.
 * A PTE with V = 0 faults; so does a level-0 PTE with no R, W or X (a pointer
 * to a next level that does not exist). A and D are set in every PTE here,
 * so this program does not depend on how A/D are managed (see sv39_ad).
 */
#include "golden.h"

#define DATA_VA 0x200000000UL   /* 8 GiB: data pages, one per combination */
#define CODE_VA 0x240000000UL   /* 9 GiB: the code page, one mapping per combination */

static unsigned long data_page[512] __attribute__((aligned(4096)));

/* A whole page of code so that its mappings cover nothing else: returns 42. */
__attribute__((aligned(4096), section(".text.page"))) static unsigned long page_fn(void) {
    return 42;
}

static const struct { const char *name; unsigned long flags; } combos[] = {
    {"---", 0},
    {"r--", PTE_R},
    {"-w-", PTE_W},
    {"rw-", PTE_R | PTE_W},
    {"--x", PTE_X},
    {"r-x", PTE_R | PTE_X},
    {"-wx", PTE_W | PTE_X},
    {"rwx", PTE_R | PTE_W | PTE_X},
};
#define NCOMBOS (sizeof combos / sizeof combos[0])

static const char *outcome(unsigned long va) {
    static char buf[4][24];
    static int n;
    char *b = buf[n++ & 3];
    if (probe.count == 0)
        return "ok";
    b[0] = 'f'; b[1] = 'a'; b[2] = 'u'; b[3] = 'l'; b[4] = 't';
    b[5] = ' ';
    b[6] = '0' + probe.cause / 10;
    b[7] = '0' + probe.cause % 10;
    b[8] = probe.tval == va ? 0 : '?';    /* '?' would mean mtval is not the address */
    b[9] = 0;
    return b;
}

static long s_main(long arg) {
    for (unsigned i = 0; i < NCOMBOS; i++) {
        unsigned long dva = DATA_VA + i * 4096, cva = CODE_VA + i * 4096;
        unsigned long v = try_load64(dva);
        const char *load = outcome(dva);
        try_store64(dva, 0x1000 + i);
        const char *store = outcome(dva);
        v = try_fetch(cva);
        const char *fetch = outcome(cva);
        printf("%s: load %-9s store %-9s fetch %-9s%s\n", combos[i].name, load, store, fetch,
               probe.count == 0 && v != 42 ? " (fetch returned wrong value)" : "");
    }
    printf("data_page[0]=%lx (the store through rwx)\n", try_load64(DATA_VA + 3 * 4096));

    unsigned long v = try_load64(DATA_VA + NCOMBOS * 4096);
    printf("V=0: load %s\n", outcome(DATA_VA + NCOMBOS * 4096));
    v = try_load64(DATA_VA + (NCOMBOS + 1) * 4096);
    printf("level-0 pointer PTE: load %s\n", outcome(DATA_VA + (NCOMBOS + 1) * 4096));
    (void)v;
    return arg;
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(probe_m);
    unsigned long *root = identity_root();
    for (unsigned i = 0; i < NCOMBOS; i++) {
        unsigned long f = combos[i].flags | PTE_V | PTE_A | PTE_D;
        map(root, DATA_VA + i * 4096, (unsigned long)data_page, f, 0);
        map(root, CODE_VA + i * 4096, (unsigned long)page_fn, f, 0);
    }
    map(root, DATA_VA + NCOMBOS * 4096, (unsigned long)data_page, PTE_R | PTE_W | PTE_A | PTE_D, 0);
    map(root, DATA_VA + (NCOMBOS + 1) * 4096, (unsigned long)data_page, PTE_V, 0);
    satp_on(root, 0);
    bare_mrun(PRIV_S, s_main, 0, 0);
    csr_write(satp, 0);
    printf("data_page[0] seen from M: %lx\n", data_page[0]);
    return 0;
}
