"""Differential testing against QEMU: run random instruction sequences on oskit's machine and on QEMU.

    python tools/qemudiff.py --count 100000 --seed 1          # sequences with seeds 1 .. 100000
    python tools/qemudiff.py --seed 4242 --count 1 --show     # one sequence: its listing and trap logs
    python tools/qemudiff.py --plain ...                      # oskit's plain interpreter, no translated blocks
    python tools/qemudiff.py --aligned ...                    # without misaligned plain loads and stores

Each sequence is random RV64IMA + Zicsr code run in M, S or U mode, with or
without Sv39, with traps (tests/difftest/gen.py says what and how). Sequences
run in batches, one QEMU launch and one oskit Machine per batch; the state
every sequence leaves (registers, CSRs, trap log, data pages, page table) is
compared. A difference is reported with its seed, the first thing that
differs, and the instruction after which the two machines first disagree.
Differences that the specification allows, or where QEMU 7.2 departs from
it, are accepted by rules (tests/difftest/run.py, KNOWN); how often each rule
was needed is printed at the end.

Needs qemu-system-riscv64 (Debian: apt-get install qemu-system-misc). Exit
status: 0 when everything matched, 1 when something differed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from difftest import gen, run  # noqa: E402  (after the path set-up above)


def show(seq: gen.Sequence, batch: gen.Batch) -> None:
    """Print a sequence's start state, its listing, and both machines' trap logs."""
    from oskit.machine.decode import disassemble

    code = seq.slot_addresses(0)["code"]
    print(f"seed {seq.seed}: mode {seq.mode}, Sv39 {'on' if seq.sv39 else 'off'}, medeleg {seq.medeleg:#x}, "
          f"mstatus {seq.mstatus:#x}")
    for index, flags in sorted(seq.ptes.items()):
        print(f"  level-0 PTE [{index}] flags {flags:#04x}")
    for name, value in seq.pointer_values(0).items():
        print(f"  {name} = {value:#x}")
    for i, word in enumerate(batch.code_words(0)):
        print(f"  {i:4} {code + 4 * i:#010x}  {word:08x}  {disassemble(word, code + 4 * i):34}  ; {seq.lines[i]}")
    ours, qemu = run.run_both(batch)
    for name, data in (("oskit", ours), ("QEMU", qemu)):
        print(f"{name}: traps (cause, tval, epc, status):")
        for entry in run.log_entries(data, 0):
            print("   ", " ".join(f"{v:#x}" for v in entry))
    d = run.compare_slot(batch, 0, ours, qemu)
    print(run.explain(batch, d) if d else "no difference")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--count", type=int, default=1000, help="how many sequences (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="the first sequence's seed; the others follow (default 0)")
    p.add_argument("--batch", type=int, default=400, help="sequences per QEMU launch (default 400)")
    p.add_argument("--length", type=int, default=120, help="instructions per sequence (default 120)")
    p.add_argument("--aligned", action="store_true",
                   help="no misaligned plain loads/stores (both machines perform them in hardware by default). "
                        "AMOs and LR/SC may be misaligned in any case")
    p.add_argument("--plain", action="store_true",
                   help="run oskit's plain interpreter only (default: with its translated blocks, as run() does)")
    p.add_argument("--explain", type=int, default=5, help="locate the culprit of the first N differences")
    p.add_argument("--show", action="store_true", help="with --count 1: print the sequence and both trap logs")
    args = p.parse_args(argv)
    if not run.qemu_available():
        print(f"{run.QEMU} not found (Debian: apt-get install qemu-system-misc)")
        return 2
    if args.show:
        seq = gen.Sequence(args.seed, length=args.length, misaligned=not args.aligned)
        show(seq, gen.Batch([seq]))
        return 0
    used: dict[str, int] = {}
    differing = explained = done = 0
    started = time.monotonic()
    for first in range(args.seed, args.seed + args.count, args.batch):
        n = min(args.batch, args.seed + args.count - first)
        batch = gen.Batch([gen.Sequence(s, length=args.length, misaligned=not args.aligned)
                           for s in range(first, first + n)])
        ours, qemu = run.run_both(batch, plain=args.plain)
        diffs = run.compare(batch, ours, qemu, used)
        done += n
        differing += len(diffs)
        for d in diffs:
            if explained < args.explain:
                print(run.explain(batch, d), flush=True)
                explained += 1
            else:
                print(f"seed {d.seed}: {d.where}: oskit {d.ours:#x}, QEMU {d.qemu:#x}", flush=True)
        rate = done / (time.monotonic() - started)
        print(f"[{done}/{args.count}] seeds {first}..{first + n - 1}: {len(diffs)} differ; "
              f"{differing} so far; {rate:.0f} sequences/s", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started
    print(f"{done} sequences (seeds {args.seed}..{args.seed + args.count - 1}, {args.length} instructions each) "
          f"in {elapsed:.0f} s: {differing} differ")
    for name, n in sorted(used.items(), key=lambda kv: -kv[1]):
        print(f"  allowed {n:8} x  {name}: {run.KNOWN[name].why}")
    sys.stdout.flush()
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
