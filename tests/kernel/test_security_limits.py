"""Containment: a fork bomb, a memory hog and an infinite loop each hit a limit.

Each misbehaving program (tests/programs/security/contain/) runs next to a
bystander (worker.c) that must finish; each is stopped by its limit within a
bounded number of instructions, and the kernel never panics.
"""

import re
from pathlib import Path

import pytest

import oskit
from oskit.kernel.kern import resource
from oskit.kernel.kern.signal import SIGKILL
from oskit.toolchain import build

HERE = Path(__file__).resolve().parents[1] / "programs" / "security" / "contain"


def boot_with(*names, harts=1):
    """A kernel with the named containment programs in /bin."""
    k = oskit.boot(programs=False, harts=harts)
    for name in names:
        k.install_program(f"/bin/{name}", build([HERE / f"{name}.c"], mode="user", name=name).read_bytes())
    return k


def live(k, uid):
    return [p for p in k.procs.values() if p.pid and p.cred is not None and p.cred.uid == uid
            and not p.exited()]


@pytest.mark.parametrize("harts", [1, 2])
def test_fork_bomb_stops_at_rlimit_nproc_and_the_bystander_finishes(harts):
    """A fork bomb of uid 1000 never has more than RLIMIT_NPROC processes; forks past it get EAGAIN."""
    k = boot_with("forkbomb", "worker", harts=harts)
    bomb = k.spawn("/bin/forkbomb", uid=1000, gid=1000)
    resource.set_limit(bomb, resource.RLIMIT_NPROC, 8)
    worker = k.spawn("/bin/worker", uid=2000, gid=2000)
    most = 0

    def watch(ev):
        nonlocal most
        most = max(most, len(live(k, 1000)))

    k.probes.subscribe("fork", watch)
    r = k.run(until=worker.exited, max_instructions=30_000_000)
    assert r.reason == "until" and k.panic_report is None
    assert worker.stdout.startswith("worker: done") and worker.exit_status == 0
    assert most == 8 and len(live(k, 1000)) == 8
    assert resource.top(k).count(" forkbomb") == 8      # the table a notebook shows
    refused = k.audit.records(call="fork", failed=True)
    assert refused and all(rec.errno == 35 for rec in refused)         # EAGAIN
    first = refused[0].time
    assert first < 2_000_000, f"the first refusal came only at mtime {first}"
    # The kernel cleans up after it: every bomb process can be killed and reaped.
    for p in live(k, 1000):
        k.psignal(p, SIGKILL)
    r = k.run(until=lambda: not live(k, 1000), max_instructions=5_000_000)
    assert r.reason == "until" and k.panic_report is None


def test_root_fork_bomb_stops_at_maxproc():
    """Root is exempt from RLIMIT_NPROC, but kern.maxproc still stops its fork bomb."""
    k = boot_with("forkbomb")
    bomb = k.spawn("/bin/forkbomb")
    r = k.run(until=lambda: len(k.audit.records(call="fork", failed=True)) >= 3, max_instructions=60_000_000)
    assert r.reason == "until" and k.panic_report is None
    assert len(resource.live_procs(k)) == resource.MAXPROC
    assert {rec.errno for rec in k.audit.records(call="fork", failed=True)} == {35}    # EAGAIN
    for p in list(k.procs.values()):
        if p.pid > 1 and not p.exited():
            k.psignal(p, SIGKILL)
    r = k.run(until=lambda: len(k.procs) <= 2, max_instructions=20_000_000)
    assert r.reason == "until" and bomb.exited()


def test_memory_hog_stops_at_rlimit_data():
    """A heap that grows without end is refused by break() at RLIMIT_DATA; the hog exits, the worker finishes."""
    k = boot_with("memhog", "worker")
    hog = k.spawn("/bin/memhog", ["memhog", "4096"], uid=1000, gid=1000)
    worker = k.spawn("/bin/worker", uid=2000, gid=2000)
    r = k.run(until=lambda: hog.exited() and worker.exited(), max_instructions=40_000_000)
    assert r.reason == "until" and k.panic_report is None
    assert worker.exit_status == 0
    assert hog.exit_status == 1
    got = int(hog.stdout.split("after ")[1].split(" KiB")[0])
    assert 4096 - 64 < got <= 4096 and "Cannot allocate memory" in hog.stdout
    assert k.audit.records(pid=hog.pid, call="break", failed=True)[-1].errno == 12   # ENOMEM


def test_memory_hog_stops_at_rlimit_as():
    """With RLIMIT_AS (ulimit -v) the whole address space, stack included, stays under the limit."""
    k = boot_with("memhog")
    hog = k.spawn("/bin/memhog", ["memhog", "16384", "as"], uid=1000, gid=1000)
    r = k.run(until=hog.exited, max_instructions=40_000_000)
    assert r.reason == "until" and hog.exit_status == 1
    refused = k.trace.syscalls(pid=hog.pid, name="break")[-1]
    assert refused.errno == 12 and "RLIMIT_AS (16777216 bytes)" in refused.message
    got = int(hog.stdout.split("after ")[1].split(" KiB")[0])
    assert 4096 < got < 16384 - 8192                 # the 8 MiB stack counts too


def test_mmap_hog_stops_at_rlimit_as():
    """mmap() past RLIMIT_AS fails with ENOMEM: the hog never maps more than its limit."""
    k = boot_with("mmaphog")
    hog = k.spawn("/bin/mmaphog", ["mmaphog", "24"], uid=1000, gid=1000)
    r = k.run(until=hog.exited, max_instructions=40_000_000)
    assert r.reason == "until" and hog.exit_status == 1
    n = int(hog.stdout.split(": ")[1].split(" MiB")[0])
    assert 8 < n < 16 and hog.stdout.endswith("then Cannot allocate memory\n")
    last = k.trace.syscalls(pid=hog.pid, name="mmap")[-1]
    assert last.errno == 12 and "RLIMIT_AS" in last.message


@pytest.mark.parametrize("harts", [1, 2])
def test_infinite_loop_gets_sigxcpu_then_sigkill(harts):
    """A loop with no system calls is warned (SIGXCPU) at the soft CPU limit and killed at the hard one."""
    k = boot_with("spin", "worker", harts=harts)
    k.cpu_second = 100_000                  # a "second" of one million instructions (resource.py)
    spin = k.spawn("/bin/spin", uid=1000, gid=1000)
    worker = k.spawn("/bin/worker", uid=2000, gid=2000)
    r = k.run(until=spin.exited, max_instructions=20_000_000)
    assert r.reason == "until" and k.panic_report is None
    assert spin.stdout == "spin: spinning\nspin: SIGXCPU\n"
    assert spin.exit_status == -SIGKILL
    assert f"pid {spin.pid}: exceeded its CPU limit (2 s): SIGKILL" in k.log
    used = spin.rusage.utime_ticks + spin.rusage.stime_ticks      # RLIMIT_CPU counts both
    assert 2 * k.cpu_second <= used < 2 * k.cpu_second + k.sched.quantum + 1000
    r = k.run(until=worker.exited, max_instructions=20_000_000)
    assert r.reason == "until" and worker.exit_status == 0


def test_kernel_memory_per_process_is_limited():
    """kmalloc on a process's behalf fails with ENOMEM past its limit, and freeing credits it back."""
    from oskit.kernel.kern.syscall import SyscallError
    k = boot_with()
    td = k.procs[1].main_thread
    chunk = 64 << 10
    got = []
    with pytest.raises(SyscallError) as e:
        for _ in range(100):
            got.append(resource.kmalloc_charged(td, chunk, "test"))
    assert e.value.errno == 12 and len(got) == k.kmem_per_proc // chunk
    assert td.proc.kmem == k.kmem_per_proc
    for addr in got:
        resource.kfree_charged(k, addr)
    assert td.proc.kmem == 0
    resource.kfree_charged(k, resource.kmalloc_charged(td, chunk))     # room again


ACCOUNT = r"""
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
static void work(long n) { volatile long s = 0; for (long i = 0; i < n; i++) s += i; }
int main(void)
{
	pid_t heavy = fork();
	if (heavy == 0) { work(400000); char *p = malloc(256 * 1024); for (int i = 0; i < 256 * 1024; i += 4096) p[i] = 1; _exit(0); }
	pid_t light = fork();
	if (light == 0) { work(20000); _exit(0); }
	struct rusage ru;
	wait4(heavy, NULL, 0, &ru);
	long heavy_us = ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec, heavy_flt = ru.ru_minflt;
	wait4(light, NULL, 0, &ru);
	long light_us = ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec, light_flt = ru.ru_minflt;
	printf("heavy %ld us %ld faults, light %ld us %ld faults\n", heavy_us, heavy_flt, light_us, light_flt);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("children %ld us\n", ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec);
	return 0;
}
"""


def test_time_and_memory_are_billed_to_the_process_that_used_them():
    """wait4's rusage shows each child its own user time and page faults; RUSAGE_CHILDREN adds them up."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/account", build({"account.c": ACCOUNT}, mode="user", name="account").read_bytes())
    p = k.spawn("/bin/account")
    kids = []
    k.probes.subscribe("fork", lambda ev: kids.append(k.procs[ev.child]))
    r = k.run(until=p.exited, max_instructions=40_000_000)
    assert r.reason == "until"
    heavy_us, heavy_flt, light_us, light_flt = map(int, re.findall(r"(\d+) (?:us|faults)", p.stdout)[:4])
    assert heavy_us > 10 * light_us > 0
    assert heavy_flt >= 64 > light_flt             # 256 KiB touched: 64 pages, billed to heavy only
    # Each figure is truncated to whole microseconds on its own: the sum may be one more.
    assert 0 <= int(p.stdout.split("children ")[1].split()[0]) - (heavy_us + light_us) <= 1
    heavy, light = kids
    assert resource.usage(heavy)["user_s"] * 1e6 >= heavy_us > 0
    assert resource.usage(heavy)["minflt"] == heavy_flt


def test_pipe_hog_stops_at_its_kernel_memory_limit():
    """Pipe buffers are billed to their creator: the hog gets ENOMEM at its limit, the kernel heap is not exhausted."""
    k = boot_with("pipehog", "worker")
    hog = k.spawn("/bin/pipehog")
    r = k.run(until=hog.exited, max_instructions=20_000_000)
    assert r.reason == "until" and k.panic_report is None
    per_pipe = 4096
    assert hog.stdout == f"pipehog: {k.kmem_per_proc // per_pipe} pipes, then Cannot allocate memory\n"
    assert hog.kmem == 0                           # exit closed every pipe: all of it credited back
    worker = k.spawn("/bin/worker", uid=2000, gid=2000)
    k.run(until=worker.exited, max_instructions=20_000_000)
    assert worker.exit_status == 0


DEEP = r"""
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
static int depth;
static int down(int n) { volatile char pad[1024]; pad[0] = (char)n; depth = n; return n ? down(n - 1) + pad[0] : 0; }
int main(void)
{
	struct rlimit rl = {64 * 1024, 64 * 1024};
	setrlimit(RLIMIT_STACK, &rl);
	printf("recursing\n");
	fflush(stdout);
	return down(1000000);
}
"""


def test_runaway_recursion_stops_at_rlimit_stack():
    """A stack limited to 64 KiB by setrlimit ends in SIGSEGV at the first page below the limit."""
    from oskit.kernel.param import USRSTACK
    k = oskit.boot(programs=False)
    k.install_program("/bin/deep", build({"deep.c": DEEP}, mode="user", name="deep").read_bytes())
    p = k.spawn("/bin/deep", uid=1000, gid=1000)
    refused = []
    k.probes.subscribe("fault", lambda ev: refused.append(ev.va) if ev.how == "SIGSEGV" else None)
    r = k.run(until=p.exited, max_instructions=20_000_000)
    assert r.reason == "until" and k.panic_report is None
    assert p.stdout == "recursing\n" and p.exit_status == -11          # SIGSEGV
    assert len(refused) == 1 and USRSTACK - (64 << 10) - 4096 <= refused[0] < USRSTACK - (64 << 10)
