/* SIGEV_SIGNAL: the finished request posts a signal to the process. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig) { got = sig; }

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);

    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct aiocb w;
    memset(&w, 0, sizeof w);
    w.aio_fildes = fd;
    w.aio_buf = "signal me";
    w.aio_nbytes = 9;
    w.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
    w.aio_sigevent.sigev_signo = SIGUSR1;
    printf("aio_write: %d\n", aio_write(&w));
    while (!got)
        sigsuspend(&old);                  /* sleep with SIGUSR1 let through */
    printf("caught signal %s\n", got == SIGUSR1 ? "SIGUSR1" : "?");
    printf("aio_error: %d, aio_return: %ld\n", aio_error(&w), (long)aio_return(&w));
    return 0;
}
