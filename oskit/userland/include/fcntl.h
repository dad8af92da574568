/* fcntl.h: open flags and descriptor control, FreeBSD's values. */
#ifndef _FCNTL_H_
#define _FCNTL_H_

#include <sys/types.h>

#define O_RDONLY        0x0000          /* open for reading only */
#define O_WRONLY        0x0001          /* open for writing only */
#define O_RDWR          0x0002          /* open for reading and writing */
#define O_ACCMODE       0x0003          /* mask for the three above */
#define O_NONBLOCK      0x0004          /* no delay */
#define O_APPEND        0x0008          /* every write goes to the end */
#define O_SHLOCK        0x0010
#define O_EXLOCK        0x0020
#define O_ASYNC         0x0040
#define O_FSYNC         0x0080
#define O_SYNC          0x0080
#define O_NOFOLLOW      0x0100          /* do not follow a final symlink */
#define O_CREAT         0x0200          /* create if it does not exist */
#define O_TRUNC         0x0400          /* truncate to zero length */
#define O_EXCL          0x0800          /* error if O_CREAT and it exists */
#define O_NOCTTY        0x8000
#define O_DIRECT        0x00010000
#define O_DIRECTORY     0x00020000      /* fail unless a directory */
#define O_EXEC          0x00040000
#define O_TTY_INIT      0x00080000
#define O_CLOEXEC       0x00100000      /* close on execve */
#define O_VERIFY        0x00200000
#define O_PATH          0x00400000
#define O_RESOLVE_BENEATH 0x00800000
#define O_DSYNC         0x01000000
#define O_EMPTY_PATH    0x02000000

#define AT_FDCWD        -100            /* *at(): relative to the working directory */
#define AT_EACCESS      0x0100
#define AT_SYMLINK_NOFOLLOW 0x0200
#define AT_SYMLINK_FOLLOW 0x0400
#define AT_REMOVEDIR    0x0800

#define F_DUPFD         0               /* lowest free descriptor >= arg */
#define F_GETFD         1               /* descriptor flags (FD_CLOEXEC) */
#define F_SETFD         2
#define F_GETFL         3               /* file status flags (O_*) */
#define F_SETFL         4
#define F_GETOWN        5
#define F_SETOWN        6
#define F_GETLK         11
#define F_SETLK         12
#define F_SETLKW        13
#define F_DUPFD_CLOEXEC 17
#define FD_CLOEXEC      1

int open(const char *path, int flags, ...);     /* mode_t mode when O_CREAT */
int openat(int fd, const char *path, int flags, ...);
int creat(const char *path, mode_t mode);
int fcntl(int fd, int cmd, ...);

#endif /* !_FCNTL_H_ */
