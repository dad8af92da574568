/*
 * dirent.c: reading a directory, one entry at a time, over getdirentries(2),
 * which fills a buffer with as many whole records as fit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct _dirdesc {
    int fd;
    size_t pos, len;            /* the next record is at buf + pos; buf holds len bytes */
    off_t base;
    char buf[4096];
};

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR *d = malloc(sizeof *d);
    if (d == NULL) {
        close(fd);
        return NULL;
    }
    d->fd = fd;
    d->pos = d->len = 0;
    d->base = 0;
    return d;
}

struct dirent *readdir(DIR *d)
{
    for (;;) {
        if (d->pos >= d->len) {
            ssize_t n = getdirentries(d->fd, d->buf, sizeof d->buf, &d->base);
            if (n <= 0)
                return NULL;            /* the end (errno unchanged), or an error */
            d->pos = 0;
            d->len = n;
        }
        struct dirent *e = (struct dirent *)(d->buf + d->pos);
        if (e->d_reclen == 0) {         /* a kernel bug would loop forever: stop */
            errno = EIO;
            return NULL;
        }
        d->pos += e->d_reclen;
        if (e->d_fileno != 0)           /* 0: a deleted entry */
            return e;
    }
}

int closedir(DIR *d)
{
    int r = close(d->fd);
    free(d);
    return r;
}

int dirfd(DIR *d)
{
    return d->fd;
}
