/*
 * sys/types.h: the basic system data types, with FreeBSD's sizes on riscv64
 * (LP64: int 32 bits, long and pointers 64 bits). The kernel decodes system
 * call arguments by these sizes (see syscalls.master).
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <stddef.h>             /* size_t, NULL (from the compiler) */
#include <stdint.h>

typedef unsigned char   u_char;
typedef unsigned short  u_short;
typedef unsigned int    u_int;
typedef unsigned long   u_long;
typedef char           *caddr_t;

typedef long            ssize_t;        /* a byte count or -1 */
typedef int64_t         off_t;          /* a file offset */
typedef int32_t         pid_t;
typedef uint32_t        uid_t;
typedef uint32_t        gid_t;
typedef uint16_t        mode_t;         /* file type and permission bits */
typedef uint64_t        dev_t;
typedef uint64_t        ino_t;
typedef uint64_t        nlink_t;
typedef int64_t         blkcnt_t;
typedef int32_t         blksize_t;
typedef uint32_t        fflags_t;
typedef int64_t         id_t;           /* a pid, uid or gid */
typedef int64_t         time_t;         /* seconds since 1970 */
typedef long            suseconds_t;    /* microseconds */
typedef uint32_t        useconds_t;
typedef int32_t         clockid_t;
typedef int64_t         rlim_t;

#endif /* !_SYS_TYPES_H_ */
