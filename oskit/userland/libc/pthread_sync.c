/*
 * pthread_sync.c: mutexes, condition variables, pthread_once.
 *
 * Each is a 32-bit word changed with atomic instructions (RV64A: amoswap,
 * lr/sc); a thread enters the kernel only to sleep until the word changes
 * (_umtx_op WAIT) or to wake sleepers (_umtx_op WAKE). See lock.c for the
 * mutex word (0 free, 1 held, 2 held with possible waiters).
 *
 * A condition variable is a sequence number. A waiter reads it, unlocks the
 * mutex, and sleeps while the number is still what it read; signal and
 * broadcast add 1 and wake one or all sleepers. A signal between the unlock
 * and the sleep is not lost: the number changed, so the kernel does not put
 * the waiter to sleep. Like every condition variable, it may wake a waiter
 * for nothing (a "spurious wakeup"): callers test their condition in a loop.
 *
 * The mutexes are not recursive and do no error checking: unlocking a
 * default mutex one does not hold is undefined. A PTHREAD_PRIO_INHERIT mutex
 * is FreeBSD's struct umutex, locked through UMTX_OP_MUTEX_LOCK when contended.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sys/umtx.h>
#include <time.h>

#include "libc_private.h"

/* ------------------------------------------------------------ mutexes */

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
    attr->__protocol = PTHREAD_PRIO_NONE;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_mutexattr_setprotocol(pthread_mutexattr_t *attr, int protocol)
{
    if (protocol == PTHREAD_PRIO_PROTECT)
        return ENOTSUP;
    if (protocol != PTHREAD_PRIO_NONE && protocol != PTHREAD_PRIO_INHERIT)
        return EINVAL;
    attr->__protocol = protocol;
    return 0;
}

int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *attr, int *protocol)
{
    *protocol = attr->__protocol;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
    mutex->__word = 0;
    mutex->__kind = attr && attr->__protocol == PTHREAD_PRIO_INHERIT ? UMUTEX_PRIO_INHERIT : 0;
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
    return mutex->__word ? EBUSY : 0;
}

/*
 * A priority-inheritance mutex holds its owner's thread id. Free -> ours and
 * ours -> free are one compare-and-swap each; anything else (it is held, or a
 * thread waits: UMUTEX_CONTESTED) goes to the kernel, which is what knows who
 * waits for whom and lends the owner the waiters' priority (kern/umtx.py).
 */
static int pi_lock(pthread_mutex_t *mutex, int op)
{
    unsigned int free = 0, self = (unsigned int)pthread_getthreadid_np();
    int saved = errno, r = 0;

    if (__atomic_compare_exchange_n(&mutex->__word, &free, self, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return 0;
    while (_umtx_op(mutex, op, 0, 0, 0) != 0) {
        if (errno != EINTR) {           /* a signal ended the wait: wait again */
            r = errno;
            break;
        }
    }
    errno = saved;
    return r;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    if (mutex->__kind & UMUTEX_PRIO_INHERIT)
        return pi_lock(mutex, UMTX_OP_MUTEX_LOCK);
    __umtx_lock_word(&mutex->__word);
    return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    if (mutex->__kind & UMUTEX_PRIO_INHERIT)
        return pi_lock(mutex, UMTX_OP_MUTEX_TRYLOCK);
    return __umtx_trylock_word(&mutex->__word) ? 0 : EBUSY;
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    if (mutex->__kind & UMUTEX_PRIO_INHERIT) {
        unsigned int self = (unsigned int)pthread_getthreadid_np();
        int saved = errno, r = 0;
        if (__atomic_compare_exchange_n(&mutex->__word, &self, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
            return 0;
        if (_umtx_op(mutex, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0) != 0)
            r = errno;                  /* EPERM: not ours */
        errno = saved;
        return r;
    }
    __umtx_unlock_word(&mutex->__word);
    return 0;
}

/* ------------------------------------------------------------ condition variables */

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
    (void)attr;
    cond->__seq = 0;
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
    (void)cond;
    return 0;
}

/* Take the mutex back after a wait, as "held with waiters" (2): other
 * threads woken by a broadcast may be waiting for it too, and the unlock
 * must wake them. */
static void relock(pthread_mutex_t *mutex)
{
    if (mutex->__kind & UMUTEX_PRIO_INHERIT) {
        pthread_mutex_lock(mutex);
        return;
    }
    while (__atomic_exchange_n(&mutex->__word, 2, __ATOMIC_ACQUIRE) != 0)
        _umtx_op((void *)&mutex->__word, UMTX_OP_WAIT_UINT_PRIVATE, 2, 0, 0);
}

static int cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, struct _umtx_time *timeout)
{
    int saved = errno, r = 0;
    unsigned int seq = __atomic_load_n(&cond->__seq, __ATOMIC_ACQUIRE);
    pthread_mutex_unlock(mutex);
    if (_umtx_op((void *)&cond->__seq, UMTX_OP_WAIT_UINT_PRIVATE, seq,
                 timeout ? (void *)sizeof *timeout : 0, timeout) != 0 && errno == ETIMEDOUT)
        r = ETIMEDOUT;
    relock(mutex);
    errno = saved;
    return r;                                   /* EINTR is a spurious wakeup, as POSIX allows */
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    return cond_wait(cond, mutex, 0);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime)
{
    if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000)
        return EINVAL;
    struct _umtx_time t = { *abstime, UMTX_ABSTIME, CLOCK_REALTIME };
    return cond_wait(cond, mutex, &t);
}

static void cond_wake(pthread_cond_t *cond, int n)
{
    int saved = errno;
    __atomic_add_fetch(&cond->__seq, 1, __ATOMIC_RELEASE);
    _umtx_op((void *)&cond->__seq, UMTX_OP_WAKE_PRIVATE, n, 0, 0);
    errno = saved;
}

int pthread_cond_signal(pthread_cond_t *cond)
{
    cond_wake(cond, 1);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
    cond_wake(cond, INT_MAX);
    return 0;
}

/* ------------------------------------------------------------ once */

enum { ONCE_NEVER, ONCE_RUNNING, ONCE_DONE };

int pthread_once(pthread_once_t *once_control, void (*init_routine)(void))
{
    volatile unsigned int *state = &once_control->__state;
    unsigned int never = ONCE_NEVER;
    if (__atomic_load_n(state, __ATOMIC_ACQUIRE) == ONCE_DONE)
        return 0;
    if (__atomic_compare_exchange_n(state, &never, ONCE_RUNNING, 0,
                                    __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
        init_routine();
        __atomic_store_n(state, ONCE_DONE, __ATOMIC_RELEASE);
        _umtx_op((void *)state, UMTX_OP_WAKE_PRIVATE, INT_MAX, 0, 0);
        return 0;
    }
    int saved = errno;
    while (__atomic_load_n(state, __ATOMIC_ACQUIRE) == ONCE_RUNNING)
        _umtx_op((void *)state, UMTX_OP_WAIT_UINT_PRIVATE, ONCE_RUNNING, 0, 0);
    errno = saved;
    return 0;
}
