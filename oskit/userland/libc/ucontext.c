/*
 * ucontext.c: makecontext and the trampoline a makecontext'd function returns to.
 * getcontext, setcontext and swapcontext are system calls (syscalls.S, 421-423).
 *
 * makecontext aims a saved context at func: pc = func, sp = the top of
 * uc_stack (16-byte aligned), a0..a7 = the arguments, ra = __ctx_start and
 * s1 = ucp. (<ucontext.h> pins the layout to the kernel's.) s1 is callee-saved, so when func returns __ctx_start still has
 * ucp and resumes ucp->uc_link, or exits if there is none.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <ucontext.h>

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
    struct gpregs *r = &ucp->uc_mcontext.mc_gpregs;
    va_list ap;

    if (argc < 0 || argc > 8) {         /* only a0..a7: no arguments on the stack */
        errno = EINVAL;
        return;
    }
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        r->gp_a[i] = va_arg(ap, uint64_t);
    va_end(ap);
    r->gp_sp = ((uintptr_t)ucp->uc_stack.ss_sp + ucp->uc_stack.ss_size) & ~(uintptr_t)15;
    r->gp_ra = (uintptr_t)__ctx_start;
    r->gp_s[0] = 0;                     /* no caller frame */
    r->gp_s[1] = (uintptr_t)ucp;
    r->gp_sepc = (uintptr_t)func;
}
