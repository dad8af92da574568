"""tests/nbval-sanitize.cfg: host noise is rewritten, what the guest computes is left alone.

The patterns are read with nbval's own parser and applied the way nbval applies them.
"""

import re
from pathlib import Path

import pytest
from nbval.plugin import get_sanitize_patterns

CFG = Path(__file__).resolve().parent / "nbval-sanitize.cfg"
PATTERNS = get_sanitize_patterns(CFG.read_text())


def sanitize(text: str) -> str:
    """Apply the configured patterns in order, as nbval does."""
    for regex, replace in PATTERNS:
        text = re.sub(regex, replace, text)
    return text


def test_every_pattern_compiles_and_pairs_with_a_replacement():
    """Each `regex:` line has its `replace:` line right after it, and compiles."""
    regex_lines = [ln for ln in CFG.read_text().splitlines() if ln.startswith("regex: ")]
    assert len(PATTERNS) == len(regex_lines) > 0
    for regex, _ in PATTERNS:
        re.compile(regex)


@pytest.mark.parametrize("noisy, expected", [
    ("[<matplotlib.lines.Line2D at 0x7f3a2b1c0d90>]", "[<matplotlib.lines.Line2D at 0xHOSTADDR>]"),
    ("<function f at 0x55d2c3a4b5c6>", "<function f at 0xHOSTADDR>"),
    ("ran 40,000 instructions in 0.42 s host", "ran 40,000 instructions in TIME host"),
    ("took 13 ms wall", "took TIME host"),
    ("host time: 1.25 s", "host: TIME"),
    ("speed: 950 kIPS", "speed: SPEED IPS"),
    ("about 120,000 instructions/s", "about SPEED instructions/s"),
    ("built at 2026-11-25 05:40:12.123", "built at DATETIME"),
    ("/work/main/oskit/userland/libc/string.c:274", "REPO/oskit/userland/libc/string.c:274"),
    ("/home/me/src/oskit/oskit/machine/cpu.py", "REPO/oskit/machine/cpu.py"),
    ("PosixPath('/home/jovyan/.cache/oskit/elf/hello-f658797ffe10bfc51d24e236.elf')",
     "PosixPath('OSKIT_CACHE/elf/hello-HASH.elf')"),
])
def test_host_noise_is_rewritten(noisy, expected):
    """Host addresses, host timings and speeds, dates and machine paths become fixed text."""
    assert sanitize(noisy) == expected


@pytest.mark.parametrize("guest", [
    "sepc=0x0000000080001234 scause=8 (environment call from U-mode)",
    "page fault at 0x40001000 (store), stval=0x3ffffff000",
    "<PageFault at 0x3fffffe000>",
    "satp=0x8000000000080123 pc=0xffffffc000001000",
    "timer interrupt after 100000 instructions (10 ms guest time)",
    "mtime=1234 ticks; sleep(1) took 1 s of guest time",
    "fork returned 2 in the parent, 0 in the child",
    "oskit/userland/libc/string.c:274",
])
def test_guest_results_are_left_alone(guest):
    """Guest addresses, counts and guest time are the book's claims: never rewritten."""
    assert sanitize(guest) == guest
