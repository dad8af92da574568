/* assert.h: assert(e) prints FreeBSD's message and aborts when e is false (unless NDEBUG). */
#undef assert
#ifdef NDEBUG
#define assert(e)       ((void)0)
#else
#define assert(e)       ((e) ? (void)0 : __assert(__func__, __FILE__, __LINE__, #e))
#endif

#ifndef _ASSERT_H_
#define _ASSERT_H_
void __assert(const char *func, const char *file, int line, const char *expr) __attribute__((noreturn));
#if __STDC_VERSION__ >= 201112L && !defined(static_assert)
#define static_assert _Static_assert
#endif
#endif /* !_ASSERT_H_ */
