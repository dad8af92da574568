/* The clock read through the shared page: monotonic never goes back,
 * gettimeofday and clock_gettime(CLOCK_REALTIME) agree, errors as on Linux. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
    int r;
    struct timespec a, b, rt;
    struct timeval tv;
    int back = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 2000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec))
            back++;
        a = b;
    }
    printf("monotonic went back: %d times\n", back);
    printf("nsec in range: %s\n", a.tv_nsec >= 0 && a.tv_nsec < 1000000000 ? "yes" : "no");

    clock_gettime(CLOCK_REALTIME, &rt);
    gettimeofday(&tv, NULL);
    long long d_us = (tv.tv_sec - rt.tv_sec) * 1000000LL + tv.tv_usec - rt.tv_nsec / 1000;
    printf("gettimeofday - clock_gettime: %s\n", d_us >= 0 && d_us < 1000000 ? "0 <= d < 1 s" : "off");
    printf("realtime after 2020: %s\n", rt.tv_sec > 1577836800 ? "yes" : "no");

    /* Setting the clock: the argument checks come before the privilege check. */
    struct timespec bad = {1, 1000000000};
    errno = 0;
    r = clock_settime(CLOCK_REALTIME, &bad);
    printf("clock_settime(CLOCK_REALTIME, nsec=1e9): %d %s\n", r, strerror(errno));
    struct timespec ok = {1, 0};
    errno = 0;
    r = clock_settime(CLOCK_MONOTONIC, &ok);
    printf("clock_settime(CLOCK_MONOTONIC): %d %s\n", r, strerror(errno));
    struct timeval badtv = {1, 1000000};
    errno = 0;
    r = settimeofday(&badtv, NULL);
    printf("settimeofday(usec=1e6): %d %s\n", r, strerror(errno));
    return 0;
}
