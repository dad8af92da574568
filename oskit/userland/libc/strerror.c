/* strerror.c: the text of errno values and signal numbers, as FreeBSD words them. */
#include <errno.h>
#include <signal.h>
#include <string.h>

static const char *const errlist[] = {
    "No error: 0",                              /*  0 */
    "Operation not permitted",                  /*  1 EPERM */
    "No such file or directory",                /*  2 ENOENT */
    "No such process",                          /*  3 ESRCH */
    "Interrupted system call",                  /*  4 EINTR */
    "Input/output error",                       /*  5 EIO */
    "Device not configured",                    /*  6 ENXIO */
    "Argument list too long",                   /*  7 E2BIG */
    "Exec format error",                        /*  8 ENOEXEC */
    "Bad file descriptor",                      /*  9 EBADF */
    "No child processes",                       /* 10 ECHILD */
    "Resource deadlock avoided",                /* 11 EDEADLK */
    "Cannot allocate memory",                   /* 12 ENOMEM */
    "Permission denied",                        /* 13 EACCES */
    "Bad address",                              /* 14 EFAULT */
    "Block device required",                    /* 15 ENOTBLK */
    "Device busy",                              /* 16 EBUSY */
    "File exists",                              /* 17 EEXIST */
    "Cross-device link",                        /* 18 EXDEV */
    "Operation not supported by device",        /* 19 ENODEV */
    "Not a directory",                          /* 20 ENOTDIR */
    "Is a directory",                           /* 21 EISDIR */
    "Invalid argument",                         /* 22 EINVAL */
    "Too many open files in system",            /* 23 ENFILE */
    "Too many open files",                      /* 24 EMFILE */
    "Inappropriate ioctl for device",           /* 25 ENOTTY */
    "Text file busy",                           /* 26 ETXTBSY */
    "File too large",                           /* 27 EFBIG */
    "No space left on device",                  /* 28 ENOSPC */
    "Illegal seek",                             /* 29 ESPIPE */
    "Read-only file system",                    /* 30 EROFS */
    "Too many links",                           /* 31 EMLINK */
    "Broken pipe",                              /* 32 EPIPE */
    "Numerical argument out of domain",         /* 33 EDOM */
    "Result too large",                         /* 34 ERANGE */
    "Resource temporarily unavailable",         /* 35 EAGAIN */
    "Operation now in progress",                /* 36 EINPROGRESS */
    "Operation already in progress",            /* 37 EALREADY */
    "Socket operation on non-socket",           /* 38 ENOTSOCK */
    "Destination address required",             /* 39 EDESTADDRREQ */
    "Message too long",                         /* 40 EMSGSIZE */
    "Protocol wrong type for socket",           /* 41 EPROTOTYPE */
    "Protocol not available",                   /* 42 ENOPROTOOPT */
    "Protocol not supported",                   /* 43 EPROTONOSUPPORT */
    "Socket type not supported",                /* 44 ESOCKTNOSUPPORT */
    "Operation not supported",                  /* 45 EOPNOTSUPP */
    "Protocol family not supported",            /* 46 EPFNOSUPPORT */
    "Address family not supported by protocol family", /* 47 EAFNOSUPPORT */
    "Address already in use",                   /* 48 EADDRINUSE */
    "Can't assign requested address",           /* 49 EADDRNOTAVAIL */
    "Network is down",                          /* 50 ENETDOWN */
    "Network is unreachable",                   /* 51 ENETUNREACH */
    "Network dropped connection on reset",      /* 52 ENETRESET */
    "Software caused connection abort",         /* 53 ECONNABORTED */
    "Connection reset by peer",                 /* 54 ECONNRESET */
    "No buffer space available",                /* 55 ENOBUFS */
    "Socket is already connected",              /* 56 EISCONN */
    "Socket is not connected",                  /* 57 ENOTCONN */
    "Can't send after socket shutdown",         /* 58 ESHUTDOWN */
    "Too many references: can't splice",        /* 59 ETOOMANYREFS */
    "Operation timed out",                      /* 60 ETIMEDOUT */
    "Connection refused",                       /* 61 ECONNREFUSED */
    "Too many levels of symbolic links",        /* 62 ELOOP */
    "File name too long",                       /* 63 ENAMETOOLONG */
    "Host is down",                             /* 64 EHOSTDOWN */
    "No route to host",                         /* 65 EHOSTUNREACH */
    "Directory not empty",                      /* 66 ENOTEMPTY */
    "Too many processes",                       /* 67 EPROCLIM */
    "Too many users",                           /* 68 EUSERS */
    "Disc quota exceeded",                      /* 69 EDQUOT */
    "Stale NFS file handle",                    /* 70 ESTALE */
    "Too many levels of remote in path",        /* 71 EREMOTE */
    "RPC struct is bad",                        /* 72 EBADRPC */
    "RPC version wrong",                        /* 73 ERPCMISMATCH */
    "RPC prog. not avail",                      /* 74 EPROGUNAVAIL */
    "Program version wrong",                    /* 75 EPROGMISMATCH */
    "Bad procedure for program",                /* 76 EPROCUNAVAIL */
    "No locks available",                       /* 77 ENOLCK */
    "Function not implemented",                 /* 78 ENOSYS */
    "Inappropriate file type or format",        /* 79 EFTYPE */
    "Authentication error",                     /* 80 EAUTH */
    "Need authenticator",                       /* 81 ENEEDAUTH */
    "Identifier removed",                       /* 82 EIDRM */
    "No message of desired type",               /* 83 ENOMSG */
    "Value too large to be stored in data type", /* 84 EOVERFLOW */
    "Operation canceled",                       /* 85 ECANCELED */
    "Illegal byte sequence",                    /* 86 EILSEQ */
    "Attribute not found",                      /* 87 ENOATTR */
    "Programming error",                        /* 88 EDOOFUS */
    "Bad message",                              /* 89 EBADMSG */
    "Multihop attempted",                       /* 90 EMULTIHOP */
    "Link has been severed",                    /* 91 ENOLINK */
    "Protocol error",                           /* 92 EPROTO */
    "Capabilities insufficient",                /* 93 ENOTCAPABLE */
    "Not permitted in capability mode",         /* 94 ECAPMODE */
    "State not recoverable",                    /* 95 ENOTRECOVERABLE */
    "Previous owner died",                      /* 96 EOWNERDEAD */
    "Integrity check failed",                   /* 97 EINTEGRITY */
};
#define NERR ((int)(sizeof errlist / sizeof errlist[0]))

static const char *const siglist[] = {
    "Signal 0",                 "Hangup",                   "Interrupt",
    "Quit",                     "Illegal instruction",      "Trace/BPT trap",
    "Abort trap",               "EMT trap",                 "Floating point exception",
    "Killed",                   "Bus error",                "Segmentation fault",
    "Bad system call",          "Broken pipe",              "Alarm clock",
    "Terminated",               "Urgent I/O condition",     "Suspended (signal)",
    "Suspended",                "Continued",                "Child exited",
    "Stopped (tty input)",      "Stopped (tty output)",     "I/O possible",
    "Cputime limit exceeded",   "Filesize limit exceeded",  "Virtual timer expired",
    "Profiling timer expired",  "Window size changes",      "Information request",
    "User defined signal 1",    "User defined signal 2",
};
#define NSIGNAMES ((int)(sizeof siglist / sizeof siglist[0]))

/* "prefix" followed by n in decimal, into buf (which has room for both). */
static char *unknown(char *buf, size_t size, const char *prefix, int n)
{
    size_t len = strlcpy(buf, prefix, size);
    char digits[16];
    int i = 0;
    unsigned int u = n < 0 ? 0u - (unsigned int)n : (unsigned int)n;
    do
        digits[i++] = '0' + u % 10;
    while ((u /= 10));
    if (n < 0 && len + 1 < size)
        buf[len++] = '-';
    while (i && len + 1 < size)
        buf[len++] = digits[--i];
    buf[len < size ? len : size - 1] = '\0';
    return buf;
}

int strerror_r(int errnum, char *buf, size_t buflen)
{
    if (errnum >= 0 && errnum < NERR) {
        return strlcpy(buf, errlist[errnum], buflen) < buflen ? 0 : ERANGE;
    }
    unknown(buf, buflen, "Unknown error: ", errnum);
    return EINVAL;
}

char *strerror(int errnum)
{
    static char buf[48];
    if (errnum >= 0 && errnum < NERR)
        return (char *)errlist[errnum];
    return unknown(buf, sizeof buf, "Unknown error: ", errnum);
}

char *strsignal(int sig)
{
    static char buf[48];
    if (sig >= 0 && sig < NSIGNAMES)
        return (char *)siglist[sig];
    return unknown(buf, sizeof buf, "Unknown signal: ", sig);
}
