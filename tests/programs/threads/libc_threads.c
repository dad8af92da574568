/* libc from several threads: stdio lines stay whole, malloc stays consistent, pthread_once runs once,
 * detached threads and a small stack size work. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define LINES 200

static FILE *out;

static void *writer(void *arg)
{
    long me = (long)arg;
    for (int i = 0; i < LINES; i++)
        fprintf(out, "thread %ld line %d %s\n", me, i, "................................................");
    return NULL;
}

static void *allocator(void *arg)
{
    long me = (long)arg, bad = 0;
    for (int i = 0; i < 300; i++) {
        size_t n = 16 + (size_t)(i * 37 + me * 11) % 500;
        unsigned char *p = malloc(n);
        memset(p, (int)me, n);
        for (size_t j = 0; j < n; j++)
            bad += p[j] != (unsigned char)me;
        free(p);
    }
    return (void *)bad;
}

static int init_runs;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init(void) { init_runs++; }
static void *oncer(void *arg) { pthread_once(&once, init); return arg; }

static volatile int detached_ran;
static void *detached(void *arg) { (void)arg; __atomic_add_fetch(&detached_ran, 1, __ATOMIC_SEQ_CST); return NULL; }

int main(void)
{
    pthread_t t[THREADS];
    out = fopen("lines.txt", "w");
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, writer, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    fclose(out);

    FILE *in = fopen("lines.txt", "r");
    char line[256];
    int per_thread[THREADS] = {0}, next[THREADS] = {0}, whole = 0, in_order = 1;
    while (fgets(line, sizeof line, in)) {
        long who;
        int n;
        char dots[100];
        if (sscanf(line, "thread %ld line %d %99s", &who, &n, dots) == 3 && who >= 0 && who < THREADS
                && strlen(dots) == 48 && line[strlen(line) - 1] == '\n') {
            whole++;
            per_thread[who]++;
            in_order &= n == next[who]++;
        }
    }
    fclose(in);
    printf("whole lines: %d of %d; each thread's in its order: %d\n", whole, THREADS * LINES, in_order);
    for (int i = 0; i < THREADS; i++)
        printf("thread %d: %d lines\n", i, per_thread[i]);

    long bad = 0;
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, allocator, (void *)(i + 1));
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    printf("malloc from %d threads: %ld bad bytes\n", THREADS, bad);

    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, oncer, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("pthread_once: init ran %d time(s)\n", init_runs);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 3; i++) {
        pthread_t d;
        pthread_create(&d, &attr, detached, NULL);
    }
    pthread_attr_destroy(&attr);
    pthread_t j;
    pthread_create(&j, NULL, detached, NULL);
    printf("pthread_detach: %d\n", pthread_detach(j));
    while (__atomic_load_n(&detached_ran, __ATOMIC_SEQ_CST) < 4)
        usleep(1000);
    printf("detached threads ran: %d\n", detached_ran);
    return 0;
}
