"""The kernel's command line: ``python -m oskit run PROGRAM [ARGS...]`` and ``python -m oskit sh``.

    run PROGRAM [ARGS...]   boot the kernel, install PROGRAM (an ELF file, or a .c file
                            compiled with our libc) as /bin/NAME, run it as a process
                            with argv[0] = /bin/NAME (so it can execve itself again), in
                            the writable directory /tmp, with the console on the host's
                            stdin/stdout
    sh [ARGS...]            the same for the shell /bin/sh (oskit/userland/bin/sh.c)

Options (before PROGRAM): --trace-syscalls (one ktrace-like line per call on
stderr), --harts N, --ram MIB, --max-instructions N.

Exit status: the program's own, 128 + N if signal N killed it, 2 if it
cannot run (no such file, compile error, not an executable), 70 if the
kernel panicked (the report goes to stderr), 124 if --max-instructions ran
out, 130 on Ctrl-C.

The loop: the machine runs in slices; between slices, whatever the host's
stdin has ready is typed into the UART (a receive interrupt brings it to
the console driver). When every process waits and nothing can wake one,
the loop blocks on the host's stdin; at its end of file the console hangs
up (a reading process gets end of file).
"""

from __future__ import annotations

import argparse
import os
import select
import sys
from pathlib import Path

from oskit.kernel.kernel import Kernel, SpawnError
from oskit.machine.uart import Console
from oskit.toolchain import build
from oskit.toolchain.errors import CompileError

STATUS_CANNOT_RUN = 2
STATUS_PANIC = 70
STATUS_LIMIT = 124
STATUS_INTERRUPTED = 130
SLICE = 200_000          # instructions between looks at the host's stdin


def _parser(prog: str, with_program: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    p.add_argument("--trace-syscalls", action="store_true", help="print every system call to stderr")
    p.add_argument("--harts", type=int, default=1, metavar="N", help="number of harts (default 1)")
    p.add_argument("--ram", type=int, default=128, metavar="MIB", help="RAM in MiB (default 128)")
    p.add_argument("--max-instructions", type=int, default=None, metavar="N",
                   help="stop after N instructions (exit status 124)")
    if with_program:
        p.add_argument("program", help="an ELF file, or a .c file to compile with oskit's libc")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the program")
    return p


def _fail(message: str, status: int = STATUS_CANNOT_RUN) -> int:
    print(f"oskit: {message}", file=sys.stderr)
    return status


def _program_bytes(program: str) -> bytes:
    path = Path(program)
    if not path.is_file():
        raise ValueError(f"{program}: no such file")
    if path.suffix == ".c":
        path = build([path], mode="user", name=path.stem)
    return path.read_bytes()


def run_main(argv: list[str]) -> int:
    """`python -m oskit run [options] PROGRAM [ARGS...]`; returns the exit status."""
    opts = _parser("python -m oskit run", True).parse_args(argv)
    try:
        data = _program_bytes(opts.program)
    except (ValueError, OSError) as e:
        return _fail(str(e))
    except CompileError as e:
        print(str(e), file=sys.stderr)
        return STATUS_CANNOT_RUN
    name = Path(opts.program).stem or "program"
    return _session(opts, f"/bin/{name}", data, opts.args, programs=False)


def sh_main(argv: list[str]) -> int:
    """`python -m oskit sh [ARGS...]`: the kernel's shell on the console."""
    opts = _parser("python -m oskit sh", False).parse_args(argv)
    return _session(opts, "/bin/sh", None, opts.args, programs=True)


def _session(opts, path: str, data: bytes | None, args: list[str], programs: bool) -> int:

    out = sys.stdout.buffer

    def show(chunk: bytes) -> None:
        out.write(chunk)
        out.flush()

    try:
        k = Kernel.boot(harts=opts.harts, ram_mib=opts.ram, console=Console(on_write=show),
                        programs=programs)
    except ValueError as e:
        return _fail(str(e))
    if opts.trace_syscalls:
        def trace(ev) -> None:
            if ev.record.pid != 1:          # init's own calls are not the program's
                print(str(ev.record), file=sys.stderr, flush=True)
        k.probes.subscribe("syscall_return", trace)
        k.probes.subscribe("psig", trace)
    if data is not None:
        k.install_program(path, data)
    try:
        p = k.spawn(path, [path, *args], cwd="/tmp")
    except SpawnError as e:
        return _fail(str(e))
    try:
        return _loop(k, p, opts.max_instructions)
    except KeyboardInterrupt:
        return STATUS_INTERRUPTED


def _loop(k, p, limit: int | None) -> int:
    stdin = sys.stdin.buffer if sys.stdin is not None else None
    fd = stdin.fileno() if stdin is not None else None
    used = 0
    while True:
        n = SLICE if limit is None else min(SLICE, limit - used)
        if n <= 0:
            return _fail(f"stopped after {limit} instructions", STATUS_LIMIT)
        r = k.run(until=p.exited, max_instructions=n)
        used += r.instructions
        if r.reason == "panic":
            print(str(k.panic_report), file=sys.stderr)
            return STATUS_PANIC
        if r.reason == "until":
            status = p.exit_status
            return 128 - status if status < 0 else status
        if r.reason == "idle":
            if fd is None or k.console.eof:
                return _fail("every process is waiting and nothing can wake one (deadlock)", 1)
            _feed(k, fd, block=True)
        elif fd is not None and not k.console.eof:
            _feed(k, fd, block=False)


def _feed(k, fd: int, block: bool) -> None:
    """Type what the host's stdin has into the UART (blocking for it if asked).

    An empty read from a terminal is one ^D typed by the user: it goes to the
    console as ^D (end of file for the one read() waiting, as on a real tty), and
    the session goes on. An empty read from a pipe or a file is the real end:
    the console hangs up.
    """
    ready, _, _ = select.select([fd], [], [], None if block else 0)
    if not ready:
        return
    data = os.read(fd, 4096)
    if data:
        k.machine.uart.feed(data)
    elif os.isatty(fd):
        k.machine.uart.feed(b"\x04")
    else:
        k.console.hangup()
