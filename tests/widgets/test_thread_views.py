"""Kernel views with several threads in one process: ProcessTree lists each thread, SyscallTrace names the tid."""

from widget_programs import kernel_with, visible_text

from oskit.toolchain import build
from widgets import Plots, ProcessTree, SyscallTrace, TrapFrame

THREADS = r"""
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int ready;
static void *worker(void *arg)
{
    pthread_mutex_lock(&lock);
    while (!ready)
        pthread_cond_wait(&go, &lock);
    pthread_mutex_unlock(&lock);
    write(1, "worker\n", 7);
    return arg;
}
int main(void)
{
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (volatile int i = 0; i < 200000; i++)
        ;
    pthread_mutex_lock(&lock);
    ready = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("joined\n");
    return 0;
}
"""


def test_views_follow_a_process_with_three_threads():
    """Two workers asleep on a condition variable: three threads in the tree; the trace names tids."""
    elf = build({"threads.c": THREADS}, mode="user", name="threads").read_bytes()
    k, p = kernel_with(elf, "/bin/threads")
    tree = ProcessTree(k).attach()
    trace = SyscallTrace(k).attach()
    plots = Plots(k).attach()
    k.run(until=lambda: sum(1 for td in p.threads if td.state.value == "sleeping") == 2,
          max_instructions=20_000_000)
    tree.refresh()
    state = {pid: s for _d, pid, _c, s in tree.lines}[p.pid]
    assert state.startswith("3 threads: ") and state.count("sleeping on umtx 0x") == 2
    worker = p.threads[1]
    frame = TrapFrame(worker)
    assert f"tid {worker.tid}" in visible_text(frame.head.value)
    k.run(until=p.exited, max_instructions=20_000_000)
    assert p.stdout == "worker\nworker\njoined\n"
    trace.refresh()
    text = visible_text(trace.body.value)
    assert f"{p.pid} (tid {worker.tid})" in text
    plots.refresh()
    tree.refresh()
    assert {pid: s for _d, pid, _c, s in tree.lines}[p.pid] == "zombie: exited 0"
