/* A signal caught while a process sleeps in a system call ends the call with EINTR,
 * unless the handler was installed with SA_RESTART: then the call runs again. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

static volatile int caught;
static void handler(int sig) { (void)sig; caught++; }

static void trial(int flags, const char *name)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, 0);

	int fds[2];
	pipe(fds);
	pid_t parent = getpid();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec t = {0, 20 * 1000 * 1000};
		nanosleep(&t, 0);		/* let the parent block in read() */
		kill(parent, SIGUSR1);
		nanosleep(&t, 0);
		write(fds[1], "data", 4);
		_exit(0);
	}
	char buf[8];
	caught = 0;
	errno = 0;
	ssize_t n = read(fds[0], buf, sizeof buf);
	printf("%-11s read returned %zd %s, handler ran %d time(s)\n", name, n, errname(n < 0 ? errno : 0),
	       caught);
	waitpid(pid, 0, 0);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	trial(0, "plain:");
	trial(SA_RESTART, "SA_RESTART:");

	/* nanosleep is never restarted: it reports EINTR and the time left */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, 0);
	pid_t parent = getpid();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec t = {0, 20 * 1000 * 1000};
		nanosleep(&t, 0);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	struct timespec req = {5, 0}, left = {0, 0};
	errno = 0;
	int r = nanosleep(&req, &left);
	printf("nanosleep(5 s): %d %s, time left between 4 and 5 s: %s\n", r, errname(r ? errno : 0),
	       left.tv_sec == 4 ? "yes" : "no");
	waitpid(pid, 0, 0);
	return 0;
}
