/*
 * signal.c: signal sets, raise, and BSD's signal().
 *
 * signal(sig, handler) is sigaction with SA_RESTART: the handler stays
 * installed after it runs, and a slow system call it interrupts (read from
 * a pipe, wait) starts again instead of failing with EINTR. That is BSD's
 * behaviour; System V's reset the handler to SIG_DFL.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define VALID(sig) ((sig) > 0 && (sig) <= _SIG_MAXSIG)
#define WORD(sig)  (((sig) - 1) / 32)
#define BIT(sig)   (1u << (((sig) - 1) % 32))

int sigemptyset(sigset_t *set)
{
    memset(set, 0, sizeof *set);
    return 0;
}

int sigfillset(sigset_t *set)
{
    memset(set, 0xff, sizeof *set);
    return 0;
}

int sigaddset(sigset_t *set, int sig)
{
    if (!VALID(sig)) {
        errno = EINVAL;
        return -1;
    }
    set->__bits[WORD(sig)] |= BIT(sig);
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    if (!VALID(sig)) {
        errno = EINVAL;
        return -1;
    }
    set->__bits[WORD(sig)] &= ~BIT(sig);
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    if (!VALID(sig)) {
        errno = EINVAL;
        return -1;
    }
    return (set->__bits[WORD(sig)] & BIT(sig)) != 0;
}

int raise(int sig)
{
    return kill(getpid(), sig);
}

sig_t signal(int sig, sig_t handler)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, &old) != 0)
        return SIG_ERR;
    return old.sa_handler;
}

void psignal(int sig, const char *s)
{
    if (s && *s)
        fprintf(stderr, "%s: %s\n", s, strsignal(sig));
    else
        fprintf(stderr, "%s\n", strsignal(sig));
}

/* Wait for a signal: sigsuspend with the mask we already have. Always -1 (EINTR). */
int pause(void)
{
    sigset_t mask;
    if (sigprocmask(SIG_BLOCK, NULL, &mask) != 0)
        return -1;
    return sigsuspend(&mask);
}
