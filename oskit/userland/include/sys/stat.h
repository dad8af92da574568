/*
 * sys/stat.h: file status, FreeBSD's struct stat for 64-bit targets
 * (224 bytes; the kernel fills it for fstat and fstatat):
 *
 *   0 st_dev  8 st_ino  16 st_nlink  24 st_mode(16 bits)  26 st_bsdflags
 *  28 st_uid  32 st_gid  36 padding  40 st_rdev  48 st_atim  64 st_mtim
 *  80 st_ctim  96 st_birthtim  112 st_size  120 st_blocks  128 st_blksize
 * 132 st_flags  136 st_gen  144 st_filerev  152 st_spare[9]
 */
#ifndef _SYS_STAT_H_
#define _SYS_STAT_H_

#include <sys/types.h>
#include <time.h>

struct stat {
    dev_t     st_dev;           /* device holding the file */
    ino_t     st_ino;           /* inode number */
    nlink_t   st_nlink;         /* hard links */
    mode_t    st_mode;          /* type (S_IFMT) and permissions */
    int16_t   st_bsdflags;
    uid_t     st_uid;           /* owner */
    gid_t     st_gid;           /* group */
    int32_t   st_padding1;
    dev_t     st_rdev;          /* the device, for a device special file */
    struct timespec st_atim;    /* last access */
    struct timespec st_mtim;    /* last modification */
    struct timespec st_ctim;    /* last status change */
    struct timespec st_birthtim;
    off_t     st_size;          /* bytes */
    blkcnt_t  st_blocks;        /* 512-byte blocks allocated */
    blksize_t st_blksize;       /* best I/O size */
    fflags_t  st_flags;
    uint64_t  st_gen;
    uint64_t  st_filerev;
    uint64_t  st_spare[9];
};
#define st_atime        st_atim.tv_sec
#define st_mtime        st_mtim.tv_sec
#define st_ctime        st_ctim.tv_sec

#define S_IFMT          0170000         /* type of file */
#define S_IFIFO         0010000         /* named pipe (fifo) */
#define S_IFCHR         0020000         /* character special */
#define S_IFDIR         0040000         /* directory */
#define S_IFBLK         0060000         /* block special */
#define S_IFREG         0100000         /* regular */
#define S_IFLNK         0120000         /* symbolic link */
#define S_IFSOCK        0140000         /* socket */
#define S_IFWHT         0160000         /* whiteout */
#define S_ISUID         0004000         /* set user id on execution */
#define S_ISGID         0002000         /* set group id on execution */
#define S_ISVTX         0001000         /* sticky bit */
#define S_IRWXU         0000700
#define S_IRUSR         0000400
#define S_IWUSR         0000200
#define S_IXUSR         0000100
#define S_IRWXG         0000070
#define S_IRGRP         0000040
#define S_IWGRP         0000020
#define S_IXGRP         0000010
#define S_IRWXO         0000007
#define S_IROTH         0000004
#define S_IWOTH         0000002
#define S_IXOTH         0000001

#define S_ISDIR(m)      (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)      (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)      (((m) & S_IFMT) == S_IFBLK)
#define S_ISREG(m)      (((m) & S_IFMT) == S_IFREG)
#define S_ISFIFO(m)     (((m) & S_IFMT) == S_IFIFO)
#define S_ISLNK(m)      (((m) & S_IFMT) == S_IFLNK)
#define S_ISSOCK(m)     (((m) & S_IFMT) == S_IFSOCK)

int     stat(const char *restrict path, struct stat *restrict sb);
int     lstat(const char *restrict path, struct stat *restrict sb);
int     fstat(int fd, struct stat *sb);
int     fstatat(int fd, const char *path, struct stat *sb, int flag);
int     chmod(const char *path, mode_t mode);
int     mkdir(const char *path, mode_t mode);
mode_t  umask(mode_t mask);

#endif /* !_SYS_STAT_H_ */
