/* sys/time.h: microsecond time (gettimeofday), on top of time.h. */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>
#include <time.h>

struct timeval {                        /* 16 bytes */
    time_t      tv_sec;                 /* 0: seconds */
    suseconds_t tv_usec;                /* 8: microseconds */
};

struct timezone {
    int tz_minuteswest;
    int tz_dsttime;
};

int gettimeofday(struct timeval *tp, struct timezone *tzp);   /* reads the shared page */
int settimeofday(const struct timeval *tv, const struct timezone *tzp);   /* root only */

/* Interval timers. Only ITIMER_REAL (SIGALRM in wall-clock time) is implemented. */
#define ITIMER_REAL     0
#define ITIMER_VIRTUAL  1
#define ITIMER_PROF     2

struct itimerval {                      /* 32 bytes */
    struct timeval it_interval;         /* 0: reload value after each expiry (0: one shot) */
    struct timeval it_value;            /* 16: time to the next expiry (0: disarmed) */
};

int setitimer(int which, const struct itimerval *itv, struct itimerval *oitv);
int getitimer(int which, struct itimerval *itv);

#endif /* !_SYS_TIME_H_ */
