/* fork copies the descriptor table, not the open files: parent and child
 * share each file's offset. exit closes every descriptor. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("shared.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "parent1 ", 8);
    pid_t pid = fork();
    if (pid == 0) {
        write(fd, "child ", 6);       /* moves the offset the parent sees */
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("offset after the child wrote: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    write(fd, "parent2\n", 8);
    lseek(fd, 0, SEEK_SET);
    char buf[64] = {0};
    read(fd, buf, sizeof buf - 1);
    printf("file: %s", buf);
    close(fd);
    unlink("shared.out");

    /* A child that exits without closing its write end: the exit closes it,
     * so the parent's read sees end of file. */
    int fds[2];
    pipe(fds);
    pid = fork();
    if (pid == 0) {
        write(fds[1], "bye", 3);
        _exit(0);
    }
    close(fds[1]);
    char c[8];
    ssize_t n, total = 0;
    while ((n = read(fds[0], c, sizeof c)) > 0)
        total += n;
    printf("read %zd bytes then EOF (%zd)\n", total, n);
    waitpid(pid, NULL, 0);

    /* Two opens of one file have two offsets. */
    int a = open("two.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int b = open("two.out", O_RDONLY);
    write(a, "abcdef", 6);
    char x[4] = {0};
    read(b, x, 3);
    printf("second open reads from 0: %s (offsets %ld and %ld)\n", x,
           (long)lseek(a, 0, SEEK_CUR), (long)lseek(b, 0, SEEK_CUR));
    close(a);
    close(b);
    unlink("two.out");
    return 0;
}
