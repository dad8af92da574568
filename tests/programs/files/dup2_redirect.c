/* dup2 is how a shell redirects: point descriptor 1 at a file, and whatever
 * writes to "standard output" writes to the file. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("redirect.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int saved = dup(1);
    printf("fd %d, saved stdout as %d\n", fd, saved);

    SHOW("dup2(fd, 1)", dup2(fd, 1));
    printf("this line goes to the file\n");
    pid_t pid = fork();
    if (pid == 0) {             /* a child inherits the redirection */
        printf("and so does the child's\n");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    dup2(saved, 1);
    close(saved);
    close(fd);
    printf("back on the terminal\n");

    char buf[128];
    fd = open("redirect.out", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("the file holds %zd bytes:\n%s", n, buf);
    close(fd);

    SHOW("dup2(fd, fd) of an open fd", dup2(1, 1));
    SHOW("dup2 from a closed fd", dup2(fd, 7));
    SHOW("dup of a closed fd", dup(fd));
    SHOW("dup2 to a negative fd", dup2(1, -1));
    unlink("redirect.out");
    return 0;
}
