/* aio errors: a bad descriptor, a descriptor open the wrong way, a bad buffer (EFAULT).
 * FreeBSD (and oskit) refuse a bad descriptor in aio_read itself; glibc queues it and
 * reports through aio_error. Both then say the same through aio_error, so that is printed. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *name(int e) {
    switch (e) {
    case 0: return "0";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EINPROGRESS: return "EINPROGRESS";
    default: return strerror(e);
    }
}

static int finish(struct aiocb *cb, int submitted) {
    const struct aiocb *list[1] = { cb };
    if (submitted == 0)
        while (aio_error(cb) == EINPROGRESS)
            aio_suspend(list, 1, NULL);
    return aio_error(cb);
}

int main(void) {
    char buf[16];
    struct aiocb cb;
    int r;

    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = 42;                 /* never opened */
    cb.aio_buf = buf;
    cb.aio_nbytes = sizeof buf;
    r = aio_read(&cb);
    printf("bad descriptor: aio_error %s\n", name(finish(&cb, r)));
    if (r == 0) aio_return(&cb);

    int fd = open("data", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd;                 /* open for writing only */
    cb.aio_buf = buf;
    cb.aio_nbytes = sizeof buf;
    r = aio_read(&cb);
    printf("read of a write-only descriptor: aio_error %s\n", name(finish(&cb, r)));
    if (r == 0) aio_return(&cb);
    close(fd);

    fd = open("data", O_RDONLY);
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd;
    cb.aio_buf = (void *)16;            /* no memory there */
    cb.aio_nbytes = 10;
    r = aio_read(&cb);
    printf("read into address 16: aio_read %d, aio_error %s", r, name(finish(&cb, r)));
    ssize_t n = aio_return(&cb);          /* errno: EFAULT on FreeBSD, untouched by glibc */
    printf(", aio_return %ld\n", (long)n);

    int wfd = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = wfd;
    cb.aio_buf = (void *)16;
    cb.aio_nbytes = 10;
    r = aio_write(&cb);
    printf("write from address 16: aio_write %d, aio_error %s", r, name(finish(&cb, r)));
    n = aio_return(&cb);
    printf(", aio_return %ld\n", (long)n);
    printf("file size after the failed write: %ld\n", (long)lseek(wfd, 0, SEEK_END));

    /* The process is still fine: a good request after the bad ones works. */
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd;
    cb.aio_buf = buf;
    cb.aio_nbytes = 4;
    cb.aio_offset = 3;
    r = aio_read(&cb);
    const char *e = name(finish(&cb, r));
    long got = (long)aio_return(&cb);
    printf("good read: aio_error %s, aio_return %ld, bytes %.4s\n", e, got, buf);
    return 0;
}
