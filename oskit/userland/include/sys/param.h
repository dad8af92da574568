/* sys/param.h: machine parameters (RISC-V Sv39 pages) and small helper macros, as on FreeBSD. */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#include <sys/types.h>
#include <limits.h>

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1 << PAGE_SHIFT)       /* 4096: one Sv39 page */
#define PAGE_MASK       (PAGE_SIZE - 1)
#define MAXPATHLEN      PATH_MAX
#define MAXHOSTNAMELEN  256
#define NBBY            8                       /* bits per byte */

#define howmany(x, y)   (((x) + ((y) - 1)) / (y))
#define roundup(x, y)   ((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y) (((x) / (y)) * (y))
#define nitems(a)       (sizeof(a) / sizeof((a)[0]))
#ifndef MIN
#define MIN(a, b)       (((a) < (b)) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b)       (((a) > (b)) ? (a) : (b))
#endif

#endif /* !_SYS_PARAM_H_ */
