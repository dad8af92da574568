/* A caught signal runs its handler on the user stack, then the interrupted code
 * resumes with its registers intact; the signal is blocked while its handler runs
 * (and sa_mask too); SA_RESETHAND makes the action one-shot. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "errname.h"

static volatile int got, depth, nested_seen, calls;

static void handler(int sig)
{
	got = sig;
	depth++;
	calls++;
	sigset_t now;
	sigprocmask(SIG_BLOCK, 0, &now);
	if (calls == 1) {
		/* while in the handler, the signal itself and sa_mask's SIGUSR2 are blocked */
		printf("in handler for %s: it is blocked: %s, SIGUSR2 blocked: %s\n", signame(sig),
		       sigismember(&now, sig) ? "yes" : "no", sigismember(&now, SIGUSR2) ? "yes" : "no");
		kill(getpid(), sig);	/* stays pending until the handler returns */
		nested_seen = depth;
	}
	depth--;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, 0);

	long a = 11, b = 31, c = a * b;
	kill(getpid(), SIGUSR1);
	printf("after kill: handler saw %s, ran %d times, never nested: %s\n", signame(got), calls,
	       nested_seen == 1 ? "yes" : "no");
	printf("registers survived: %ld\n", a * b + c);

	sigset_t now;
	sigprocmask(SIG_BLOCK, 0, &now);
	printf("after the handler the mask is restored: SIGUSR1 blocked: %s\n",
	       sigismember(&now, SIGUSR1) ? "yes" : "no");

	struct sigaction old;
	sigaction(SIGUSR1, 0, &old);
	printf("sigaction reads back the handler: %s\n", old.sa_handler == handler ? "yes" : "no");

	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, 0);
	got = 0;
	raise(SIGUSR2);
	sigaction(SIGUSR2, 0, &old);
	printf("SA_RESETHAND: handler ran for %s, action now default: %s\n", signame(got),
	       old.sa_handler == SIG_DFL ? "yes" : "no");

	errno = 0;
	int r = sigaction(SIGKILL, &sa, 0);
	printf("catching SIGKILL: %d %s\n", r, errname(errno));
	return 0;
}
