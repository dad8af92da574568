/* The stack grows on demand down to RLIMIT_STACK; past it there is a guard: SIGSEGV. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int recurse(int depth, int limit)
{
	volatile unsigned char frame[16 * 1024];
	memset((char *)frame, depth & 0xff, sizeof frame);
	if (depth == limit)
		return frame[100];
	return recurse(depth + 1, limit) + frame[200] - (depth & 0xff);
}

static void child_overflow(long limit_bytes)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl;
		getrlimit(RLIMIT_STACK, &rl);
		rl.rlim_cur = limit_bytes;
		setrlimit(RLIMIT_STACK, &rl);
		recurse(0, 1 << 20);   /* far beyond any limit */
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("recursion past a %ld KiB limit: %s\n", limit_bytes >> 10,
	       WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "killed by SIGSEGV" : "not stopped");
}

int main(void)
{
	/* 4 MiB of stack, 16 KiB a frame: the stack grows a page at a time */
	int r = recurse(0, 256);
	printf("4 MiB deep recursion returned %d\n", r);
	child_overflow(1 << 20);
	child_overflow(8 << 20);
	return 0;
}
