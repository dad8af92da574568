/* nanosleep sleeps at least as long as asked, measured on CLOCK_MONOTONIC;
 * bad times are EINVAL; the real-time clock is after 2020. */
#include <stdio.h>
#include <time.h>
#include <sys/time.h>
#include "errname.h"

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
	struct timespec a, b, req = {0, 30 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &a);
	int r = nanosleep(&req, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long slept = ns(b) - ns(a);
	printf("nanosleep(30 ms) returned %d, slept at least 30 ms: %s, less than 1 s: %s\n", r,
	       slept >= 30000000 ? "yes" : "no", slept < 1000000000 ? "yes" : "no");

	struct timespec bad = {0, 1000000000};
	errno = 0;
	r = nanosleep(&bad, 0);
	printf("nanosleep(tv_nsec = 1e9): %d %s\n", r, errname(errno));
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	errno = 0;
	r = nanosleep(&bad, 0);
	printf("nanosleep(tv_sec = -1): %d %s\n", r, errname(errno));

	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	printf("CLOCK_REALTIME after 2020: %s\n", now.tv_sec > 1577836800 ? "yes" : "no");
	struct timeval tv;
	gettimeofday(&tv, 0);
	printf("gettimeofday agrees within a second: %s\n",
	       tv.tv_sec - now.tv_sec <= 1 && tv.tv_sec >= now.tv_sec ? "yes" : "no");
	errno = 0;
	r = clock_gettime((clockid_t)12345, &now);
	printf("clock_gettime(unknown clock): %d %s\n", r, errname(errno));
	return 0;
}
