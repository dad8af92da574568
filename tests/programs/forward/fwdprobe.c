/* The file calls a forwarded file must answer as a local one does.
 * argv[1]: a file holding "hello from B\n" (13 bytes); argv[2]: a path that does not exist.
 * On machine A both are under /b/, on machine B's disk; natively, local files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char buf[16];
    struct stat st;
    if (argc != 3)
        return 2;
    int fd = open(argv[1], O_RDONLY);
    printf("open: %s\n", fd >= 0 ? "ok" : strerror(errno));
    ssize_t n = read(fd, (void *)16, 5);              /* not ours (gcc warns: the point) */
    printf("read into a bad buffer: %zd (%s)\n", n, n < 0 ? strerror(errno) : "");
    n = read(fd, buf, 5);                             /* the offset did not move */
    printf("read: %zd \"%.*s\"\n", n, (int)n, buf);
    int r = fstat(fd, &st);
    printf("fstat: %d, size %lld\n", r, (long long)st.st_size);
    printf("lseek: %lld\n", (long long)lseek(fd, -3, SEEK_END));
    n = read(fd, buf, sizeof buf);
    printf("read: %zd \"%.*s\"\n", n, (int)n - 1, buf);
    n = write(fd, "x", 1);                            /* opened read-only */
    printf("write: %zd (%s)\n", n, n < 0 ? strerror(errno) : "");
    printf("close: %d\n", close(fd));
    n = read(fd, buf, 1);
    printf("read after close: %zd (%s)\n", n, n < 0 ? strerror(errno) : "");
    fd = open(argv[2], O_RDONLY);
    printf("open missing: %d (%s)\n", fd, fd < 0 ? strerror(errno) : "");
    return 0;
}
