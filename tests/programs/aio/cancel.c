/* aio_cancel: a request that has not started is cancelled (ECANCELED, aio_return -1);
 * a request that has finished is AIO_ALLDONE.
 * Two reads of an empty pipe: the second waits behind the first on both systems
 * (glibc runs requests on one descriptor in order; oskit's waiting read has moved
 * no byte), so cancelling the second is AIO_CANCELED on both. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *cname(int r) {
    return r == AIO_CANCELED ? "AIO_CANCELED" : r == AIO_NOTCANCELED ? "AIO_NOTCANCELED" :
           r == AIO_ALLDONE ? "AIO_ALLDONE" : "error";
}

int main(void) {
    int p[2];
    pipe(p);
    char b1[8], b2[8];
    struct aiocb r1, r2;
    memset(&r1, 0, sizeof r1);
    r1.aio_fildes = p[0];
    r1.aio_buf = b1;
    r1.aio_nbytes = 4;
    r2 = r1;
    r2.aio_buf = b2;
    aio_read(&r1);
    aio_read(&r2);
    printf("cancel the second read: %s\n", cname(aio_cancel(p[0], &r2)));
    printf("its aio_error: %s\n", aio_error(&r2) == ECANCELED ? "ECANCELED" : strerror(aio_error(&r2)));
    long n = (long)aio_return(&r2);       /* errno: ECANCELED on FreeBSD, untouched by glibc */
    printf("its aio_return: %ld\n", n);
    printf("the first is still pending: %s\n", aio_error(&r1) == EINPROGRESS ? "yes" : "no");

    write(p[1], "abcd", 4);
    const struct aiocb *list[1] = { &r1 };
    while (aio_error(&r1) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
    printf("cancel the finished first read: %s\n", cname(aio_cancel(p[0], &r1)));
    n = (long)aio_return(&r1);
    printf("first read returned %ld: %.4s\n", n, b1);

    /* A file write, waited for, then cancelled: AIO_ALLDONE, and the file has the data. */
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct aiocb w;
    memset(&w, 0, sizeof w);
    w.aio_fildes = fd;
    w.aio_buf = "done";
    w.aio_nbytes = 4;
    aio_write(&w);
    const struct aiocb *wl[1] = { &w };
    while (aio_error(&w) == EINPROGRESS)
        aio_suspend(wl, 1, NULL);
    printf("cancel all on the file after it finished: %s\n", cname(aio_cancel(fd, NULL)));
    printf("write returned %ld\n", (long)aio_return(&w));
    return 0;
}
