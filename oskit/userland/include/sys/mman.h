/* sys/mman.h: mapping memory, FreeBSD's values. */
#ifndef _SYS_MMAN_H_
#define _SYS_MMAN_H_

#include <sys/types.h>

#define PROT_NONE       0x00            /* no access: any touch faults */
#define PROT_READ       0x01
#define PROT_WRITE      0x02
#define PROT_EXEC       0x04

#define MAP_SHARED      0x0001          /* writes are seen by every mapper (and the file) */
#define MAP_PRIVATE     0x0002          /* writes are private: copy on write */
#define MAP_FIXED       0x0010          /* exactly at addr, replacing what is there */
#define MAP_STACK       0x0400
#define MAP_NOSYNC      0x0800
#define MAP_FILE        0x0000
#define MAP_ANON        0x1000          /* zero-filled memory, no file (fd must be -1) */
#define MAP_ANONYMOUS   MAP_ANON
#define MAP_GUARD       0x2000
#define MAP_EXCL        0x4000
#define MAP_NOCORE      0x00020000
#define MAP_PREFAULT_READ 0x00040000
#define MAP_FAILED      ((void *)-1)

#define MS_SYNC         0x0000
#define MS_ASYNC        0x0001
#define MS_INVALIDATE   0x0002

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#define MADV_FREE       5
#define MADV_NOSYNC     6
#define MADV_AUTOSYNC   7
#define MADV_NOCORE     8
#define MADV_CORE       9
#define MADV_PROTECT    10

#define MINCORE_INCORE          0x1     /* the page is in memory */
#define MINCORE_REFERENCED      0x2
#define MINCORE_MODIFIED        0x4
#define MINCORE_REFERENCED_OTHER 0x8
#define MINCORE_MODIFIED_OTHER  0x10
#define MINCORE_SUPER           0x60

void   *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
int     munmap(void *addr, size_t len);
int     mprotect(void *addr, size_t len, int prot);
int     madvise(void *addr, size_t len, int advice);
int     mincore(const void *addr, size_t len, char *vec);
int     msync(void *addr, size_t len, int flags);

#endif /* !_SYS_MMAN_H_ */
