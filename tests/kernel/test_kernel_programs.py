"""Golden programs: each tests/programs/kernel/NAME.c checks one UNIX promise on oskit's kernel.

Every NAME.expected was produced by compiling the same program natively with
the host's gcc and running it on Linux (tests/programs/check_native.py kernel),
so a pass means our kernel behaves as a real UNIX does for that program.
"""

from pathlib import Path

import pytest

import oskit
from oskit.toolchain import build

HERE = Path(__file__).resolve().parents[1] / "programs" / "kernel"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


def run_program(name: str, max_instructions: int = 60_000_000, harts: int = 1):
    """Boot a kernel, run /bin/NAME in /tmp, return (output as the host test prints it, process)."""
    k = oskit.boot(programs=False, harts=harts)
    elf = build([HERE / f"{name}.c"], mode="user", name=name)
    k.install_program(f"/bin/{name}", elf.read_bytes())
    p = k.spawn(f"/bin/{name}", [f"/bin/{name}"], cwd="/tmp")
    r = k.run(until=p.exited, max_instructions=max_instructions)
    assert r.reason == "until", f"{name}: the run ended with {r} before the program exited\n{k.ps()}"
    out = p.stdout + (f"[exit {p.exit_status}]\n" if p.exit_status else "")
    return out, p, k


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_unix(name):
    """The program prints on oskit exactly what it printed natively on Linux."""
    out, p, k = run_program(name)
    assert k.panic_report is None, str(k.panic_report)
    assert out == (HERE / f"{name}.expected").read_text()


# Programs whose processes interleave (signals between processes, preemption, stops):
# on two harts parent and child really run at the same time.
SMP = ["eintr_restart", "orphans", "preempt", "signal_mask", "stop_cont", "wait_status"]


@pytest.mark.parametrize("name", SMP)
def test_program_matches_unix_on_two_harts(name):
    """The same promise holds when the processes run on two harts at once."""
    out, p, k = run_program(name, harts=2)
    assert k.panic_report is None, str(k.panic_report)
    assert out == (HERE / f"{name}.expected").read_text()
