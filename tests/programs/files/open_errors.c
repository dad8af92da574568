/* What open and friends say when they cannot: each errno by name. */
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "errname.h"

/* Addresses no program owns (volatile, so the compiler cannot see them coming). */
static volatile uintptr_t bad_low = 1, bad_null = 8;

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char name[300];
    SHOW("open missing", open("missing", O_RDONLY));
    SHOW("O_CREAT in a missing directory", open("nodir/x", O_WRONLY | O_CREAT, 0644));
    SHOW("O_CREAT", open("e.out", O_WRONLY | O_CREAT | O_EXCL, 0644));
    SHOW("O_CREAT|O_EXCL again", open("e.out", O_WRONLY | O_CREAT | O_EXCL, 0644));
    SHOW("O_CREAT of an existing file", open("e.out", O_RDONLY | O_CREAT, 0644));
    SHOW("file as a directory", open("e.out/x", O_RDONLY));
    SHOW("trailing slash on a file", open("e.out/", O_RDONLY));
    mkdir("e.dir", 0755);
    SHOW("directory O_RDONLY", open("e.dir", O_RDONLY));
    SHOW("directory O_WRONLY", open("e.dir", O_WRONLY));
    SHOW("directory O_RDWR", open("e.dir", O_RDWR));
    SHOW("O_DIRECTORY on a file", open("e.out", O_RDONLY | O_DIRECTORY));
    SHOW("empty path", open("", O_RDONLY));
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = 0;
    SHOW("name of 299 bytes", open(name, O_RDONLY));
    SHOW("bad path pointer", open((char *)bad_low, O_RDONLY));

    SHOW("close(-1)", close(-1));
    SHOW("close(40)", close(40));
    SHOW("read bad fd", read(40, name, 1));
    SHOW("write bad fd", write(-5, "x", 1));
    int fd = open("e.out", O_WRONLY);
    write(fd, "data", 4);
    close(fd);
    fd = open("e.out", O_RDONLY);
    SHOW("write to O_RDONLY", write(fd, "x", 1));
    SHOW("read into a bad pointer", read(fd, (char *)bad_low, 1));
    close(fd);
    fd = open("e.out", O_WRONLY);
    SHOW("read from O_WRONLY", read(fd, name, 1));
    SHOW("write from a bad pointer", write(fd, (char *)bad_null, 4));
    close(fd);

    /* Take descriptors until there are none left. */
    int last = -1, n;
    errno = 0;
    while ((n = dup(0)) >= 0)
        last = n;
    printf("dup until failure: %s\n", errname(errno));
    for (n = 3; n <= last; n++)
        close(n);
    SHOW("dup after closing them", dup(0));

    unlink("e.out");
    rmdir("e.dir");
    return 0;
}
