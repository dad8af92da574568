/* stat and fstat: type, permission bits (after umask), size, link count. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "errname.h"

static const char *type(mode_t m)
{
    if (S_ISREG(m)) return "regular";
    if (S_ISDIR(m)) return "directory";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISCHR(m)) return "character device";
    return "other";
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct stat st;
    printf("old umask %03o\n", (unsigned)umask(027));
    int fd = open("st.out", O_WRONLY | O_CREAT | O_TRUNC, 0666);
    write(fd, "twelve bytes", 12);
    SHOW("fstat", fstat(fd, &st));
    printf("  %s, mode %04o, size %ld, links %ld\n", type(st.st_mode),
           (unsigned)(st.st_mode & 07777), (long)st.st_size, (long)st.st_nlink);
    close(fd);
    SHOW("stat", stat("st.out", &st));
    printf("  %s, size %ld, owner matches: %d\n", type(st.st_mode), (long)st.st_size,
           st.st_uid == geteuid());
    ino_t ino = st.st_ino;
    SHOW("link", link("st.out", "st.link"));
    stat("st.link", &st);
    printf("  same inode: %d, links %ld\n", st.st_ino == ino, (long)st.st_nlink);
    unlink("st.link");
    SHOW("chmod 0400", chmod("st.out", 0400));
    stat("st.out", &st);
    printf("  mode %04o\n", (unsigned)(st.st_mode & 07777));
    unlink("st.out");

    SHOW("mkdir", mkdir("st.dir", 0777));
    stat("st.dir", &st);
    printf("  %s, mode %04o, links %ld\n", type(st.st_mode), (unsigned)(st.st_mode & 07777),
           (long)st.st_nlink);
    mkdir("st.dir/sub", 0755);
    stat("st.dir", &st);
    printf("  with a subdirectory: links %ld\n", (long)st.st_nlink);
    rmdir("st.dir/sub");
    rmdir("st.dir");

    int fds[2];
    pipe(fds);
    fstat(fds[0], &st);
    printf("pipe: %s\n", type(st.st_mode));
    SHOW("stat /dev/null", stat("/dev/null", &st));
    printf("  %s\n", type(st.st_mode));
    SHOW("stat missing", stat("no/such/file", &st));
    SHOW("fstat closed", fstat(99, &st));
    return 0;
}
