"""The file-behaviour programs of tests/programs/files/, run on oskit.

Each ``NAME.c`` there checks UNIX promises about files, pipes and
descriptors and prints what it sees (errno values by name). ``NAME.expected``
is what the same program printed when compiled natively with gcc and run on
the host's UNIX (``tests/programs/check_native.py files``): oskit must print the same.
"""

from pathlib import Path

import pytest
from golden import run_golden

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "files"
NAMES = sorted(p.stem for p in PROGRAMS.glob("*.c"))


def test_every_program_has_expected_output():
    """Every program in tests/programs/files has its host-verified .expected file."""
    assert NAMES, "no programs found"
    missing = [n for n in NAMES if not (PROGRAMS / f"{n}.expected").exists()]
    assert not missing


@pytest.mark.parametrize("harts", [1, 2])
@pytest.mark.parametrize("name", NAMES)
def test_file_program(name, harts):
    """The program prints on oskit, with one hart or two, exactly what it printed on the host's UNIX."""
    out, p, k = run_golden(PROGRAMS / f"{name}.c", harts=harts, cwd="/work", max_instructions=50_000_000)
    assert out == (PROGRAMS / f"{name}.expected").read_text()
