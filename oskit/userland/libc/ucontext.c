/*
 * ucontext.c: makecontext and the trampoline a makecontext'd function returns to.
 * getcontext, setcontext and swapcontext are system calls (syscalls.S, 421-423).
 *
 * makecontext aims a saved context at func: pc = func, sp = the top of
 * uc_stack (16-byte aligned), a0..a7 = the arguments, ra = __ctx_start and
 * s1 = ucp. s1 is callee-saved, so when func returns __ctx_start still has
 * ucp and resumes ucp->uc_link, or exits if there is none.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <ucontext.h>

/* The layout the kernel reads and writes (struct sigframe in oskit/kernel/structs.py). */
_Static_assert(__builtin_offsetof(ucontext_t, uc_sigmask) == 80, "uc_sigmask");
_Static_assert(__builtin_offsetof(ucontext_t, uc_onstack) == 96, "uc_onstack");
_Static_assert(__builtin_offsetof(ucontext_t, uc_mcontext.mc_gpregs) == 104, "mc_gpregs");
_Static_assert(__builtin_offsetof(ucontext_t, uc_mcontext.mc_sepc) == 352, "mc_sepc");
_Static_assert(__builtin_offsetof(ucontext_t, uc_magic) == 360, "uc_magic");
_Static_assert(__builtin_offsetof(ucontext_t, uc_link) == 368, "uc_link");
_Static_assert(__builtin_offsetof(ucontext_t, uc_stack) == 376, "uc_stack");
_Static_assert(sizeof(ucontext_t) == 400, "sizeof(ucontext_t)");

void __ctx_start(void);

/* Called by __ctx_start when a makecontext'd function returns. */
void __ctx_done(ucontext_t *ucp)
{
    if (ucp->uc_link != NULL)
        setcontext(ucp->uc_link);       /* does not return unless uc_link is bad */
    exit(0);
}

__asm__(
    "        .text\n"
    "        .globl  __ctx_start\n"
    "        .type   __ctx_start, @function\n"
    "__ctx_start:\n"
    "        mv      a0, s1\n"              /* ucp, kept by func in a callee-saved register */
    "        call    __ctx_done\n"
    "        .size   __ctx_start, . - __ctx_start\n");

void makecontext(ucontext_t *ucp, void (*func)(void), int argc, ...)
{
    uint64_t *r = ucp->uc_mcontext.mc_gpregs;
    va_list ap;

    if (argc < 0 || argc > 8) {         /* only a0..a7: no arguments on the stack */
        errno = EINVAL;
        return;
    }
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        r[REG_A0 + i] = va_arg(ap, uint64_t);
    va_end(ap);
    r[REG_SP] = ((uintptr_t)ucp->uc_stack.ss_sp + ucp->uc_stack.ss_size) & ~(uintptr_t)15;
    r[REG_RA] = (uintptr_t)__ctx_start;
    r[REG_S0] = 0;                      /* no caller frame */
    r[REG_S1] = (uintptr_t)ucp;
    ucp->uc_mcontext.mc_sepc = (uintptr_t)func;
}
