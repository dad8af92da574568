/* pthread_exit in main ends main only: the other threads go on, and the last one ends the process (status 0). */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn;                        /* threads print in order: 0, 1, 2 */
static pthread_t main_thread;

static void *worker(void *arg)
{
    int me = (int)(intptr_t)arg;
    if (me == 0) {
        void *ret;
        int r = pthread_join(main_thread, &ret);     /* main's pthread_exit value */
        printf("worker 0: joined main: %d, value %ld\n", r, (long)(intptr_t)ret);
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);            /* main is long gone by now */
    pthread_mutex_lock(&lock);
    while (turn != me)
        pthread_cond_wait(&cond, &lock);
    printf("worker %d: still running after main's pthread_exit\n", me);
    turn++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void bye(void)
{
    printf("atexit handler: the process exits normally\n");
}

int main(void)
{
    atexit(bye);
    main_thread = pthread_self();
    pthread_t t;
    for (int i = 0; i < 3; i++)
        pthread_create(&t, NULL, worker, (void *)(intptr_t)i);
    printf("main: calling pthread_exit\n");
    pthread_exit((void *)42);
}
