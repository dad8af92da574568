"""Golden security programs: credentials, DAC and limits behave as on a real UNIX.

Each tests/programs/security/NAME.c says at its top which user runs it
(``/* run as: UID:GID``); NAME.expected is what the same program printed when
compiled with the host's gcc and run on Linux as that user
(tests/programs/check_native.py security). Here it runs on oskit as the same
user, in /tmp, and must print the same.
"""

import re
from pathlib import Path

import pytest

import oskit
from oskit.toolchain import build

HERE = Path(__file__).resolve().parents[1] / "programs" / "security"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


def run_as(name: str) -> tuple[int, int]:
    m = re.search(r"run as: (\d+):(\d+)", (HERE / f"{name}.c").read_text())
    assert m, f"{name}.c: expected a '/* run as: UID:GID' comment at the top"
    return int(m.group(1)), int(m.group(2))


def run_program(name: str, max_instructions: int = 40_000_000):
    """Boot a kernel, run /bin/NAME in /tmp as its user; return (output, process, kernel)."""
    k = oskit.boot(programs=False)
    elf = build([HERE / f"{name}.c"], mode="user", name=name, include_dirs=(str(HERE),))
    k.install_program(f"/bin/{name}", elf.read_bytes())
    uid, gid = run_as(name)
    p = k.spawn(f"/bin/{name}", [f"/bin/{name}"], cwd="/tmp", uid=uid, gid=gid)
    r = k.run(until=p.exited, max_instructions=max_instructions)
    assert r.reason == "until", f"{name}: the run ended with {r} before the program exited\n{k.ps()}"
    out = p.stdout + (f"[exit {p.exit_status}]\n" if p.exit_status else "")
    return out, p, k


@pytest.mark.parametrize("name", PROGRAMS)
def test_security_program_matches_unix(name):
    """The program prints on oskit exactly what it printed natively on Linux as the same user."""
    out, p, k = run_program(name)
    assert k.panic_report is None, str(k.panic_report)
    assert out == (HERE / f"{name}.expected").read_text()
