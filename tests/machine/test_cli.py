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


def test_a_directory(tmp_path):
    """A directory given as PROGRAM is named as such."""
    proc = oskit("run", "--bare", ".", cwd=tmp_path)
    assert_one_line_error(proc, ".: is a directory")


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


HELLO = REPO / "tests" / "programs" / "bare" / "hello.c"


def test_hello_c_prints_and_exits_with_its_code(tmp_path):
    """`run --bare hello.c` compiles it, prints its UART output on stdout, and exits with main's return value."""
    proc = oskit("run", "--bare", HELLO, cwd=tmp_path)
    expected = HELLO.with_suffix(".expected").read_text().partition("---\n")[2]
    assert (proc.returncode, proc.stdout, proc.stderr) == (7, expected, "")


def test_an_elf_file_runs_directly(tmp_path):
    """An already built ELF runs the same as its source, with more harts and less RAM, options in any order."""
    from oskit.toolchain import build

    elf = build(HELLO, mode="bare")
    proc = oskit("run", "--harts", "2", "--bare", elf, "--ram", "16", cwd=tmp_path)
    assert proc.returncode == 7 and proc.stdout.startswith("hello from hart 0\n")


def test_max_instructions_stops_with_status_124(tmp_path):
    """--max-instructions ends a run early with a message on stderr and status 124."""
    proc = oskit("run", "--bare", HELLO, "--max-instructions", "500", cwd=tmp_path)
    assert proc.returncode == 124
    assert proc.stderr == "oskit: stopped after 500 instructions (--max-instructions 500)\n"


def test_trace_shows_each_instruction_and_what_it_wrote(tmp_path):
    """--trace writes one line per instruction to stderr: hart, mode, pc, word, disassembly, register written."""
    proc = oskit("run", "--bare", HELLO, "--trace", "--max-instructions", "3", cwd=tmp_path)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 124 and len(lines) == 4  # three instructions and the limit message
    # crt0 starts with `csrr tp, mhartid`, then `li t0, BARE_MAX_HARTS` (shown as the assembler's aliases)
    assert lines[0].split() == ["0", "M", "0000000080000000:", "f1402273", "csrr", "tp,", "mhartid", "tp=0x0"]
    assert lines[1].split() == ["0", "M", "0000000080000004:", "00400293", "li", "t0,", "4", "t0=0x4"]
