"""Benchmark: how fast the machine runs guest code, next to a peer emulator.

    python bench/mips.py [--quick]

Runs one compute-bound C program (bench/programs/sieve.c) and prints million
guest instructions per host second (MIPS) for:

- oskit bare-metal, M-mode, with the fast path (translated blocks: the default);
- oskit bare-metal with the plain interpreter (``hart.fast = False``);
- oskit as a user process on the kernel: U-mode with Sv39 translation on, the
  timer interrupting it and the kernel scheduling (boot and exec excluded);
- tinyrv (a pure-Python RV64 emulator with M/S/U and Sv39: the closest peer)
  running the same bare-metal ELF.

All rows are measured in the same run of this script, one after the other, so
their ratios mean something on a shared, noisy machine; the absolute figures
do not. The timings include only running the program, not building or loading
it. Each row runs the whole program and checks its exit code, so a broken
emulator cannot look fast.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import oskit
from oskit.machine import Machine
from oskit.toolchain import build

HERE = Path(__file__).parent
SIEVE = HERE / "programs" / "sieve.c"


def expected_exit(n: int) -> int:
    """What the sieve returns: the number of primes below n, modulo 256."""
    composite = bytearray(n)
    count = 0
    for i in range(2, n):
        if not composite[i]:
            count += 1
            composite[i + i::i] = b"\x01" * len(range(i + i, n, i))
    return count % 256


def run_oskit_bare(elf: Path, fast: bool) -> tuple[int, float, int]:
    """Instructions, host seconds and exit code of one bare-metal run."""
    m = Machine(harts=1, ram_mib=16)
    m.load_elf(elf)
    for hart in m.harts:
        hart.fast = fast
    start = time.perf_counter()
    result = m.run()
    seconds = time.perf_counter() - start
    if result.reason != "exit":
        raise SystemExit(f"oskit bare run did not exit: {result}")
    return result.instructions, seconds, result.exit_code


def run_oskit_user(elf: Path) -> tuple[int, float, int]:
    """Instructions, host seconds and exit status of the program as a user process."""
    k = oskit.boot(programs=False)
    k.install_program("/bin/sieve", elf.read_bytes())
    p = k.spawn("/bin/sieve", ["sieve"])
    start = time.perf_counter()
    result = k.run(until=p.exited)
    seconds = time.perf_counter() - start
    if not p.exited():
        raise SystemExit(f"oskit user run did not finish: {result}")
    return result.instructions, seconds, p.exit_status


def run_tinyrv(elf: Path) -> tuple[int, float, int]:
    """Instructions, host seconds and exit code of the same ELF on tinyrv."""
    import tinyrv
    from elftools.elf.elffile import ELFFile

    class Finished(Exception):
        pass

    with open(elf, "rb") as f:
        e = ELFFile(f)
        tohost = e.get_section_by_name(".symtab").get_symbol_by_name("tohost")[0].entry.st_value
        segments = [(s.header.p_paddr, s.data(), s.header.p_memsz) for s in e.iter_segments()
                    if s.header.p_type == "PT_LOAD"]
        entry = e.header.e_entry

    class Sim(tinyrv.sim):
        """tinyrv with the HTIF convention: a store to tohost ends the run."""

        def notify_stored(self, addr):
            if addr == tohost:
                raise Finished

    sim = Sim(xlen=64)
    for paddr, data, memsz in segments:
        sim.copy_in(paddr, data + bytes(memsz - len(data)))
    sim.pc = entry
    start = time.perf_counter()
    try:
        sim.run(trace=False)
    except Finished:
        pass
    seconds = time.perf_counter() - start
    code = int.from_bytes(sim.copy_out(tohost, 8), "little") >> 1
    return sim.cycle, seconds, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller sieve (for a smoke run)")
    args = parser.parse_args()
    n, rounds = (4000, 1) if args.quick else (20000, 3)
    flags = (f"-DN={n}", f"-DROUNDS={rounds}")
    bare = build([SIEVE], mode="bare", cflags=flags)
    user = build([SIEVE], mode="user", cflags=flags)
    want = expected_exit(n)

    rows = [
        ("oskit bare-metal, fast path", lambda: run_oskit_bare(bare, fast=True)),
        ("oskit bare-metal, plain interpreter", lambda: run_oskit_bare(bare, fast=False)),
        ("oskit user process (U-mode, Sv39, kernel)", lambda: run_oskit_user(user)),
        ("tinyrv bare-metal (peer)", lambda: run_tinyrv(bare)),
    ]
    print(f"sieve below {n}, {rounds} round(s); expected exit code {want}")
    print(f"{'emulator':44} {'instructions':>13} {'seconds':>8} {'MIPS':>7} {'vs tinyrv':>9}")
    results = []
    for name, run in rows:
        instructions, seconds, code = run()
        if code != want:
            print(f"{name}: exit code {code}, expected {want}", file=sys.stderr)
            return 1
        results.append((name, instructions, seconds, instructions / seconds / 1e6))
    peer = results[-1][3]
    for name, instructions, seconds, mips in results:
        print(f"{name:44} {instructions:>13,} {seconds:>8.2f} {mips:>7.2f} {mips / peer:>8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
