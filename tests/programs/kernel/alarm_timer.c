/* alarm() and setitimer(ITIMER_REAL): SIGALRM arrives after the time asked for,
 * interrupts a blocking call (EINTR), alarm returns what was left of the
 * previous alarm, alarm(0) cancels, and a repeating timer fires again and again. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) { (void)sig; alarms++; }

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;            /* no SA_RESTART: a blocked read gets EINTR */
    sigaction(SIGALRM, &sa, NULL);

    int fds[2];
    pipe(fds);                           /* nobody writes: read blocks until the alarm */
    alarm(1);
    char c;
    ssize_t n = read(fds[0], &c, 1);
    printf("read: %zd %s, alarms=%d\n", n, n < 0 && errno == EINTR ? "EINTR" : "?", (int)alarms);

    alarm(5);
    unsigned left = alarm(2);            /* replaces the 5 s alarm: 5 s were left */
    printf("alarm(2) after alarm(5): %u s were left\n", left);
    left = alarm(0);                     /* cancel: 2 s were left; no signal comes */
    printf("alarm(0): %u s were left\n", left);

    struct itimerval it = { { 0, 100000 }, { 0, 100000 } };  /* every 0.1 s */
    alarms = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    while (alarms < 3)
        pause();
    struct itimerval off = { { 0, 0 }, { 0, 0 } }, was;
    setitimer(ITIMER_REAL, &off, &was);
    printf("repeating timer fired %d times; interval was %ld us\n", (int)alarms, (long)was.it_interval.tv_usec);
    return 0;
}
