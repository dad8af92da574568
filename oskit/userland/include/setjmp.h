/*
 * setjmp.h: non-local jumps. setjmp saves the registers a function call must
 * preserve (ra, sp, s0-s11) and returns 0; longjmp(env, v) puts them back,
 * so setjmp "returns again", with v (1 if v is 0). sigsetjmp(env, 1) also
 * saves the signal mask, and siglongjmp restores it: the way out of a
 * signal handler (a SIGSEGV handler that recovers, for instance).
 *
 * jmp_buf: ra, sp, s0..s11 (14 x 8 bytes); sigjmp_buf adds a flag and a mask.
 */
#ifndef _SETJMP_H_
#define _SETJMP_H_

#include <signal.h>

typedef long jmp_buf[14];
typedef struct {
    long regs[14];
    long savemask;              /* sigsetjmp's second argument */
    sigset_t mask;
} sigjmp_buf[1];

int     setjmp(jmp_buf env) __attribute__((returns_twice));
void    longjmp(jmp_buf env, int val) __attribute__((noreturn));
int     _setjmp(jmp_buf env) __attribute__((returns_twice));
void    _longjmp(jmp_buf env, int val) __attribute__((noreturn));
int     sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
void    siglongjmp(sigjmp_buf env, int val) __attribute__((noreturn));

#endif /* !_SETJMP_H_ */
