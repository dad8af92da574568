/*
 * stdlib.c: leaving the process, the environment, random numbers.
 *
 * exit(status) runs the atexit handlers (last registered first), flushes
 * every stdio stream, then asks the kernel to end the process (__sys_exit).
 * _exit and _Exit skip both: output still in a stdio buffer is lost.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libc_private.h"

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
    if (atexit_count == ATEXIT_MAX) {
        errno = ENOMEM;
        return -1;
    }
    atexit_fns[atexit_count++] = fn;
    return 0;
}

void exit(int status)
{
    while (atexit_count > 0)
        atexit_fns[--atexit_count]();   /* a handler may itself call atexit: count again */
    __stdio_flush_all();
    __sys_exit(status);
}

void _exit(int status)
{
    __sys_exit(status);
}

void _Exit(int status)
{
    __sys_exit(status);
}

void abort(void)
{
    sigset_t set;
    struct sigaction sa;

    sigemptyset(&set);                  /* SIGABRT gets through even if it was blocked */
    sigaddset(&set, SIGABRT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGABRT);
    /* A handler returned: go back to the default action and try again. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGABRT, &sa, NULL);
    raise(SIGABRT);
    __sys_exit(127);                    /* not reached unless the kernel ignored it */
}

/* ---------------------------------------------------------------- environment */

/* The entry "name=..." in environ, or NULL; name ends at '=' or NUL. */
static char **find_env(const char *name, size_t len)
{
    if (environ == NULL)
        return NULL;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
            return e;
    return NULL;
}

char *getenv(const char *name)
{
    size_t len = strcspn(name, "=");
    if (name[len] == '=')
        return NULL;
    char **e = find_env(name, len);
    return e ? *e + len + 1 : NULL;
}

static char **env_owned;                /* environ, once we have copied it to the heap */

/* Add entry to environ (which may still be the array execve put on the stack). */
static int env_append(char *entry)
{
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **grown = realloc(environ == env_owned ? env_owned : NULL, (n + 2) * sizeof *grown);
    if (grown == NULL)
        return -1;
    if (environ != env_owned)
        for (size_t i = 0; i < n; i++)
            grown[i] = environ[i];
    grown[n] = entry;
    grown[n + 1] = NULL;
    environ = env_owned = grown;
    return 0;
}

int setenv(const char *name, const char *value, int overwrite)
{
    size_t len = strlen(name);
    if (len == 0 || strchr(name, '=')) {
        errno = EINVAL;
        return -1;
    }
    char **e = find_env(name, len);
    if (e && !overwrite)
        return 0;
    size_t vlen = strlen(value);
    char *entry = malloc(len + vlen + 2);
    if (entry == NULL)
        return -1;
    memcpy(entry, name, len);
    entry[len] = '=';
    memcpy(entry + len + 1, value, vlen + 1);
    if (e) {
        *e = entry;                     /* the old string may be on the stack: not freed */
        return 0;
    }
    return env_append(entry);
}

int putenv(char *string)
{
    char *eq = strchr(string, '=');
    if (eq == NULL || eq == string) {
        errno = EINVAL;
        return -1;
    }
    char **e = find_env(string, eq - string);
    if (e) {
        *e = string;
        return 0;
    }
    return env_append(string);
}

int unsetenv(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || strchr(name, '=')) {
        errno = EINVAL;
        return -1;
    }
    char **e;
    while ((e = find_env(name, len)) != NULL)
        do
            e[0] = e[1];                /* shift the rest down over it */
        while (*e++);
    return 0;
}

/* ------------------------------------------------------------------- random */

static unsigned long long rand_state = 1;

void srand(unsigned int seed)
{
    rand_state = seed;
}

int rand(void)
{
    /* A 64-bit linear congruential generator (Knuth's MMIX constants);
     * the high bits are the random ones. */
    rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)(rand_state >> 33);
}
