/* A bounded buffer with a mutex and two condition variables: one producer, two consumers. */
#include <pthread.h>
#include <stdio.h>

#define SLOTS 4
#define ITEMS 300

static int buf[SLOTS], head, count, done;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int max_seen;                    /* the fullest the buffer ever was */

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (count == SLOTS)
            pthread_cond_wait(&not_full, &lock);
        buf[(head + count) % SLOTS] = i;
        count++;
        if (count > max_seen)
            max_seen = count;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    done = 1;
    pthread_cond_broadcast(&not_empty);     /* wake every consumer to see the end */
    pthread_mutex_unlock(&lock);
    return NULL;
}

struct tally { long sum; int items; };

static void *consumer(void *arg)
{
    struct tally *t = arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (count == 0 && !done)
            pthread_cond_wait(&not_empty, &lock);
        if (count == 0 && done) {
            pthread_mutex_unlock(&lock);
            return NULL;
        }
        int v = buf[head];
        head = (head + 1) % SLOTS;
        count--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&lock);
        t->sum += v;
        t->items++;
    }
}

int main(void)
{
    pthread_t p, c1, c2;
    struct tally t1 = {0, 0}, t2 = {0, 0};
    pthread_create(&c1, NULL, consumer, &t1);
    pthread_create(&c2, NULL, consumer, &t2);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c1, NULL);
    pthread_join(c2, NULL);
    printf("items consumed: %d (expected %d)\n", t1.items + t2.items, ITEMS);
    printf("sum: %ld (expected %d)\n", t1.sum + t2.sum, ITEMS * (ITEMS + 1) / 2);
    printf("buffer never overfilled: %d\n", max_seen <= SLOTS);
    return 0;
}
