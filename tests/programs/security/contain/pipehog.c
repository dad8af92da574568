/* A kernel-memory hog: makes pipes (each one a kernel buffer) and never closes
 * them, after raising its descriptor limit so that only kernel memory can stop
 * it. The per-process kernel-memory limit does, with ENOMEM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
	struct rlimit rl = {1024, 1024};
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		printf("setrlimit: %s\n", strerror(errno));
	int n = 0, fds[2];
	while (pipe(fds) == 0)
		n++;
	printf("pipehog: %d pipes, then %s\n", n, strerror(errno));
	return 0;
}
