"""Thread priorities (rtprio_thread 466), the scheduler that honours them, PI mutexes (_umtx_op 5/6).

tests/programs/sched/: NAME.expected is what the same source printed on Linux
compiled with gcc, run as root (SCHED_FIFO needs it) on one CPU
(`taskset -c 0 ./NAME`): the staged inversion of inversion.h, once with a
default mutex and once with PTHREAD_PRIO_INHERIT, and chain.c, where
inheritance passes through a thread that holds one mutex and waits for
another. On one hart the order of
events is fixed; on two, Linux gives no fixed order for when medium starts
(it was seen on either side of low's unlock), so the two-hart test checks the
one thing both systems guarantee there: with a second processor, high gets
the lock before medium's work is done, whatever the protocol.
"""

from pathlib import Path

import pytest
from golden import run_golden

HERE = Path(__file__).resolve().parents[1] / "programs" / "sched"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_one_hart_matches_linux(name):
    """On one hart the program prints exactly what it printed on Linux pinned to one CPU."""
    out, p, k = run_golden(HERE / f"{name}.c", harts=1)
    assert out == (HERE / f"{name}.expected").read_text()


# On two harts: (what happens, before what) -- the orders Linux on two CPUs showed on every run.
TWO_HARTS = {
    "inversion": [("low: unlocks", "high: has the lock"), ("high: has the lock", "medium: done")],
    "inheritance": [("low: unlocks", "high: has the lock"), ("high: has the lock", "medium: done")],
    "chain": [("t1: unlocks A", "t2: has A"), ("t3: has B", "medium: done")],
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_two_harts_no_inversion(name):
    """On two harts medium computes beside the lock holder: the urgent thread is through before medium is done."""
    out, p, k = run_golden(HERE / f"{name}.c", harts=2)
    lines = out.splitlines()
    for first, then in TWO_HARTS[name]:
        assert lines.index(first) < lines.index(then), out
    assert p.exit_status == 0


RTPRIO = r"""
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/rtprio.h>
#include <unistd.h>
static const char *name(int e) { return e == 0 ? "0" : e == EPERM ? "EPERM" : e == EINVAL ? "EINVAL"
                                      : e == ESRCH ? "ESRCH" : strerror(e); }
int main(void) {
    struct rtprio rtp;
    struct sched_param sp;
    int policy, r;
    rtprio_thread(RTP_LOOKUP, 0, &rtp);
    printf("start: type %d prio %d\n", rtp.type, rtp.prio);
    sp.sched_priority = 20;
    printf("setschedparam FIFO 20: %s\n", name(pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp)));
    pthread_getschedparam(pthread_self(), &policy, &sp);
    rtprio_thread(RTP_LOOKUP, 0, &rtp);
    printf("now: policy %s priority %d = rtprio type %d prio %d\n",
           policy == SCHED_FIFO ? "SCHED_FIFO" : "other", sp.sched_priority, rtp.type, rtp.prio);
    rtp.type = RTP_PRIO_REALTIME; rtp.prio = 32;
    errno = 0; r = rtprio_thread(RTP_SET, 0, &rtp);
    printf("prio 32: %d %s\n", r, name(errno));
    rtp.prio = 1;
    errno = 0; r = rtprio_thread(RTP_SET, 999, &rtp);
    printf("lwpid 999: %d %s\n", r, name(errno));
    errno = 0; r = rtprio_thread(RTP_SET, 0, (struct rtprio *)8);
    printf("bad pointer: %d %s\n", r, errno == EFAULT ? "EFAULT" : name(errno));
    setuid(1000);
    sp.sched_priority = 5;
    printf("as uid 1000, FIFO 5: %s\n", name(pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp)));
    sp.sched_priority = 0;
    printf("as uid 1000, SCHED_OTHER: %s\n", name(pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp)));
    return 0;
}
"""


def test_rtprio_thread_checks_its_arguments(tmp_path):
    """rtprio_thread sets and reports a priority; bad levels, threads and pointers fail; only root goes realtime."""
    src = tmp_path / "rtprio.c"
    src.write_text(RTPRIO)
    out, p, k = run_golden(src)
    assert out.splitlines() == [
        "start: type 3 prio 0",
        "setschedparam FIFO 20: 0",
        "now: policy SCHED_FIFO priority 20 = rtprio type 10 prio 11",
        "prio 32: -1 EINVAL",
        "lwpid 999: -1 ESRCH",
        "bad pointer: -1 EFAULT",
        "as uid 1000, FIFO 5: EPERM",
        "as uid 1000, SCHED_OTHER: 0",
    ]


PI_ERRORS = r"""
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
static pthread_mutex_t m;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;
static const char *name(int e) { return e == 0 ? "0" : e == EPERM ? "EPERM" : e == EBUSY ? "EBUSY"
                                      : e == EDEADLK ? "EDEADLK" : e == ENOTSUP ? "ENOTSUP" : strerror(e); }
static void *other(void *arg) {
    printf("other: unlock what main holds: %s\n", name(pthread_mutex_unlock(&m)));
    printf("other: trylock: %s\n", name(pthread_mutex_trylock(&m)));
    return arg;
}
static void *signaller(void *arg) {
    pthread_mutex_lock(&m);             /* waits until main lets go in cond_wait */
    ready = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&m);
    return arg;
}
int main(void) {
    pthread_mutexattr_t ma;
    pthread_t t, s;
    pthread_mutexattr_init(&ma);
    printf("PTHREAD_PRIO_PROTECT: %s\n", name(pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_PROTECT)));
    printf("PTHREAD_PRIO_INHERIT: %s\n", name(pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT)));
    pthread_mutex_init(&m, &ma);
    printf("lock: %s\n", name(pthread_mutex_lock(&m)));
    printf("lock again: %s\n", name(pthread_mutex_trylock(&m)));
    pthread_create(&t, NULL, other, NULL);
    pthread_join(t, NULL);
    pthread_create(&s, NULL, signaller, NULL);
    while (!ready)
        pthread_cond_wait(&cv, &m);
    printf("woken with the lock held: %s\n", name(pthread_mutex_trylock(&m)));
    printf("unlock: %s\n", name(pthread_mutex_unlock(&m)));
    printf("unlock again: %s\n", name(pthread_mutex_unlock(&m)));
    pthread_join(s, NULL);
    return 0;
}
"""


@pytest.mark.parametrize("harts", [1, 2])
def test_pi_mutex_errors_and_condvar(tmp_path, harts):
    """A PI mutex: unlocking another's is EPERM, trylock of a held one EBUSY (EDEADLK for one's own), cond_wait works."""
    src = tmp_path / "pierr.c"
    src.write_text(PI_ERRORS)
    out, p, k = run_golden(src, harts=harts)
    assert out.splitlines() == [
        "PTHREAD_PRIO_PROTECT: ENOTSUP",
        "PTHREAD_PRIO_INHERIT: 0",
        "lock: 0",
        "lock again: EDEADLK",
        "other: unlock what main holds: EPERM",
        "other: trylock: EBUSY",
        "woken with the lock held: EDEADLK",
        "unlock: 0",
        "unlock again: EPERM",
    ]


PI_SIGNAL = r"""
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static pthread_mutex_t m;
static pthread_t high_t;
static long cpu_us(void) {
    struct timespec ts; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}
static void say(const char *s) { write(1, s, strlen(s)); }
static void burn(int ms) { long end = cpu_us() + ms * 1000L; while (cpu_us() < end) ; }
static void nap(int us) { struct timespec ts = { 0, us * 1000L }; nanosleep(&ts, NULL); }
static void be(int p) { struct sched_param sp = { .sched_priority = p }; pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp); }
static void on_usr1(int sig) { (void)sig; say("high: a signal while it waits\n"); }
static void *low(void *a) { be(10); pthread_mutex_lock(&m); burn(4); say("low: unlocks\n"); pthread_mutex_unlock(&m); return a; }
static void *high(void *a) { be(20); nap(1000); pthread_mutex_lock(&m); say("high: has the lock\n"); pthread_mutex_unlock(&m); return a; }
static void *medium(void *a) { be(15); nap(2500); say("medium: computes\n"); burn(6); say("medium: done\n"); return a; }
int main(void) {
    pthread_mutexattr_t ma; pthread_t l, md;
    signal(SIGUSR1, on_usr1);
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&m, &ma);
    be(30);
    pthread_create(&high_t, NULL, high, NULL);
    pthread_create(&md, NULL, medium, NULL);
    pthread_create(&l, NULL, low, NULL);
    nap(2000);
    pthread_kill(high_t, SIGUSR1);           /* high is waiting for low's lock now */
    pthread_join(high_t, NULL); pthread_join(md, NULL); pthread_join(l, NULL);
    return 0;
}
"""


def test_signal_during_pi_wait_keeps_inheritance(tmp_path):
    """A signal ends high's PI wait (its lent priority is taken back), the wait resumes, and low is boosted again.

    FreeBSD's order, not Linux's: FreeBSD's do_lock_pi sleeps interruptibly (PCATCH) and libthr
    locks again after the handler, as oskit does. On Linux (checked on this host, one CPU) a
    FUTEX_LOCK_PI wait is not ended by the signal: the handler ran after low's unlock, when high
    already had the lock. Both agree that high has the lock before medium computes.
    """
    src = tmp_path / "pisig.c"
    src.write_text(PI_SIGNAL)
    out, p, k = run_golden(src)
    assert out.splitlines() == ["high: a signal while it waits", "low: unlocks", "high: has the lock",
                                "medium: computes", "medium: done"]
    calls = [r.call for r in k.trace.syscalls(pid=p.pid, name="_umtx_op") if "MUTEX_LOCK" in r.call]
    assert len(calls) == 2                   # the wait the signal ended, and the one after it
