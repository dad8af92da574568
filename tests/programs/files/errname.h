/* errname.h: errno values by name, so the expected output is the same on
 * every UNIX (the numbers differ: EAGAIN is 35 on FreeBSD, 11 on Linux). */
#ifndef ERRNAME_H
#define ERRNAME_H
#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *errname(int e)
{
    switch (e) {
    case 0: return "OK";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EINTR: return "EINTR";
    case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case ESPIPE: return "ESPIPE";
    case EPIPE: return "EPIPE";
    case EAGAIN: return "EAGAIN";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTTY: return "ENOTTY";
    case ERANGE: return "ERANGE";
    default: return "E?";
    }
}

/* Print "what: result" for a call returning -1 on error. */
#define SHOW(what, expr)                                                      \
    do {                                                                      \
        errno = 0;                                                            \
        long r_ = (long)(expr);                                               \
        if (r_ < 0)                                                           \
            printf("%s: -1 %s\n", what, errname(errno));                      \
        else                                                                  \
            printf("%s: %ld\n", what, r_);                                    \
    } while (0)

#endif
