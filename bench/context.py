"""Benchmark: swapcontext against a signal round trip, on oskit's kernel.

    python bench/context.py [--quick]

- swapcontext: two contexts switching back and forth (one system call per switch);
- signal round trip: raise(SIGUSR1) to the caller with an empty handler
  (kill, delivery: the frame pushed on the user stack, the handler, sigcode,
  sigreturn).

For each: guest instructions (user code and trampoline), guest time (which
includes the kernel's cost model, kern/ktime.py) and host time per operation,
as the difference between two runs with different counts divided by the
difference (boot, exec and exit cancel out). The program and the measurement
are oskit.book.checks_priority's CONTEXT_PROGRAM and context_costs(), which
chapter 5 runs too.
"""

from __future__ import annotations

import sys

from oskit.book.checks_priority import context_costs


def main(quick: bool = False) -> None:
    lo, hi = (50, 250) if quick else (200, 2200)
    print(f"{'operation':<28}{'guest instr/op':>16}{'guest us/op':>13}{'host us/op':>12}")
    for c in context_costs(lo, hi):
        print(f"{c.operation:<28}{c.instructions:>16,.1f}{c.guest_us:>13,.2f}{c.host_us:>12,.1f}")


if __name__ == "__main__":
    main("--quick" in sys.argv)
