/*
 * libc_private.h: what the parts of libc share and programs do not see.
 *
 * __sys_NAME is the raw system-call stub from syscalls.S (see syscalls.master);
 * a C wrapper such as exit() or sbrk() calls it.
 */
#ifndef _LIBC_PRIVATE_H_
#define _LIBC_PRIVATE_H_

#include <stdarg.h>
#include <stddef.h>

void    __sys_exit(int status) __attribute__((noreturn));
void   *__sys_break(char *nsize);

/* The printf engine: formats into a sink, a function that takes n bytes. */
typedef void (*__sink_fn)(void *ctx, const char *s, size_t n);
int     __vformat(__sink_fn sink, void *ctx, const char *fmt, va_list ap);

void    __stdio_flush_all(void);        /* exit() calls it after the atexit handlers */

/* The TLS block of a thread: crt0 makes the main thread's, pthread_create the
 * others' (start.c copies the program's __thread image into it). */
void    __libc_init_tls(void *block);

/* Locks for libc's own shared state (lock.c), so that threads may call
 * malloc and stdio at the same time. A lock word is 0 (free), 1 (held) or 2
 * (held, and a thread may sleep on it in _umtx_op); the same word protocol
 * makes pthread_mutex_t. A __libc_lock is recursive: vfprintf holds the stdio
 * lock and calls put(), which takes it again. */
void    __umtx_lock_word(volatile unsigned int *word);
int     __umtx_trylock_word(volatile unsigned int *word);
void    __umtx_unlock_word(volatile unsigned int *word);

struct __libc_lock {
    volatile unsigned int word;
    int depth;                          /* how many times the owner holds it */
    void *owner;                        /* a per-thread address (see lock.c), NULL if free */
};
#define __LIBC_LOCK_INITIALIZER { 0, 0, 0 }
void    __libc_lock(struct __libc_lock *lock);
void    __libc_unlock(struct __libc_lock *lock);

extern struct __libc_lock __stdio_lock, __malloc_lock;

#endif /* !_LIBC_PRIVATE_H_ */
