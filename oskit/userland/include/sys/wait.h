/*
 * sys/wait.h: waiting for children, and the status word (FreeBSD's encoding):
 *
 *   exited:   status = exit code << 8                      (low 7 bits 0)
 *   killed:   status = signal number | 0200 if core dumped (low 7 bits 1..126)
 *   stopped:  status = signal number << 8 | 0177
 *   continued: status = 0x13 (SIGCONT)
 */
#ifndef _SYS_WAIT_H_
#define _SYS_WAIT_H_

#include <sys/types.h>

#define _W_INT(w)       (*(int *)&(w))
#define _WSTATUS(x)     (_W_INT(x) & 0177)
#define _WSTOPPED       0177
#define WIFSTOPPED(x)   (_WSTATUS(x) == _WSTOPPED)
#define WSTOPSIG(x)     (_W_INT(x) >> 8)
#define WIFSIGNALED(x)  (_WSTATUS(x) != _WSTOPPED && _WSTATUS(x) != 0 && (x) != 0x13)
#define WTERMSIG(x)     (_WSTATUS(x))
#define WIFEXITED(x)    (_WSTATUS(x) == 0)
#define WEXITSTATUS(x)  ((_W_INT(x) >> 8) & 0377)
#define WIFCONTINUED(x) ((x) == 0x13)
#define WCOREFLAG       0200
#define WCOREDUMP(x)    (_W_INT(x) & WCOREFLAG)
#define W_EXITCODE(ret, sig)    ((ret) << 8 | (sig))
#define W_STOPCODE(sig)         ((sig) << 8 | _WSTOPPED)

#define WNOHANG         1       /* do not block: return 0 if no child has changed */
#define WUNTRACED       2       /* report stopped children too */
#define WSTOPPED        WUNTRACED
#define WCONTINUED      4
#define WNOWAIT         8
#define WEXITED         16
#define WTRAPPED        32

#define WAIT_ANY        (-1)
#define WAIT_MYPGRP     0

struct rusage;
pid_t   wait(int *status);
pid_t   waitpid(pid_t pid, int *status, int options);
pid_t   wait4(pid_t pid, int *status, int options, struct rusage *rusage);

#endif /* !_SYS_WAIT_H_ */
