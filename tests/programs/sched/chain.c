/* cpus: 0
 * chain.c: priority inheritance passes along a chain of waiters.
 *
 * t1 (SCHED_FIFO 10) holds A; t2 (12) holds B and waits for A; t3 (20) waits
 * for B. t3's priority reaches t1 through t2, so when medium (15) wakes it
 * cannot preempt t1: t1 finishes, t2 gets A and lets B go, t3 gets B, and
 * only then does medium compute. Both mutexes are PTHREAD_PRIO_INHERIT.
 * Linux: run as root on one CPU (`taskset -c 0`); see inversion.h for the helpers' ideas.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t a, b;

static long cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}
static void say(const char *what) { write(1, what, strlen(what)); }
static void burn(int ms)
{
    long end = cpu_us() + ms * 1000L;
    volatile unsigned sink = 0;
    while (cpu_us() < end)
        for (int i = 0; i < 1000; i++)
            sink += i;
}
static void nap(int ms) { struct timespec ts = { 0, ms * 1000000L }; nanosleep(&ts, NULL); }
static void be(int priority)
{
    struct sched_param sp = { .sched_priority = priority };
    int r = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    if (r != 0)
        printf("pthread_setschedparam: %s\n", strerror(r));
}

static void *t1(void *arg)
{
    be(10);
    pthread_mutex_lock(&a);
    say("t1: has A\n");
    burn(4);
    say("t1: unlocks A\n");
    pthread_mutex_unlock(&a);
    return arg;
}
static void *t2(void *arg)
{
    be(12);
    nap(1);
    pthread_mutex_lock(&b);
    say("t2: has B, wants A\n");
    pthread_mutex_lock(&a);
    say("t2: has A\n");
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return arg;
}
static void *t3(void *arg)
{
    be(20);
    nap(2);
    say("t3: wants B\n");
    pthread_mutex_lock(&b);
    say("t3: has B\n");
    pthread_mutex_unlock(&b);
    return arg;
}
static void *medium(void *arg)
{
    be(15);
    nap(3);
    say("medium: computes\n");
    burn(8);
    say("medium: done\n");
    return arg;
}

int main(void)
{
    pthread_mutexattr_t ma;
    pthread_t t[4];
    void *(*fn[4])(void *) = { t3, medium, t2, t1 };

    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&a, &ma);
    pthread_mutex_init(&b, &ma);
    be(30);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, fn[i], NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    say("all done\n");
    return 0;
}
