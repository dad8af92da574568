"""Golden bare-metal programs: each tests/programs/bare/NAME.{c,S} runs on the machine
and must print exactly NAME.expected's output and exit with its code
(the format is in tests/programs/README.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

PROGRAMS_DIR = Path(__file__).parent / "programs" / "bare"

# Programs that fail because of a machine bug still open: name -> reason (the bug).
KNOWN_BUGS: dict[str, str] = {}


@dataclass(frozen=True)
class Expected:
    """What a golden program must do: its exit code, its UART output, and how to run it."""

    exit: int
    output: str
    harts: int = 1
    max_instructions: int = 1_000_000


def load_expected(path: Path) -> Expected:
    """Parse NAME.expected: `key: value` header lines, a line `---`, then the exact output."""
    text = path.read_text()
    head, sep, output = text.partition("---\n")
    if not sep:
        raise ValueError(f"{path}: expected a line '---' between the header and the output")
    fields: dict[str, int] = {}
    for n, line in enumerate(head.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in ("exit", "harts", "max_instructions"):
            raise ValueError(f"{path}:{n}: expected 'exit: N', 'harts: N' or "
                             f"'max_instructions: N', found {line!r}")
        fields[key.strip()] = int(value.strip(), 0)
    if "exit" not in fields:
        raise ValueError(f"{path}: the header has no 'exit: N' line")
    return Expected(output=output, **fields)


def program_sources() -> list[Path]:
    """Every golden program, in name order."""
    return sorted(p for p in PROGRAMS_DIR.iterdir() if p.suffix in (".c", ".S"))


def _param(src: Path):
    marks = []
    if src.stem in KNOWN_BUGS:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[src.stem]))
    return pytest.param(src, id=src.stem, marks=marks)


@pytest.mark.parametrize("src", [_param(p) for p in program_sources()])
def test_bare_program(src: Path):
    """The program prints exactly its expected UART output and exits with its expected code."""
    from oskit.machine import Machine
    from oskit.toolchain import build

    exp = load_expected(src.with_suffix(".expected"))
    elf = build([src], mode="bare")
    m = Machine(harts=exp.harts)
    m.load_elf(elf)
    result = m.run(max_instructions=exp.max_instructions)
    assert m.uart.output.text == exp.output
    assert (result.reason, result.exit_code) == ("exit", exp.exit)
