/*
 * pthread.h: POSIX threads, the small part oskit's libc has (libc/pthread.c,
 * libc/pthread_sync.c), on the kernel's thr_new/thr_exit and _umtx_op.
 *
 * Each thread has its own stack (mmap, with a guard page under it) and its
 * own TLS block (a copy of the program's __thread image), so errno is per
 * thread. Mutexes, condition variables and pthread_once are a word changed
 * with atomic instructions; a thread sleeps in the kernel (_umtx_op) only
 * when it must wait.
 *
 * What libc itself guarantees to threads: malloc/free and stdio are safe to
 * call from several threads (one lock each; one printf is written whole,
 * never mixed with another thread's). fork() in a threaded program copies
 * only the calling thread, with those locks free in the child. Other libc
 * state (strtok, getopt, the atexit list) is not protected.
 */
#ifndef _PTHREAD_H_
#define _PTHREAD_H_

#include <sched.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

typedef struct __pthread *pthread_t;

typedef struct {
    size_t      stacksize;              /* 0: PTHREAD_STACK_DEFAULT */
    int         detachstate;
} pthread_attr_t;

/*
 * A default mutex: __word is 0 free, 1 locked, 2 locked and someone may wait.
 * A PTHREAD_PRIO_INHERIT mutex is the start of the kernel's struct umutex
 * (kern/umtx.py): __word = m_owner (the owner's thread id, with bit 31 set when
 * a thread waits), __kind = m_flags (UMUTEX_PRIO_INHERIT).
 */
typedef struct {
    volatile unsigned int __word;
    int         __kind;
} pthread_mutex_t;

typedef struct { int __protocol; } pthread_mutexattr_t;

#define PTHREAD_PRIO_NONE           0
#define PTHREAD_PRIO_INHERIT        1   /* the owner runs at its most urgent waiter's priority */
#define PTHREAD_PRIO_PROTECT        2   /* (priority ceilings: not in oskit, ENOTSUP) */

typedef struct {
    volatile unsigned int __seq;        /* bumped by each signal/broadcast; waiters sleep on it */
} pthread_cond_t;

typedef struct { int __unused; } pthread_condattr_t;

typedef struct {
    volatile unsigned int __state;      /* 0 not run, 1 running, 2 done */
} pthread_once_t;

#define PTHREAD_MUTEX_INITIALIZER   { 0, 0 }
#define PTHREAD_COND_INITIALIZER    { 0 }
#define PTHREAD_ONCE_INIT           { 0 }

#define PTHREAD_CREATE_JOINABLE     0
#define PTHREAD_CREATE_DETACHED     1
#define PTHREAD_STACK_MIN           16384
#define PTHREAD_STACK_DEFAULT       (256 * 1024)
#define PTHREAD_THREADS_MAX         64  /* per process: the kernel's MAX_THREADS (sys_thread.py) */

int         pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                           void *(*start_routine)(void *), void *arg);
int         pthread_join(pthread_t thread, void **value_ptr);
void        pthread_exit(void *value_ptr) __attribute__((noreturn));
pthread_t   pthread_self(void);
int         pthread_equal(pthread_t t1, pthread_t t2);
int         pthread_detach(pthread_t thread);
int         pthread_kill(pthread_t thread, int sig);
long        pthread_getthreadid_np(void);       /* the kernel's thread id (FreeBSD) */

int         pthread_attr_init(pthread_attr_t *attr);
int         pthread_attr_destroy(pthread_attr_t *attr);
int         pthread_attr_setstacksize(pthread_attr_t *attr, size_t stacksize);
int         pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *stacksize);
int         pthread_attr_setdetachstate(pthread_attr_t *attr, int detachstate);

int         pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param);
int         pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param);

int         pthread_mutexattr_init(pthread_mutexattr_t *attr);
int         pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int         pthread_mutexattr_setprotocol(pthread_mutexattr_t *attr, int protocol);
int         pthread_mutexattr_getprotocol(const pthread_mutexattr_t *attr, int *protocol);

int         pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int         pthread_mutex_destroy(pthread_mutex_t *mutex);
int         pthread_mutex_lock(pthread_mutex_t *mutex);
int         pthread_mutex_trylock(pthread_mutex_t *mutex);
int         pthread_mutex_unlock(pthread_mutex_t *mutex);

int         pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr);
int         pthread_cond_destroy(pthread_cond_t *cond);
int         pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int         pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                                   const struct timespec *abstime);
int         pthread_cond_signal(pthread_cond_t *cond);
int         pthread_cond_broadcast(pthread_cond_t *cond);

int         pthread_once(pthread_once_t *once_control, void (*init_routine)(void));

#endif /* !_PTHREAD_H_ */
