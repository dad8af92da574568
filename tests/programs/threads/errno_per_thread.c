/* errno is per thread: two threads fail different calls at the same time, each sees its own. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int failed;                      /* how many threads have failed their call */

/* Wait until both threads have failed, so neither reads errno before the other's call. */
static void both_failed(void)
{
    pthread_mutex_lock(&lock);
    failed++;
    pthread_cond_broadcast(&cond);
    while (failed < 2)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
}

static void *open_missing(void *arg)
{
    int *seen = arg;
    int fd = open("/no/such/file", O_RDONLY);
    int e = errno;
    both_failed();
    seen[0] = fd;
    seen[1] = errno;                    /* still ours after the other thread's failure */
    seen[2] = e;
    return NULL;
}

static void *close_bad(void *arg)
{
    int *seen = arg;
    int r = close(-1);
    int e = errno;
    both_failed();
    seen[0] = r;
    seen[1] = errno;
    seen[2] = e;
    return NULL;
}

int main(void)
{
    int a[3], b[3];
    pthread_t ta, tb;
    errno = 0;
    pthread_create(&ta, NULL, open_missing, a);
    pthread_create(&tb, NULL, close_bad, b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    printf("open: returned %d, errno %s, unchanged after the other failed: %d\n",
           a[0], strerror(a[1]), a[1] == a[2]);
    printf("close: returned %d, errno %s, unchanged after the other failed: %d\n",
           b[0], strerror(b[1]), b[1] == b[2]);
    printf("main's errno untouched: %d\n", errno == 0);
    return 0;
}
