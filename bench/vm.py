"""Benchmark: the virtual memory system of oskit's kernel.

    python bench/vm.py [--quick]

Prints three tables:

1. demand-zero page faults: host faults per second and guest instructions per
   fault (a program touches one byte in each of N fresh anonymous pages; the
   figure is the difference between N pages and 0 pages, so boot, exec and
   exit cancel out);
2. fork cost against the mapped size (1, 16, 256 MiB, every page touched
   first; plus 256 MiB mapped but never touched): host milliseconds spent in
   the fork system call (timed with the syscall_entry/syscall_return probes),
   the parent's resident pages, and the growth ratio against 1 MiB.
   Copy-on-write makes fork's cost follow
   the number of resident pages (their PTEs are write-protected and shared),
   not the bytes: no page is copied;
3. eviction and return: a program writes and reads back 8 MiB in a 4 MiB
   machine; host microseconds per page that went out to swap and came back.

--quick uses smaller sizes (for a smoke test).
"""

from __future__ import annotations

import sys
import time

import oskit
from oskit.toolchain import build

TOUCH = r"""
#include <stdlib.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
    long pages = atol(argv[1]);
    char *p = mmap(0, (pages + 1) * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    for (long i = 0; i < pages; i++) p[i * 4096] = 1;
    return 0;
}
"""

FORK = r"""
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long mib = atol(argv[1]), touch = atol(argv[2]);
    char *p = mmap(0, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    if (touch)
        for (long i = 0; i < (mib << 20); i += 4096) p[i] = 1;
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        waitpid(pid, 0, 0);
    }
    return 0;
}
"""

PRESSURE = r"""
#include <stdlib.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
    long size = atol(argv[1]) << 20, bad = 0;
    unsigned long *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    for (long i = 0; i < size / 8; i += 512) p[i] = i;
    for (long i = 0; i < size / 8; i += 512) bad += p[i] != (unsigned long)i;
    return bad != 0;
}
"""


def install(k, name, src):
    k.install_program(f"/bin/{name}", build({f"{name}.c": src}, mode="user", name=name).read_bytes())


def run(k, name, *args):
    """Run /bin/name with args; returns (host seconds, guest instructions, process)."""
    p = k.spawn(f"/bin/{name}", [name, *map(str, args)])
    t0 = time.perf_counter()
    r = k.run(until=p.exited, max_instructions=2_000_000_000)
    dt = time.perf_counter() - t0
    if r.reason != "until" or p.exit_status != 0:
        raise RuntimeError(f"{name} {args}: {r}, status {p.exit_status}")
    return dt, r.instructions, p


def bench_zero_faults(pages: int) -> dict:
    k = oskit.boot(programs=False, ram_mib=128)
    install(k, "touch", TOUCH)
    run(k, "touch", 16)                                   # warm up the translated blocks
    t0, i0, p0 = run(k, "touch", 0)
    t1, i1, p1 = run(k, "touch", pages)
    faults = p1.rusage.minflt - p0.rusage.minflt
    return {"pages": pages, "faults": faults, "per_sec": faults / (t1 - t0), "instr": (i1 - i0) / faults}


def bench_fork(sizes: list[tuple[int, bool]]) -> list[dict]:
    rows = []
    for mib, touch in sizes:
        k = oskit.boot(programs=False, ram_mib=max(128, 2 * mib + 64))
        install(k, "forker", FORK)
        spent: list[float] = []
        started: dict = {}

        def entry(ev, started=started):
            if ev.record.name == "fork":
                started[ev.record.pid] = time.perf_counter()

        def ret(ev, started=started, spent=spent):
            if ev.record.name == "fork" and ev.record.pid in started:
                spent.append(time.perf_counter() - started.pop(ev.record.pid))
        resident: list[int] = []
        k.probes.subscribe("syscall_entry", entry)
        k.probes.subscribe("syscall_return", ret)
        k.probes.subscribe("fork", lambda ev: resident.append(k.procs[ev.pid].vmspace.rss))
        _, _, p = run(k, "forker", mib, int(touch))
        rows.append({"mib": mib, "touched": touch, "resident": max(resident),
                     "ms": 1000 * min(spent), "copies": k.vmstats.cow_copies})
    return rows


def bench_eviction(big_mib: int) -> dict:
    k = oskit.boot(programs=False, ram_mib=4)
    install(k, "pressure", PRESSURE)
    t0, _, _ = run(k, "pressure", 1)
    before = (k.vmstats.swap_outs, k.vmstats.swap_ins)
    t1, _, p = run(k, "pressure", big_mib)
    outs, ins = k.vmstats.swap_outs - before[0], k.vmstats.swap_ins - before[1]
    return {"mib": big_mib, "outs": outs, "ins": ins, "majflt": p.rusage.majflt,
            "us": 1e6 * (t1 - t0) / max(1, ins)}


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    z = bench_zero_faults(512 if quick else 4096)
    print("demand-zero faults")
    print(f"  {'pages':>8} {'faults':>8} {'faults/host s':>14} {'guest instr/fault':>18}")
    print(f"  {z['pages']:>8} {z['faults']:>8} {z['per_sec']:>14.0f} {z['instr']:>18.0f}")
    print()
    sizes = [(1, True), (4, True)] if quick else [(1, True), (16, True), (256, True), (256, False)]
    rows = bench_fork(sizes)
    base = rows[0]["ms"]
    print("fork cost against mapped size (copy-on-write; host ms in the fork system call, best of 3)")
    print(f"  {'mapped':>8} {'touched':>8} {'resident':>9} {'fork ms':>9} {'us/page':>8} {'ratio vs 1 MiB':>15} "
          f"{'bytes ratio':>12} {'COW copies':>11}")
    for r in rows:
        print(f"  {r['mib']:>5} MiB {'yes' if r['touched'] else 'no':>8} {r['resident']:>9} {r['ms']:>9.2f} "
              f"{1000 * r['ms'] / r['resident']:>8.1f} {r['ms'] / base:>15.1f} "
              f"{r['mib'] / rows[0]['mib']:>12.0f} {r['copies']:>11}")
    print()
    e = bench_eviction(4 if quick else 8)
    print("eviction and return (4 MiB of RAM)")
    print(f"  {'written':>8} {'swap outs':>10} {'swap ins':>9} {'majflt':>7} {'host us per round trip':>23}")
    print(f"  {e['mib']:>4} MiB {e['outs']:>10} {e['ins']:>9} {e['majflt']:>7} {e['us']:>23.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
