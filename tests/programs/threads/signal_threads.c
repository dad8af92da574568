/* Signals and threads: kill() to the process is taken by a thread that does not block it;
 * pthread_kill() reaches exactly the thread named; each thread has its own mask. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_t worker_thread, main_thread;
static volatile int took_in_worker, took_in_main, took_other;
static volatile int stop;

static void on_signal(int sig)
{
    (void)sig;
    pthread_t me = pthread_self();
    if (pthread_equal(me, worker_thread))
        took_in_worker++;
    else if (pthread_equal(me, main_thread))
        took_in_main++;
    else
        took_other++;
}

static void *worker(void *arg)
{
    (void)arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    while (!stop) {
        struct timespec t = {0, 1000 * 1000};
        nanosleep(&t, NULL);
    }
    return NULL;
}

static void pause_ms(int ms)
{
    struct timespec t = {0, ms * 1000L * 1000};
    while (nanosleep(&t, &t) != 0)
        ;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    main_thread = pthread_self();

    /* The worker starts with main's mask (SIGUSR1 blocked), then unblocks it. */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    pthread_create(&worker_thread, NULL, worker, NULL);
    pause_ms(10);
    for (int i = 0; i < 3; i++) {
        kill(getpid(), SIGUSR1);
        pause_ms(10);
    }
    printf("blocked in main, so the worker took them: worker %d, main %d\n", took_in_worker, took_in_main);
    sigset_t now;
    pthread_sigmask(SIG_SETMASK, NULL, &now);
    printf("main's mask still blocks SIGUSR1: %d\n", sigismember(&now, SIGUSR1));

    /* pthread_kill names the thread; main must unblock it to take its own. */
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    took_in_worker = took_in_main = 0;
    pthread_kill(worker_thread, SIGUSR1);
    pause_ms(10);
    pthread_kill(main_thread, SIGUSR1);
    pause_ms(10);
    printf("pthread_kill: worker %d, main %d, other %d\n", took_in_worker, took_in_main, took_other);
    stop = 1;
    pthread_join(worker_thread, NULL);
    printf("pthread_kill of signal 0 to a live thread: %d\n", pthread_kill(main_thread, 0));
    return 0;
}
