/* Directories: mkdir, chdir, relative names, "..", rmdir, unlink. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "errname.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    SHOW("mkdir d", mkdir("d", 0755));
    SHOW("mkdir d again", mkdir("d", 0755));
    SHOW("mkdir d/e/f", mkdir("d/e/f", 0755));
    SHOW("mkdir d/e", mkdir("d/e", 0755));
    int fd = open("d/e/file", O_WRONLY | O_CREAT, 0644);
    write(fd, "in e\n", 5);
    close(fd);

    SHOW("chdir d/e", chdir("d/e"));
    char buf[16] = {0};
    fd = open("file", O_RDONLY);
    read(fd, buf, sizeof buf - 1);
    printf("relative open reads: %s", buf);
    close(fd);
    SHOW("open ../e/./file", open("../e/./file", O_RDONLY));
    SHOW("chdir ../..", chdir("../.."));
    SHOW("chdir to a file", chdir("d/e/file"));
    SHOW("chdir missing", chdir("nowhere"));

    SHOW("rmdir non-empty", rmdir("d/e"));
    SHOW("rmdir a file", rmdir("d/e/file"));
    SHOW("open path through a file", open("d/e/file/x", O_RDONLY));

    /* An unlinked file lives on while a descriptor refers to it. */
    fd = open("d/e/file", O_RDONLY);
    SHOW("unlink", unlink("d/e/file"));
    SHOW("open after unlink", open("d/e/file", O_RDONLY));
    memset(buf, 0, sizeof buf);
    read(fd, buf, sizeof buf - 1);
    printf("still readable through the fd: %s", buf);
    close(fd);
    SHOW("unlink again", unlink("d/e/file"));

    SHOW("rmdir d/e", rmdir("d/e"));
    SHOW("rmdir d", rmdir("d"));
    SHOW("access d", access("d", F_OK));
    return 0;
}
