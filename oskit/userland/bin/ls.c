/* ls: list directories (default ".") one name per line, sorted; -a shows names
 * starting with '.', -l adds mode, links, owner, group and size. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int all, longform;

static void mode_string(mode_t m, char *s)
{
    s[0] = S_ISDIR(m) ? 'd' : S_ISCHR(m) ? 'c' : S_ISFIFO(m) ? 'p' : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        s[1 + i] = m & (0400 >> i) ? rwx[i] : '-';
    if (m & S_ISVTX)                    /* sticky: only owners may remove names here */
        s[9] = m & 01 ? 't' : 'T';
    s[10] = 0;
}

static void show(const char *path, const char *name)
{
    if (!longform) {
        printf("%s\n", name);
        return;
    }
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return;
    }
    char mode[11];
    mode_string(st.st_mode, mode);
    printf("%s %2ld %-5u %-5u %6ld %s\n", mode, (long)st.st_nlink, (unsigned)st.st_uid,
           (unsigned)st.st_gid, (long)st.st_size, name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) < 0) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        show(dir, dir);
        return 0;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512) {
        if (e->d_name[0] == '.' && !all)
            continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        show(path, names[i]);
        free(names[i]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        for (char *o = argv[i] + 1; *o; o++) {
            if (*o == 'a')
                all = 1;
            else if (*o == 'l')
                longform = 1;
            else {
                fprintf(stderr, "usage: ls [-al] [file ...]\n");
                return 2;
            }
        }
    }
    if (i == argc)
        return list(".");
    int many = argc - i > 1;
    for (; i < argc; i++) {
        if (many)
            printf("%s:\n", argv[i]);
        status |= list(argv[i]);
    }
    return status;
}
