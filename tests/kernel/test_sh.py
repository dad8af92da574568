"""The shell (oskit/userland/bin/sh.c) run on oskit with typed input."""

import pytest

from oskit.kernel.kernel import boot

CRASH = "int main(void) { *(volatile int *)0 = 1; return 0; }\n"


def run_sh(script: str, argv=("sh",), eof: bool = True):
    """Boot, type script into the console for /bin/sh, run it to its end; returns (kernel, proc)."""
    k = boot()
    p = k.spawn("/bin/sh", list(argv), stdin=script)
    if eof:
        k.console.hangup()               # the typist is done: end of input after the script
    k.run(until=p.exited, max_instructions=100_000_000)
    assert k.panic_report is None, k.panic_report
    assert p.exited(), "sh did not finish"
    return k, p


def test_pipeline_into_file():
    """`echo hi | cat > /tmp/x` leaves "hi" in the file and prints nothing but prompts."""
    k, p = run_sh("echo hi | cat > /tmp/x\ncat < /tmp/x\n")
    assert k.vfs.read_file("/tmp/x") == b"hi\n"
    assert p.stdout == "$ $ hi\n$ \n"
    assert p.exit_status == 0


def test_three_stage_pipeline_and_append():
    """`>>` appends, and a three-command pipeline passes everything through."""
    k, p = run_sh("echo one > /tmp/f\necho 'two  words' >> /tmp/f\ncat /tmp/f | cat | wc\n")
    assert k.vfs.read_file("/tmp/f") == b"one\ntwo  words\n"
    assert "       2       3      15\n" in p.stdout


def test_cd_and_pwd():
    """cd is a builtin that changes the shell's own directory; a bad one is reported."""
    _, p = run_sh("cd /tmp\npwd\nmkdir -p a/b\ncd a/b\npwd\ncd /nowhere\npwd\n")
    lines = [x for x in p.stdout.replace("$ ", "").splitlines() if x]
    assert lines == ["/tmp", "/tmp/a/b", "cd: /nowhere: No such file or directory", "/tmp/a/b"]


def test_not_found_and_exit_status():
    """An unknown command says 'not found' and sets status 127, which `exit` passes on."""
    _, p = run_sh("nosuch arg\nexit\n")
    assert "nosuch: not found\n" in p.stdout
    assert p.exit_status == 127


def test_exit_with_code():
    """`exit 7` ends the shell with status 7, ignoring the lines after it."""
    _, p = run_sh("exit 7\necho never\n", eof=False)
    assert p.exit_status == 7
    assert "never" not in p.stdout


def test_end_of_input_ends_the_shell():
    """At end of input the shell exits with the last command's status."""
    _, p = run_sh("false\n")
    assert p.exit_status == 1


def test_signal_is_reported():
    """A command killed by a signal is reported by name; $? becomes 128 + signal."""
    k = boot()
    from oskit.toolchain import build
    k.install_program("/bin/crash", build({"crash.c": CRASH}, mode="user").read_bytes())
    p = k.spawn("/bin/sh", ["sh"], stdin="crash\nexit\n")
    k.run(until=p.exited, max_instructions=100_000_000)
    assert "crash: Segmentation fault" in p.stdout
    assert p.exit_status == 128 + 11


@pytest.mark.parametrize("line, message", [
    ("| cat", "syntax error near '|'"),
    ("echo >", "a file name must follow >"),
    ("echo hi |", "missing command"),
    ("echo 'open", "unterminated quote"),
])
def test_syntax_errors(line, message):
    """Malformed lines are refused with a message and status 2, and the shell goes on."""
    _, p = run_sh(f"{line}\nexit\n")
    assert message in p.stdout
    assert p.exit_status == 2


def test_redirect_from_missing_file():
    """`cat < missing` fails in the child with the file's name and the reason."""
    _, p = run_sh("cat < /tmp/missing\n")
    assert "/tmp/missing: No such file or directory" in p.stdout
    assert p.exit_status == 1


def test_dash_c():
    """`sh -c LINE` runs one line without a prompt and exits with its status."""
    k = boot()
    p = k.spawn("/bin/sh", ["sh", "-c", "echo via -c | wc -c"])
    k.run(until=p.exited, max_instructions=100_000_000)
    assert p.stdout == "       7\n"
    assert p.exit_status == 0


def test_python_m_oskit_sh_with_piped_stdin():
    """`python -m oskit sh` runs lines from a pipe, including `echo hi | cat > /tmp/x`, until end of input."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "oskit", "sh"], capture_output=True, text=True,
                          input="echo hi | cat > /tmp/x\ncat /tmp/x | wc -c\nfalse\n", timeout=300)
    assert done.stdout == "$ $        3\n$ $ \n"
    assert done.returncode == 1
