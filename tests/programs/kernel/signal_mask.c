/* Blocked signals stay pending (sigpending shows them) and are delivered when
 * unblocked; a pending signal is delivered once however often it was sent;
 * ignoring a pending signal discards it; sigsuspend waits with a temporary mask. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static volatile int count;

static void handler(int sig) { (void)sig; count++; }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigaction(SIGUSR1, &sa, 0);

	sigset_t set, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, 0);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigpending(&pend);
	printf("blocked: handler ran %d times, SIGUSR1 pending: %s\n", count,
	       sigismember(&pend, SIGUSR1) ? "yes" : "no");
	sigprocmask(SIG_UNBLOCK, &set, 0);
	printf("unblocked: handler ran %d time(s)\n", count);
	sigpending(&pend);
	printf("pending afterwards: %s\n", sigismember(&pend, SIGUSR1) ? "yes" : "no");

	sigprocmask(SIG_BLOCK, &set, 0);
	kill(getpid(), SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR1, handler);
	sigprocmask(SIG_UNBLOCK, &set, 0);
	printf("ignored while pending, then unblocked: handler ran %d time(s) in all\n", count);

	/* sigsuspend: block SIGUSR1, fork a child that sends it, wait for it atomically */
	sigprocmask(SIG_BLOCK, &set, 0);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		kill(parent, SIGUSR1);
		_exit(0);
	}
	sigset_t none;
	sigemptyset(&none);
	errno = 0;
	int r = sigsuspend(&none);
	printf("sigsuspend returned %d %s, handler ran %d times in all\n", r, errname(errno), count);
	sigset_t now;
	sigprocmask(SIG_BLOCK, 0, &now);
	printf("mask after sigsuspend: SIGUSR1 blocked again: %s\n", sigismember(&now, SIGUSR1) ? "yes" : "no");
	waitpid(pid, 0, 0);

	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, 0);
	sigprocmask(SIG_BLOCK, 0, &now);
	printf("SIGKILL can't be blocked: %s\n", sigismember(&now, SIGKILL) ? "blocked" : "not blocked");
	return 0;
}
