"""`python -m oskit run PROGRAM` and `python -m oskit sh`: statuses, console, tracing."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def oskit(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "oskit", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    d = tmp_path_factory.mktemp("progs")
    (d / "args.c").write_text(r"""
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
int main(int argc, char **argv) {
    for (int i = 0; i < argc; i++) printf("[%s]", argv[i]);
    char cwd[128]; getcwd(cwd, sizeof cwd);
    int fd = open("scratch", O_WRONLY | O_CREAT, 0644);
    printf("\ncwd %s writable %s\n", cwd, fd >= 0 ? "yes" : "no");
    char line[64]; int n = read(0, line, sizeof line - 1);
    if (n > 0) { line[n] = 0; printf("read: %s", line); }
    return argc + 40;
}
""")
    (d / "segv.c").write_text("int main(void) { *(volatile int *)0 = 1; return 0; }\n")
    return d


def test_run_passes_args_console_and_exit_status(programs):
    """argv[0] is an executable path, the cwd is writable, stdin reaches read(), the status is the program's."""
    r = oskit("run", str(programs / "args.c"), "one", "two words", stdin="typed line\n")
    assert r.returncode == 43, r.stderr
    assert r.stdout == "[/bin/args][one][two words]\ncwd /tmp writable yes\nread: typed line\n"


def test_run_killed_by_a_signal_exits_128_plus_signo(programs):
    """A program killed by SIGSEGV (11 on FreeBSD) gives status 139, as a shell reports it."""
    r = oskit("run", str(programs / "segv.c"))
    assert r.returncode == 128 + 11


def test_trace_syscalls_goes_to_stderr(programs):
    """--trace-syscalls prints one line per call of the program on stderr, not stdout."""
    r = oskit("run", "--trace-syscalls", str(programs / "args.c"), stdin="")
    assert r.returncode == 41
    lines = r.stderr.splitlines()
    assert any("write(1, 0x" in line for line in lines)
    assert any('open("scratch", ' in line and line.endswith(" = 3") for line in lines)
    assert lines[-1].strip().endswith("exit(41) = (no return)")
    assert "write(" not in r.stdout


def test_run_of_a_missing_file_is_status_2():
    """A program that does not exist is a one-line error and status 2."""
    r = oskit("run", "/no/such/program.c")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_sh_runs_pipelines_and_exit():
    """The shell runs a pipeline through /bin programs and exits with `exit N`'s status."""
    r = oskit("sh", stdin="echo one two | wc -w\nexit 7\n")
    assert r.returncode == 7, r.stderr
    assert "2" in r.stdout.split()
