/*
 * ucontext.h: user contexts -- what a signal handler's third argument points at,
 * and what getcontext/setcontext/swapcontext/makecontext work with.
 *
 * FreeBSD's layout for RISC-V (sys/sys/_ucontext.h, sys/riscv/include/ucontext.h),
 * declared for the kernel once in oskit/kernel/structs.py (UCONTEXT); the
 * _Static_asserts below pin every offset to it, and tests/test_libc_host.py
 * checks the two agree:
 *
 *     0  uc_sigmask     the signal mask                                 16 bytes
 *    16  uc_mcontext    mc_gpregs: ra sp gp tp t0-t6 s0-s11 a0-a7 sepc sstatus
 *   280                 mc_fpregs (no F/D extension here: zeroes), mc_flags, mc_spare
 *   880  uc_link        makecontext: the context resumed when func returns
 *   888  uc_stack       makecontext: the stack func runs on
 *   912  uc_flags, __spare__                                  sizeof = 936
 *
 * A handler installed with SA_SIGINFO is called as handler(sig, info, uc), the
 * siginfo_t just below the ucontext_t on the stack (FreeBSD's struct sigframe):
 * when it returns, sigreturn loads uc back, so changing uc_mcontext changes where
 * the program goes on (mc_gpregs.gp_sepc += 4 skips the instruction that faulted).
 *
 * getcontext(ucp) saves the caller (registers, pc, mask) and returns 0;
 * setcontext(ucp) resumes a saved context (getcontext returns 0 again there);
 * swapcontext(oucp, ucp) saves into oucp and resumes ucp, in one system call.
 * A context whose gp_sstatus does not say "user mode" is refused with EINVAL.
 * makecontext(ucp, func, argc, ...) changes a context got by getcontext so that
 * resuming it calls func(args...) on ucp->uc_stack, with up to 8 integer
 * arguments (a0..a7); when func returns, uc_link is resumed (exit(0) if NULL).
 * getcontext and swapcontext leave uc_link and uc_stack untouched.
 */
#ifndef _UCONTEXT_H_
#define _UCONTEXT_H_

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifndef _STACK_T_DECLARED
#define _STACK_T_DECLARED
typedef struct sigaltstack {
    void   *ss_sp;              /* lowest address of the stack */
    size_t  ss_size;            /* its size in bytes */
    int     ss_flags;
} stack_t;
#endif
#define SS_ONSTACK  0x0001          /* ss_flags: running on the alternate stack */
#define SS_DISABLE  0x0004          /* ss_flags: no alternate stack (oskit has none) */

struct gpregs {
    uint64_t gp_ra;
    uint64_t gp_sp;
    uint64_t gp_gp;
    uint64_t gp_tp;
    uint64_t gp_t[7];
    uint64_t gp_s[12];
    uint64_t gp_a[8];
    uint64_t gp_sepc;           /* the pc where the program goes on */
    uint64_t gp_sstatus;
};

struct fpregs {
    uint64_t fp_x[32][2];
    uint64_t fp_fcsr;
    int      fp_flags;
    int      pad;
};

typedef struct __mcontext {
    struct gpregs mc_gpregs;
    struct fpregs mc_fpregs;
    int      mc_flags;
#define _MC_FP_VALID 0x1        /* mc_fpregs hold something (never on oskit) */
    int      mc_pad;
    uint64_t mc_spare[8];
} mcontext_t;

typedef struct __ucontext {
    sigset_t   uc_sigmask;
    mcontext_t uc_mcontext;
    struct __ucontext *uc_link;
    stack_t    uc_stack;
    int        uc_flags;
    int        __spare__[4];
} ucontext_t;

/* The layout the kernel reads and writes (UCONTEXT in oskit/kernel/structs.py). */
_Static_assert(offsetof(ucontext_t, uc_sigmask) == 0, "uc_sigmask");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_gpregs.gp_ra) == 16, "gp_ra");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_gpregs.gp_t) == 48, "gp_t");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_gpregs.gp_s) == 104, "gp_s");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_gpregs.gp_a) == 200, "gp_a");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_gpregs.gp_sepc) == 264, "gp_sepc");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_gpregs.gp_sstatus) == 272, "gp_sstatus");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_fpregs) == 280, "mc_fpregs");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_flags) == 808, "mc_flags");
_Static_assert(offsetof(ucontext_t, uc_mcontext.mc_spare) == 816, "mc_spare");
_Static_assert(offsetof(ucontext_t, uc_link) == 880, "uc_link");
_Static_assert(offsetof(ucontext_t, uc_stack) == 888, "uc_stack");
_Static_assert(offsetof(ucontext_t, uc_flags) == 912, "uc_flags");
_Static_assert(sizeof(ucontext_t) == 936, "sizeof(ucontext_t)");

int  getcontext(ucontext_t *ucp);
int  setcontext(const ucontext_t *ucp);
int  swapcontext(ucontext_t *oucp, const ucontext_t *ucp);
void makecontext(ucontext_t *ucp, void (*func)(void), int argc, ...);

#endif /* !_UCONTEXT_H_ */
