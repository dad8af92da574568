/* siglongjmp.c: jump back to a sigsetjmp, restoring the signal mask it saved. */
#include <setjmp.h>
#include <signal.h>

void siglongjmp(sigjmp_buf env, int val)
{
    if (env->savemask)
        sigprocmask(SIG_SETMASK, &env->mask, NULL);
    longjmp(env->regs, val);
}
