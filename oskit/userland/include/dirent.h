/*
 * dirent.h: reading directories. getdirentries fills a buffer with FreeBSD's
 * records (each d_reclen bytes, 8-aligned):
 *
 *   0 d_fileno  8 d_off  16 d_reclen  18 d_type  19 pad  20 d_namlen  22 pad  24 d_name
 */
#ifndef _DIRENT_H_
#define _DIRENT_H_

#include <sys/types.h>

struct dirent {
    ino_t    d_fileno;          /* inode number */
    off_t    d_off;             /* offset of the next entry */
    uint16_t d_reclen;          /* length of this record */
    uint8_t  d_type;            /* DT_* */
    uint8_t  d_pad0;
    uint16_t d_namlen;          /* strlen(d_name) */
    uint16_t d_pad1;
    char     d_name[256];       /* NUL-terminated */
};
#define d_ino   d_fileno

#define DT_UNKNOWN      0
#define DT_FIFO         1
#define DT_CHR          2
#define DT_DIR          4
#define DT_BLK          6
#define DT_REG          8
#define DT_LNK          10
#define DT_SOCK         12

typedef struct _dirdesc DIR;

DIR    *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int     closedir(DIR *dir);
int     dirfd(DIR *dir);
ssize_t getdirentries(int fd, char *buf, size_t nbytes, off_t *basep);

#endif /* !_DIRENT_H_ */
