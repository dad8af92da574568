/* A process that spins forever does not keep the others from running: the
 * timer interrupt ends its time slice and the scheduler runs the next process. */
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
	int fds[2];
	pipe(fds);
	fflush(stdout);
	pid_t spinner = fork();
	if (spinner == 0) {
		write(fds[1], "s", 1);	/* "I am spinning now" */
		for (;;)
			;		/* never makes a system call again */
	}
	char c;
	read(fds[0], &c, 1);		/* the spinner has run */
	for (int i = 0; i < 5; i++)
		sched_yield();
	volatile unsigned long sum = 0;
	for (unsigned long i = 0; i < 200000; i++)
		sum += i;
	printf("parent still runs while the child spins: sum %lu\n", (unsigned long)sum);
	kill(spinner, SIGKILL);
	int status;
	waitpid(spinner, &status, 0);
	printf("spinner: killed by %s\n", WIFSIGNALED(status) ? signame(WTERMSIG(status)) : "nothing");
	return 0;
}
