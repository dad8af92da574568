/* execve from a threaded process: the other threads end, the new program starts with one thread. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
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

static void *execer(void *arg)
{
    char **argv = arg;
    struct timespec t = {0, 10 * 1000 * 1000};
    nanosleep(&t, NULL);
    printf("a worker calls execve\n");
    fflush(stdout);
    char *args[] = {argv[0], "again", NULL};
    execv(argv[0], args);
    printf("execve failed\n");
    return NULL;
}

static void *helper(void *arg)
{
    return arg;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "again") == 0) {
        pthread_t t;
        void *r;
        pthread_create(&t, NULL, helper, (void *)5);
        pthread_join(t, &r);
        printf("the new image runs, its own thread returned %ld\n", (long)r);
        return 0;
    }
    pthread_t a, b, c;
    pthread_create(&a, NULL, spinner, NULL);
    pthread_create(&b, NULL, spinner, NULL);
    pthread_create(&c, NULL, execer, argv);
    pthread_join(a, NULL);
    printf("main: never printed\n");
    return 1;
}
