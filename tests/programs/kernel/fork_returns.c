/* fork returns twice: 0 in the child, the child's pid in the parent;
 * the child's parent is the process that forked it; memory is copied. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int counter = 10;

int main(void)
{
	pid_t parent = getpid();
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		counter += 1;
		printf("child: fork returned 0, my parent is the forker: %s, counter %d\n",
		       getppid() == parent ? "yes" : "no", counter);
		printf("child: my pid differs from the parent's: %s\n", getpid() != parent ? "yes" : "no");
		return 7;
	}
	int status;
	pid_t w = waitpid(pid, &status, 0);
	printf("parent: fork returned the child's pid: %s\n", w == pid ? "yes" : "no");
	printf("parent: counter still %d\n", counter);
	printf("parent: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
