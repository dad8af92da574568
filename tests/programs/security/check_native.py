"""Check the expected outputs of these programs against the host's UNIX (Linux).

Each ``NAME.c`` starts with a comment ``/* run as: UID:GID``; it is compiled with
the host's gcc and run in a fresh directory under that identity (root, or an
ordinary user through ``setpriv``, with no supplementary groups), with umask 022
and at most 64 descriptors, as on oskit. Its output must equal ``NAME.expected``;
``--write`` records the host's output instead. Run it as root:

    python tests/programs/security/check_native.py [--write] [NAME ...]

The suite (tests/kernel/test_security_programs.py) runs the same programs on
oskit, as the same user, and compares with the same files.
"""

import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_as(src: Path) -> tuple[int, int]:
    """The (uid, gid) a program's first comment asks to be run as."""
    m = re.search(r"run as: (\d+):(\d+)", src.read_text())
    if not m:
        raise ValueError(f"{src.name}: expected a '/* run as: UID:GID' comment at the top")
    return int(m.group(1)), int(m.group(2))


def run_native(src: Path) -> str:
    uid, gid = run_as(src)
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        exe = Path(tmp) / src.stem
        subprocess.run(["gcc", "-O1", "-Wall", "-o", str(exe), str(src)], check=True)
        work = Path(tmp) / "work"
        work.mkdir()
        os.chown(work, uid, gid)

        def limits():
            resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
            os.umask(0o022)

        cmd = [str(exe)]
        if (uid, gid) != (0, 0):
            cmd = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", *cmd]
        done = subprocess.run(cmd, cwd=work, capture_output=True, text=True,
                              preexec_fn=limits, timeout=30, stdin=subprocess.DEVNULL)
        return done.stdout + (f"[exit {done.returncode}]\n" if done.returncode else "")


def main(argv: list[str]) -> int:
    write = "--write" in argv
    names = [a for a in argv if not a.startswith("--")]
    sources = [HERE / f"{n}.c" for n in names] or sorted(HERE.glob("*.c"))
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
