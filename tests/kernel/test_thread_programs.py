"""Golden thread programs: each tests/programs/threads/NAME.c checks one promise of pthreads.

Every NAME.expected was produced by compiling the same program natively with
the host's gcc -pthread and running it on Linux (tests/programs/check_native.py
threads), so a pass means oskit's threads (kernel: sys_thread.py, umtx.py;
libc: pthread.c, pthread_sync.c) behave there as Linux's do. Each runs on one
hart (threads take turns) and on two (threads of one process run at once).
"""

from pathlib import Path

import pytest
from golden import run_golden

HERE = Path(__file__).resolve().parents[1] / "programs" / "threads"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


@pytest.mark.parametrize("harts", [1, 2])
@pytest.mark.parametrize("name", PROGRAMS)
def test_thread_program_matches_unix(name, harts):
    """The program prints on oskit exactly what it printed natively on Linux."""
    out, p, k = run_golden(HERE / f"{name}.c", harts=harts, max_instructions=150_000_000)
    assert out == (HERE / f"{name}.expected").read_text()
