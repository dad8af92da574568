/*
 * sys/thr.h: the kernel's thread calls (FreeBSD's), under <pthread.h>.
 * Programs use pthreads; libc's pthread.c is built on these.
 */
#ifndef _SYS_THR_H_
#define _SYS_THR_H_

#include <stddef.h>

struct rtprio;

/* What thr_new needs to start a thread (104 bytes; oskit/kernel/kern/sys_thread.py reads it). */
struct thr_param {
    void        (*start_func)(void *);  /* the new thread runs start_func(arg) */
    void        *arg;
    char        *stack_base;            /* its stack: [stack_base, stack_base + stack_size) */
    size_t      stack_size;
    char        *tls_base;              /* its TLS block: the tp register */
    size_t      tls_size;
    long        *child_tid;             /* the kernel stores the new thread's id here... */
    long        *parent_tid;            /* ...and here, before the thread runs */
    int         flags;
    struct rtprio *rtp;                 /* ignored by oskit */
    void        *spare[3];
};

int     thr_new(struct thr_param *param, int param_size);
int     thr_self(long *id);
void    thr_exit(long *state);          /* *state = 1, its waiters wake; the last thread: exit(0) */
int     thr_kill(long id, int sig);

#endif /* !_SYS_THR_H_ */
