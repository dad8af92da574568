"""Run the official RISC-V ISA tests (riscv-tests) on oskit's machine and print a table.

    python tools/riscv_tests.py DIR [--limit N] [--plain] [NAME ...]

DIR holds test programs built from https://github.com/riscv-software-src/riscv-tests
(with its env/ submodule, https://github.com/riscv/riscv-test-env), named as
riscv-tests' own Makefiles name them: ``rv64ui-p-add``, ``rv64ua-v-lrsc``,
``rv64mi-p-breakpoint``, ... Every file whose name looks like that runs; files
with a suffix (``.dump``, ``.log``) and anything else are left alone. NAMEs,
when given, keep only the tests whose name contains one of them.

How a test tells its verdict (riscv-tests' env/p and env/v, ``riscv_test.h``):
the program defines the symbol ``tohost`` and ends by writing to it, which
oskit's machine understands (HTIF, see oskit/machine/htif.py):

    RVTEST_PASS   writes 1                 -> exit code 0: pass
    RVTEST_FAIL   writes (TESTNUM << 1) | 1 -> exit code TESTNUM: the number of
                                              the test case that failed (the
                                              TEST_CASE numbers in the source)

A test that has not written ``tohost`` after --limit instructions is counted
as a failure ("no verdict"), as is one that stops for any other reason.

The exit status is 0 when every test passed, 1 otherwise (2: nothing to run).

Building the tests is not part of oskit (nothing fetched is kept in this
repository). One way, with the clang inside ziglang that oskit uses anyway:

    CC="python -m ziglang cc -target riscv64-freestanding-none
        -mcpu=generic_rv64+m+a+zifencei+zicsr -mabi=lp64 -mcmodel=medany
        -mno-relax -static -nostdlib -fno-pic"
    $CC -Ienv/p -Iisa/macros/scalar -T env/p/link.ld isa/rv64ui/add.S -o rv64ui-p-add

(and, for a -v test, env/v/entry.S env/v/*.c with -Ienv/v, -O2 and
``-DENTROPY=0x<7 hex digits>``). clang needs three small edits that GNU as does
not: ``FLAGS(7)`` for ``FLAGS(SHF_ALLOC | SHF_EXECINSTR)`` in the linker
scripts, no ``.global mtvec_handler``/``stvec_handler`` in the tests (the env
declares them weak), and a ``.word 0x00301073`` for the ``fssr x0`` in
env/v/vm.c (this machine has no F extension, so that line never runs).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# Make `python tools/riscv_tests.py` work from a checkout without installing oskit.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oskit.machine import Machine  # noqa: E402

TEST_NAME = re.compile(r"^rv(32|64)[a-z]+-(p|v|pm|pt)-[A-Za-z0-9_-]+$")
DEFAULT_LIMIT = 5_000_000


@dataclass(frozen=True)
class Verdict:
    """What one test did: passed or not, a short text for the table, instructions executed."""

    name: str
    passed: bool
    text: str
    instructions: int


def find_tests(folder: Path, names: list[str]) -> list[Path]:
    """The riscv-tests programs in folder (see the module docstring), sorted by name."""
    tests = [p for p in folder.iterdir() if p.is_file() and TEST_NAME.match(p.name)]
    if names:
        tests = [p for p in tests if any(n in p.name for n in names)]
    return sorted(tests, key=lambda p: p.name)


def run_test(path: Path, limit: int = DEFAULT_LIMIT, fast: bool = True) -> Verdict:
    """Run one test program bare-metal and read its verdict from tohost."""
    m = Machine()
    try:
        image = m.load_elf(path)
    except Exception as e:  # a broken file is a failed test, not the end of the run
        return Verdict(path.name, False, f"not loadable: {e}", 0)
    if "tohost" not in image.symbols:
        return Verdict(path.name, False, "no tohost symbol: not a riscv-tests program", 0)
    for hart in m.harts:
        hart.fast = fast
    result = m.run(max_instructions=limit)
    if result.reason == "exit":
        if result.exit_code == 0:
            return Verdict(path.name, True, "pass", result.instructions)
        return Verdict(path.name, False, f"FAIL at test {result.exit_code}", result.instructions)
    if result.reason == "limit":
        return Verdict(path.name, False, f"no verdict after {limit} instructions", result.instructions)
    return Verdict(path.name, False, f"{result.reason}: {result.detail}", result.instructions)


def suite_of(name: str) -> str:
    """rv64ui-p-add -> rv64ui-p (the suite and environment, as the table groups them)."""
    isa, env, _ = name.split("-", 2)
    return f"{isa}-{env}"


def print_table(verdicts: list[Verdict], out=sys.stdout) -> None:
    """One row per test, a line per suite, and the total."""
    width = max(len(v.name) for v in verdicts)
    print(f"{'test':{width}}  {'instructions':>12}  verdict", file=out)
    for v in verdicts:
        print(f"{v.name:{width}}  {v.instructions:>12,}  {v.text}", file=out)
    print(file=out)
    suites: dict[str, list[Verdict]] = {}
    for v in verdicts:
        suites.setdefault(suite_of(v.name), []).append(v)
    for suite, vs in suites.items():
        print(f"{suite:{width}}  {sum(v.passed for v in vs):>5}/{len(vs)} passed", file=out)
    passed = sum(v.passed for v in verdicts)
    print(f"{'total':{width}}  {passed:>5}/{len(verdicts)} passed", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of riscv-tests programs (rv64ui-p-add, ...)")
    parser.add_argument("names", nargs="*", help="run only the tests whose name contains one of these")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                        help=f"instructions a test may run before it counts as failed (default {DEFAULT_LIMIT})")
    parser.add_argument("--plain", action="store_true", help="use the plain interpreter, not the fast path")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    tests = find_tests(args.folder, args.names)
    if not tests:
        print(f"no riscv-tests programs (named like rv64ui-p-add) in {args.folder}", file=sys.stderr)
        return 2
    verdicts = [run_test(t, args.limit, fast=not args.plain) for t in tests]
    print_table(verdicts)
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
