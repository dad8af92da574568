/* execve keeps open descriptors -- except those marked close-on-exec
 * (O_CLOEXEC, FD_CLOEXEC): that is how a shell's redirections reach the
 * program it runs, and how private files do not. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "errname.h"

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 4) {            /* the re-executed image: which descriptors survived? */
        char buf[16] = {0};
        int kept = atoi(argv[1]), gone = atoi(argv[2]), marked = atoi(argv[3]);
        SHOW("after exec, plain fd read", read(kept, buf, 5));
        printf("  it continues at the shared offset: %s\n", buf);
        SHOW("after exec, O_CLOEXEC fd", read(gone, buf, 1));
        SHOW("after exec, FD_CLOEXEC fd", read(marked, buf, 1));
        return 0;
    }
    int fd = open("ce.out", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    close(fd);
    int kept = open("ce.out", O_RDONLY);
    int gone = open("ce.out", O_RDONLY | O_CLOEXEC);
    int marked = open("ce.out", O_RDONLY);
    SHOW("F_GETFD of the O_CLOEXEC fd", fcntl(gone, F_GETFD));
    SHOW("F_SETFD FD_CLOEXEC", fcntl(marked, F_SETFD, FD_CLOEXEC));
    char skip[3];
    read(kept, skip, 3);        /* the new image will start reading at offset 3 */
    char a[3][12];
    snprintf(a[0], sizeof a[0], "%d", kept);
    snprintf(a[1], sizeof a[1], "%d", gone);
    snprintf(a[2], sizeof a[2], "%d", marked);
    char *args[] = {argv[0], a[0], a[1], a[2], NULL};
    unlink("ce.out");           /* still open: the file lives on */
    execv(argv[0], args);
    printf("execv failed: %s\n", errname(errno));
    return 1;
}
