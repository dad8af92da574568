/* A file mapping reads the file; MAP_SHARED writes reach it, MAP_PRIVATE writes do not. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void show_file(const char *path)
{
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	printf("file now: \"%s\" (%ld bytes)\n", buf, (long)n);
}

int main(void)
{
	const char *path = "data.txt";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "hello, mapped file", 18);
	char *s = mmap(0, 18, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("shared mapping reads: \"%.18s\"\n", s);
	memcpy(s, "HELLO", 5);
	printf("msync: %d\n", msync(s, 4096, MS_SYNC));
	show_file(path);
	char *q = mmap(0, 18, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("private mapping reads: \"%.18s\"\n", q);
	memcpy(q + 7, "PRIVATE", 7);
	printf("private mapping now: \"%.18s\"\n", q);
	printf("shared mapping still: \"%.18s\"\n", s);
	munmap(q, 18);
	show_file(path);
	memcpy(s + 7, "world!", 6);
	munmap(s, 18);
	show_file(path);
	close(fd);
	int ro = open(path, O_RDONLY);
	char *r = mmap(0, 18, PROT_READ, MAP_SHARED, ro, 0);
	printf("read-only shared mapping reads: \"%.18s\"\n", r);
	munmap(r, 18);
	close(ro);
	unlink(path);
	return 0;
}
