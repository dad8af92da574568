"""The kernel side of threads: thr_new/thr_exit bookkeeping, _umtx_op, limits, two harts.

The golden programs (test_thread_programs.py) check what a program sees;
these tests look inside the kernel while threads run: frames and kernel
stacks given back, sleepers on umtx channels, the thread limit, which harts
run what.
"""

import pytest

import oskit
from oskit.kernel.kern import resource
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.kern.sys_thread import MAX_THREADS
from oskit.toolchain import build

HEADER = r"""
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/thr.h>
#include <sys/umtx.h>
#include <time.h>
#include <unistd.h>
static void pause_ms(int ms) { struct timespec t = {0, ms * 1000000L}; nanosleep(&t, NULL); }
static long now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000 + t.tv_nsec / 1000000; }
"""


def boot_with(source: str, name: str = "prog", harts: int = 1, **kw):
    """A kernel with the C program ``source`` (HEADER prepended) at /bin/NAME."""
    k = oskit.boot(programs=False, harts=harts, **kw)
    elf = build({f"{name}.c": HEADER + source}, mode="user", name=name)
    k.install_program(f"/bin/{name}", elf.read_bytes())
    return k


def run_to_end(k, p, limit=100_000_000):
    r = k.run(until=p.exited, max_instructions=limit)
    assert k.panic_report is None, str(k.panic_report)
    assert r.reason == "until", f"{r}\n{k.ps()}"
    return p.stdout


def kernel_memory(k):
    """Free page frames and kmalloc bytes in use: what a leak would change."""
    return k.pmem.free_frames, sum(k.pmem.heap_used.values())


# -- teardown -------------------------------------------------------------------------------

CYCLES = r"""
static void *nothing(void *arg) { return arg; }
int main(int argc, char **argv)
{
    int n = atoi(argv[1]);
    for (int i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, nothing, NULL) != 0 || pthread_join(t, NULL) != 0) {
            printf("failed at %d\n", i);
            return 1;
        }
    }
    printf("%d cycles\n", n);
    return 0;
}
"""


def test_an_exited_thread_gives_back_its_frame_and_kernel_stack():
    """1,000 create/join cycles: kernel memory at the 1,010th thr_new equals that at the 10th."""
    k = boot_with(CYCLES)
    seen = {}
    created = []

    def on_thread(ev):
        created.append(ev.tid)
        if len(created) in (10, 1010):
            p = k.procs[ev.pid]
            seen[len(created)] = (kernel_memory(k), len(p.threads))

    k.probes.subscribe("thread_new", on_thread)
    p = k.spawn("/bin/prog", ["prog", "1010"])
    assert run_to_end(k, p, 400_000_000) == "1010 cycles\n"
    assert seen[10][1] == seen[1010][1] == 2               # main + the new one, each time
    assert seen[10][0] == seen[1010][0], "a thread's frame or kernel stack was not freed"
    assert not k.dead_threads
    assert len(set(created)) == len(created)                # a new id for each thread


def test_thread_memory_comes_back_when_the_process_ends_with_threads_running():
    """exit() with threads still running (one on the other hart): every frame and stack is freed."""
    k = boot_with(r"""
static void *spin(void *arg) { for (;;) ; return arg; }
int main(void)
{
    pthread_t t;
    for (int i = 0; i < 5; i++)
        pthread_create(&t, NULL, spin, NULL);
    pause_ms(5);
    exit(0);
}
""", harts=2)
    k.run(max_instructions=2_000_000)                  # init settles
    before = kernel_memory(k)
    p = k.spawn("/bin/prog")
    run_to_end(k, p)
    k.run(until=lambda: p.pid not in k.procs, max_instructions=5_000_000)   # init reaps it
    k.run(max_instructions=500_000)
    assert not k.dead_threads
    assert kernel_memory(k) == before


def test_thr_new_checks_its_arguments():
    """A bad thr_param pointer is EFAULT, a bad size EINVAL; no thread is left behind."""
    k = boot_with(r"""
int main(void)
{
    struct thr_param p;
    memset(&p, 0, sizeof p);
    printf("bad pointer: %d %s\n", thr_new((struct thr_param *)8, sizeof p), strerror(errno));
    printf("size 0: %d %s\n", thr_new(&p, 0), strerror(errno));
    printf("size too big: %d %s\n", thr_new(&p, 4096), strerror(errno));
    p.child_tid = (long *)8;
    printf("bad child_tid: %d %s\n", thr_new(&p, sizeof p), strerror(errno));
    long me = 0;
    thr_self(&me);
    printf("thr_self is a tid, not a pid: %d\n", me >= 100000 && me != getpid());
    printf("thr_kill(no such thread): %d %s\n", thr_kill(me + 12345, 0), strerror(errno));
    return 0;
}
""")
    p = k.spawn("/bin/prog")
    assert run_to_end(k, p) == (
        "bad pointer: -1 Bad address\n"
        "size 0: -1 Invalid argument\n"
        "size too big: -1 Invalid argument\n"
        "bad child_tid: -1 Bad address\n"
        "thr_self is a tid, not a pid: 1\n"
        "thr_kill(no such thread): -1 No such process\n")


# -- umtx ------------------------------------------------------------------------------------

UMTX = r"""
static volatile unsigned int word;
static volatile int woke;
static void *waiter(void *arg)
{
    (void)arg;
    _umtx_op((void *)&word, UMTX_OP_WAIT_UINT_PRIVATE, 0, NULL, NULL);
    __atomic_add_fetch(&woke, 1, __ATOMIC_SEQ_CST);
    return NULL;
}
int main(void)
{
    /* A different value: no sleep. */
    long t0 = now_ms();
    int r = _umtx_op((void *)&word, UMTX_OP_WAIT_UINT, 5, NULL, NULL);
    printf("value differs: returned %d at once: %d\n", r, now_ms() - t0 < 5);

    /* A relative timeout. */
    struct timespec ts = {0, 30 * 1000000};
    t0 = now_ms();
    r = _umtx_op((void *)&word, UMTX_OP_WAIT_UINT_PRIVATE, 0, NULL, &ts);
    long took = now_ms() - t0;
    printf("timeout: %d %s after >= 30 ms: %d\n", r, strerror(errno), took >= 30 && took < 100);

    /* An absolute time already past. */
    struct _umtx_time at = {{0, 0}, UMTX_ABSTIME, CLOCK_MONOTONIC};
    r = _umtx_op((void *)&word, UMTX_OP_WAIT_UINT_PRIVATE, 0, (void *)sizeof at, &at);
    printf("absolute time in the past: %d %s\n", r, strerror(errno));

    /* Wake-n: three waiters, wake two, then the rest. */
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    pause_ms(20);
    printf("asleep, none woke: %d\n", woke);
    _umtx_op((void *)&word, UMTX_OP_WAKE_PRIVATE, 2, NULL, NULL);
    pause_ms(20);
    printf("after waking 2: %d woke\n", woke);
    _umtx_op((void *)&word, UMTX_OP_WAKE, 100, NULL, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("after waking the rest: %d woke\n", woke);
    return 0;
}
"""


def test_umtx_wait_wake_and_timeouts():
    """WAIT sleeps only while the word holds the value; WAKE wakes n; timeouts give ETIMEDOUT."""
    k = boot_with(UMTX)
    p = k.spawn("/bin/prog")
    sleepers = []

    def three_asleep():
        n = sum(len(q) for chan, q in k.sched.sleepers.items() if chan[0] == "umtx")
        return n == 3

    r = k.run(until=three_asleep, max_instructions=100_000_000)
    assert r.reason == "until"
    chans = [chan for chan in k.sched.sleepers if chan[0] == "umtx"]
    assert len(chans) == 1                             # all three on one word
    sleepers = k.sched.sleepers[chans[0]]
    assert all(td.proc is p and td.state is ThreadState.SLEEPING for td in sleepers)
    assert run_to_end(k, p) == (
        "value differs: returned 0 at once: 1\n"
        "timeout: -1 Operation timed out after >= 30 ms: 1\n"
        "absolute time in the past: -1 Operation timed out\n"
        "asleep, none woke: 0\n"
        "after waking 2: 2 woke\n"
        "after waking the rest: 3 woke\n")


EINTR = r"""
static volatile unsigned int word;
static volatile int handled;
static void on_usr1(int sig) { (void)sig; handled++; }
static void *waiter(void *arg)
{
    struct timespec ts = {5, 0};
    int r = _umtx_op((void *)&word, UMTX_OP_WAIT_UINT_PRIVATE, 0, NULL, arg ? &ts : NULL);
    return (void *)(long)(r == 0 ? 0 : errno);
}
static void one(const char *what, int restart, int timed)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t;
    void *ret;
    handled = 0;
    pthread_create(&t, NULL, waiter, timed ? (void *)1 : NULL);
    pause_ms(10);
    pthread_kill(t, SIGUSR1);
    pause_ms(10);
    if (restart && !timed) {                    /* restarted: still waiting; wake it for real */
        printf("%s: handled %d, still waiting\n", what, handled);
        _umtx_op((void *)&word, UMTX_OP_WAKE_PRIVATE, 1, NULL, NULL);
    }
    pthread_join(t, &ret);
    printf("%s: handled %d, wait returned %s\n", what, handled, ret ? strerror((int)(long)ret) : "0");
}
int main(void)
{
    one("no SA_RESTART", 0, 0);
    one("SA_RESTART", 1, 0);
    one("SA_RESTART, timed", 1, 1);
    return 0;
}
"""


def test_umtx_wait_is_interrupted_by_a_signal():
    """A caught signal ends a umtx wait: EINTR, or a restart under SA_RESTART (but EINTR if timed)."""
    k = boot_with(EINTR)
    p = k.spawn("/bin/prog")
    assert run_to_end(k, p) == (
        "no SA_RESTART: handled 1, wait returned Interrupted system call\n"
        "SA_RESTART: handled 1, still waiting\n"
        "SA_RESTART: handled 1, wait returned 0\n"
        "SA_RESTART, timed: handled 1, wait returned Interrupted system call\n")


def test_umtx_rejects_unknown_ops_and_misaligned_words():
    """An op oskit does not implement is EINVAL (not a panic), as is a misaligned word."""
    k = boot_with(r"""
int main(void)
{
    static unsigned int w[2];
    printf("op 99: %d %s\n", _umtx_op(w, 99, 0, NULL, NULL), strerror(errno));
    printf("misaligned: %d %s\n", _umtx_op((char *)w + 1, UMTX_OP_WAIT_UINT, 0, NULL, NULL), strerror(errno));
    printf("unmapped: %d %s\n", _umtx_op((void *)16, UMTX_OP_WAIT_UINT, 0, NULL, NULL), strerror(errno));
    return 0;
}
""")
    p = k.spawn("/bin/prog")
    assert run_to_end(k, p) == ("op 99: -1 Invalid argument\nmisaligned: -1 Invalid argument\n"
                                "unmapped: -1 Bad address\n")


# -- limits ------------------------------------------------------------------------------------

BOMB = r"""
static void *forever(void *arg) { for (;;) pause_ms(1000); return arg; }
int main(void)
{
    int n = 0, err = 0;
    for (;;) {
        pthread_t t;
        err = pthread_create(&t, NULL, forever, NULL);
        if (err)
            break;
        n++;
    }
    printf("created %d threads, then %s\n", n, strerror(err));
    return 0;
}
"""

BYSTANDER = r"""
static void *square(void *arg) { long n = (long)arg; return (void *)(n * n); }
int main(void)
{
    long sum = 0;
    for (long i = 1; i <= 20; i++) {
        pthread_t t;
        void *r;
        pthread_create(&t, NULL, square, (void *)i);
        pthread_join(t, &r);
        sum += (long)r;
    }
    printf("bystander: %ld\n", sum);
    return 0;
}
"""


@pytest.mark.parametrize("harts", [1, 2])
def test_a_thread_bomb_stops_at_max_threads_while_a_bystander_finishes(harts):
    """Threads past MAX_THREADS get EAGAIN; RLIMIT_NPROC does not count threads; others run on."""
    k = boot_with(BOMB, "bomb", harts=harts)
    k.install_program("/bin/bystander", build({"b.c": HEADER + BYSTANDER}, mode="user", name="b").read_bytes())
    k.run(max_instructions=2_000_000)
    before = kernel_memory(k)
    bomb = k.spawn("/bin/bomb", uid=1000, gid=1000)
    resource.set_limit(bomb, resource.RLIMIT_NPROC, 2)   # processes, not threads: no effect here
    other = k.spawn("/bin/bystander", uid=1001, gid=1001)
    out = run_to_end(k, bomb, 300_000_000)
    assert out == f"created {MAX_THREADS - 1} threads, then Resource temporarily unavailable\n"
    assert run_to_end(k, other) == "bystander: 2870\n"
    k.run(until=lambda: bomb.pid not in k.procs and other.pid not in k.procs, max_instructions=5_000_000)
    k.run(max_instructions=500_000)
    assert kernel_memory(k) == before                   # 64 stacks and frames, all back


# -- accounting and signals -------------------------------------------------------------------

def test_rusage_is_per_thread_and_summed_in_the_process():
    """getrusage(RUSAGE_THREAD) is the caller's share; RUSAGE_SELF adds every thread's, exited ones too."""
    k = boot_with(r"""
static long utime_us(int who) { struct rusage ru; getrusage(who, &ru); return ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec; }
static volatile long sink;
static void *busy(void *arg)
{
    for (long i = 0; i < 2000000; i++)
        sink += i;
    long *out = arg;
    *out = utime_us(RUSAGE_THREAD);
    return NULL;
}
int main(void)
{
    pthread_t t;
    long worker = 0;
    pthread_create(&t, NULL, busy, &worker);
    pthread_join(t, NULL);
    long mine = utime_us(RUSAGE_THREAD), all = utime_us(RUSAGE_SELF);
    printf("the worker used more than main: %d\n", worker > 10 * mine);
    printf("the process total includes the exited worker: %d\n", all >= worker + mine);
    return 0;
}
""")
    p = k.spawn("/bin/prog")
    assert run_to_end(k, p) == ("the worker used more than main: 1\n"
                                "the process total includes the exited worker: 1\n")
    assert p.rusage.utime_ticks > 0


def test_two_harts_run_two_threads_of_one_process_at_once():
    """On two harts, both run a thread of the same process (one address space, one ASID) at once."""
    k = boot_with(r"""
static volatile int stop;
static void *spin(void *arg) { while (!stop) ; return arg; }
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    for (volatile long i = 0; i < 3000000; i++)
        ;
    stop = 1;
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
""", harts=2)
    p = k.spawn("/bin/prog")

    def both_harts_in_p():
        cur = [hs.curthread for hs in k.percpu]
        return all(td.proc is p for td in cur) and cur[0] is not cur[1]

    r = k.run(until=both_harts_in_p, max_instructions=50_000_000)
    assert r.reason == "until"
    assert p.vmspace.pmap.active >= {0, 1}             # both harts cache this ASID: shootdowns go to both
    assert run_to_end(k, p) == "done\n"


def test_stop_and_continue_a_process_whose_threads_run_on_both_harts():
    """SIGSTOP takes every thread off both harts at once; SIGCONT runs them again; SIGKILL ends all."""
    from oskit.kernel.kern import signal
    k = boot_with(r"""
static void *spin(void *arg) { for (volatile long i = 0; ; i++) ; return arg; }
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, spin, NULL);
    spin(NULL);
    return 0;
}
""", harts=2)
    p = k.spawn("/bin/prog")

    def both_harts_in_p():
        return all(hs.curthread.proc is p for hs in k.percpu)

    assert k.run(until=both_harts_in_p, max_instructions=20_000_000).reason == "until"
    k.psignal(p, signal.SIGSTOP)
    k.run(max_instructions=1_000_000)
    assert [td.state for td in p.threads] == [ThreadState.STOPPED] * 2
    assert not any(hs.curthread.proc is p for hs in k.percpu)
    k.psignal(p, signal.SIGCONT)
    assert k.run(until=both_harts_in_p, max_instructions=20_000_000).reason == "until"
    k.psignal(p, signal.SIGKILL)
    k.run(until=p.exited, max_instructions=5_000_000)
    assert p.signaled == signal.SIGKILL
    assert k.panic_report is None


def test_an_unlocked_counter_on_two_harts_never_gains():
    """Without the mutex, 4 x 10,000 increments give at most 40,000 (fewer when updates are lost)."""
    from pathlib import Path
    src = Path(__file__).resolve().parents[1] / "programs" / "threads" / "mutex_counter.c"
    k = oskit.boot(programs=False, harts=2)
    k.install_program("/bin/counter", build([src], mode="user", name="mutex_counter").read_bytes())
    p = k.spawn("/bin/counter", ["counter", "-v"])
    out = run_to_end(k, p, 200_000_000)
    assert "with the mutex: 40000 (expected 40000)\n" in out
    unlocked = int(out.rsplit("without the mutex: ", 1)[1])
    assert 0 < unlocked <= 40_000


def test_the_trace_names_the_thread_of_each_call():
    """In a threaded process each trace line says pid/tid; _umtx_op's op and thr_kill's signal by name."""
    k = boot_with(r"""
static unsigned int word;
static void *wake(void *arg)
{
    long me;
    thr_self(&me);
    _umtx_op(&word, UMTX_OP_WAKE_PRIVATE, 1, NULL, NULL);
    thr_kill(me, SIGCHLD);
    return arg;
}
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, wake, NULL);
    pthread_join(t, NULL);
    return 0;
}
""")
    p = k.spawn("/bin/prog")
    run_to_end(k, p)
    main_tid = k.trace.syscalls(pid=p.pid)[0].tid
    worker_tid = k.trace.syscalls(pid=p.pid, name="thr_kill")[0].tid
    assert worker_tid != main_tid
    lines = k.trace.render(pid=p.pid).splitlines()
    assert lines[0].lstrip().startswith(f"{p.pid}/{main_tid} prog ")
    assert len({line.index(" prog ") for line in lines}) == 1, "the columns line up"
    woken = [r for r in k.trace.syscalls(pid=p.pid, name="_umtx_op") if r.tid == worker_tid][0]
    lines = [line.lstrip() for line in lines]
    assert f"{p.pid}/{worker_tid} prog       _umtx_op({woken.args[0]:#x}, UMTX_OP_WAKE_PRIVATE, 1, NULL, NULL) = 0" \
        in lines
    assert f"{p.pid}/{worker_tid} prog       thr_kill({worker_tid}, SIGCHLD) = 0" in lines
    assert [r.tid for r in k.trace.syscalls(pid=p.pid, name="thr_exit")] == [worker_tid]
