/* The mmap family's errors (the ones FreeBSD and Linux agree on), by name. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../kernel/errname.h"

static const char *name(int e)
{
	return e == ENODEV ? "ENODEV" : errname(e);
}

#define CHECK(what, call) do { errno = 0; long r_ = (long)(call); \
	printf("%-40s %s\n", what, r_ == -1 ? name(errno) : "OK"); } while (0)

int main(void)
{
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "0123456789", 10);
	close(fd);
	int ro = open("f", O_RDONLY);
	int pfd[2];
	pipe(pfd);
	char *p = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	CHECK("mmap anon", p == MAP_FAILED ? -1 : 0);
	CHECK("mmap len 0", mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0) == MAP_FAILED ? -1 : 0);
	CHECK("mmap bad fd", mmap(0, 4096, PROT_READ, MAP_PRIVATE, 42, 0) == MAP_FAILED ? -1 : 0);
	CHECK("mmap a pipe", mmap(0, 4096, PROT_READ, MAP_PRIVATE, pfd[0], 0) == MAP_FAILED ? -1 : 0);
	CHECK("mmap shared writable, file read-only", mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED ? -1 : 0);
	char *r = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK("mmap private writable, file read-only", r == MAP_FAILED ? -1 : 0);
	char *s = mmap(0, 4096, PROT_READ, MAP_SHARED, ro, 0);
	CHECK("mmap shared read-only", s == MAP_FAILED ? -1 : 0);
	CHECK("mprotect beyond the file's access", mprotect(s, 4096, PROT_READ | PROT_WRITE));
	CHECK("mprotect unaligned", mprotect(p + 1, 4096, PROT_READ));
	CHECK("munmap unaligned", munmap(p + 1, 4096));
	CHECK("munmap len 0", munmap(p, 0));
	CHECK("munmap a hole (fine)", munmap(p + 4096, 4096));
	CHECK("mprotect over the hole", mprotect(p, 2 * 4096, PROT_READ));
	unsigned char vec[2];
	CHECK("mincore unaligned", mincore(p + 8, 4096, (void *)vec));
	CHECK("mincore over the hole", mincore(p, 2 * 4096, (void *)vec));
	CHECK("msync unaligned", msync(p + 8, 4096, MS_SYNC));
	CHECK("msync over the hole", msync(p, 2 * 4096, MS_SYNC));
	CHECK("madvise unknown advice", madvise(p, 4096, 999));
	CHECK("madvise DONTNEED", madvise(p, 4096, MADV_DONTNEED));
	char *fixed = mmap(p + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);
	CHECK("mmap MAP_FIXED into the hole", fixed == p + 4096 ? 0 : -1);
	CHECK("mmap MAP_FIXED unaligned", mmap(p + 5, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) == MAP_FAILED ? -1 : 0);
	unlink("f");
	return 0;
}
