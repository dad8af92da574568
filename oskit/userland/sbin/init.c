/*
 * init.c -- process 1.
 *
 * The kernel starts it first. It has one job here: collect the exit status of
 * every process that ends up as its child (orphans are given to init when
 * their parent exits), so that no zombie stays forever.
 *
 * SIGCHLD is blocked except inside sigsuspend(), so a child that exits between
 * the wait loop and the sleep still wakes init: the signal stays pending until
 * sigsuspend unblocks it, and the (empty) handler runs there.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_child(int sig) { (void)sig; }

int main(void)
{
	struct sigaction sa;
	sigset_t chld, none;

	sa.sa_handler = on_child;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, 0);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &chld, 0);
	for (;;) {
		while (wait4(-1, 0, WNOHANG, 0) > 0)
			;		/* reap every zombie child */
		sigsuspend(&none);	/* sleep until the next SIGCHLD */
	}
}
