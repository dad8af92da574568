"""POSIX aio (kern/vfs_aio.py): golden programs in tests/programs/aio/, on one hart and on two.

NAME.expected is what the same source printed compiled with the host's gcc on
Linux (glibc's aio: ``check_native.py aio``). The programs print only what is
defined on both FreeBSD and Linux: glibc does the I/O in threads of the
process, FreeBSD (and oskit) in kernel daemons, and they differ on a bad
descriptor (FreeBSD fails aio_read itself; glibc reports it through aio_error)
and on errno after aio_return of a failed request; those are checked in
test_aio.py instead.
"""

from pathlib import Path

import pytest
from golden import run_golden

from oskit.kernel.kern.invariants import check_invariants

HERE = Path(__file__).resolve().parents[1] / "programs" / "aio"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


@pytest.mark.parametrize("harts", [1, 2])
@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_unix(name, harts):
    """The program prints on oskit exactly what it printed natively on Linux, and the kernel stays consistent."""
    out, p, k = run_golden(HERE / f"{name}.c", harts=harts)
    assert out == (HERE / f"{name}.expected").read_text()
    assert check_invariants(k) == []
    assert k.aio.pending(p.pid) == []          # every request was collected (or died with the process)
