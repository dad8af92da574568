"""Check the expected outputs of these programs against the host's UNIX.

Each ``NAME.c`` here is compiled with the host's gcc and run in a fresh
temporary directory, with at most 64 descriptors (our kernel's NOFILE), as
root; its standard output must equal ``NAME.expected``. ``--write`` records
the host's output instead. This is how every .expected file here was made:

    python tests/programs/vm/check_native.py [--write] [NAME ...]

(It is a tool, not part of the test suite: the suite runs the same programs
on oskit and compares with the same files.)
"""

import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_native(src: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        exe = Path(tmp) / src.stem
        subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-result", "-o", str(exe), str(src)], check=True)
        work = Path(tmp) / "work"
        work.mkdir()
        limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))  # noqa: E731
        done = subprocess.run([str(exe)], cwd=work, capture_output=True, text=True,
                              preexec_fn=limit, timeout=30, stdin=subprocess.DEVNULL)
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
