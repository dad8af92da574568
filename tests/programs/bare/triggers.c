/*
 * triggers: hardware breakpoints with the debug triggers (Sdtrig): tselect,
 * tdata1, tdata2 and tinfo, as a debugger or a kernel uses them.
 *
 *  - enumeration: write 0, 1, 2, ... to tselect until it does not hold what
 *    was written or tdata1's type is 0 (no trigger there); tinfo lists the
 *    types each trigger supports (2 mcontrol, 6 mcontrol6, 15 disabled);
 *  - tdata1 is WARL: a setting the hardware lacks (load/store matching,
 *    action 1 "enter Debug Mode") reads back as 0;
 *  - an execute trigger on one instruction of a hot loop raises a breakpoint
 *    exception (cause 3, tval = epc = the instruction's address) before that
 *    instruction runs, every time round the loop; the handler skips it;
 *  - in M-mode only while mstatus.MIE = 1, in S-mode (breakpoints delegated
 *    to S) only while sstatus.SIE = 1, so a handler is not caught by its own
 *    trigger; a trigger fires only in the modes whose bit (m, s, u) is set.
 *
 * count_loop(n) adds 2 and 1 to a sum n times: 3n, or 2n when the breakpoint
 * on the "add 1" instruction (bp_target) makes the handler skip it.
 *
 * QEMU 7.2 implements an older draft of Sdtrig (triggers.qemu.expected): a
 * tselect out of range keeps its old value, tdata1 resets to type 2, tinfo has
 * no version and no type 15, writing 0 to tdata1 does not disable the trigger
 * (the 1.0 spec says it must), no hit bit, tval = 0 on a trigger's breakpoint
 * (our machine: the address, as 1.0 says for mcontrol6), and triggers fire in
 * M-mode with MIE = 0 and in S-mode with SIE = 0 (no re-entrancy rule).
 */
#include "golden.h"

#define TDATA1_TYPE(v)  ((v) >> 60)
#define MC_M        (1UL << 6)
#define MC_S        (1UL << 4)
#define MC_U        (1UL << 3)
#define MC_EXECUTE  (1UL << 2)
#define MC_STORE    (1UL << 1)
#define MC_LOAD     (1UL << 0)
#define MC_ACTION_DEBUG (1UL << 12)
#define MCONTROL6(bits) ((6UL << 60) | (bits))
#define MCONTROL(bits)  ((2UL << 60) | (bits))

long count_loop(long n);
extern char bp_target[];
__asm__(".text\n"
        ".globl count_loop\n"
        ".p2align 2\n"
        "count_loop:\n"
        "  li a1, 0\n"
        "1:\n"
        "  addi a1, a1, 2\n"
        ".globl bp_target\n"
        "bp_target:\n"
        "  addi a1, a1, 1\n"
        "  addi a0, a0, -1\n"
        "  bnez a0, 1b\n"
        "  mv a0, a1\n"
        "  ret\n");

static unsigned long breakpoints, tval;

/* Count breakpoints at bp_target and skip that instruction; anything else is unexpected. */
static void on_breakpoint(struct bare_frame *f) {
    if (f->cause != 3 || f->epc != (unsigned long)bp_target)
        bare_unexpected_trap("breakpoint handler", f);
    breakpoints++;
    tval = f->tval;
    f->epc += 4;
}

static void show(const char *what, long sum) {
    printf("%-40s breakpoints=%lu sum=%ld", what, breakpoints, sum);
    if (breakpoints)
        printf(tval == (unsigned long)bp_target ? " tval=its address\n" : " tval=%lx\n", tval);
    else
        printf("\n");
    breakpoints = 0;
}

static void arm(unsigned long tdata1) {
    csr_write(tselect, 0);
    csr_write(tdata1, 0);                         /* disable first: then tdata2 may hold anything */
    csr_write(tdata2, (unsigned long)bp_target);
    csr_write(tdata1, tdata1);
}

static long s_main(long sie) {
    if (sie)
        csr_set(sstatus, MSTATUS_SIE);            /* sie (the enables) is 0: no interrupt can come */
    else
        csr_clear(sstatus, MSTATUS_SIE);
    return count_loop(10);
}

int main(void) {
    bare_pmp_allow_all();
    bare_set_mtrap(on_breakpoint);
    bare_set_strap(on_breakpoint);

    /* Enumerate the triggers. */
    unsigned long n = 0;
    for (;;) {
        csr_write(tselect, n);
        if (csr_read(tselect) != n || TDATA1_TYPE(csr_read(tdata1)) == 0)
            break;
        n++;
    }
    printf("triggers: %lu (tselect reads %lu after writing %lu)\n", n, csr_read(tselect), n);
    csr_write(tselect, 1000);
    printf("tselect after writing 1000: %lu, tinfo there %lx\n", csr_read(tselect), csr_read(tinfo));
    csr_write(tselect, 0);
    printf("trigger 0: tdata1 %lx, tinfo %lx\n", csr_read(tdata1), csr_read(tinfo));
    csr_write(tdata1, MCONTROL6(MC_M | MC_S | MC_EXECUTE | MC_LOAD | MC_STORE | MC_ACTION_DEBUG));
    printf("mcontrol6 m s execute load store action=1 reads back %lx\n", csr_read(tdata1));
    csr_write(tdata1, 0);
    printf("after writing 0: %lx\n", csr_read(tdata1));

    /* M-mode: warm the loop up (the fast path translates it), then break in it. */
    show("M, no trigger", count_loop(100));
    csr_set(mstatus, MSTATUS_MIE);                /* mie is 0: no interrupt can come */
    arm(MCONTROL6(MC_M | MC_EXECUTE));
    show("M, mcontrol6 m execute, MIE=1", count_loop(10));
    printf("tdata1 now %lx (hit0 set)\n", csr_read(tdata1));
    arm(MCONTROL6(MC_S | MC_U | MC_EXECUTE));
    show("M, mcontrol6 s u execute", count_loop(10));
    arm(MCONTROL(MC_M | MC_EXECUTE));
    show("M, mcontrol m execute, MIE=1", count_loop(10));
    csr_clear(mstatus, MSTATUS_MIE);
    show("M, mcontrol m execute, MIE=0", count_loop(10));

    /* S-mode: breakpoints delegated to S, handled there. */
    csr_write(medeleg, 1UL << 3);
    arm(MCONTROL6(MC_S | MC_EXECUTE));
    show("S, mcontrol6 s execute, SIE=1", bare_mrun(PRIV_S, s_main, 1, 0));
    show("S, mcontrol6 s execute, SIE=0", bare_mrun(PRIV_S, s_main, 0, 0));
    arm(MCONTROL(MC_S | MC_EXECUTE));
    show("S, mcontrol s execute, SIE=1", bare_mrun(PRIV_S, s_main, 1, 0));
    arm(MCONTROL6(MC_M | MC_U | MC_EXECUTE));
    show("S, mcontrol6 m u execute", bare_mrun(PRIV_S, s_main, 1, 0));

    /* Not delegated: the S-mode breakpoint goes to M, where MIE says nothing about S. */
    csr_write(medeleg, 0);
    arm(MCONTROL6(MC_S | MC_EXECUTE));
    show("S, not delegated, SIE=0", bare_mrun(PRIV_S, s_main, 0, 0));

    csr_write(tdata1, 0);
    show("M, disarmed", count_loop(100));
    return 0;
}
