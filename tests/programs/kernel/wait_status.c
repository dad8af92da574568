/* wait4 statuses: exit codes, death by signal, WNOHANG, ECHILD, and one status per child. */
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static void show(int status)
{
	if (WIFEXITED(status))
		printf("exited, status %d\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("killed by %s\n", signame(WTERMSIG(status)));
	else
		printf("other status\n");
}

int main(void)
{
	int codes[] = {0, 1, 42, 255, 256 + 3};
	for (int i = 0; i < 5; i++) {
		fflush(stdout);		/* or the child's exit() flushes our buffer a second time */
		pid_t pid = fork();
		if (pid == 0)
			exit(codes[i]);
		int status;
		waitpid(pid, &status, 0);
		printf("exit(%d): ", codes[i]);
		show(status);
	}

	int fds[2];
	pipe(fds);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(fds[0], &c, 1);	/* blocks until the parent writes */
		_exit(5);
	}
	int status = -1;
	pid_t w = waitpid(pid, &status, WNOHANG);
	printf("WNOHANG while the child runs: returns %d\n", (int)w);
	write(fds[1], "x", 1);
	w = waitpid(pid, &status, 0);
	printf("then waitpid returns the child: %s; ", w == pid ? "yes" : "no");
	show(status);

	pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		for (;;)
			sigsuspend(&none);	/* sleep until a signal comes */
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	printf("kill(SIGTERM): ");
	show(status);

	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGKILL);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("kill(self, SIGKILL): ");
	show(status);

	w = waitpid(-1, &status, 0);
	printf("no children left: returns %d, errno %s\n", (int)w, errname(errno));
	w = waitpid(pid, &status, WNOHANG);
	printf("a reaped child cannot be waited for again: %s\n", errname(errno));

	/* A parent that ignores SIGCHLD leaves no zombies: wait4 waits for every child, then ECHILD. */
	signal(SIGCHLD, SIG_IGN);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(1);
	errno = 0;
	w = waitpid(-1, &status, 0);
	printf("SIGCHLD ignored: waitpid returns %d, errno %s\n", (int)w, errname(errno));
	return 0;
}
