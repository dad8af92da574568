/* Copy-on-write under memory pressure: parent and child each change their copy of 3 MiB
 * in a machine with less RAM than both copies need; each sees only its own writes. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (3L * 1024 * 1024)
#define STEP 512            /* one word every 4 KiB: each page */

static long check(unsigned long *p, unsigned long salt)
{
	long bad = 0;
	for (long i = 0; i < SIZE / 8; i += STEP)
		bad += p[i] != ((unsigned long)i ^ salt);
	return bad;
}

static void fill(unsigned long *p, unsigned long salt)
{
	for (long i = 0; i < SIZE / 8; i += STEP)
		p[i] = (unsigned long)i ^ salt;
}

int main(void)
{
	unsigned long *p = mmap(0, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	fill(p, 0x1111);
	pid_t pid = fork();
	if (pid == 0) {
		long before = check(p, 0x1111);
		fill(p, 0x2222);
		printf("child: inherited %ld bad, own copy %ld bad\n", before, check(p, 0x2222));
		fflush(stdout);
		_exit(0);
	}
	fill(p, 0x3333);
	int status;
	waitpid(pid, &status, 0);
	printf("parent: own copy %ld bad after the child exited (status %d)\n", check(p, 0x3333), WEXITSTATUS(status));
	return 0;
}
