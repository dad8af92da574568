/* limits.h: sizes of the integer types (LP64) and of the system's limits (FreeBSD's values). */
#ifndef _LIMITS_H_
#define _LIMITS_H_

#define CHAR_BIT        8
#define SCHAR_MIN       (-128)
#define SCHAR_MAX       127
#define UCHAR_MAX       255
/* char is unsigned on RISC-V (the compiler defines __CHAR_UNSIGNED__), signed on x86. */
#define CHAR_MIN        SCHAR_MIN
#define CHAR_MAX        SCHAR_MAX
#ifdef __CHAR_UNSIGNED__
#undef CHAR_MIN
#undef CHAR_MAX
#define CHAR_MIN        0
#define CHAR_MAX        UCHAR_MAX
#endif
#define SHRT_MIN        (-32768)
#define SHRT_MAX        32767
#define USHRT_MAX       65535
#define INT_MIN         (-0x7fffffff - 1)
#define INT_MAX         0x7fffffff
#define UINT_MAX        0xffffffffU
#define LONG_MIN        (-0x7fffffffffffffffL - 1)
#define LONG_MAX        0x7fffffffffffffffL
#define ULONG_MAX       0xffffffffffffffffUL
#define LLONG_MIN       (-0x7fffffffffffffffLL - 1)
#define LLONG_MAX       0x7fffffffffffffffLL
#define ULLONG_MAX      0xffffffffffffffffULL
#define SSIZE_MAX       LONG_MAX

#define PATH_MAX        1024            /* bytes in a path, with its NUL */
#define NAME_MAX        255             /* bytes in a file name */
#define ARG_MAX         (256 * 1024)    /* bytes of argv and envp for execve */
#define OPEN_MAX        64
#define PIPE_BUF        512             /* writes up to this size are atomic */
#define NGROUPS_MAX     1023
#define CHILD_MAX       40
#define IOV_MAX         1024

#endif /* !_LIMITS_H_ */
