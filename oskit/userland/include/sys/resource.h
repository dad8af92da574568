/* sys/resource.h: resource usage and limits (FreeBSD's layouts and numbers). */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/types.h>
#include <sys/time.h>

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)            /* the waited-for children, summed */
#define RUSAGE_THREAD   1

struct rusage {                         /* 144 bytes */
    struct timeval ru_utime;            /*   0: user time used */
    struct timeval ru_stime;            /*  16: system time used */
    long    ru_maxrss;                  /*  32: max resident set size (KiB) */
    long    ru_ixrss;                   /*  40 */
    long    ru_idrss;                   /*  48 */
    long    ru_isrss;                   /*  56 */
    long    ru_minflt;                  /*  64: page faults served without I/O */
    long    ru_majflt;                  /*  72: page faults that needed I/O */
    long    ru_nswap;                   /*  80 */
    long    ru_inblock;                 /*  88 */
    long    ru_oublock;                 /*  96 */
    long    ru_msgsnd;                  /* 104 */
    long    ru_msgrcv;                  /* 112 */
    long    ru_nsignals;                /* 120: signals received */
    long    ru_nvcsw;                   /* 128: voluntary context switches */
    long    ru_nivcsw;                  /* 136: involuntary context switches */
};

#define RLIMIT_CPU      0               /* CPU time in seconds */
#define RLIMIT_FSIZE    1               /* largest file */
#define RLIMIT_DATA     2               /* data segment (the heap: brk) */
#define RLIMIT_STACK    3               /* stack */
#define RLIMIT_CORE     4
#define RLIMIT_RSS      5
#define RLIMIT_MEMLOCK  6
#define RLIMIT_NPROC    7               /* processes per user */
#define RLIMIT_NOFILE   8               /* open files */
#define RLIMIT_SBSIZE   9
#define RLIMIT_VMEM     10              /* address space */
#define RLIMIT_AS       RLIMIT_VMEM
#define RLIMIT_NPTS     11
#define RLIMIT_SWAP     12
#define RLIMIT_KQUEUES  13
#define RLIMIT_UMTXP    14
#define RLIM_NLIMITS    15

#define RLIM_INFINITY   ((rlim_t)(((uint64_t)1 << 63) - 1))

struct rlimit {                         /* 16 bytes */
    rlim_t  rlim_cur;                   /* 0: the current (soft) limit */
    rlim_t  rlim_max;                   /* 8: the hard limit */
};

int getrusage(int who, struct rusage *usage);
int getrlimit(int resource, struct rlimit *rlp);
int setrlimit(int resource, const struct rlimit *rlp);

#endif /* !_SYS_RESOURCE_H_ */
