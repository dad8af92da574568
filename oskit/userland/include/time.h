/* time.h: time in seconds and nanoseconds; clocks with FreeBSD's ids. */
#ifndef _TIME_H_
#define _TIME_H_

#include <sys/types.h>

struct timespec {                       /* 16 bytes */
    time_t  tv_sec;                     /* 0: seconds */
    long    tv_nsec;                    /* 8: nanoseconds, 0 .. 999999999 */
};

#define CLOCK_REALTIME          0       /* wall-clock time, since 1970 */
#define CLOCK_VIRTUAL           1
#define CLOCK_PROF              2
#define CLOCK_MONOTONIC         4       /* time since boot; never goes back */
#define CLOCK_UPTIME            5
#define CLOCK_UPTIME_PRECISE    7
#define CLOCK_UPTIME_FAST       8
#define CLOCK_REALTIME_PRECISE  9
#define CLOCK_REALTIME_FAST     10
#define CLOCK_MONOTONIC_PRECISE 11
#define CLOCK_MONOTONIC_FAST    12
#define CLOCK_SECOND            13
#define CLOCK_THREAD_CPUTIME_ID 14
#define CLOCK_PROCESS_CPUTIME_ID 15

typedef int32_t clock_t;
#define CLOCKS_PER_SEC          128     /* FreeBSD's unit for clock() */

int     nanosleep(const struct timespec *rqtp, struct timespec *rmtp);
int     clock_gettime(clockid_t clock_id, struct timespec *tp);
int     clock_settime(clockid_t clock_id, const struct timespec *tp);   /* CLOCK_REALTIME, root only */
time_t  time(time_t *tloc);
clock_t clock(void);                    /* processor time used, in CLOCKS_PER_SEC */

#endif /* !_TIME_H_ */
