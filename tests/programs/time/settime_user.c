/* run as: 1000:1000
 * Only root may set the clock: an ordinary user gets EPERM and the clock is unchanged. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
    int r;
    struct timespec before, after, t = {2000000000, 0};
    struct timeval tv = {2000000000, 0};
    clock_gettime(CLOCK_REALTIME, &before);
    errno = 0;
    r = clock_settime(CLOCK_REALTIME, &t);
    printf("clock_settime: %d %s\n", r, strerror(errno));
    errno = 0;
    r = settimeofday(&tv, NULL);
    printf("settimeofday: %d %s\n", r, strerror(errno));
    clock_gettime(CLOCK_REALTIME, &after);
    printf("clock moved by less than a second: %s\n", after.tv_sec - before.tv_sec <= 1 ? "yes" : "no");
    return 0;
}
