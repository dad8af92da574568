"""Priority inversion (chapter 5, "Asynchrony"): the staged inversion, run and measured, and its exercise.

    run_inversion(protocol, harts, medium_ms)   run the staged inversion; what happened and when
    check_inversion_wait(answer)                exercise: predict high's wait without inheritance
    context_costs(lo, hi)                       swapcontext vs a signal round trip, per operation

INVERSION_PROGRAM is the program of tests/programs/sched/inversion.h (checked
there against Linux) with the protocol and medium's work taken from argv, so
one build serves every run here. Times are the guest's: the machine's clock
advances with the instructions it executes (10 per tick of 0.1 microseconds),
so every run gives the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import time

import oskit
from oskit.book.checks import Verdict, _install, _not_answered
from oskit.machine.choices import TIMEBASE_HZ

LOW_WORK_MS = 4               # what the program's low thread computes while it holds the lock
HIGH_WANTS_AT_MS = 1          # when high asks for the lock (low has had it since about 0)
MEDIUM_WAKES_AT_MS = 2

INVERSION_PROGRAM = r"""
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock;
static long high_wait_us;
static int medium_work_ms = 8;

static long now_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}
static void say(const char *what) { write(1, what, strlen(what)); }
static void burn(int ms)            /* ms of this thread's CPU time */
{
    long end = now_us(CLOCK_THREAD_CPUTIME_ID) + ms * 1000L;
    volatile unsigned sink = 0;
    while (now_us(CLOCK_THREAD_CPUTIME_ID) < end)
        for (int i = 0; i < 1000; i++)
            sink += i;
}
static void nap(int ms) { struct timespec ts = { 0, ms * 1000000L }; nanosleep(&ts, NULL); }
static void be(int priority)
{
    struct sched_param sp = { .sched_priority = priority };
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
}
static void *low(void *arg)
{
    be(10);
    pthread_mutex_lock(&lock);
    say("low: has the lock\n");
    burn(4);
    say("low: unlocks\n");
    pthread_mutex_unlock(&lock);
    return arg;
}
static void *medium(void *arg)
{
    be(15);
    nap(2);
    say("medium: computes\n");
    burn(medium_work_ms);
    say("medium: done\n");
    return arg;
}
static void *high(void *arg)
{
    be(20);
    nap(1);
    say("high: wants the lock\n");
    long t0 = now_us(CLOCK_MONOTONIC);
    pthread_mutex_lock(&lock);
    high_wait_us = now_us(CLOCK_MONOTONIC) - t0;
    say("high: has the lock\n");
    pthread_mutex_unlock(&lock);
    return arg;
}
int main(int argc, char **argv)
{
    pthread_mutexattr_t ma;
    pthread_t h, m, l;
    pthread_mutexattr_init(&ma);
    if (argc > 1 && strcmp(argv[1], "inherit") == 0)
        pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
    if (argc > 2)
        medium_work_ms = atoi(argv[2]);
    pthread_mutex_init(&lock, &ma);
    be(30);
    pthread_create(&h, NULL, high, NULL);
    pthread_create(&m, NULL, medium, NULL);
    pthread_create(&l, NULL, low, NULL);
    pthread_join(h, NULL);
    pthread_join(m, NULL);
    pthread_join(l, NULL);
    printf("high waited %ld us\n", high_wait_us);
    return 0;
}
"""


@dataclass
class InversionRun:
    """What one run of the staged inversion did."""

    protocol: str                 # "none" or "inherit"
    harts: int
    events: list[str]             # the lines the threads printed, in order
    wait_us: int                  # high's wait for the lock (guest time)
    # (start ms, end ms, hart, "high" / "medium" / "low" / "main") for every stretch a thread ran
    timeline: list[tuple[float, float, int, str]] = field(default_factory=list)
    # the priority and lock calls the kernel saw: "low: _umtx_op(...) = 0"
    calls: list[str] = field(default_factory=list)


def run_inversion(protocol: str = "none", harts: int = 1, medium_ms: int = 8) -> InversionRun:
    """Boot a kernel, run the staged inversion with ``protocol`` ("none" / "inherit") and return what happened.

    Raises RuntimeError if the program did not run to its end (it always does on a sound kernel).
    """
    k = oskit.boot(programs=False, harts=harts)
    names: dict[int, str] = {}
    order = iter(["high", "medium", "low"])         # the order main creates them in
    runs: list[list] = []                           # [start tick, end tick, hart, name]
    current: dict[int, list] = {}

    def on_new(ev):
        names[ev.tid] = next(order, f"thread {ev.tid}")

    def on_switch(ev):
        if ev.hart in current:
            current.pop(ev.hart)[1] = ev.mtime
        if ev.new.proc.pid == pid[0] and ev.new is not k.percpu[ev.hart].idle:
            current[ev.hart] = [ev.mtime, None, ev.hart, names.get(ev.new.tid, "main")]
            runs.append(current[ev.hart])

    pid = [None]
    k.probes.subscribe("thread_new", on_new)
    k.probes.subscribe("switch", on_switch)
    p = _spawn_inversion(k, protocol, medium_ms, pid)
    lines = p.stdout.splitlines()
    wait = int(lines[-1].split()[2])
    ms = TIMEBASE_HZ / 1000
    t0 = runs[0][0] if runs else 0
    end = k.machine.clint.mtime
    timeline = [((s - t0) / ms, ((e if e is not None else end) - t0) / ms, h, n) for s, e, h, n in runs]
    calls = [f"{names.get(r.tid, 'main')}: {r.call} = {r.result_text()}"
             for r in k.trace.syscalls(pid=p.pid) if r.name in ("rtprio_thread", "_umtx_op")]
    return InversionRun(protocol, harts, lines[:-1], wait, timeline, calls)


def _spawn_inversion(k, protocol: str, medium_ms: int, pid: list):
    path = _install(k, "inversion", INVERSION_PROGRAM)
    p = k.spawn(path, ["inversion", protocol, str(medium_ms)])
    pid[0] = p.pid
    k.run(until=p.exited, max_instructions=20_000_000)
    if not p.exited() or p.exit_status != 0:
        raise RuntimeError(f"the inversion program did not finish cleanly:\n{p.stdout}")
    return p


def check_inversion_wait(answer) -> Verdict:
    """Exercise: with a default mutex on one hart and medium computing 6 ms, how long (ms) does high wait?"""
    if answer is None:
        return _not_answered("set `answer` to high's wait in milliseconds (a number)")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return Verdict(False, f"answer: expected a number of milliseconds, found {answer!r}")
    run = run_inversion("none", harts=1, medium_ms=6)
    truth = run.wait_us / 1000
    why = (f"high asks at {HIGH_WANTS_AT_MS} ms, when low still has {LOW_WORK_MS - HIGH_WANTS_AT_MS} ms of its "
           f"{LOW_WORK_MS} ms to do; medium wakes at {MEDIUM_WAKES_AT_MS} ms and, outranking low, runs all its "
           f"6 ms first: high waits about {LOW_WORK_MS - HIGH_WANTS_AT_MS} + 6 ms, plus what the kernel and "
           f"the system calls cost")
    details = [f"measured: high waited {truth:.2f} ms (guest time)", why]
    if abs(answer - truth) <= 1:
        return Verdict(True, f"{answer} ms is within 1 ms of the {truth:.2f} ms measured.", details)
    return Verdict(False, f"you said {answer} ms; high waited {truth:.2f} ms", details)


CONTEXT_PROGRAM = r"""
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
static ucontext_t main_uc, co_uc;
static char stack[16384];
static void co(void) { for (;;) swapcontext(&co_uc, &main_uc); }
static void on_usr1(int sig) { (void)sig; }
int main(int argc, char **argv) {
    long n = atol(argv[2]);
    if (strcmp(argv[1], "swap") == 0) {
        getcontext(&co_uc);
        co_uc.uc_stack.ss_sp = stack;
        co_uc.uc_stack.ss_size = sizeof stack;
        makecontext(&co_uc, co, 0);
        for (long i = 0; i < n; i++)
            swapcontext(&main_uc, &co_uc);      /* there and back: two switches */
    } else {
        signal(SIGUSR1, on_usr1);
        for (long i = 0; i < n; i++)
            raise(SIGUSR1);                     /* kill, delivery, the handler, sigreturn */
    }
    return 0;
}
"""


@dataclass
class ContextCost:
    """What one operation cost, as the difference of two runs divided by the difference in operations."""

    operation: str
    instructions: float           # guest instructions (user code and trampoline)
    guest_us: float               # guest time, the kernel's cost model included (kern/ktime.py)
    host_us: float                # host time: how long the emulator and the Python kernel took


def context_costs(lo: int = 50, hi: int = 250) -> list[ContextCost]:
    """Measure one swapcontext switch and one signal round trip (raise of a caught signal).

    Each figure is (run with ``hi`` iterations - run with ``lo``) / (operations
    between them), so start-up and exit cancel out; a warm-up run comes first.
    """
    k = oskit.boot(programs=False)
    path = _install(k, "ctx", CONTEXT_PROGRAM)
    out = []
    for what, label, per in (("swap", "swapcontext (one switch)", 2), ("signal", "signal round trip", 1)):
        def run(n):
            p = k.spawn(path, ["ctx", what, str(n)])
            t0, host = k.machine.clint.mtime, time.perf_counter()
            r = k.run(until=p.exited, max_instructions=50_000_000)
            return r.instructions, k.machine.clint.mtime - t0, time.perf_counter() - host
        run(lo)
        i1, m1, h1 = run(lo)
        i2, m2, h2 = run(hi)
        ops = (hi - lo) * per
        out.append(ContextCost(label, (i2 - i1) / ops, (m2 - m1) / ops / (TIMEBASE_HZ / 1e6),
                               (h2 - h1) / ops * 1e6))
    return out
