"""Golden programs: each tests/programs/kernel/NAME.c checks one UNIX promise on oskit's kernel.

Every NAME.expected was produced by compiling the same program natively with
the host's gcc and running it on Linux (tests/programs/check_native.py kernel),
so a pass means our kernel behaves as a real UNIX does for that program.
"""

from pathlib import Path

import pytest
from golden import run_golden

HERE = Path(__file__).resolve().parents[1] / "programs" / "kernel"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


def run_program(name: str, harts: int = 1):
    return run_golden(HERE / f"{name}.c", harts=harts)


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_unix(name):
    """The program prints on oskit exactly what it printed natively on Linux."""
    out, p, k = run_program(name)
    assert out == (HERE / f"{name}.expected").read_text()


# Programs whose processes interleave (signals between processes, preemption, stops):
# on two harts parent and child really run at the same time.
SMP = ["eintr_restart", "orphans", "preempt", "signal_mask", "stop_cont", "wait_status"]


@pytest.mark.parametrize("name", SMP)
def test_program_matches_unix_on_two_harts(name):
    """The same promise holds when the processes run on two harts at once."""
    out, p, k = run_program(name, harts=2)
    assert out == (HERE / f"{name}.expected").read_text()
