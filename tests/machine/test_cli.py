"""The command line, end to end in a subprocess: `python -m oskit run --bare ...`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def oskit(*args, cwd):
    """Run `python -m oskit ARGS` and return the completed process (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "oskit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_text_file_is_not_an_elf(tmp_path):
    """A file that is not ELF gets one line on stderr and status 2."""
    (tmp_path / "notes.txt").write_text("hello\n")
    proc = oskit("run", "--bare", "notes.txt", cwd=tmp_path)
    assert_one_line_error(proc, "oskit: notes.txt: not an ELF file")


def test_a_host_program_is_not_risc_v(tmp_path):
    """The Python interpreter itself (an x86 or ARM ELF) is refused as not RISC-V."""
    proc = oskit("run", "--bare", Path(sys.executable).resolve(), cwd=tmp_path)
    assert_one_line_error(proc, "not a RISC-V program")


def test_a_missing_file(tmp_path):
    """A path that does not exist gets one line naming it."""
    proc = oskit("run", "--bare", "nothere.elf", cwd=tmp_path)
    assert_one_line_error(proc, "nothere.elf: no such file")


def test_a_compile_error_is_one_line(tmp_path):
    """A C file that does not compile shows the compiler's first error, with file and line, in one line."""
    (tmp_path / "broken.c").write_text("int main(void) {\n    return y;\n}\n")
    proc = oskit("run", "--bare", "broken.c", cwd=tmp_path)
    assert_one_line_error(proc, "cannot compile broken.c", "broken.c:2:", "undeclared identifier 'y'")


@pytest.mark.parametrize(
    "args, message",
    [
        (("--harts", "0"), "--harts must be at least 1, found 0"),
        (("--ram", "0"), "--ram must be from 1 to 2048 MiB, found 0"),
    ],
)
def test_bad_options(tmp_path, args, message):
    """Impossible machine sizes are refused in one line before anything runs."""
    (tmp_path / "notes.txt").write_text("hello\n")
    proc = oskit("run", "--bare", "notes.txt", *args, cwd=tmp_path)
    assert_one_line_error(proc, message)


def test_unknown_command(tmp_path):
    """An unknown command says which commands exist."""
    proc = oskit("frobnicate", cwd=tmp_path)
    assert_one_line_error(proc, "unknown command 'frobnicate'", "run", "sh")
