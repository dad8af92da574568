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

#endif /* !_LIBC_PRIVATE_H_ */
