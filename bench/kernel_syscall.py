"""Benchmark: the cost of a system call and of a process, on oskit's kernel.

    python bench/kernel_syscall.py [--quick]

Prints a table:

- getpid round trip: guest instructions per call (user stub + trampoline +
  loop) and host microseconds per call (the Python kernel included);
- fork + _exit + wait4: guest instructions and host milliseconds per iteration;
- pthread_create + pthread_join (a thread that returns at once): the same,
  to compare a thread with a process (thr_new + mmap of its stack and TLS,
  thr_exit, _umtx_op wait/wake, munmap, against fork's copy of the address
  space and exit's teardown).

Each figure is the difference between two runs of the same program with a
different iteration count, divided by the difference in iterations, so boot,
exec and exit costs cancel out; both runs use one kernel after a warm-up run
(so the hart's translated blocks exist already). Tracing is off.
"""

from __future__ import annotations

import sys
import time

import oskit
from oskit.toolchain import build

GETPID = r"""
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    for (long i = 0; i < n; i++) getpid();
    return 0;
}
"""

FORK = r"""
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        wait4(pid, 0, 0, 0);
    }
    return 0;
}
"""

THREAD = r"""
#include <pthread.h>
#include <stdlib.h>
static void *nothing(void *arg) { return arg; }
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    for (long i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, nothing, NULL) != 0 || pthread_join(t, NULL) != 0) return 1;
    }
    return 0;
}
"""


def measure(k, name: str, n: int) -> tuple[int, float]:
    """Guest instructions and host seconds for one run of /bin/NAME with argument n."""
    before = k.machine.instructions
    t = time.perf_counter()
    p = k.spawn(f"/bin/{name}", [name, str(n)])
    r = k.run(until=p.exited)
    elapsed = time.perf_counter() - t
    if r.reason != "until" or p.exit_status != 0:
        raise RuntimeError(f"{name} {n}: {r} status {p.exit_status}")
    return k.machine.instructions - before, elapsed


def per_iteration(source: str, name: str, lo: int, hi: int) -> tuple[float, float]:
    """Per-iteration cost from two runs on one warmed-up kernel (boot, exec and exit cancel out)."""
    k = oskit.boot(programs=False)
    k.trace.enabled = False
    k.install_program(f"/bin/{name}", build({f"{name}.c": source}, mode="user").read_bytes())
    measure(k, name, lo)                 # warm-up: the hart translates the code paths into blocks
    i1, t1 = measure(k, name, lo)
    i2, t2 = measure(k, name, hi)
    return (i2 - i1) / (hi - lo), (t2 - t1) / (hi - lo)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    g_lo, g_hi = (100, 1100) if quick else (1000, 11000)
    f_lo, f_hi = (5, 25) if quick else (10, 110)
    gi, gt = per_iteration(GETPID, "getpid_loop", g_lo, g_hi)
    fi, ft = per_iteration(FORK, "fork_loop", f_lo, f_hi)
    ti, tt = per_iteration(THREAD, "thread_loop", f_lo, f_hi)
    rows = [("getpid() round trip", f"{gi:,.0f}", f"{gt * 1e6:,.1f} us"),
            ("fork + _exit + wait4", f"{fi:,.0f}", f"{ft * 1e3:,.2f} ms"),
            ("pthread_create + join", f"{ti:,.0f}", f"{tt * 1e3:,.2f} ms")]
    print(f"{'benchmark':<24} {'guest instr/iter':>18} {'host time/iter':>16}")
    for name, instr, host in rows:
        print(f"{name:<24} {instr:>18} {host:>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
