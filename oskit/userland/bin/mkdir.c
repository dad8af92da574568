/* mkdir: make directories (mode 0777 less the umask); -p makes missing parents too
 * and is quiet about directories that exist. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make(char *path, int parents)
{
    if (parents) {
        /* Make every prefix ending before a '/', then the whole path. */
        for (char *p = path + 1; *p; p++) {
            if (*p != '/')
                continue;
            *p = 0;
            int r = mkdir(path, 0777);
            *p = '/';
            if (r < 0 && errno != EEXIST)
                return -1;
        }
    }
    if (mkdir(path, 0777) < 0 && !(parents && errno == EEXIST))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    int parents = 0, status = 0, i = 1;
    if (argc > 1 && !strcmp(argv[1], "-p")) {
        parents = 1;
        i = 2;
    }
    if (i == argc) {
        fprintf(stderr, "usage: mkdir [-p] directory ...\n");
        return 2;
    }
    for (; i < argc; i++) {
        if (make(argv[i], parents) < 0) {
            fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
