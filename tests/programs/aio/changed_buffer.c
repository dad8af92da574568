/* A pending aio_write reads its buffer when it runs, not when it is submitted.
 * The pipe is full, so the write cannot run until the program drains it; before that
 * the program changes the buffer. The reader then gets the changed bytes. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int p[2];
    pipe(p);
    /* Fill the pipe: non-blocking writes until EAGAIN, then back to blocking. */
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    char junk[512];
    memset(junk, '.', sizeof junk);
    long filled = 0;
    for (;;) {
        ssize_t n = write(p[1], junk, sizeof junk);
        if (n <= 0) break;
        filled += n;
    }
    fcntl(p[1], F_SETFL, 0);
    printf("pipe full: %s\n", filled > 0 ? "yes" : "no");

    static char buf[] = "before";
    struct aiocb w;
    memset(&w, 0, sizeof w);
    w.aio_fildes = p[1];
    w.aio_buf = buf;
    w.aio_nbytes = 6;
    printf("aio_write: %d\n", aio_write(&w));
    printf("pending: %s\n", aio_error(&w) == EINPROGRESS ? "yes" : "no");
    memcpy(buf, "AFTER!", 6);             /* changed before the request ran */

    /* Drain the filler; then the write can go in. */
    long drained = 0;
    while (drained < filled) {
        ssize_t n = read(p[0], junk, filled - drained < (long)sizeof junk ? filled - drained : sizeof junk);
        if (n <= 0) break;
        drained += n;
    }
    const struct aiocb *list[1] = { &w };
    while (aio_error(&w) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
    printf("aio_return: %ld\n", (long)aio_return(&w));
    char got[8] = {0};
    read(p[0], got, 6);
    printf("the reader got: %s\n", got);
    return 0;
}
