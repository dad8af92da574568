/* systime: a program that lives in the kernel. It reads 3,000 x 64 KiB of
 * /dev/zero and calls getppid() 20,000 times, then prints whether the system
 * time getrusage() reports is above zero and above the user time.
 * On Linux (and FreeBSD) both answers are yes: the kernel's work is most of
 * this program's CPU time. Times themselves differ by machine; the answers
 * do not. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static char buf[64 * 1024];

int main(void) {
    int fd = open("/dev/zero", O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    long total = 0;
    for (int i = 0; i < 3000; i++) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n != (ssize_t)sizeof buf) { perror("read"); return 1; }
        total += n;
    }
    long sum = 0;
    for (int i = 0; i < 20000; i++)
        sum += getppid();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long utime = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec;
    long stime = ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
    printf("read %ld bytes, %d getppid calls\n", total, 20000);
    printf("system time > 0: %s\n", stime > 0 ? "yes" : "no");
    printf("system time > user time: %s\n", stime > utime ? "yes" : "no");
    (void)sum;
    return 0;
}
