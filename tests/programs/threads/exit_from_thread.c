/* exit() in any thread ends the whole process, every other thread included. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile long spins;

static void *spinner(void *arg)
{
    (void)arg;
    for (;;)
        spins++;                        /* runs until the process ends */
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec t = {1, 0};
        nanosleep(&t, NULL);
        printf("sleeper: never printed\n");
    }
    return NULL;
}

static void *quitter(void *arg)
{
    (void)arg;
    struct timespec t = {0, 30 * 1000 * 1000};
    nanosleep(&t, NULL);
    printf("quitter: calling exit(3)\n");
    exit(3);
}

int main(void)
{
    pthread_t a, b, c;
    pthread_create(&a, NULL, spinner, NULL);
    pthread_create(&b, NULL, sleeper, NULL);
    pthread_create(&c, NULL, quitter, NULL);
    printf("main: waiting for the spinner, which never ends\n");
    fflush(stdout);
    pthread_join(a, NULL);
    printf("main: never printed\n");
    return 0;
}
