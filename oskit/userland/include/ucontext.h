/*
 * ucontext.h: user contexts -- what a signal handler's third argument points at,
 * and what getcontext/setcontext/swapcontext/makecontext work with.
 *
 * One layout serves both (the kernel's struct sigframe, oskit/kernel/structs.py;
 * libc/ucontext.c pins the offsets, tests/test_libc_host.py checks them against it):
 *
 *     0  uc_info        the siginfo_t (a handler's info points here)   80 bytes
 *    80  uc_sigmask     the signal mask                                16
 *    96  uc_onstack                                                     8
 *   104  uc_mcontext    mc_gpregs[0..30] = x1..x31, mc_sepc           256
 *   360  uc_magic       the kernel's check that this is a saved context 8
 *   368  uc_link        makecontext: the context resumed when func returns 8
 *   376  uc_stack       makecontext: the stack func runs on            24
 *
 * A handler installed with SA_SIGINFO is called as handler(sig, info, uc): when
 * it returns, sigreturn loads uc back, so changing uc_mcontext changes where
 * the program goes on (mc_sepc += 4 skips the instruction that faulted).
 *
 * getcontext(ucp) saves the caller (registers, pc, mask) and returns 0;
 * setcontext(ucp) resumes a saved context (getcontext returns 0 again there);
 * swapcontext(oucp, ucp) saves into oucp and resumes ucp, in one system call.
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

typedef struct __mcontext {
    uint64_t mc_gpregs[31];     /* x1 (ra), x2 (sp), ... x31 (t6): index = register number - 1 */
    uint64_t mc_sepc;           /* the pc where the program goes on */
} mcontext_t;

typedef struct __ucontext {
    siginfo_t  uc_info;
    sigset_t   uc_sigmask;
    uint64_t   uc_onstack;
    mcontext_t uc_mcontext;
    uint64_t   uc_magic;
    struct __ucontext *uc_link;
    stack_t    uc_stack;
} ucontext_t;

#define REG_RA  0               /* mc_gpregs[REG_RA] is x1 */
#define REG_SP  1
#define REG_S0  7               /* x8 */
#define REG_S1  8               /* x9 */
#define REG_A0  9               /* x10 */

int  getcontext(ucontext_t *ucp);
int  setcontext(const ucontext_t *ucp);
int  swapcontext(ucontext_t *oucp, const ucontext_t *ucp);
void makecontext(ucontext_t *ucp, void (*func)(void), int argc, ...);

#endif /* !_UCONTEXT_H_ */
