/* A pipe delivers bytes in order, and read returns 0 (end of file) only once
 * every write end is closed: the parent must close its own copy too. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fds[2];
    SHOW("pipe", pipe(fds));

    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        write(fds[1], "hello, ", 7);
        write(fds[1], "pipe\n", 5);
        _exit(0);               /* exit closes fds[1] */
    }
    close(fds[1]);              /* without this, the last read would wait forever */
    char buf[64];
    size_t total = 0;
    ssize_t n;
    while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    buf[total] = 0;
    printf("read %zu bytes: %s", total, buf);
    printf("at EOF read returns %zd\n", read(fds[0], buf, sizeof buf));
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));

    /* A pipe whose write end is closed before anything was written is at EOF at once. */
    pipe(fds);
    close(fds[1]);
    printf("empty pipe, no writer: %zd\n", read(fds[0], buf, 1));
    close(fds[0]);
    /* read(n=0) returns 0 without waiting. */
    pipe(fds);
    printf("zero-byte read: %zd\n", read(fds[0], buf, 0));
    /* Wrong ends: the read end is not writable, the write end not readable. */
    SHOW("write to read end", write(fds[0], "x", 1));
    SHOW("read from write end", read(fds[1], buf, 1));
    return 0;
}
