/*
 * unistd.c: the calls libc builds from other system calls.
 *
 * Most of unistd.h is a stub straight to the kernel (syscalls.S); these are
 * the ones with a little C around them: sbrk over break, pipe over pipe2,
 * waitpid over wait4, stat over fstatat, execvp's search of $PATH, ...
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "libc_private.h"

/* ------------------------------------------------------------ program break */

static char *curbrk;                    /* our idea of the break; 0 until first asked */

static int init_brk(void)
{
    if (curbrk == NULL) {
        char *b = __sys_break(NULL);    /* break(NULL): where is the break now? */
        if (b == (char *)-1)
            return -1;
        curbrk = b;
    }
    return 0;
}

int brk(const void *addr)
{
    if (__sys_break((char *)addr) == (void *)-1)
        return -1;
    curbrk = (char *)addr;
    return 0;
}

/* Move the break by incr bytes; return the old break (the start of the new memory). */
void *sbrk(intptr_t incr)
{
    if (init_brk() != 0)
        return (void *)-1;
    char *old = curbrk;
    if (incr == 0)
        return old;
    if (__sys_break(old + incr) == (void *)-1)
        return (void *)-1;              /* errno: ENOMEM */
    curbrk = old + incr;
    return old;
}

/* ------------------------------------------------------------ files */

int pipe(int fildes[2])
{
    return pipe2(fildes, 0);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int stat(const char *restrict path, struct stat *restrict sb)
{
    return fstatat(AT_FDCWD, path, sb, 0);
}

int lstat(const char *restrict path, struct stat *restrict sb)
{
    return fstatat(AT_FDCWD, path, sb, AT_SYMLINK_NOFOLLOW);
}

int remove(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return rmdir(path);
    return unlink(path);
}

int __getcwd(char *buf, size_t size);

char *getcwd(char *buf, size_t size)
{
    char *mine = NULL;
    if (buf == NULL) {                  /* as FreeBSD: allocate one */
        size = PATH_MAX;
        buf = mine = malloc(size);
        if (buf == NULL)
            return NULL;
    } else if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (__getcwd(buf, size) != 0) {
        free(mine);
        return NULL;
    }
    return buf;
}

int tcgetattr(int fd, struct termios *t)
{
    return ioctl(fd, TIOCGETA, t);
}

/* A terminal is what answers the tty ioctl. If the kernel has no ioctl at
 * all, a character device is the best guess. */
int isatty(int fd)
{
    struct termios t;
    int saved = errno;
    if (tcgetattr(fd, &t) == 0)
        return 1;
    if (errno == ENOSYS) {
        struct stat sb;
        if (fstat(fd, &sb) == 0 && S_ISCHR(sb.st_mode)) {
            errno = saved;
            return 1;
        }
    }
    if (errno != EBADF)
        errno = ENOTTY;
    return 0;
}

/* ------------------------------------------------------------ processes */

pid_t wait(int *status)
{
    return wait4(WAIT_ANY, status, 0, NULL);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    return wait4(pid, status, options, NULL);
}

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, environ);
}

/* Try file in each directory of $PATH (default /bin:/usr/bin) until an
 * execve works. ENOENT means "try the next one"; any other error is
 * remembered and reported if nothing works (EACCES wins over ENOENT). */
int execvp(const char *file, char *const argv[])
{
    if (*file == '\0') {
        errno = ENOENT;
        return -1;
    }
    if (strchr(file, '/'))
        return execve(file, argv, environ);

    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/bin:/usr/bin";
    size_t flen = strlen(file);
    int eacces = 0;
    char buf[PATH_MAX];
    for (const char *dir = path;; ) {
        const char *end = strchr(dir, ':');
        size_t dlen = end ? (size_t)(end - dir) : strlen(dir);
        if (dlen == 0) {                /* an empty entry means the current directory */
            dir = ".";
            dlen = 1;
        }
        if (dlen + 1 + flen + 1 <= sizeof buf) {
            memcpy(buf, dir, dlen);
            buf[dlen] = '/';
            memcpy(buf + dlen + 1, file, flen + 1);
            execve(buf, argv, environ);
            if (errno == EACCES)
                eacces = 1;
            else if (errno != ENOENT && errno != ENOTDIR)
                return -1;              /* it exists but cannot run: say why */
        }
        if (end == NULL)
            break;
        dir = end + 1;
    }
    errno = eacces ? EACCES : ENOENT;
    return -1;
}

/* execl and friends: gather the variable arguments into an argv array. */
#define EXECL_MAX 64

static int collect(const char *arg, va_list ap, char **argv)
{
    int n = 0;
    argv[n++] = (char *)arg;
    while (arg != NULL) {
        if (n == EXECL_MAX) {
            errno = E2BIG;
            return -1;
        }
        arg = va_arg(ap, const char *);
        argv[n++] = (char *)arg;
    }
    return n;
}

int execl(const char *path, const char *arg, ...)
{
    char *argv[EXECL_MAX + 1];
    va_list ap;
    va_start(ap, arg);
    int n = collect(arg, ap, argv);
    va_end(ap);
    return n < 0 ? -1 : execve(path, argv, environ);
}

int execlp(const char *file, const char *arg, ...)
{
    char *argv[EXECL_MAX + 1];
    va_list ap;
    va_start(ap, arg);
    int n = collect(arg, ap, argv);
    va_end(ap);
    return n < 0 ? -1 : execvp(file, argv);
}

int execle(const char *path, const char *arg, ...)
{
    char *argv[EXECL_MAX + 1];
    va_list ap;
    va_start(ap, arg);
    int n = collect(arg, ap, argv);
    char **envp = n < 0 ? NULL : va_arg(ap, char **);
    va_end(ap);
    return n < 0 ? -1 : execve(path, argv, envp);
}

/* ------------------------------------------------------------ time */

unsigned int sleep(unsigned int seconds)
{
    struct timespec t = { seconds, 0 }, left;
    if (nanosleep(&t, &left) == 0)
        return 0;
    if (errno != EINTR)
        return seconds;
    return left.tv_sec + (left.tv_nsec != 0);   /* interrupted: what is left, rounded up */
}

unsigned int alarm(unsigned int seconds)
{
    /* alarm is setitimer(ITIMER_REAL) with no interval, as on BSD. */
    struct itimerval it = { { 0, 0 }, { seconds, 0 } }, old;
    if (setitimer(ITIMER_REAL, &it, &old) != 0)
        return 0;
    return old.it_value.tv_sec + (old.it_value.tv_usec != 0);  /* seconds left, rounded up */
}

int usleep(useconds_t us)
{
    struct timespec t = { us / 1000000, (long)(us % 1000000) * 1000 };
    return nanosleep(&t, NULL);
}

time_t time(time_t *tloc)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return -1;
    if (tloc)
        *tloc = now.tv_sec;
    return now.tv_sec;
}

clock_t clock(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    long us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L
            + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
    return (clock_t)(us * CLOCKS_PER_SEC / 1000000);
}

/* ------------------------------------------------------------ configuration */

extern long __pagesize, __ncpus;        /* from the auxiliary vector (start.c) */

int getpagesize(void)
{
    return (int)__pagesize;
}

long sysconf(int name)
{
    struct rlimit rl;
    switch (name) {
    case _SC_PAGESIZE:
        return __pagesize;
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN:
        return __ncpus;
    case _SC_ARG_MAX:
        return ARG_MAX;
    case _SC_CHILD_MAX:
        return CHILD_MAX;
    case _SC_NGROUPS_MAX:
        return NGROUPS_MAX;
    case _SC_CLK_TCK:
        return CLOCKS_PER_SEC;
    case _SC_OPEN_MAX:
        if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
            return -1;
        return rl.rlim_cur == RLIM_INFINITY ? -1 : (long)rl.rlim_cur;
    default:
        errno = EINVAL;
        return -1;
    }
}
