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
from golden import run_golden

HERE = Path(__file__).resolve().parents[1] / "programs" / "security"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


def run_as(name: str) -> tuple[int, int]:
    m = re.search(r"run as: (\d+):(\d+)", (HERE / f"{name}.c").read_text())
    assert m, f"{name}.c: expected a '/* run as: UID:GID' comment at the top"
    return int(m.group(1)), int(m.group(2))


@pytest.mark.parametrize("name", PROGRAMS)
def test_security_program_matches_unix(name):
    """The program prints on oskit exactly what it printed natively on Linux as the same user."""
    uid, gid = run_as(name)
    out, p, k = run_golden(HERE / f"{name}.c", uid=uid, gid=gid, max_instructions=40_000_000)
    assert out == (HERE / f"{name}.expected").read_text()
