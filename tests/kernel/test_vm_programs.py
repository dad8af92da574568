"""Golden VM programs: each tests/programs/vm/NAME.c checks one promise of the virtual memory system.

Every NAME.expected was produced by compiling the same program natively with
the host's gcc and running it on Linux (tests/programs/vm/check_native.py),
so a pass means oskit's VM behaves there as a real UNIX does. The tests
below the parametrized one look inside the kernel (k.vmstats, rusage) while
such a program runs.
"""

from pathlib import Path

import pytest

import oskit
from oskit.toolchain import build

HERE = Path(__file__).resolve().parents[1] / "programs" / "vm"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))
RAM_MIB = {"pressure": 4}          # programs that must run with little RAM


def run_program(name: str, ram_mib: int | None = None, harts: int = 1, max_instructions: int = 200_000_000):
    """Boot a kernel, run /bin/NAME in /tmp; returns (output as the host test prints it, process, kernel)."""
    k = oskit.boot(programs=False, ram_mib=ram_mib or RAM_MIB.get(name, 128), harts=harts)
    elf = build([HERE / f"{name}.c"], mode="user", name=name)
    k.install_program(f"/bin/{name}", elf.read_bytes())
    p = k.spawn(f"/bin/{name}", [f"/bin/{name}"], cwd="/tmp")
    r = k.run(until=p.exited, max_instructions=max_instructions)
    assert r.reason == "until", f"{name}: the run ended with {r} before the program exited\n{k.ps()}"
    out = p.stdout + (f"[exit {p.exit_status}]\n" if p.exit_status else "")
    return out, p, k


@pytest.mark.parametrize("name", PROGRAMS)
def test_vm_program_matches_unix(name):
    """The program prints on oskit exactly what it printed natively on Linux."""
    out, p, k = run_program(name)
    assert k.panic_report is None, str(k.panic_report)
    assert out == (HERE / f"{name}.expected").read_text()
