"""Benchmark: what a snapshot, a restore and a step back cost, at a few machine sizes.

    python bench/timetravel.py

For each RAM size: boot a kernel, start the sieve of bench/mips.py as a user
process (it writes a 20,000-byte array over and over), run 200,000
instructions, then measure (host CPU time, median of 5):

- snapshot     k.snapshot() of the booted, running kernel
- restore      k.restore() of that snapshot
- pages        RAM pages the snapshot holds (those that are not all zeros), and how many
               of them a second snapshot, 50,000 instructions later, had to copy anew
- MB           host memory that second snapshot took (tracemalloc): what each automatic
               snapshot of a step history costs
- step back    k.step_back(1) after 200 single steps (a snapshot before the first one, so
               it restores and replays 199 steps), and after 200 steps with history.every = 1
               (a snapshot before every step: restore only)
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

from pathlib import Path

import oskit
from oskit.toolchain import build

SIEVE = Path(__file__).with_name("programs") / "sieve.c"


def cpu(fn, repeat: int = 5) -> float:
    """Median host CPU seconds of fn()."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def measure(ram_mib: int, sieve: bytes) -> dict:
    k = oskit.boot(ram_mib=ram_mib)
    k.install_program("/bin/sieve", sieve)
    p = k.spawn("/bin/sieve", ["sieve"])
    k.run(max_instructions=200_000)
    snap = k.snapshot()
    row = {"ram": ram_mib, "snapshot": cpu(k.snapshot), "restore": cpu(lambda: k.restore(snap))}
    k.restore(snap)
    k.run(max_instructions=50_000)
    tracemalloc.start()
    later = k.snapshot()
    row["MB"] = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    row["pages"] = snap.pages
    row["new pages"] = sum(1 for i, page in later.ram.items() if snap.ram.get(i) is not page)
    k.restore(snap)
    for _ in range(200):
        k.step()
    t = time.process_time()
    k.step_back(1)
    row["back (replay 199)"] = time.process_time() - t
    k.restore(snap)
    k.history.clear()
    k.history.every = 1
    for _ in range(200):
        k.step()
    row["back (restore only)"] = cpu(lambda: (k.step(), k.step_back(1)), repeat=5)
    k.run(until=p.exited)
    return row


def main() -> None:
    sieve = build([SIEVE], mode="user", cflags=("-DN=20000", "-DROUNDS=3")).read_bytes()
    rows = [measure(mib, sieve) for mib in (16, 128, 512)]
    keys = list(rows[0])
    print("  ".join(f"{k:>19}" for k in keys))
    for r in rows:
        print("  ".join(f"{r[k]:>19.4f}" if isinstance(r[k], float) else f"{r[k]:>19}" for k in keys))


if __name__ == "__main__":
    main()
