/* aio round trip: write a file with aio_write, read it back with aio_read. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void wait_for(struct aiocb *cb) {
    const struct aiocb *list[1] = { cb };
    while (aio_error(cb) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
}

int main(void) {
    int fd = open("aio.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror("open"); return 1; }
    static char out[] = "hello, asynchronous world\n";
    struct aiocb w;
    memset(&w, 0, sizeof w);
    w.aio_fildes = fd;
    w.aio_buf = out;
    w.aio_nbytes = strlen(out);
    w.aio_offset = 0;
    int r = aio_write(&w);
    printf("aio_write: %d\n", r);
    wait_for(&w);
    printf("aio_error after completion: %d\n", aio_error(&w));
    printf("aio_return: %ld\n", (long)aio_return(&w));
    printf("file offset untouched: %ld\n", (long)lseek(fd, 0, SEEK_CUR));

    /* A second request at an offset: "asynchronous" becomes "ASYNCHRONOUS". */
    static char up[] = "ASYNCHRONOUS";
    w.aio_buf = up;
    w.aio_nbytes = 12;
    w.aio_offset = 7;
    aio_write(&w);
    wait_for(&w);
    printf("second aio_return: %ld\n", (long)aio_return(&w));

    char in[64];
    memset(in, 0, sizeof in);
    struct aiocb rd;
    memset(&rd, 0, sizeof rd);
    rd.aio_fildes = fd;
    rd.aio_buf = in;
    rd.aio_nbytes = sizeof in - 1;
    rd.aio_offset = 0;
    printf("aio_read: %d\n", aio_read(&rd));
    wait_for(&rd);
    printf("aio_error: %d\n", aio_error(&rd));
    printf("aio_return: %ld\n", (long)aio_return(&rd));
    printf("read back: %s", in);

    /* Reading past the end: 0 bytes, as read(2). */
    rd.aio_offset = 1000;
    aio_read(&rd);
    wait_for(&rd);
    printf("past the end: aio_return %ld\n", (long)aio_return(&rd));
    close(fd);
    return 0;
}
