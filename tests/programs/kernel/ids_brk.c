/* Process ids and credentials; the program break grows and its memory reads as zero;
 * getrusage counts time and children. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#ifdef __linux__
/* glibc has no issetugid(); the kernel tells the same through the aux vector. */
#include <sys/auxv.h>
static int issetugid(void) { return (int)getauxval(AT_SECURE); }
#endif

int main(void)
{
	printf("pid > 1: %s, ppid > 0: %s\n", getpid() > 1 ? "yes" : "no", getppid() > 0 ? "yes" : "no");
	printf("running as root: uid %d euid %d gid %d egid %d\n", (int)getuid(), (int)geteuid(),
	       (int)getgid(), (int)getegid());
	printf("issetugid: %d\n", issetugid());

	char *before = sbrk(0);
	char *p = sbrk(64 * 1024);
	char *after = sbrk(0);
	printf("sbrk(64 KiB) returned the old break: %s, break moved by %ld\n",
	       p == before ? "yes" : "no", (long)(after - before));
	int zero = 1;
	for (int i = 0; i < 64 * 1024; i++)
		if (p[i] != 0)
			zero = 0;
	printf("new memory reads as zero: %s\n", zero ? "yes" : "no");
	memset(p, 0xab, 64 * 1024);
	printf("and is writable: %s\n", (unsigned char)p[65535] == 0xab ? "yes" : "no");
	sbrk(-64 * 1024);
	printf("shrunk back: %s\n", sbrk(0) == before ? "yes" : "no");

	char *m = malloc(1 << 20);
	memset(m, 1, 1 << 20);
	printf("malloc(1 MiB) works: %s\n", m[12345] == 1 ? "yes" : "no");
	free(m);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(1000) == 0)
			printf("child: setuid(1000) ok: uid %d euid %d\n", (int)getuid(), (int)geteuid());
		errno = 0;
		int r = setuid(0);
		printf("child: back to root: %d %s\n", r, errname(errno));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, 0, 0);
	printf("parent still root: %s\n", getuid() == 0 ? "yes" : "no");

	struct rusage ru;
	memset(&ru, 0xff, sizeof ru);
	int r = getrusage(RUSAGE_SELF, &ru);
	printf("getrusage: %d, user time sane: %s\n", r, ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec < 1000000 ? "yes" : "no");
	errno = 0;
	r = getrusage(42, &ru);
	printf("getrusage(42): %d %s\n", r, errname(errno));
	return 0;
}
