"""tools/riscv_tests.py: its verdicts on tiny programs of our own that follow the riscv-tests convention.

(CI cannot fetch the real riscv-tests; these programs end the way riscv_test.h's
RVTEST_PASS and RVTEST_FAIL do: TESTNUM lives in gp, and the verdict is written
to tohost as 1 for a pass or (TESTNUM << 1) | 1 for a failure.)
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from oskit.toolchain.build import TARGET_FLAGS

TOOL = Path(__file__).resolve().parent.parent / "tools" / "riscv_tests.py"

# riscv_test.h's shape, cut down: test cases set TESTNUM (gp) and branch to fail on a wrong result.
PROGRAM = """
    .section .text.init, "ax"
    .globl _start
_start:
    li gp, 1                 # TEST_CASE(1): 2 + 3 == 5
    li a0, 2
    addi a0, a0, 3
    li t0, 5
    bne a0, t0, fail
    li gp, 2                 # TEST_CASE(2): the case this program is about
    {case2}
    bne a0, t0, fail
pass:                        # RVTEST_PASS
    fence
    li gp, 1
    j write_tohost
fail:                        # RVTEST_FAIL
    fence
1:  beqz gp, 1b
    sll gp, gp, 1
    or gp, gp, 1
write_tohost:
    sd gp, tohost, t5
    j write_tohost

    .data
    .p2align 12
    .globl tohost
tohost: .dword 0
    .globl fromhost
fromhost: .dword 0
"""
CASES = {
    "rv64ui-p-good": "li a0, 7\n    li t0, 7",  # passes
    "rv64ui-p-bad": "li a0, 7\n    li t0, 8",  # fails at test 2
    "rv64um-v-hangs": "2: j 2b",  # never writes tohost
}


def load_tool():
    """tools/riscv_tests.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("riscv_tests", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules["riscv_tests"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


# The layout of riscv-tests' env/p/link.ld: code from 0x8000_0000 (RAM), then data.
LINK_LD = """
ENTRY(_start)
SECTIONS {
  . = 0x80000000;
  .text.init : { *(.text.init) }
  .text : { *(.text) }
  . = ALIGN(0x1000);
  .data : { *(.data) }
}
"""


def assemble(source: str, out: Path) -> None:
    """Assemble and link source into the program out (and nothing else next to it)."""
    src, ld = out.with_suffix(".S"), out.with_suffix(".ld")
    src.write_text(source)
    ld.write_text(LINK_LD)
    proc = subprocess.run([sys.executable, "-m", "ziglang", "cc", *TARGET_FLAGS, "-nostdlib", "-mno-relax",
                           "-T", str(ld), str(src), "-o", str(out)], capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    src.unlink()
    ld.unlink()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A folder with three test programs and two files the runner must leave alone."""
    d = tmp_path_factory.mktemp("riscv-tests")
    for name, case2 in CASES.items():
        assemble(PROGRAM.format(case2=case2), d / name)
    (d / "rv64ui-p-good.dump").write_text("not a program")
    (d / "README").write_text("not a program")
    return d


def test_verdicts_pass_fail_and_no_verdict(folder):
    """A pass, a failure at TEST_CASE 2, and a program that never writes tohost (counted as failed)."""
    tool = load_tool()
    verdicts = {v.name: v for v in (tool.run_test(p, limit=10_000) for p in tool.find_tests(folder, []))}
    assert sorted(verdicts) == ["rv64ui-p-bad", "rv64ui-p-good", "rv64um-v-hangs"]
    assert (verdicts["rv64ui-p-good"].passed, verdicts["rv64ui-p-good"].text) == (True, "pass")
    assert (verdicts["rv64ui-p-bad"].passed, verdicts["rv64ui-p-bad"].text) == (False, "FAIL at test 2")
    assert verdicts["rv64um-v-hangs"].passed is False
    assert verdicts["rv64um-v-hangs"].text == "no verdict after 10000 instructions"
    assert verdicts["rv64um-v-hangs"].instructions == 10_000


@pytest.mark.parametrize("plain", [False, True], ids=["fast", "plain"])
def test_the_table_and_the_exit_status(folder, capsys, plain):
    """The table has a row per test, a line per suite and the total; any failure makes the status 1."""
    tool = load_tool()
    status = tool.main([str(folder), "--limit", "10000", *(["--plain"] if plain else [])])
    out = capsys.readouterr().out
    assert status == 1
    lines = out.splitlines()
    assert any(line.startswith("rv64ui-p-bad") and line.endswith("FAIL at test 2") for line in lines)
    assert any(line.startswith("rv64ui-p") and line.endswith("1/2 passed") for line in lines)
    assert any(line.startswith("rv64um-v") and line.endswith("0/1 passed") for line in lines)
    assert lines[-1].split() == ["total", "1/3", "passed"]


def test_all_passing_is_status_0_and_names_select(folder, capsys):
    """Names keep only the matching tests; when all of those pass the status is 0."""
    assert load_tool().main([str(folder), "good"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == ["total", "1/1", "passed"]


def test_an_empty_folder_is_status_2(tmp_path, capsys):
    """No riscv-tests programs at all: say so, status 2."""
    assert load_tool().main([str(tmp_path)]) == 2
    assert "no riscv-tests programs" in capsys.readouterr().err
