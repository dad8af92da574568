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

int gettimeofday(struct timeval *tp, struct timezone *tzp);

#endif /* !_SYS_TIME_H_ */
