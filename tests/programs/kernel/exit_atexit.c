/* exit() runs atexit handlers (last registered first) and flushes stdio;
 * _exit() does neither: buffered output is lost. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void first(void) { printf("atexit: first registered, runs last\n"); }
static void second(void) { printf("atexit: second registered, runs first\n"); }

int main(void)
{
	int fds[2];
	pipe(fds);
	pid_t pid = fork();
	if (pid == 0) {
		/* stdout is now the pipe: fully buffered, as for any non-tty */
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		atexit(first);
		atexit(second);
		printf("child A: buffered text");
		exit(0);
	}
	close(fds[1]);
	char buf[512];
	int n, total = 0;
	while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
		total += n;
	buf[total] = 0;
	waitpid(pid, 0, 0);
	close(fds[0]);
	printf("exit() delivered %d bytes:\n%s\n", total, buf);

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		atexit(first);
		printf("child B: buffered text that _exit throws away");
		_exit(0);
	}
	close(fds[1]);
	total = 0;
	while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
		total += n;
	waitpid(pid, 0, 0);
	printf("_exit() delivered %d bytes\n", total);
	return 0;
}
