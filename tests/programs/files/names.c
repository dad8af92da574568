/* Names and directories: rename, link counts, getcwd, and what readdir lists. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "errname.h"

static void touch(const char *name, const char *text)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
}

static void cat(const char *name)
{
    char buf[32] = {0};
    int fd = open(name, O_RDONLY);
    read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("  %s holds: %s\n", name, buf);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *dir)
{
    DIR *d = opendir(dir);
    char *names[32];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 32)
        names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    printf("  %s:", dir);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct stat st;
    mkdir("n", 0755);
    chdir("n");
    touch("a", "apple");
    touch("b", "banana");
    mkdir("sub", 0755);
    list(".");

    SHOW("rename a -> c", rename("a", "c"));
    SHOW("open a", open("a", O_RDONLY));
    cat("c");
    SHOW("rename c over b", rename("c", "b"));
    cat("b");
    SHOW("rename b into sub/", rename("b", "sub/b"));
    list("sub");
    SHOW("rename missing", rename("nothing", "x"));
    SHOW("rename dir into itself", rename("sub", "sub/deeper"));
    mkdir("empty", 0755);
    SHOW("rename file over a directory", rename("sub/b", "empty"));
    SHOW("rename directory over a file", rename("empty", "sub/b"));
    rmdir("empty");

    SHOW("link sub/b b2", link("sub/b", "b2"));
    stat("b2", &st);
    printf("  links of b2: %ld\n", (long)st.st_nlink);
    SHOW("link onto existing", link("b2", "sub/b"));
    SHOW("link a directory", link("sub", "sub2"));
    unlink("sub/b");
    stat("b2", &st);
    printf("  links of b2 after unlink: %ld\n", (long)st.st_nlink);

    char cwd[256];
    chdir("sub");
    char *full = getcwd(cwd, sizeof cwd);
    /* Print only the tail: the start of the path is wherever the test runs. */
    printf("getcwd ends in /n/sub: %d\n", full && strlen(cwd) >= 6 && !strcmp(cwd + strlen(cwd) - 6, "/n/sub"));
    SHOW("getcwd into 2 bytes", getcwd(cwd, 2) ? 0 : -1);
    chdir("..");
    unlink("b2");
    rmdir("sub");
    list(".");

    /* A name is bytes: anything but NUL and '/', UTF-8 or not. */
    const char *odd = "\xff\xfe-latin1-caf\xe9";
    touch(odd, "odd");
    SHOW("stat a non-UTF-8 name", stat(odd, &st));
    DIR *d = opendir(".");
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] == '\xff')
            printf("  readdir gives it back: %d\n", strcmp(e->d_name, odd) == 0);
    closedir(d);
    SHOW("unlink it", unlink(odd));
    return 0;
}
