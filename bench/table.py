"""Benchmark: the figures a reader and a class server meet, beside the previous release's, in one table.

    python bench/table.py [--against REF] [--book] [--rounds N]

Each figure is measured in a fresh Python process (what a reader's notebook
kernel sees), for this checkout and for the previous release, alternately,
in the same run of this script: on a shared, noisy machine the ratio of
the two columns means something, the absolute figures less. The previous
release is a git commit (default: the one in bench/BASELINE), checked out
into a temporary worktree and imported from there; its compiled programs
come from the same cache, keyed by their sources.

    boot                 oskit.boot() with /bin installed, the first boot in a process (ms)
    boot + echo RSS      peak resident memory of a process that boots and runs /bin/echo (MiB)
    getppid round trip   host CPU time per call, from a guest program making 60,000 of them,
                         with the trace and the audit trail off (us)
    user-mode MIPS       the sieve (bench/programs/sieve.c) as a user process: U-mode, Sv39,
                         the timer and the scheduler on (million instructions per CPU second)
    bare-metal MIPS      the same sieve bare-metal in M-mode on the fast path
    the book (--book)    every chapter under strict nbval, wall time (s)

Each figure is the best of --rounds runs (default 3): the least disturbed one.
The goals are issue 15's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Each probe prints one number. It uses only what both releases have.
PROBES = {
    "boot": ("ms", "<= 100", min, """
import time, oskit, oskit.kernel.kernel
t = time.perf_counter(); oskit.boot(); print((time.perf_counter() - t) * 1e3)
"""),
    "boot + echo RSS": ("MiB", "<= 64", min, """
import oskit
k = oskit.boot(); p = k.spawn("/bin/echo", ["echo", "hi"]); k.run(until=p.exited)
assert p.stdout == "hi\\n"
# VmHWM: this process's own peak (ru_maxrss would add the parent's, which vfork()ed it)
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024)
"""),
    "getppid round trip": ("us", "<= 25", min, """
import time, oskit
from oskit.toolchain import build
SRC = '''#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) { long n = atol(argv[1]); for (long i = 0; i < n; i++) getppid(); return 0; }
'''
k = oskit.boot(programs=False)
k.install_program("/bin/gp", build({"gp.c": SRC}, mode="user").read_bytes())
k.trace.enabled = False
k.audit.enabled = False
def run(n):
    p = k.spawn("/bin/gp", ["gp", str(n)])
    t = time.process_time(); k.run(until=p.exited); t = time.process_time() - t
    assert p.exit_status == 0
    return t
run(1000)                                   # warm: the code paths are translated into blocks
print((run(60000) - run(10000)) / 50000 * 1e6)
"""),
    "user-mode MIPS": ("MIPS", ">= 20", max, """
import time, oskit
from oskit.toolchain import build
elf = build([{sieve!r}], mode="user", cflags=("-DN=20000", "-DROUNDS=2"))
k = oskit.boot(programs=False)
k.install_program("/bin/sieve", elf.read_bytes())
p = k.spawn("/bin/sieve", ["sieve"])
t = time.process_time(); r = k.run(until=p.exited); t = time.process_time() - t
assert p.exited()
print(r.instructions / t / 1e6)
"""),
    "bare-metal MIPS": ("MIPS", ">= 15", max, """
import time
from oskit.machine import Machine
from oskit.toolchain import build
m = Machine(harts=1, ram_mib=16)
m.load_elf(build([{sieve!r}], mode="bare", cflags=("-DN=20000", "-DROUNDS=2")))
t = time.process_time(); r = m.run(); t = time.process_time() - t
assert r.reason == "exit"
print(r.instructions / t / 1e6)
"""),
}


def probe(root: Path, code: str) -> float:
    """Run one probe in a fresh interpreter that imports oskit from ``root``; its printed number."""
    env = dict(os.environ, PYTHONPATH=str(root))
    code = "import sys; sys.path.insert(0, %r)\n" % str(root) + code
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=root, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"probe failed under {root}:\n{out.stderr[-2000:]}")
    return float(out.stdout.split()[-1])


def book_seconds(root: Path) -> float:
    """Wall time of every chapter under strict nbval, as `make test` runs them."""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks"],
                         capture_output=True, text=True, cwd=root, env=dict(os.environ, PYTHONPATH=str(root)))
    if out.returncode != 0:
        raise RuntimeError(f"the book failed under {root}:\n{out.stdout[-2000:]}")
    return time.perf_counter() - t


def worktree(ref: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), ref],
                   check=True, capture_output=True)
    return where


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default=(HERE / "BASELINE").read_text().split()[0],
                        help="the previous release: a git commit (default: bench/BASELINE)")
    parser.add_argument("--book", action="store_true", help="also time the whole book under nbval (minutes)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="oskit-prev-") as tmp:
        prev = worktree(args.against, Path(tmp) / "prev")
        try:
            rows = []
            for name, (unit, goal, best, code) in PROBES.items():
                figures = {"prev": [], "now": []}
                for _ in range(args.rounds):        # alternate, so both columns meet the same noise
                    for label, root in (("prev", prev), ("now", ROOT)):
                        sieve = str(root / "bench" / "programs" / "sieve.c")
                        figures[label].append(probe(root, code.replace("{sieve!r}", repr(sieve))))
                rows.append((name, unit, best(figures["prev"]), best(figures["now"]), goal))
            if args.book:
                rows.append(("the book under nbval", "s", book_seconds(prev), book_seconds(ROOT), "<= 20"))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(prev)],
                           capture_output=True)

    print(f"previous release: {args.against}; now: this checkout; best of {args.rounds} fresh processes each")
    print(f"{'figure':<22} {'unit':<5} {'previous':>10} {'now':>10} {'ratio':>7}  goal")
    for name, unit, before, now, goal in rows:
        print(f"{name:<22} {unit:<5} {before:>10.1f} {now:>10.1f} {now / before:>6.2f}x  {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
