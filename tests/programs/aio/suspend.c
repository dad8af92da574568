/* aio_suspend waits for one of several requests; with a timeout it gives up with EAGAIN.
 * One request reads an empty pipe (it cannot finish until someone writes), the other
 * writes a file (it finishes soon). */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int p[2];
    pipe(p);
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char in[8], out[] = "data";
    struct aiocb a, b;
    memset(&a, 0, sizeof a);
    a.aio_fildes = p[0];
    a.aio_buf = in;
    a.aio_nbytes = sizeof in;
    memset(&b, 0, sizeof b);
    b.aio_fildes = fd;
    b.aio_buf = out;
    b.aio_nbytes = 4;
    printf("aio_read(pipe): %d\n", aio_read(&a));
    printf("aio_write(file): %d\n", aio_write(&b));
    const struct aiocb *list[2] = { &a, &b };
    while (aio_error(&b) == EINPROGRESS)
        if (aio_suspend(list, 2, NULL) != 0)
            printf("aio_suspend failed: %s\n", strerror(errno));
    printf("after aio_suspend: pipe read %s, file write %s\n",
           aio_error(&a) == EINPROGRESS ? "EINPROGRESS" : "done",
           aio_error(&b) == 0 ? "done" : "failed");
    printf("file write returned %ld\n", (long)aio_return(&b));

    /* Only the pipe read is left: a 20 ms timeout passes first. */
    const struct aiocb *one[1] = { &a };
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    errno = 0;
    int r = aio_suspend(one, 1, &ts);
    printf("aio_suspend with a timeout: %d %s\n", r, errno == EAGAIN ? "EAGAIN" : strerror(errno));

    /* Now write into the pipe: the read finishes. */
    write(p[1], "xyz", 3);
    while (aio_error(&a) == EINPROGRESS)
        aio_suspend(one, 1, NULL);
    long n = (long)aio_return(&a);
    printf("pipe read returned %ld: %.*s\n", n, (int)n, in);
    return 0;
}
