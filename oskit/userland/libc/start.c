/*
 * start.c: from crt0 to main, and errno.
 *
 * errno is a __thread variable: each thread has its own copy in its TLS
 * block, at a fixed offset from the tp register. crt0 made the main thread's
 * block; __libc_init_tls fills it from the TLS image the linker laid out
 * (pthread_create calls it too, for each new thread's block: pthread.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char **environ;
const char *__progname = "";

static __thread int __errno_value;

int *__error(void)
{
    return &__errno_value;
}

/* Symbols from user.ld: the initial TLS image (.tdata) and the block's size. */
extern char __tls_start[], __tdata_size[], __tls_size[];

void __libc_init_tls(void *block)
{
    size_t tdata = (size_t)__tdata_size, total = (size_t)__tls_size;
    memcpy(block, __tls_start, tdata);                  /* initialized __thread variables */
    memset((char *)block + tdata, 0, total - tdata);    /* .tbss: zero */
}

int main(int argc, char **argv, char **envp);

/* What the kernel told us in the auxiliary vector (after envp's NULL):
 * (type, value) pairs up to AT_NULL. FreeBSD's type numbers. */
#define AT_NULL         0
#define AT_PAGESZ       6
#define AT_NCPUS        19
#define AT_TIMEKEEP     22
long __pagesize = 4096;         /* defaults for a kernel that passes no auxv entries */
long __ncpus = 1;
const void *__timekeep;         /* the kernel's clock page, for clock_gettime (or NULL) */

static void read_auxv(char **envp)
{
    while (*envp)
        envp++;
    for (long *aux = (long *)(envp + 1); aux[0] != AT_NULL; aux += 2) {
        if (aux[0] == AT_PAGESZ && aux[1] > 0)
            __pagesize = aux[1];
        else if (aux[0] == AT_NCPUS && aux[1] > 0)
            __ncpus = aux[1];
        else if (aux[0] == AT_TIMEKEEP)
            __timekeep = (const void *)aux[1];
    }
}

void __libc_start(int argc, char **argv, char **envp) __attribute__((noreturn));
void __libc_start(int argc, char **argv, char **envp)
{
    environ = envp;
    read_auxv(envp);
    if (argc > 0 && argv[0] != NULL) {
        const char *slash = strrchr(argv[0], '/');
        __progname = slash ? slash + 1 : argv[0];
    }
    exit(main(argc, argv, envp));
}
