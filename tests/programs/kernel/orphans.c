/* When a parent exits, its children are adopted (by init on a classic UNIX):
 * getppid() changes, and the orphan can still exit; nobody is left a zombie. */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	pipe(fds);
	fflush(stdout);
	pid_t middle = fork();
	if (middle == 0) {
		pid_t first = getpid();		/* the grandchild's parent, until it exits */
		pid_t grandchild = fork();
		if (grandchild == 0) {
			struct timespec t = {0, 5 * 1000 * 1000};
			while (getppid() == first)
				nanosleep(&t, 0);	/* wait until the parent has gone */
			char verdict = getppid() != first ? 'y' : 'n';
			write(fds[1], &verdict, 1);
			_exit(0);
		}
		_exit(4);	/* leave the grandchild behind */
	}
	int status;
	waitpid(middle, &status, 0);
	printf("parent: middle child exited %d\n", WEXITSTATUS(status));
	fflush(stdout);
	close(fds[1]);
	char c;
	ssize_t n = read(fds[0], &c, 1);
	printf("parent: the orphan reported in: %s\n", n == 1 ? "yes" : "no");
	printf("parent: the orphan saw its parent change: %s\n", n == 1 && c == 'y' ? "yes" : "no");
	printf("parent: the orphan is not my child: %s\n", waitpid(-1, 0, WNOHANG) < 0 ? "yes" : "no");
	return 0;
}
