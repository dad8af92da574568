/* A memory hog that asks mmap() for 1 MiB at a time (as malloc does for big
 * blocks) and touches every page, under RLIMIT_AS = argv[1] MiB (`ulimit -v`). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
	struct rlimit rl = {atol(argv[1]) << 20, atol(argv[1]) << 20};
	setrlimit(RLIMIT_AS, &rl);
	int n = 0;
	for (;;) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
		if (p == MAP_FAILED) {
			printf("mmaphog: %d MiB, then %s\n", n, strerror(errno));
			return 1;
		}
		for (int i = 0; i < 1 << 20; i += 4096)
			p[i] = 1;
		n++;
	}
}
