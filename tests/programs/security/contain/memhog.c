/* A memory hog: grows its heap 64 KiB at a time and touches every page, until
 * break() refuses: RLIMIT_DATA set to argv[1] KiB first, as `ulimit -d` would
 * (or RLIMIT_AS, `ulimit -v`, when argv[2] is "as"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		struct rlimit rl = {atol(argv[1]) * 1024, atol(argv[1]) * 1024};
		int which = argc > 2 && strcmp(argv[2], "as") == 0 ? RLIMIT_AS : RLIMIT_DATA;
		if (setrlimit(which, &rl) != 0)
			printf("setrlimit: %s\n", strerror(errno));
	}
	long got = 0;
	for (;;) {
		char *p = sbrk(64 * 1024);
		if (p == (char *)-1) {
			printf("memhog: break refused after %ld KiB: %s\n", got / 1024, strerror(errno));
			return 1;
		}
		for (long i = 0; i < 64 * 1024; i += 4096)
			p[i] = 1;
		got += 64 * 1024;
	}
}
