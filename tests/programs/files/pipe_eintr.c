/* A read sleeping on an empty pipe is ended by a caught signal: it fails
 * with EINTR, or, if the handler was installed with SA_RESTART, it goes
 * back to sleep and returns the data that comes later. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
    caught++;
    (void)sig;
}

static void nap(long ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void round_trip(int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);

    int fds[2];
    pipe(fds);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {             /* signal the parent while it waits, then write */
        close(fds[0]);
        nap(100);
        kill(parent, SIGUSR1);
        nap(100);
        write(fds[1], "late", 4);
        _exit(0);
    }
    close(fds[1]);
    char buf[8] = {0};
    caught = 0;
    SHOW(restart ? "read with SA_RESTART" : "read without SA_RESTART", read(fds[0], buf, sizeof buf - 1));
    printf("  handler ran: %d, data: \"%s\"\n", caught, buf);
    waitpid(pid, NULL, 0);
    close(fds[0]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    round_trip(0);
    round_trip(1);
    return 0;
}
