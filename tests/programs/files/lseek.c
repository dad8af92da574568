/* lseek moves a file's offset; a write past the end leaves a hole of zeros;
 * pipes cannot seek. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("seek.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    SHOW("SEEK_SET 3", lseek(fd, 3, SEEK_SET));
    SHOW("SEEK_CUR +2", lseek(fd, 2, SEEK_CUR));
    char c = 0;
    read(fd, &c, 1);
    printf("byte at 5: %c\n", c);
    SHOW("SEEK_END -1", lseek(fd, -1, SEEK_END));
    SHOW("SEEK_END +5", lseek(fd, 5, SEEK_END));
    write(fd, "Z", 1);
    SHOW("size now", lseek(fd, 0, SEEK_END));
    lseek(fd, 10, SEEK_SET);
    char hole[6];
    read(fd, hole, 6);
    printf("hole: %d %d %d %d %d then %c\n", hole[0], hole[1], hole[2], hole[3], hole[4], hole[5]);
    SHOW("read at EOF", read(fd, &c, 1));
    SHOW("negative offset", lseek(fd, -100, SEEK_SET));
    SHOW("bad whence", lseek(fd, 0, 12345));
    close(fd);
    SHOW("closed fd", lseek(fd, 0, SEEK_SET));

    int fds[2];
    pipe(fds);
    SHOW("pipe", lseek(fds[0], 0, SEEK_SET));

    /* O_APPEND: every write goes to the end, wherever the offset was. */
    fd = open("seek.out", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "!", 1);
    SHOW("append lands at", lseek(fd, 0, SEEK_CUR));
    close(fd);
    /* O_TRUNC empties the file. */
    fd = open("seek.out", O_WRONLY | O_TRUNC);
    SHOW("after O_TRUNC", lseek(fd, 0, SEEK_END));
    close(fd);
    unlink("seek.out");
    return 0;
}
