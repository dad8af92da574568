/* A write larger than the pipe's buffer blocks until the reader has taken
 * enough, and returns only when all of it went through. Small writes
 * (at most PIPE_BUF bytes) are never split. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define BIG 100000

static char buf[BIG];

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 0; i < BIG; i++)
        buf[i] = (char)(i * 7 + 3);
    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        ssize_t n = write(fds[1], buf, BIG);
        printf("writer: write returned %zd\n", n);
        _exit(0);
    }
    close(fds[1]);
    static char got[BIG];
    size_t total = 0;
    ssize_t n;
    while ((n = read(fds[0], got + total, BIG - total)) > 0)
        total += n;
    waitpid(pid, NULL, 0);
    int same = 1;
    for (int i = 0; i < BIG; i++)
        if (got[i] != buf[i])
            same = 0;
    printf("reader: %zu bytes, all in order: %d\n", total, same);

    /* O_NONBLOCK: an empty pipe says EAGAIN instead of waiting. */
    pipe(fds);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    printf("O_NONBLOCK set: %d\n", (fcntl(fds[0], F_GETFL) & O_NONBLOCK) != 0);
    SHOW("read empty nonblocking pipe", read(fds[0], got, 1));
    printf("read end access mode is O_RDONLY: %d\n", (fcntl(fds[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
    SHOW("F_GETFD", fcntl(fds[0], F_GETFD));
    SHOW("F_SETFD", fcntl(fds[0], F_SETFD, FD_CLOEXEC));
    SHOW("F_GETFD", fcntl(fds[0], F_GETFD));
    SHOW("F_DUPFD 10", fcntl(fds[0], F_DUPFD, 10));
    SHOW("F_GETFD of the copy", fcntl(10, F_GETFD));
    return 0;
}
