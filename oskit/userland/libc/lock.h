/*
 * lock.h: the locks libc needs once a program has threads (libc_private.h includes it).
 *
 * A lock is one 32-bit word (Drepper's "futexes are tricky", mutex #2):
 *
 *      0   free
 *      1   held, nobody waits
 *      2   held, and some thread may be asleep on the word
 *
 *   lock:   0 -> 1 with one compare-and-swap: done, no system call.
 *           Otherwise swap in 2 (announce a waiter); while the old value was
 *           not 0, sleep in _umtx_op(WAIT_UINT, 2): the kernel sleeps only if
 *           the word still holds 2, so a release in between is never missed.
 *   unlock: swap in 0; if the old value was 2, wake one sleeper.
 *
 * An uncontended lock and unlock cost two atomic instructions and no trap.
 *
 * __libc_lock adds an owner and a depth on top, so the owner may take it
 * again (vfprintf holds the stdio lock while its pieces go through put()).
 * The owner is the thread's tp register (its TLS block): each thread's is
 * different, and reading it costs one instruction.
 *
 * Why a header of static inline functions, not a .c file: malloc.c must
 * still build alone for the host (tests/test_libc_host.py compiles it with
 * the host's gcc), where there is no _umtx_op: it is declared weak below, and
 * a single-threaded host test never reaches the slow path that calls it. In
 * oskit programs syscalls.S, which defines it, is always linked (exit needs
 * it).
 */
#ifndef _LIBC_LOCK_H_
#define _LIBC_LOCK_H_

#include <errno.h>
#include <sys/umtx.h>

int _umtx_op(void *obj, int op, unsigned long val, void *uaddr, void *uaddr2) __attribute__((weak));

static inline void __umtx_lock_word(volatile unsigned int *word)
{
    unsigned int c = 0;
    if (__atomic_compare_exchange_n(word, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    int saved = errno;                  /* a signal may end a wait with EINTR: not the caller's error */
    if (c != 2)
        c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        _umtx_op((void *)word, UMTX_OP_WAIT_UINT_PRIVATE, 2, 0, 0);
        c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
    }
    errno = saved;
}

static inline int __umtx_trylock_word(volatile unsigned int *word)
{
    unsigned int c = 0;
    return __atomic_compare_exchange_n(word, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void __umtx_unlock_word(volatile unsigned int *word)
{
    if (__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2) {
        int saved = errno;
        _umtx_op((void *)word, UMTX_OP_WAKE_PRIVATE, 1, 0, 0);
        errno = saved;
    }
}

/* Who is running: the thread pointer (the host build has no tp register: a __thread address). */
static inline void *__libc_thread_id(void)
{
#ifdef __riscv
    void *tp;
    __asm__("mv %0, tp" : "=r"(tp));
    return tp;
#else
    static __thread char tag;
    return &tag;
#endif
}

struct __libc_lock {
    volatile unsigned int word;
    int depth;                          /* how many times the owner holds it */
    void *owner;                        /* the owner's __libc_thread_id(), NULL if free */
};
#define __LIBC_LOCK_INITIALIZER { 0, 0, 0 }

static inline void __libc_lock(struct __libc_lock *lock)
{
    void *me = __libc_thread_id();
    if (lock->owner == me) {            /* only I can have stored me: no race */
        lock->depth++;
        return;
    }
    __umtx_lock_word(&lock->word);
    lock->owner = me;
    lock->depth = 1;
}

static inline void __libc_unlock(struct __libc_lock *lock)
{
    if (--lock->depth > 0)
        return;
    lock->owner = 0;
    __umtx_unlock_word(&lock->word);
}

#endif /* !_LIBC_LOCK_H_ */
