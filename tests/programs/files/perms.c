/* Permission checks on open: the owner, group and other bits against the
 * caller's effective uid and gid. Root passes (except exec), a plain user
 * does not. Run as root: the child drops to uid/gid 1000. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (geteuid() != 0) {
        printf("run me as root\n");
        return 1;
    }
    umask(0);
    int fd = open("p.secret", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    close(fd);
    fd = open("p.public", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    fd = open("p.none", O_WRONLY | O_CREAT | O_TRUNC, 0000);
    close(fd);
    SHOW("root opens mode 000 for reading", open("p.none", O_RDONLY));
    SHOW("root access X_OK of mode 000", access("p.none", X_OK));

    pid_t pid = fork();
    if (pid == 0) {
        setgid(1000);
        setuid(1000);
        SHOW("user reads 0600 root file", open("p.secret", O_RDONLY));
        SHOW("user reads 0644 root file", open("p.public", O_RDONLY));
        SHOW("user writes 0644 root file", open("p.public", O_WRONLY));
        SHOW("user access R_OK", access("p.public", R_OK));
        SHOW("user access W_OK", access("p.public", W_OK));
        SHOW("user chmod of root's file", chmod("p.public", 0666));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    unlink("p.secret");
    unlink("p.public");
    unlink("p.none");
    return 0;
}
