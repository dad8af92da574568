/* rm: remove files (unlink); -f: say nothing about files that do not exist;
 * -d: remove empty directories too (rmdir). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int force = 0, dirs = 0, status = 0, i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (char *o = argv[i] + 1; *o; o++) {
            if (*o == 'f')
                force = 1;
            else if (*o == 'd')
                dirs = 1;
            else {
                fprintf(stderr, "usage: rm [-df] file ...\n");
                return 2;
            }
        }
    }
    for (; i < argc; i++) {
        struct stat st;
        int r;
        if (dirs && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            r = rmdir(argv[i]);
        else
            r = unlink(argv[i]);
        if (r < 0 && !(force && errno == ENOENT)) {
            fprintf(stderr, "rm: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
