/* A big write to a pipe nobody reads fills the pipe and sleeps. A caught
 * signal then ends the write -- not with EINTR, since some bytes went
 * through: write returns that partial count, even under SA_RESTART, and the
 * reader gets exactly those bytes, none twice. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIG 200000

static char buf[BIG];
static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
    caught = sig;
}

static void round_trip(int restart)
{
    int data[2], report[2];
    pipe(data);
    pipe(report);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = restart ? SA_RESTART : 0;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR1, &sa, NULL);
        close(data[0]);
        close(report[0]);
        ssize_t n = write(data[1], buf, BIG);     /* fills the pipe, then sleeps */
        char line[64];
        int len = snprintf(line, sizeof line, "%zd %d", n, caught);
        write(report[1], line, len);
        _exit(0);
    }
    close(data[1]);
    close(report[1]);
    struct timespec ts = {0, 200 * 1000000L};
    nanosleep(&ts, NULL);                         /* let the writer fill the pipe and sleep */
    kill(pid, SIGUSR1);

    long total = 0;
    ssize_t n;
    static char in[BIG];
    while ((n = read(data[0], in, sizeof in)) > 0)
        total += n;
    char line[64] = {0};
    read(report[0], line, sizeof line - 1);
    long written;
    int sig;
    sscanf(line, "%ld %d", &written, &sig);
    waitpid(pid, NULL, 0);
    printf("%s: write returned a partial count: %d, handler ran: %d\n",
           restart ? "SA_RESTART" : "no SA_RESTART", written > 0 && written < BIG, sig == SIGUSR1);
    printf("  the reader got exactly that many bytes: %d\n", total == written);
    close(data[0]);
    close(report[0]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    round_trip(0);
    round_trip(1);
    return 0;
}
