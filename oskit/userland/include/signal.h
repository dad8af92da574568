/*
 * signal.h: signals, FreeBSD's numbers and layouts.
 *
 * A signal set is 128 bits (4 x 32-bit words); signal n is bit (n-1) % 32 of
 * word (n-1) / 32. struct sigaction is 32 bytes:
 *
 *   0  sa_handler / sa_sigaction   (8)
 *   8  sa_flags                    (4)
 *  12  sa_mask                     (16)
 *  28  (padding)                   (4)
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_

#include <sys/types.h>

#define SIGHUP          1       /* hangup */
#define SIGINT          2       /* interrupt (^C) */
#define SIGQUIT         3       /* quit (^\) */
#define SIGILL          4       /* illegal instruction */
#define SIGTRAP         5       /* trace trap (ebreak) */
#define SIGABRT         6       /* abort() */
#define SIGIOT          SIGABRT
#define SIGEMT          7       /* EMT instruction */
#define SIGFPE          8       /* floating point exception */
#define SIGKILL         9       /* kill (cannot be caught or ignored) */
#define SIGBUS          10      /* bus error (misaligned access) */
#define SIGSEGV         11      /* segmentation violation */
#define SIGSYS          12      /* non-existent system call invoked */
#define SIGPIPE         13      /* write on a pipe with no one to read it */
#define SIGALRM         14      /* alarm clock */
#define SIGTERM         15      /* software termination signal from kill */
#define SIGURG          16      /* urgent condition on IO channel */
#define SIGSTOP         17      /* stop (cannot be caught or ignored) */
#define SIGTSTP         18      /* stop signal from tty */
#define SIGCONT         19      /* continue a stopped process */
#define SIGCHLD         20      /* to parent on child stop or exit */
#define SIGTTIN         21      /* to readers' pgrp upon background tty read */
#define SIGTTOU         22      /* like TTIN for output */
#define SIGIO           23      /* input/output possible signal */
#define SIGXCPU         24      /* exceeded CPU time limit */
#define SIGXFSZ         25      /* exceeded file size limit */
#define SIGVTALRM       26      /* virtual time alarm */
#define SIGPROF         27      /* profiling time alarm */
#define SIGWINCH        28      /* window size changes */
#define SIGINFO         29      /* information request */
#define SIGUSR1         30      /* user defined signal 1 */
#define SIGUSR2         31      /* user defined signal 2 */
#define SIGTHR          32      /* reserved by the thread library */
#define NSIG            32      /* one past the last classic signal */
#define _SIG_MAXSIG     128

typedef void __sighandler_t(int);
typedef __sighandler_t *sig_t;
typedef int sig_atomic_t;

#define SIG_DFL         ((__sighandler_t *)0)
#define SIG_IGN         ((__sighandler_t *)1)
#define SIG_ERR         ((__sighandler_t *)-1)
#define SIG_HOLD        ((__sighandler_t *)3)

typedef struct __sigset {
    uint32_t __bits[4];
} sigset_t;

union sigval {
    int     sival_int;
    void   *sival_ptr;
};

typedef struct __siginfo {              /* 80 bytes */
    int     si_signo;                   /*  0: signal number */
    int     si_errno;                   /*  4 */
    int     si_code;                    /*  8: why (SI_USER, SEGV_MAPERR, ...) */
    pid_t   si_pid;                     /* 12: sending process */
    uid_t   si_uid;                     /* 16: sender's real uid */
    int     si_status;                  /* 20: exit value or signal */
    void   *si_addr;                    /* 24: faulting address */
    union sigval si_value;              /* 32 */
    union {                             /* 40 */
        struct { int _trapno; } _fault;
        struct { long _band; } _poll;
        struct { long __spare1__; int __spare2__[7]; } __spare__;
    } _reason;
} siginfo_t;

/* si_code values */
#define SI_NOINFO       0
#define SI_USER         0x10001         /* kill() */
#define SI_QUEUE        0x10002
#define SI_TIMER        0x10003
#define SI_ASYNCIO      0x10004
#define SI_MESGQ        0x10005
#define SI_KERNEL       0x10006
#define SI_LWP          0x10007
#define ILL_ILLOPC      1
#define ILL_PRVOPC      5
#define FPE_INTDIV      1
#define SEGV_MAPERR     1               /* no mapping at the address */
#define SEGV_ACCERR     2               /* mapped, but not with this permission */
#define BUS_ADRALN      1               /* misaligned address */
#define BUS_ADRERR      2
#define TRAP_BRKPT      1
#define CLD_EXITED      1
#define CLD_KILLED      2
#define CLD_DUMPED      3

struct sigaction {
    union {
        void (*__sa_handler)(int);
        void (*__sa_sigaction)(int, struct __siginfo *, void *);
    } __sigaction_u;
    int      sa_flags;
    sigset_t sa_mask;                   /* also blocked while the handler runs */
};
#define sa_handler      __sigaction_u.__sa_handler
#define sa_sigaction    __sigaction_u.__sa_sigaction

#define SA_ONSTACK      0x0001
#define SA_RESTART      0x0002          /* restart a system call the signal interrupted */
#define SA_RESETHAND    0x0004          /* back to SIG_DFL when delivered */
#define SA_NOCLDSTOP    0x0008
#define SA_NODEFER      0x0010          /* do not block the signal in its own handler */
#define SA_NOCLDWAIT    0x0020
#define SA_SIGINFO      0x0040          /* call sa_sigaction(sig, info, ucontext) */

#define SIG_BLOCK       1               /* sigprocmask: add to the mask */
#define SIG_UNBLOCK     2               /*              remove from it */
#define SIG_SETMASK     3               /*              replace it */

int     sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict oact);
int     sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict oset);
int     pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict oset);  /* the calling thread's mask */
int     sigpending(sigset_t *set);
int     sigsuspend(const sigset_t *sigmask);
int     kill(pid_t pid, int sig);
int     raise(int sig);
sig_t   signal(int sig, sig_t handler);     /* BSD semantics: SA_RESTART, handler stays */
int     sigemptyset(sigset_t *set);
int     sigfillset(sigset_t *set);
int     sigaddset(sigset_t *set, int sig);
int     sigdelset(sigset_t *set, int sig);
int     sigismember(const sigset_t *set, int sig);
void    psignal(int sig, const char *s);

#endif /* !_SIGNAL_H_ */
