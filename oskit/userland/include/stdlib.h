/* stdlib.h: memory, process exit, environment, number conversion, sorting. */
#ifndef _STDLIB_H_
#define _STDLIB_H_

#include <stddef.h>

#define EXIT_SUCCESS    0
#define EXIT_FAILURE    1
#define RAND_MAX        0x7fffffff

typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;

void   *malloc(size_t size);
void   *calloc(size_t nmemb, size_t size);
void   *realloc(void *ptr, size_t size);
void    free(void *ptr);

void    exit(int status) __attribute__((noreturn));      /* atexit handlers, flush stdio, _exit */
void    _Exit(int status) __attribute__((noreturn));     /* straight to the kernel */
int     atexit(void (*fn)(void));
void    abort(void) __attribute__((noreturn));           /* SIGABRT */

char   *getenv(const char *name);
int     setenv(const char *name, const char *value, int overwrite);
int     unsetenv(const char *name);
int     putenv(char *string);

int     atoi(const char *s);
long    atol(const char *s);
long long atoll(const char *s);
long    strtol(const char *restrict s, char **restrict endp, int base);
unsigned long strtoul(const char *restrict s, char **restrict endp, int base);
long long strtoll(const char *restrict s, char **restrict endp, int base);
unsigned long long strtoull(const char *restrict s, char **restrict endp, int base);
double  atof(const char *s);
double  strtod(const char *restrict s, char **restrict endp);     /* correctly rounded */
float   strtof(const char *restrict s, char **restrict endp);
long double strtold(const char *restrict s, char **restrict endp);  /* a quad on RISC-V */

int     abs(int j);
long    labs(long j);
long long llabs(long long j);
div_t   div(int num, int denom);
ldiv_t  ldiv(long num, long denom);

void    qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *));
void   *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
                int (*compar)(const void *, const void *));
int     rand(void);
void    srand(unsigned int seed);

#endif /* !_STDLIB_H_ */
