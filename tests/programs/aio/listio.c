/* lio_listio: several requests in one call. LIO_WAIT returns when all are done;
 * LIO_NOP entries are skipped; then the blocks are read back with LIO_NOWAIT. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int fd = open("l", O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char a[] = "first ", b[] = "second ", c[] = "third\n";
    static struct aiocb w[4];
    char *parts[3] = { a, b, c };
    off_t off = 0;
    for (int i = 0; i < 3; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].aio_fildes = fd;
        w[i].aio_buf = parts[i];
        w[i].aio_nbytes = strlen(parts[i]);
        w[i].aio_offset = off;
        w[i].aio_lio_opcode = LIO_WRITE;
        off += strlen(parts[i]);
    }
    memset(&w[3], 0, sizeof w[3]);
    w[3].aio_lio_opcode = LIO_NOP;
    struct aiocb *list[4] = { &w[0], &w[1], &w[3], &w[2] };
    printf("lio_listio(LIO_WAIT): %d\n", lio_listio(LIO_WAIT, list, 4, NULL));
    for (int i = 0; i < 3; i++)
        printf("  write %d: aio_error %d, aio_return %ld\n", i, aio_error(&w[i]), (long)aio_return(&w[i]));

    static char r1[8], r2[16];
    static struct aiocb r[2];
    memset(r, 0, sizeof r);
    r[0].aio_fildes = fd; r[0].aio_buf = r1; r[0].aio_nbytes = 6; r[0].aio_offset = 0;
    r[0].aio_lio_opcode = LIO_READ;
    r[1].aio_fildes = fd; r[1].aio_buf = r2; r[1].aio_nbytes = 13; r[1].aio_offset = 6;
    r[1].aio_lio_opcode = LIO_READ;
    struct aiocb *rl[2] = { &r[0], &r[1] };
    printf("lio_listio(LIO_NOWAIT): %d\n", lio_listio(LIO_NOWAIT, rl, 2, NULL));
    for (int i = 0; i < 2; i++) {
        const struct aiocb *one[1] = { &r[i] };
        while (aio_error(&r[i]) == EINPROGRESS)
            aio_suspend(one, 1, NULL);
        printf("  read %d: %ld bytes\n", i, (long)aio_return(&r[i]));
    }
    printf("read back: %s%s", r1, r2);
    return 0;
}
