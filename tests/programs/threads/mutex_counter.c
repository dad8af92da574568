/* A mutex makes 4 threads x 10,000 increments add up; without it, updates may be lost.
 *
 * With "-v" the program also prints the total it got without the mutex: that
 * number depends on how the threads interleave, so the golden output only says
 * it is at most 40000 (tests/kernel/test_threads.py looks at it on two harts). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long locked_total;
static volatile long unlocked_total;

static void *with_mutex(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        locked_total++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void *without_mutex(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++)
        unlocked_total = unlocked_total + 1;    /* load, add, store: another thread may come between */
    return NULL;
}

static void run(void *(*fn)(void *))
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, fn, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
}

int main(int argc, char **argv)
{
    run(with_mutex);
    printf("with the mutex: %ld (expected %d)\n", locked_total, THREADS * ROUNDS);
    pthread_mutex_t m;
    pthread_mutex_init(&m, NULL);
    int first = pthread_mutex_trylock(&m);
    int second = pthread_mutex_trylock(&m);
    printf("trylock free: %d, trylock held: %s\n", first, second ? "EBUSY" : "0");
    printf("destroy held: %s\n", pthread_mutex_destroy(&m) ? "EBUSY" : "0");
    pthread_mutex_unlock(&m);
    printf("destroy free: %d\n", pthread_mutex_destroy(&m));
    run(without_mutex);
    printf("without the mutex: at most %d: %d\n", THREADS * ROUNDS, unlocked_total <= THREADS * ROUNDS);
    if (argc > 1 && strcmp(argv[1], "-v") == 0)
        printf("without the mutex: %ld\n", unlocked_total);
    return 0;
}
