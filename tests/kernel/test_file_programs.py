"""The file-behaviour programs of tests/programs/files/, run on oskit.

Each ``NAME.c`` there checks UNIX promises about files, pipes and
descriptors and prints what it sees (errno values by name). ``NAME.expected``
is what the same program printed when compiled natively with gcc and run on
the host's UNIX (``tests/programs/check_native.py files``): oskit must print the same.
"""

from pathlib import Path

import pytest

from oskit.kernel.kernel import boot
from oskit.toolchain import build

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "files"
NAMES = sorted(p.stem for p in PROGRAMS.glob("*.c"))


def run_program(name: str, harts: int = 1) -> str:
    """Boot a fresh kernel, run /bin/NAME as root in an empty /work, return its output."""
    elf = build([PROGRAMS / f"{name}.c"], mode="user", include_dirs=(str(PROGRAMS),))
    k = boot(harts=harts, programs=False)
    k.install_program(f"/bin/{name}", Path(elf).read_bytes())
    k.vfs.mkdir_p("/work", 0o777)
    p = k.spawn(f"/bin/{name}", [f"/bin/{name}"], cwd="/work")
    k.run(until=p.exited, max_instructions=50_000_000)
    assert k.panic_report is None, k.panic_report
    assert p.exited(), f"{name} did not finish within 50 million instructions"
    return p.stdout + (f"[exit {p.exit_status}]\n" if p.exit_status else "")


def test_every_program_has_expected_output():
    """Every program in tests/programs/files has its host-verified .expected file."""
    assert NAMES, "no programs found"
    missing = [n for n in NAMES if not (PROGRAMS / f"{n}.expected").exists()]
    assert not missing


@pytest.mark.parametrize("harts", [1, 2])
@pytest.mark.parametrize("name", NAMES)
def test_file_program(name, harts):
    """The program prints on oskit, with one hart or two, exactly what it printed on the host's UNIX."""
    assert run_program(name, harts) == (PROGRAMS / f"{name}.expected").read_text()
