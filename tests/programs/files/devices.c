/* The character devices every UNIX has: /dev/null swallows writes and reads
 * as end of file, /dev/zero reads as zeros; a regular file or a pipe is no
 * terminal (isatty is false, with ENOTTY). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[16];
    int null = open("/dev/null", O_RDWR);
    SHOW("write 5 bytes to /dev/null", write(null, "hello", 5));
    SHOW("read /dev/null", read(null, buf, sizeof buf));
    SHOW("lseek /dev/null", lseek(null, 100, SEEK_SET));
    close(null);

    int zero = open("/dev/zero", O_RDONLY);
    memset(buf, 'x', sizeof buf);
    SHOW("read /dev/zero", read(zero, buf, sizeof buf));
    int zeros = 0;
    for (int i = 0; i < (int)sizeof buf; i++)
        zeros += buf[i] == 0;
    printf("  zero bytes: %d\n", zeros);
    SHOW("write /dev/zero opened O_RDONLY", write(zero, "x", 1));
    close(zero);

    struct stat st;
    stat("/dev/zero", &st);
    printf("/dev/zero is a character device: %d\n", S_ISCHR(st.st_mode));

    int fd = open("dev.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    errno = 0;
    int t = isatty(fd);
    printf("isatty(regular file): %d %s\n", t, errname(errno));
    int fds[2];
    pipe(fds);
    errno = 0;
    t = isatty(fds[0]);
    printf("isatty(pipe): %d %s\n", t, errname(errno));
    errno = 0;
    t = isatty(99);
    printf("isatty(closed fd): %d %s\n", t, errname(errno));
    unlink("dev.out");
    return 0;
}
