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

/* Locks for libc's own shared state, so that threads may call malloc and
 * stdio at the same time (lock.h): __umtx_lock_word / __umtx_unlock_word on
 * a 0/1/2 word (pthread_mutex_t is one too), and the recursive __libc_lock. */
#include "lock.h"

extern struct __libc_lock __stdio_lock, __malloc_lock;

#endif /* !_LIBC_PRIVATE_H_ */
