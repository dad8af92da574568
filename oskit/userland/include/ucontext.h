/*
 * ucontext.h: what a signal handler's third argument points at.
 *
 * A handler installed with SA_SIGINFO is called as handler(sig, info, uc):
 * uc points at the signal frame the kernel pushed on the user stack (oskit's
 * layout, checked against the kernel's struct by a test). It holds the
 * registers of the interrupted code; when the handler returns, sigreturn
 * loads them back, so changing uc_mcontext changes where the program goes on
 * (mc_sepc += 4 skips the instruction that faulted).
 *
 *     0  uc_info        the siginfo_t (info points here too)       80 bytes
 *    80  uc_sigmask     the mask sigreturn restores                16
 *    96  uc_onstack                                                 8
 *   104  uc_mcontext    mc_gpregs[0..30] = x1..x31, mc_sepc       256
 *   360  uc_magic       the kernel's check that this is its frame    8
 */
#ifndef _UCONTEXT_H_
#define _UCONTEXT_H_

#include <signal.h>
#include <stdint.h>

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
} ucontext_t;

#define REG_RA  0               /* mc_gpregs[REG_RA] is x1 */
#define REG_SP  1
#define REG_A0  9               /* x10 */

#endif /* !_UCONTEXT_H_ */
