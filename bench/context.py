"""Benchmark: swapcontext against a signal round trip, on oskit's kernel.

    python bench/context.py [--quick]

- swapcontext: two contexts switching back and forth (one system call each way);
- signal round trip: raise(SIGUSR1) to the caller with an empty handler
  (kill, delivery: the frame pushed on the user stack, the handler, sigcode,
  sigreturn).

Each figure is guest instructions and host microseconds per operation, as the
difference between two runs with different counts divided by the difference
(boot, exec and exit cancel out).
"""

from __future__ import annotations

import sys
import time

import oskit
from oskit.magic import compile_into

PROGRAM = r"""
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
static ucontext_t main_uc, co_uc;
static char stack[16384];
static long n;
static void co(void) { for (;;) swapcontext(&co_uc, &main_uc); }
static void on_usr1(int sig) { (void)sig; }
int main(int argc, char **argv) {
    n = atol(argv[2]);
    if (strcmp(argv[1], "swap") == 0) {
        getcontext(&co_uc);
        co_uc.uc_stack.ss_sp = stack; co_uc.uc_stack.ss_size = sizeof stack; co_uc.uc_link = 0;
        makecontext(&co_uc, co, 0);
        for (long i = 0; i < n; i++)
            swapcontext(&main_uc, &co_uc);      /* there and back: two swaps */
    } else {
        signal(SIGUSR1, on_usr1);
        for (long i = 0; i < n; i++)
            raise(SIGUSR1);
    }
    return 0;
}
"""


def measure(k, what: str, n: int) -> tuple[int, float]:
    """(guest instructions, host seconds) of one run with ``n`` iterations."""
    p = k.spawn("/bin/ctx", ["ctx", what, str(n)])
    t = time.perf_counter()
    r = k.run(until=p.exited, max_instructions=200_000_000)
    return r.instructions, time.perf_counter() - t


def main(quick: bool = False) -> None:
    k = oskit.boot(programs=False)
    compile_into(k, "ctx", PROGRAM)
    lo, hi = (50, 250) if quick else (200, 2200)
    print(f"{'operation':<34}{'guest instr/op':>16}{'host us/op':>12}")
    for what, label, per in (("swap", "swapcontext (one switch)", 2), ("signal", "signal round trip (raise)", 1)):
        measure(k, what, lo)                       # warm-up
        i1, t1 = measure(k, what, lo)
        i2, t2 = measure(k, what, hi)
        ops = (hi - lo) * per
        print(f"{label:<34}{(i2 - i1) / ops:>16,.0f}{(t2 - t1) / ops * 1e6:>12,.1f}")


if __name__ == "__main__":
    main("--quick" in sys.argv)
