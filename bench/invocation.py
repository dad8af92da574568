"""Benchmark: the invocation path -- clock_gettime through the shared page vs the system call, and SBI.

    python bench/invocation.py [--quick]

Prints a table: per call, guest instructions, cycles (instructions plus the
kernel's Python work, by kern/ktime.py's model) and host microseconds, for

- clock_gettime(CLOCK_MONOTONIC) through the shared page (libc: rdtime and the
  timekeep data, no trap);
- the same call with the page turned off (kern.timecounter.fast_gettime = 0):
  an ecall, the trampoline, the Python kernel, sret;
- one SBI call from the kernel (BASE get_spec_version): ecall from S to the
  M-mode firmware and mret back.

The clock figures are the difference of a run of 2n calls and a run of n, over
n (oskit/book/checks_invocation.py measure_clock, which the chapter uses too).
"""

from __future__ import annotations

import sys

import oskit
from oskit.book.checks_invocation import measure_clock, measure_sbi


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    k = oskit.boot(programs=False)
    rows = measure_clock(k, 2000 if quick else 20000)
    rows.append(measure_sbi(k, 200 if quick else 2000))
    print(f"{'per call':<14} {'instructions':>13} {'cycles':>10} {'host us':>9} {'syscalls':>9}")
    for r in rows:
        print(f"{r.how:<14} {r.instructions:>13.1f} {r.cycles:>10.1f} {r.host_us:>9.2f} {r.syscalls:>9.2f}")
    page, sys_ = rows[0], rows[1]
    print(f"\nthe system call costs {sys_.instructions / page.instructions:.1f}x the instructions, "
          f"{sys_.cycles / page.cycles:.1f}x the cycles and {sys_.host_us / max(page.host_us, 1e-9):.1f}x "
          "the host time of the page")


if __name__ == "__main__":
    main(sys.argv[1:])
