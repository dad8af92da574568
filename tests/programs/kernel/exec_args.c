/* execve replaces the image: argv and envp arrive; a failing exec returns with
 * ENOENT, EACCES or ENOEXEC and the caller goes on; the pid stays the same. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

extern char **environ;

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "again") == 0) {
		printf("exec'd: argc %d:", argc);
		for (int i = 1; i < argc; i++)
			printf(" [%s]", i == 2 ? "<pid>" : argv[i]);
		printf("\nexec'd: GREETING=%s\n", getenv("GREETING") ? getenv("GREETING") : "(unset)");
		printf("exec'd: HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
		printf("exec'd: pid unchanged: %s\n", atoi(argv[2]) == getpid() ? "yes" : "no");
		return 9;
	}

	char *noargs[] = {"nothing", NULL};
	errno = 0;
	execve("/no/such/program", noargs, environ);
	printf("exec of a missing file: %s\n", errname(errno));

	int fd = open("notexec", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, "\177ELF", 4);
	close(fd);
	execve("notexec", noargs, environ);
	printf("exec without execute permission: %s\n", errname(errno));

	fd = open("garbage", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(fd, "this is not a program at all, just some text\n", 46);
	close(fd);
	execve("garbage", noargs, environ);
	printf("exec of a file that is not a program: %s\n", errname(errno));
	unlink("notexec");
	unlink("garbage");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char pidtext[16];
		snprintf(pidtext, sizeof pidtext, "%d", (int)getpid());
		char *args[] = {argv[0], "again", pidtext, "two words", "", "last", NULL};
		char *env[] = {"GREETING=hello there", NULL};
		execve(argv[0], args, env);
		printf("not reached: %s\n", errname(errno));
		_exit(1);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("parent: child exited %d\n", WEXITSTATUS(status));
	return 0;
}
