"""The command line: ``python -m oskit``.

    python -m oskit run --bare PROGRAM     run a bare-metal program on the machine
    python -m oskit run PROGRAM [ARGS...]  run a program as a process of the teaching kernel
    python -m oskit sh                     the kernel's shell
    python -m oskit course build DIR       the chapters as nbgrader assignments (oskit/course/)

PROGRAM for --bare is a RISC-V ELF file, or a C (.c) or assembly (.S) file
that is compiled first (oskit.toolchain.build, mode "bare"). The program's
UART output goes to stdout as it is written; the exit status is the code it
wrote to ``tohost``.

Exit statuses of ``run --bare``:

    0..255  the program's exit code (modulo 256, as a shell sees it)
    1       the run ended without an exit code (every hart idle in WFI, or stopped)
    2       the program cannot run: not an ELF file, not RISC-V 64-bit, outside RAM,
            a compile error (one line on stderr, never a traceback)
    124     --max-instructions were executed first (as timeout(1) says)
    130     interrupted with Ctrl-C
    141     stdout was closed by its reader (as SIGPIPE would end a program)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SOURCE_SUFFIXES = (".c", ".S", ".s")
STATUS_CANNOT_RUN = 2
STATUS_NO_EXIT = 1
STATUS_LIMIT = 124
STATUS_INTERRUPTED = 130
STATUS_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a program whose reader went away

ABI_NAMES = (
    "zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 "
    "s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6"
).split()
PRIV_LETTERS = {0: "U", 1: "S", 3: "M"}


class CannotRun(Exception):
    """The program cannot be run; str() is the one line to show."""


def _fail(message: str, status: int = STATUS_CANNOT_RUN) -> int:
    print(f"oskit: {message}", file=sys.stderr)
    return status


# -- run --bare ------------------------------------------------------------------------


def bare_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m oskit run --bare",
        description="Run a bare-metal RISC-V program (ELF, .c or .S) on the oskit machine.",
    )
    p.add_argument("--bare", action="store_true", required=True, help="run on the bare machine (no kernel)")
    p.add_argument("program", help="an ELF file, or a .c/.S file to compile first")
    p.add_argument("--harts", type=int, default=1, metavar="N", help="number of harts (default 1)")
    p.add_argument("--ram", type=int, default=128, metavar="MIB", help="RAM size in MiB (default 128)")
    p.add_argument(
        "--trace", action="store_true", help="print every instruction to stderr (hart, mode, pc, disassembly, result)"
    )
    p.add_argument(
        "--max-instructions", type=int, default=None, metavar="N", help="stop after N instructions (exit status 124)"
    )
    return p


def program_elf(program: str) -> Path:
    """The ELF to run for PROGRAM: the file itself, or what the toolchain builds from a source file."""
    path = Path(program)
    if path.is_dir():
        raise CannotRun(f"{program}: is a directory, expected an ELF, .c or .S file")
    if not path.is_file():
        raise CannotRun(f"{program}: no such file")
    if path.suffix not in SOURCE_SUFFIXES:
        return path
    from oskit.toolchain import CompileError, build

    try:
        return build(path, mode="bare")
    except CompileError as e:
        errors = [d for d in e.diagnostics if d.severity in ("error", "fatal error")]
        if not errors:
            last = (e.stderr.strip().splitlines() or ["the compiler failed"])[-1]
            raise CannotRun(f"cannot compile {program}: {last.strip()}") from None
        extra = len(errors) - 1
        more = f" (and {extra} more error{'s' if extra > 1 else ''})" if extra else ""
        raise CannotRun(f"cannot compile {program}: {errors[0]}{more}") from None
    except OSError as e:  # the compiler itself could not be started
        raise CannotRun(f"cannot compile {program}: {e}") from None


class Tracer:
    """Writes one line per executed instruction: hart, mode, pc, word, disassembly, and what it wrote.

    The "instruction" event comes before the instruction runs, so a line is
    completed when the same hart's next instruction starts (or the run ends):
    then the destination register holds its new value, or a "trap" event has
    said that the instruction trapped instead.
    """

    def __init__(self, machine, out):
        from oskit.machine import decode

        self.decode = decode
        self.machine = machine
        self.out = out
        self.pending: dict[int, list] = {}  # hartid -> [line text, rd or 0, trap text or None, pc]

    def on_instruction(self, ev) -> None:
        self.finish(ev.hart)
        hart = self.machine.harts[ev.hart]
        priv = PRIV_LETTERS.get(int(hart.priv), "?")
        text = f"{ev.hart} {priv} {ev.pc:016x}: {ev.word:08x}  {self.decode.disassemble(ev.word, ev.pc, aliases=True)}"
        d = self.decode.decode(ev.word)
        writes_rd = d is not None and "{rd}" in self.decode.FORMATS[d.op.fmt][1]
        self.pending[ev.hart] = [text, d.rd if writes_rd else 0, None, ev.pc]

    def on_trap(self, ev) -> None:
        kind = "interrupt" if ev.interrupt else "trap"
        what = f"{kind} cause={ev.cause} tval={ev.tval:#x} -> {PRIV_LETTERS.get(ev.to_priv, '?')}"
        entry = self.pending.get(ev.hart)
        if entry is not None and not ev.interrupt and entry[3] == ev.epc:
            entry[2] = what  # the announced instruction trapped
            return
        # An interrupt (between instructions) or a fault with no instruction event (fetch, illegal word).
        self.finish(ev.hart)
        priv = PRIV_LETTERS.get(ev.from_priv, "?")
        self.out.write(f"{f'{ev.hart} {priv} {ev.epc:016x}:':<60} {what}\n")

    def finish(self, hartid: int) -> None:
        entry = self.pending.pop(hartid, None)
        if entry is None:
            return
        text, rd, trap, _ = entry
        if trap is not None:
            text = f"{text:<60} {trap}"
        elif rd:
            text = f"{text:<60} {ABI_NAMES[rd]}={self.machine.harts[hartid].x[rd]:#x}"
        self.out.write(text + "\n")

    def finish_all(self) -> None:
        for hartid in sorted(self.pending):
            self.finish(hartid)


def run_bare(argv: list[str]) -> int:
    args = bare_parser().parse_args(argv)
    from oskit.machine import Console, Machine
    from oskit.machine.bus import RAM_BASE
    from oskit.machine.elf import ElfError, read_elf

    stdout = sys.stdout.buffer
    machine = None
    stdout_closed = []

    def show(data: bytes) -> None:
        try:
            stdout.write(data)
            stdout.flush()
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): stop quietly, as other UNIX programs do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
            stdout_closed.append(True)
            machine.stop("stdout was closed")

    try:
        if args.harts < 1:
            raise CannotRun(f"--harts must be at least 1, found {args.harts}")
        if not 1 <= args.ram <= 2048:
            raise CannotRun(f"--ram must be from 1 to 2048 MiB, found {args.ram}")
        if args.max_instructions is not None and args.max_instructions < 0:
            raise CannotRun(f"--max-instructions must be >= 0, found {args.max_instructions}")
        elf = program_elf(args.program)
        read_elf(elf, RAM_BASE, args.ram << 20)  # a file that cannot run is refused before the machine is built
        machine = Machine(harts=args.harts, ram_mib=args.ram, console=Console(on_write=show))
        machine.load_elf(elf)
    except (CannotRun, ElfError) as e:
        return _fail(str(e))

    tracer = None
    if args.trace:
        tracer = Tracer(machine, sys.stderr)
        machine.events.subscribe("instruction", tracer.on_instruction)
        machine.events.subscribe("trap", tracer.on_trap)
    try:
        result = machine.run(max_instructions=args.max_instructions)
    except KeyboardInterrupt:
        return _fail(f"interrupted after {machine.instructions} instructions", STATUS_INTERRUPTED)
    finally:
        if tracer is not None:
            tracer.finish_all()
    if result.reason == "exit":
        return result.exit_code & 0xFF
    if stdout_closed:
        return STATUS_BROKEN_PIPE
    if result.reason == "limit":
        return _fail(
            f"stopped after {result.instructions} instructions (--max-instructions {args.max_instructions})",
            STATUS_LIMIT,
        )
    if result.reason == "idle":
        return _fail(
            f"the program never exited: after {result.instructions} instructions every hart waits in WFI "
            "for an interrupt that can never come",
            STATUS_NO_EXIT,
        )
    return _fail(f"stopped after {result.instructions} instructions: {result.detail}", STATUS_NO_EXIT)


# -- the kernel's commands -------------------------------------------------------------


def kernel_command(name: str, argv: list[str]) -> int:
    """Hand `run PROGRAM ...` or `sh` to the kernel's command line (oskit/cli.py)."""
    from oskit import cli  # here, not at the top: `run --bare` never loads the kernel
    status = cli.run_main(argv) if name == "run" else cli.sh_main(argv)
    return int(status or 0)


BARE_VALUE_OPTIONS = ("--harts", "--ram", "--max-instructions")


def _wants_bare(argv: list[str]) -> bool:
    """True when `run`'s options (those before PROGRAM) include --bare."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--bare":
            return True
        elif arg in BARE_VALUE_OPTIONS:
            skip = True  # the option's value follows
        elif not arg.startswith("-"):
            return False  # PROGRAM: what follows are the program's own arguments
    return False


USAGE = """usage: python -m oskit run --bare PROGRAM [--harts N] [--ram MIB] [--trace] [--max-instructions N]
       python -m oskit run PROGRAM [ARGS...]
       python -m oskit sh
       python -m oskit course build DIR [--seed N] [--only PREFIX ...]

  run --bare PROGRAM     run an ELF, .c or .S file on the bare machine (no kernel)
  run PROGRAM [ARGS...]  run a program as a process of the teaching kernel
  sh                     the teaching kernel's shell
  course build DIR       write an nbgrader course directory from the chapters
"""


def main(argv: list[str] | None = None) -> int:
    """The entry point of `python -m oskit` and of the `oskit` script; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        sys.stderr.write(USAGE)
        return STATUS_CANNOT_RUN
    if argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "run":
        if _wants_bare(rest):
            return run_bare(rest)
        if not rest:
            sys.stderr.write(USAGE)
            return STATUS_CANNOT_RUN
        return kernel_command("run", rest)
    if command == "sh":
        return kernel_command("sh", rest)
    if command == "course":
        from oskit.course import cli as course_cli  # here: the other commands never load nbformat
        return course_cli.main(rest)
    return _fail(f"unknown command {command!r}: expected `run`, `sh` or `course` (python -m oskit --help)")


if __name__ == "__main__":
    sys.exit(main())
