/*
 * pthread.c: creating, ending and joining threads (the kernel side is
 * oskit/kernel/kern/sys_thread.py; locks and condition variables: pthread_sync.c).
 *
 * pthread_create maps one region per thread and carves it up:
 *
 *      map                                                   map + map_size
 *      | guard page | stack (grows down)  <- sp | TLS block | struct __pthread |
 *        PROT_NONE                              ^ tp         ^ what pthread_t points at
 *
 * The TLS block is a fresh copy of the program's __thread image (as crt0
 * and start.c make the main thread's), so each thread has its own errno.
 * thr_new starts the thread in thread_start() with that stack and tp.
 *
 * Ending: pthread_exit stores the value, then thr_exit(&t->state): the
 * kernel stores 1 in the state word and wakes whoever sleeps on it, which
 * is how pthread_join waits (_umtx_op(WAIT) while the word is 0). Once the
 * word is 1 the thread is off its stack for good, so the joiner unmaps the
 * region. A detached thread's region is unmapped by a later pthread_create.
 * The last thread to call pthread_exit calls exit(0) instead (as FreeBSD's
 * libthr does), so stdio is flushed and atexit handlers run.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/rtprio.h>
#include <sys/thr.h>
#include <sys/umtx.h>
#include <unistd.h>

#include "libc_private.h"

struct __pthread {
    long tid;                   /* the kernel's thread id (thr_new stores it) */
    volatile long state;        /* 0 while it runs; thr_exit stores 1 and wakes the joiner */
    void *(*start)(void *);
    void *arg;
    void *retval;
    void *map;                  /* the region of stack, TLS and this struct (NULL: main thread) */
    size_t map_size;
    int detached;
    struct __pthread *next;     /* on the list of detached threads not yet unmapped */
};

extern char __tls_size[];       /* user.ld: the TLS block's size */
extern long __pagesize;         /* start.c, from the auxiliary vector */

static struct __pthread main_thread;
static __thread struct __pthread *self;        /* NULL in the main thread until asked */
static volatile int live_threads = 1;           /* threads that have not called pthread_exit */
static int threaded;                            /* set by the first pthread_create, for fork */
static struct __pthread *detached_list;         /* detached threads, unmapped once they end */
static struct __libc_lock list_lock = __LIBC_LOCK_INITIALIZER;

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

pthread_t pthread_self(void)
{
    if (self == NULL) {                 /* the main thread, the first time */
        thr_self(&main_thread.tid);
        self = &main_thread;
    }
    return self;
}

int pthread_equal(pthread_t t1, pthread_t t2)
{
    return t1 == t2;
}

long pthread_getthreadid_np(void)
{
    return pthread_self()->tid;
}

/* Unmap the detached threads that have ended (their state word is 1). */
static void reap_detached(void)
{
    __libc_lock(&list_lock);
    for (struct __pthread **link = &detached_list; *link;) {
        struct __pthread *t = *link;
        if (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE)) {
            *link = t->next;
            munmap(t->map, t->map_size);
        } else {
            link = &t->next;
        }
    }
    __libc_unlock(&list_lock);
}

/* Where every new thread starts (thr_new's start_func): a0 = its struct __pthread. */
static void thread_start(void *arg)
{
    struct __pthread *t = arg;
    self = t;
    pthread_exit(t->start(t->arg));
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                   void *(*start_routine)(void *), void *arg)
{
    size_t page = (size_t)__pagesize;
    size_t stack = attr && attr->stacksize ? attr->stacksize : PTHREAD_STACK_DEFAULT;
    size_t tls = round_up((size_t)__tls_size, 64);
    size_t tail = round_up(sizeof(struct __pthread), 64);
    size_t total = round_up(page + stack + tls + tail, page);
    int saved = errno;

    reap_detached();
    char *map = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (map == MAP_FAILED) {
        errno = saved;
        return EAGAIN;
    }
    mprotect(map, page, PROT_NONE);             /* the guard: running off the stack faults */
    struct __pthread *t = (struct __pthread *)(map + total - tail);
    char *tls_block = (char *)t - tls;
    memset(t, 0, sizeof *t);
    t->start = start_routine;
    t->arg = arg;
    t->map = map;
    t->map_size = total;
    t->detached = attr && attr->detachstate == PTHREAD_CREATE_DETACHED;
    __libc_init_tls(tls_block);

    struct thr_param param;
    memset(&param, 0, sizeof param);
    param.start_func = thread_start;
    param.arg = t;
    param.stack_base = map + page;
    param.stack_size = (size_t)(tls_block - (map + page));
    param.tls_base = tls_block;
    param.tls_size = tls;
    param.child_tid = &t->tid;
    param.parent_tid = &t->tid;

    threaded = 1;
    __atomic_add_fetch(&live_threads, 1, __ATOMIC_SEQ_CST);
    if (thr_new(&param, sizeof param) != 0) {
        int error = errno;                      /* EAGAIN: too many threads in this process */
        __atomic_sub_fetch(&live_threads, 1, __ATOMIC_SEQ_CST);
        munmap(map, total);
        errno = saved;
        return error;
    }
    if (t->detached) {
        __libc_lock(&list_lock);
        t->next = detached_list;
        detached_list = t;
        __libc_unlock(&list_lock);
    }
    *thread = t;
    return 0;
}

void pthread_exit(void *value_ptr)
{
    struct __pthread *t = pthread_self();
    t->retval = value_ptr;
    if (__atomic_sub_fetch(&live_threads, 1, __ATOMIC_SEQ_CST) == 0)
        exit(0);                                /* the last thread: the process ends normally */
    thr_exit((long *)&t->state);
    __builtin_unreachable();
}

int pthread_join(pthread_t t, void **value_ptr)
{
    if (t == pthread_self())
        return EDEADLK;
    if (t->detached)
        return EINVAL;
    int saved = errno;
    while (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == 0)
        _umtx_op((void *)&t->state, UMTX_OP_WAIT, 0, 0, 0);
    errno = saved;
    if (value_ptr)
        *value_ptr = t->retval;
    if (t->map)
        munmap(t->map, t->map_size);            /* the main thread's struct is static */
    return 0;
}

int pthread_detach(pthread_t t)
{
    if (t->detached)
        return EINVAL;
    t->detached = 1;
    if (t->map) {
        __libc_lock(&list_lock);
        t->next = detached_list;
        detached_list = t;
        __libc_unlock(&list_lock);
    }
    reap_detached();                            /* it may have ended already */
    return 0;
}

/*
 * Priorities: POSIX's (policy, sched_priority) as FreeBSD's rtprio, the way
 * FreeBSD's libthr does it: SCHED_FIFO -> RTP_PRIO_FIFO, SCHED_RR ->
 * RTP_PRIO_REALTIME, both at rtprio 31 - sched_priority (POSIX counts up,
 * rtprio counts down); SCHED_OTHER -> RTP_PRIO_NORMAL.
 */
int sched_get_priority_min(int policy)
{
    if (policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_OTHER)
        return 0;
    errno = EINVAL;
    return -1;
}

int sched_get_priority_max(int policy)
{
    if (policy == SCHED_FIFO || policy == SCHED_RR)
        return RTP_PRIO_MAX;
    if (policy == SCHED_OTHER)
        return 0;
    errno = EINVAL;
    return -1;
}

int pthread_setschedparam(pthread_t t, int policy, const struct sched_param *param)
{
    struct rtprio rtp;
    int saved = errno, r = 0;

    if (policy == SCHED_OTHER) {
        rtp.type = RTP_PRIO_NORMAL;
        rtp.prio = 0;
    } else if (policy == SCHED_FIFO || policy == SCHED_RR) {
        if (param->sched_priority < 0 || param->sched_priority > RTP_PRIO_MAX)
            return EINVAL;
        rtp.type = policy == SCHED_FIFO ? RTP_PRIO_FIFO : RTP_PRIO_REALTIME;
        rtp.prio = RTP_PRIO_MAX - param->sched_priority;
    } else {
        return EINVAL;
    }
    if (rtprio_thread(RTP_SET, (int)t->tid, &rtp) != 0)
        r = errno;                      /* EPERM: only root may choose a realtime priority */
    errno = saved;
    return r;
}

int pthread_getschedparam(pthread_t t, int *policy, struct sched_param *param)
{
    struct rtprio rtp;
    int saved = errno, r = 0;

    if (rtprio_thread(RTP_LOOKUP, (int)t->tid, &rtp) != 0) {
        r = errno;
    } else if (rtp.type == RTP_PRIO_FIFO || rtp.type == RTP_PRIO_REALTIME) {
        *policy = rtp.type == RTP_PRIO_FIFO ? SCHED_FIFO : SCHED_RR;
        param->sched_priority = RTP_PRIO_MAX - rtp.prio;
    } else {
        *policy = SCHED_OTHER;
        param->sched_priority = 0;
    }
    errno = saved;
    return r;
}

int pthread_kill(pthread_t t, int sig)
{
    int saved = errno;
    int r = thr_kill(t->tid, sig) == 0 ? 0 : errno;
    errno = saved;
    return r;
}

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict oset)
{
    int saved = errno;
    int r = sigprocmask(how, set, oset) == 0 ? 0 : errno;   /* the mask is per thread already */
    errno = saved;
    return r;
}

/* ------------------------------------------------------------ attributes */

int pthread_attr_init(pthread_attr_t *attr)
{
    attr->stacksize = PTHREAD_STACK_DEFAULT;
    attr->detachstate = PTHREAD_CREATE_JOINABLE;
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t stacksize)
{
    if (stacksize < PTHREAD_STACK_MIN)
        return EINVAL;
    attr->stacksize = stacksize;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *stacksize)
{
    *stacksize = attr->stacksize;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int detachstate)
{
    if (detachstate != PTHREAD_CREATE_JOINABLE && detachstate != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    attr->detachstate = detachstate;
    return 0;
}

/* ------------------------------------------------------------ fork */

int __sys_fork(void);

/* fork holds libc's locks across the call: the child has only the calling
 * thread, so a lock another thread held at that moment would stay held in
 * the child for ever. Held by the caller, both copies can release it. */
static __attribute__((noinline)) int fork_holding_locks(void)
{
    __libc_lock(&list_lock);
    __libc_lock(&__stdio_lock);
    __libc_lock(&__malloc_lock);
    int pid = __sys_fork();
    if (pid == 0) {
        live_threads = 1;                       /* the child's only thread */
        detached_list = NULL;                   /* the other threads' regions are copies: leave them */
    }
    __libc_unlock(&__malloc_lock);
    __libc_unlock(&__stdio_lock);
    __libc_unlock(&list_lock);
    return pid;
}

/* A process that never made a thread has nobody to race with: its fork is
 * the bare system call. (Releasing the locks would write to a page of libc's
 * data that fork has just made copy-on-write: a page copy in the parent and
 * one in the child, for every fork.) */
int fork(void)
{
    return threaded ? fork_holding_locks() : __sys_fork();
}
