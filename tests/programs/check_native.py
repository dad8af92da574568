"""Check the expected outputs of the golden C programs against the host's UNIX (Linux).

    python tests/programs/check_native.py DIR [--write] [NAME ...]

DIR is one of the folders beside this file whose programs run as processes on
oskit's kernel (kernel, files, vm, security). Each ``DIR/NAME.c`` is compiled
with the host's gcc and run in a fresh, empty working directory, with at most
64 descriptors (oskit's NOFILE) and umask 022, with its path as argv[0] (so it
can execve itself, as on oskit). A program whose first lines hold the comment
``/* run as: UID:GID`` runs under that identity (through ``setpriv``, with no
supplementary groups; run this tool as root); the others run as the caller.
A program whose first lines hold ``/* cpus: LIST`` runs pinned to those CPUs
(``taskset -c LIST``): the scheduling programs of sched/ compare with one hart.
Its standard output, plus ``[exit N]`` when N is not 0, must equal
``DIR/NAME.expected``; ``--write`` records the host's output instead.

This is how every .expected file in those folders was made. It is a tool,
not part of the test suite: the suite runs the same programs on oskit and
compares them with the same files. Where FreeBSD and Linux differ (errno
numbers, a few rules), the programs print names, or the check lives in a
Python test instead.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_on_cpus(src: Path) -> str | None:
    """The CPU list a program's first comment asks to be pinned to (``/* cpus: 0``), or None."""
    m = re.search(r"cpus: ([0-9,-]+)", src.read_text()[:400])
    return m.group(1) if m else None


def run_as(src: Path) -> tuple[int, int] | None:
    """The (uid, gid) a program's first comment asks to be run as, or None."""
    m = re.search(r"run as: (\d+):(\d+)", src.read_text()[:400])
    return (int(m.group(1)), int(m.group(2))) if m else None


def run_native(src: Path) -> str:
    """Compile src with the host's gcc, run it as described above, return what it printed."""
    identity = run_as(src)
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        exe = Path(tmp) / src.stem
        subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-result", "-pthread", "-o", str(exe), str(src), "-lm"],
                       check=True)                    # -lm: on Linux, <math.h> is a separate libm
        work = Path(tmp) / "work"
        work.mkdir()
        cmd = [str(exe)]
        if identity is not None and identity != (0, 0):
            uid, gid = identity
            os.chown(work, uid, gid)
            cmd = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", *cmd]
        cpus = run_on_cpus(src)
        if cpus is not None:
            cmd = ["taskset", "-c", cpus, *cmd]     # a scheduling program: as many CPUs as oskit has harts

        def limits():
            resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
            os.umask(0o022)

        done = subprocess.run(cmd, cwd=work, capture_output=True, text=True,
                              preexec_fn=limits, timeout=30, stdin=subprocess.DEVNULL)
        return done.stdout + (f"[exit {done.returncode}]\n" if done.returncode else "")


def main(argv: list[str]) -> int:
    write = "--write" in argv
    args = [a for a in argv if not a.startswith("--")]
    if not args or not (HERE / args[0]).is_dir():
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    folder, names = HERE / args[0], args[1:]
    sources = [folder / f"{n}.c" for n in names] or sorted(folder.glob("*.c"))
    bad = 0
    for src in sources:
        out = run_native(src)
        expected = src.with_suffix(".expected")
        if write:
            expected.write_text(out)
            print(f"wrote {expected.name}")
        elif not expected.exists() or expected.read_text() != out:
            bad += 1
            print(f"DIFFERS: {src.name}\n--- host says:\n{out}")
        else:
            print(f"ok {src.name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
