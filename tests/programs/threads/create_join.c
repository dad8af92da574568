/* Threads run in the same address space; pthread_join returns each thread's value. */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>

static int shared = 100;                /* one variable, seen by every thread */

static void *square(void *arg)
{
    long n = (long)(intptr_t)arg;
    if (n < 10)
        shared++;                       /* only the threads joined one at a time: no race */
    return (void *)(intptr_t)(n * n);
}

static void *whoami(void *arg)
{
    pthread_t *out = arg;
    *out = pthread_self();
    return (void *)(intptr_t)getpid();
}

int main(void)
{
    for (long i = 1; i <= 5; i++) {
        pthread_t t;
        void *ret;
        if (pthread_create(&t, NULL, square, (void *)(intptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
        int r = pthread_join(t, &ret);
        printf("thread %ld returned %ld (join %d), shared = %d\n", i, (long)(intptr_t)ret, r, shared);
    }

    /* Several at once, joined in reverse order. */
    pthread_t ts[8];
    for (long i = 0; i < 8; i++)
        pthread_create(&ts[i], NULL, square, (void *)(intptr_t)(i + 10));
    long sum = 0;
    for (int i = 7; i >= 0; i--) {
        void *ret;
        pthread_join(ts[i], &ret);
        sum += (long)(intptr_t)ret;
    }
    printf("sum of squares 10..17 = %ld, shared still %d\n", sum, shared);

    /* Same process, different thread. */
    pthread_t t, seen;
    void *pid;
    pthread_create(&t, NULL, whoami, &seen);
    pthread_join(t, &pid);
    printf("same pid in the thread: %d\n", (long)(intptr_t)pid == (long)getpid());
    printf("pthread_self in the thread equals its pthread_t: %d\n", pthread_equal(seen, t) != 0);
    printf("and differs from main's: %d\n", pthread_equal(seen, pthread_self()) == 0);
    printf("join of itself: %s\n", pthread_join(pthread_self(), NULL) != 0 ? "error" : "ok");
    return 0;
}
