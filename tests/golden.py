"""Running a golden program: one C file under tests/programs/, on a fresh kernel.

A golden program checks UNIX promises and prints what it sees; NAME.expected
beside it is what the same source printed when compiled with the host's gcc
and run on Linux (tests/programs/check_native.py DIR). The tests of each
directory (tests/kernel/test_*_programs.py) run it here and compare:

    out, p, k = run_golden(HERE / "fork_returns.c", harts=2)
    assert out == (HERE / "fork_returns.expected").read_text()

``out`` is the program's output as check_native.py records it on the host:
stdout, then ``[exit N]`` when the exit status is not 0.
"""

from __future__ import annotations

from pathlib import Path

import oskit
from oskit.toolchain import build


def run_golden(source: Path, *, harts: int = 1, ram_mib: int = 128, uid: int = 0, gid: int = 0,
               cwd: str = "/tmp", max_instructions: int = 60_000_000):
    """Build ``source``, boot a kernel, run it as /bin/NAME (as ``uid``, in ``cwd``) to its end.

    Returns (output, process, kernel). Fails the test, with the process table, if the
    program has not exited within ``max_instructions``, or if the kernel panicked.
    """
    name = source.stem
    elf = build([source], mode="user", name=name, include_dirs=(str(source.parent),))
    k = oskit.boot(programs=False, harts=harts, ram_mib=ram_mib)
    k.install_program(f"/bin/{name}", elf.read_bytes())
    k.vfs.mkdir_p(cwd, 0o777)                  # /tmp exists; a directory of its own for file tests
    p = k.spawn(f"/bin/{name}", [f"/bin/{name}"], cwd=cwd, uid=uid, gid=gid)
    r = k.run(until=p.exited, max_instructions=max_instructions)
    assert k.panic_report is None, str(k.panic_report)
    assert r.reason == "until", f"{name}: the run ended with {r} before the program exited\n{k.ps()}"
    return p.stdout + (f"[exit {p.exit_status}]\n" if p.exit_status else ""), p, k
