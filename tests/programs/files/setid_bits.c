/* Set-id bits do not survive changes by ordinary users: writing to a
 * set-user-id program, or giving it to another group, clears S_ISUID and
 * S_ISGID -- otherwise whoever may write it could run code as its owner.
 * Run as root: the children drop to uid/gid 1000. */
#include <fcntl.h>
#ifdef __linux__
#include <grp.h>       /* setgroups (FreeBSD and oskit: unistd.h) */
#endif
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static unsigned mode_of(const char *path)
{
    struct stat st;
    stat(path, &st);
    return st.st_mode & 07777;
}

static void as_user(void (*fn)(void))
{
    pid_t pid = fork();
    if (pid == 0) {
        gid_t g = 1000;
        setgroups(1, &g);
        setgid(1000);
        setuid(1000);
        fn();
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void write_it(void)
{
    int fd = open("s.bin", O_WRONLY);
    SHOW("user writes 1 byte", write(fd, "x", 1));
    close(fd);
}

static void chgrp_it(void)
{
    SHOW("user gives it to group 1000", chown("s.bin", -1, 1000));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(0);
    int fd = open("s.bin", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    close(fd);
    chown("s.bin", 1000, 0);
    chmod("s.bin", 06755);
    printf("mode %04o, owned by 1000\n", mode_of("s.bin"));
    as_user(write_it);
    printf("  mode now %04o\n", mode_of("s.bin"));

    chmod("s.bin", 06755);
    fd = open("s.bin", O_WRONLY);
    write(fd, "y", 1);
    close(fd);
    printf("root writes: mode stays %04o\n", mode_of("s.bin"));

    as_user(chgrp_it);
    printf("  mode now %04o\n", mode_of("s.bin"));
    unlink("s.bin");
    return 0;
}
