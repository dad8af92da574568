/* fork in a threaded process: the child has one thread, a copy of the caller. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile long ticks;             /* the worker counts, in the parent only */
static volatile int stop;

static void *worker(void *arg)
{
    (void)arg;
    while (!stop) {
        ticks++;
        struct timespec t = {0, 1000 * 1000};
        nanosleep(&t, NULL);
    }
    return NULL;
}

static void pause_ms(int ms)
{
    struct timespec t = {0, ms * 1000L * 1000};
    nanosleep(&t, NULL);
}

static void *forker(void *arg)
{
    (void)arg;
    pthread_t me = pthread_self();
    fflush(stdout);                     /* or the child would print the buffer again */
    pid_t pid = fork();
    if (pid == 0) {
        printf("child of a worker: pthread_self unchanged: %d\n", pthread_equal(me, pthread_self()));
        exit(7);
    }
    int status;
    waitpid(pid, &status, 0);
    return (void *)(long)WEXITSTATUS(status);
}

static void *helper(void *arg)
{
    return (void *)((long)arg * 2);
}

int main(void)
{
    pthread_t w;
    pthread_create(&w, NULL, worker, NULL);
    pause_ms(20);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        long before = ticks;
        pause_ms(30);
        printf("child: the worker did not come along: %d\n", ticks == before);
        pthread_t h;
        void *r;
        pthread_create(&h, NULL, helper, (void *)21);   /* the child may make threads of its own */
        pthread_join(h, &r);
        printf("child: its own thread returned %ld\n", (long)r);
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    long before = ticks;
    pause_ms(30);
    printf("parent: child exited %d; the worker still runs here: %d\n", WEXITSTATUS(status), ticks > before);

    pthread_t f;
    void *code;
    pthread_create(&f, NULL, forker, NULL);
    pthread_join(f, &code);
    printf("parent: the child of a worker exited %ld\n", (long)code);
    stop = 1;
    pthread_join(w, NULL);
    return 0;
}
