/* A thread's SIGSEGV kills the whole process; its parent sees it in the wait status. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile long spins;

static void *spinner(void *arg)
{
    (void)arg;
    for (;;)
        spins++;
    return NULL;
}

static void *crasher(void *arg)
{
    (void)arg;
    struct timespec t = {0, 10 * 1000 * 1000};
    nanosleep(&t, NULL);
    volatile int *bad = (int *)8;
    return (void *)(long)*bad;          /* a load from an unmapped page */
}

static void child(int spin)
{
    pthread_t a, b;
    if (spin)
        pthread_create(&a, NULL, spinner, NULL);
    pthread_create(&b, NULL, crasher, NULL);
    pthread_join(b, NULL);
    printf("child: never printed\n");
    exit(0);
}

int main(void)
{
    for (int spin = 0; spin <= 1; spin++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
            child(spin);
        int status;
        waitpid(pid, &status, 0);
        printf("%s: signaled %d, by SIGSEGV %d\n", spin ? "with a spinning thread" : "main waiting in join",
               WIFSIGNALED(status), WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    }
    return 0;
}
