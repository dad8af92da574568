/*
 * inversion.h: a classic priority inversion, staged (included by inversion.c
 * and inheritance.c, which differ only in the mutex's protocol).
 *
 * Three threads at SCHED_FIFO priorities high 20 > medium 15 > low 10:
 *   low    takes the mutex, then computes for LOW_WORK ms of CPU time and unlocks;
 *   high   sleeps 1 ms, then wants the mutex: low has it, so high waits;
 *   medium sleeps 2 ms, then computes for MEDIUM_WORK ms; it never touches the mutex.
 * On one processor, once medium wakes it outranks low, so low, and high
 * behind it, wait until medium is done: high waits for a thread less urgent
 * than itself. With PTHREAD_PRIO_INHERIT, low runs at high's priority while
 * high waits, medium cannot preempt it, and high's wait is low's work alone.
 * On two processors medium runs beside low and nothing is inverted.
 *
 * The lines printed are the order things happened in; with an argument, the
 * program also prints high's wait in microseconds (not in .expected: it is a
 * time). Times are CPU time for work (CLOCK_THREAD_CPUTIME_ID), so a thread
 * that is preempted does not get its work done by the clock.
 * Linux: needs root (SCHED_FIFO); `taskset -c 0` for one processor.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOW_WORK    4           /* ms of CPU */
#define MEDIUM_WORK 8

static pthread_mutex_t lock;
static long high_wait_us;

static long now_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void say(const char *what)
{
    write(1, what, strlen(what));
}

/* Compute for ms milliseconds of this thread's CPU time. */
static void burn(int ms)
{
    long end = now_us(CLOCK_THREAD_CPUTIME_ID) + ms * 1000L;
    volatile unsigned sink = 0;
    while (now_us(CLOCK_THREAD_CPUTIME_ID) < end)
        for (int i = 0; i < 1000; i++)
            sink += i;
}

static void nap(int ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}

static void be(int priority)
{
    struct sched_param sp = { .sched_priority = priority };
    int r = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    if (r != 0)
        printf("pthread_setschedparam: %s\n", strerror(r));
}

static void *low(void *arg)
{
    (void)arg;
    be(10);
    pthread_mutex_lock(&lock);
    say("low: has the lock\n");
    burn(LOW_WORK);
    say("low: unlocks\n");
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *medium(void *arg)
{
    (void)arg;
    be(15);
    nap(2);
    say("medium: computes\n");
    burn(MEDIUM_WORK);
    say("medium: done\n");
    return NULL;
}

static void *high(void *arg)
{
    (void)arg;
    be(20);
    nap(1);
    say("high: wants the lock\n");
    long t0 = now_us(CLOCK_MONOTONIC);
    pthread_mutex_lock(&lock);
    high_wait_us = now_us(CLOCK_MONOTONIC) - t0;
    say("high: has the lock\n");
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_mutexattr_t ma;
    pthread_t h, m, l;
    int proto;
    (void)argv;

    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setprotocol(&ma, PROTOCOL);
    pthread_mutex_init(&lock, &ma);
    pthread_mutexattr_getprotocol(&ma, &proto);
    printf("protocol: %s\n", proto == PTHREAD_PRIO_INHERIT ? "PTHREAD_PRIO_INHERIT" : "PTHREAD_PRIO_NONE");
    fflush(stdout);
    be(30);                     /* above them all while it starts them */
    pthread_create(&h, NULL, high, NULL);
    pthread_create(&m, NULL, medium, NULL);
    pthread_create(&l, NULL, low, NULL);
    pthread_join(h, NULL);
    pthread_join(m, NULL);
    pthread_join(l, NULL);
    if (argc > 1)
        printf("high waited %ld us\n", high_wait_us);
    return 0;
}
