"""Fuzz the kernel's system calls from a guest program, and check its invariants after every round.

    .venv/bin/python tools/fuzz_syscalls.py --calls 100000 --seed 1 --harts 2

One kernel is booted; each *round* starts one supervisor per hart
(oskit/userland/fuzz/syscall_fuzz.c: it forks workers that make random
system calls with hostile arguments and kills the ones that hang), runs the
machine until they have exited, ends whatever they left behind (orphans that
still sleep or spin get SIGKILL from here), and then checks every invariant of
oskit/kernel/kern/invariants.py (also every CHECK_EVERY instructions inside a
round, while the workers are alive). The calls and their errnos are counted from
the kernel's own "syscall_entry"/"syscall_return" probes, so nothing depends
on what a worker managed to record about itself.

It stops at the first panic, escaped Python exception or broken invariant and
says in which round it happened (the run is deterministic: the same --seed,
--harts and --ram repeat it exactly); with --keep-going it reports the problem,
boots a fresh kernel and goes on. Otherwise it runs until --calls calls have
been made and prints the figures (calls per second, errnos, how workers
ended). The calls counted include each worker's few set-up calls (open,
dup2, setgid, setuid, mmap, munmap, two sigactions). The test
tests/kernel/test_syscall_fuzz.py runs a small fuzz; tests/kernel/test_fuzz_findings.py
keeps the bugs found so far fixed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import oskit
from oskit.kernel.errno import errno_name
from oskit.kernel.kern.invariants import check_invariants
from oskit.kernel.kern.signal import SIGKILL
from oskit.toolchain import build

PROGRAM = Path(oskit.__file__).resolve().parent / "userland" / "fuzz" / "syscall_fuzz.c"
NAME = "syscall_fuzz"
WORKERS = 8                    # workers per supervisor per round
CALLS_PER_WORKER = 150
TIMEOUT_MS = 20                # emulated milliseconds a worker may take before the supervisor kills it
ROUND_INSTRUCTIONS = 200_000_000   # a round that runs longer than this is itself a finding (~20x usual)
CHECK_EVERY = 250_000          # instructions between two checks of the invariants inside a round


@dataclass
class FuzzReport:
    """What a fuzz run did and found."""

    calls: int = 0                                  # system calls the fuzz processes made
    rounds: int = 0
    seconds: float = 0.0
    errnos: Counter = field(default_factory=Counter)     # "OK", "EFAULT", ... -> count
    by_call: Counter = field(default_factory=Counter)    # call name -> count
    workers: Counter = field(default_factory=Counter)    # "exited", "signalled", "timeouts"
    invariant_checks: int = 0
    problems: list[str] = field(default_factory=list)    # broken invariants, panics, escaped exceptions
    failed_round: tuple | None = None                    # (round, seeds) that reproduce a problem

    @property
    def calls_per_second(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        lines = [f"{self.calls} system calls in {self.rounds} rounds, {self.seconds:.1f} s "
                 f"({self.calls_per_second:.0f} calls/s); invariants checked {self.invariant_checks} times",
                 "workers: " + ", ".join(f"{k} {v}" for k, v in sorted(self.workers.items())),
                 "results: " + ", ".join(f"{k} {v}" for k, v in self.errnos.most_common())]
        if self.problems:
            lines.append(f"PROBLEMS (the first in round {self.failed_round[0]}, seeds {self.failed_round[1]}):")
            lines += [f"  {p}" for p in self.problems]
        else:
            lines.append("no panic, no escaped exception, every invariant held")
        return "\n".join(lines)


def fuzz(calls: int, seed: int = 1, harts: int = 1, *, workers: int = WORKERS,
         calls_per_worker: int = CALLS_PER_WORKER, timeout_ms: int = TIMEOUT_MS,
         ram_mib: int = 32, check_every: int = CHECK_EVERY, keep_going: bool = False, log=None) -> FuzzReport:
    """Run rounds until ``calls`` calls were made or a problem showed; returns the report.

    ``check_every``: instructions between two invariant checks inside a round (they are
    checked at its end too). ``keep_going``: after a problem, boot a fresh kernel and go
    on (every problem is reported).
    """
    report = FuzzReport()
    elf = build([PROGRAM], mode="user", name=NAME).read_bytes()
    fuzz_pids: set[int] = set()
    start = time.monotonic()
    k = None
    while report.calls < calls:
        if k is None:
            k = boot(harts, ram_mib, fuzz_pids, report)
        seeds = [seed * 1_000_003 + report.rounds * 64 + h for h in range(harts)]
        problems = one_round(k, elf, seeds, workers, calls_per_worker, timeout_ms, fuzz_pids, report,
                             check_every)
        report.rounds += 1
        report.invariant_checks += 1
        if log is not None:
            log(f"round {report.rounds}: {report.calls} calls, {time.monotonic() - start:.0f} s"
                + (f", {len(problems)} PROBLEMS" if problems else ""))
        if problems:
            report.problems += [f"round {report.rounds} (seeds {seeds}): {p}" for p in problems]
            report.failed_round = report.failed_round or (report.rounds, seeds)
            if not keep_going:
                break
            k = None                        # the next round starts on a fresh kernel
            fuzz_pids.clear()
    report.seconds = time.monotonic() - start
    return report


def boot(harts: int, ram_mib: int, fuzz_pids: set[int], report: FuzzReport):
    """A fresh kernel whose probes count the fuzz processes' calls into ``report``."""
    k = oskit.boot(harts=harts, ram_mib=ram_mib, programs=False)

    def entered(ev):
        if ev.record.pid in fuzz_pids:
            report.calls += 1
            report.by_call[ev.record.name] += 1

    def returned(ev):
        if ev.record.pid in fuzz_pids:
            report.errnos[errno_name(ev.record.errno) if ev.record.errno else "OK"] += 1

    def forked(ev):
        if ev.pid in fuzz_pids:
            fuzz_pids.add(ev.child)

    k.probes.subscribe("syscall_entry", entered)
    k.probes.subscribe("syscall_return", returned)
    k.probes.subscribe("fork", forked)
    return k


def one_round(k, elf: bytes, seeds: list[int], workers: int, calls_per_worker: int, timeout_ms: int,
              fuzz_pids: set[int], report: FuzzReport, check_every: int) -> list[str]:
    """One supervisor per seed, run to their end; leftovers killed; returns the problems found.

    A problem is a panic, an exception out of the kernel (it should have panicked
    instead), a round that does not end, or a broken invariant.
    """
    # A root worker may have unlinked or truncated the program: put it back every round.
    k.vfs.install_file(f"/bin/{NAME}", elf, 0o755)
    try:
        sups = [k.spawn(f"/bin/{NAME}", [NAME, str(s), str(workers), str(calls_per_worker), str(timeout_ms)],
                        cwd="/tmp") for s in seeds]
        fuzz_pids.update(p.pid for p in sups)
        # The round runs in slices, and the invariants are checked between them too: then
        # workers are alive, share pages copy-on-write, sleep, run threads on every hart.
        ran, r = 0, None
        while ran < ROUND_INSTRUCTIONS:
            r = k.run(until=lambda: all(p.exited() for p in sups), max_instructions=check_every)
            ran += r.instructions
            if r.reason != "limit":
                break
            report.invariant_checks += 1
            problems = check_invariants(k)
            if problems:
                return [f"after {ran} instructions of the round: {p}" for p in problems]
        if r.reason == "panic":
            return [f"panic: {r.detail}"]
        problems = []
        if r.reason != "until":
            problems.append(f"round: the supervisors did not end ({r.reason}: {r.detail})\n{k.ps()}")
        for p in sups:
            line = p.stdout.strip().splitlines()[-1:] or [""]
            words = line[0].split()
            if words[:2] == ["fuzz:", "workers"] and len(words) == 9:
                report.workers.update({"exited": int(words[4]), "signalled": int(words[6]),
                                       "timeouts": int(words[8])})
            else:
                problems.append(f"round: supervisor {p.pid} ended with {p.exit_status} ({p.exit_reason}), "
                                f"printing {p.stdout[-200:]!r}")
        # Whatever is left (an orphan asleep for ever, a grandchild spinning): SIGKILL, then let init reap.
        leftovers = [q for q in k.procs.values() if q.pid in fuzz_pids and q.xstat is None]
        for q in leftovers:
            k.psignal(q, SIGKILL)
        report.workers["left over, killed by the driver"] += len(leftovers)
        r = k.run(until=lambda: not any(q.pid in fuzz_pids for q in k.procs.values()),
                  max_instructions=50_000_000)
        if r.reason == "panic":
            return [f"panic: {r.detail}"]
        if r.reason != "until":
            problems.append(f"round: init did not reap the fuzz processes ({r.reason})\n{k.ps()}")
        fuzz_pids.clear()
        k.trace.clear()                     # the tracer formats every call (hostile arguments too); keep none
        return problems + check_invariants(k)
    except Exception as exc:                # an exception out of k.run/k.spawn: the kernel let one escape
        return [f"exception: {type(exc).__name__}: {exc}\n{traceback.format_exc()}"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=10_000, help="system calls to make in all (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the first round (default 1)")
    ap.add_argument("--harts", type=int, default=1, help="harts, and supervisors per round (default 1)")
    ap.add_argument("--ram", type=int, default=32, help="MiB of RAM (default 32: the pager gets work)")
    ap.add_argument("--keep-going", action="store_true", help="after a problem, go on with a fresh kernel")
    ap.add_argument("--quiet", action="store_true", help="no line per round")
    args = ap.parse_args(argv)
    report = fuzz(args.calls, args.seed, args.harts, ram_mib=args.ram, keep_going=args.keep_going,
                  log=None if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True)))
    print(report.summary())
    print("calls: " + ", ".join(f"{k} {v}" for k, v in report.by_call.most_common()))
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
