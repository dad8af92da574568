"""The exercise checks of chapters 0-2 (oskit/book/checks.py) tell right from wrong, and why."""

import pytest

import oskit
from oskit.book import checks
from oskit.magic import compile_into


@pytest.fixture(scope="module")
def k():
    """One kernel for the module (checks install their own programs into it)."""
    return oskit.boot(programs=False)


RIGHT_CAUSES = {"null_store": 15, "kernel_load": 13, "illegal_csr": 2, "breakpoint": 3, "syscall": 8}
RIGHT_DIVISION = {"7 / 0": -1, "7 % 0": 7, "-7 / 0": -1, "-7 % 0": -7,
                  "INT64_MIN / -1": checks.INT64_MIN, "INT64_MIN % -1": 0}


def test_verdict_text_marks_right_and_wrong():
    """A verdict prints a check mark or a cross, then its details as a list."""
    assert repr(checks.Verdict(True, "fine", ["why"])) == "✔ right: fine\n  - why"
    assert repr(checks.Verdict(False, "no")).startswith("✘ not yet: no")
    assert not checks.Verdict(False, "no")


def test_counting_accepts_a_correct_program(k):
    """A program printing 1..5 and returning 5 passes exercise 0.1."""
    compile_into(k, "count", '#include <stdio.h>\nint main(void){for(int i=1;i<=5;i++)printf("%d\\n",i);return 5;}')
    assert checks.check_counting(k, "/bin/count").ok


def test_counting_names_the_wrong_output_and_status(k):
    """A program that prints nothing and returns 0 is told both what it printed and its status."""
    compile_into(k, "count0", "int main(void){return 0;}")
    v = checks.check_counting(k, "/bin/count0")
    assert not v.ok
    assert "printed ''" in repr(v) and "exited with status 0" in repr(v)


def test_counting_without_the_program_says_to_build_it(k):
    """A missing program is a verdict that says to run the %%c cell, not an exception."""
    v = checks.check_counting(k, "/bin/nothing-here")
    assert not v.ok and "ENOENT" in repr(v) and "%%c" in repr(v)


def test_write_count_is_measured(k):
    """Three printf lines to the console are three writes: 3 is right, 1 is wrong, 'x' is a type error."""
    assert checks.check_write_count(3, k).ok
    wrong = checks.check_write_count(1, k)
    assert not wrong.ok and "the kernel saw 3 write calls" in repr(wrong)
    assert "expected an int" in repr(checks.check_write_count("three", k))
    assert "no answer yet" in repr(checks.check_write_count(None, k))


def test_trap_causes_are_what_the_hart_does(k):
    """Each one-instruction program traps at its label with the cause the privileged spec gives."""
    assert checks.measure_trap_causes(k) == RIGHT_CAUSES
    assert checks.check_trap_causes(RIGHT_CAUSES, k).ok


def test_a_wrong_cause_is_explained(k):
    """Saying 13 for a store to NULL is wrong, and the verdict gives the real cause, 15."""
    v = checks.check_trap_causes({**RIGHT_CAUSES, "null_store": 13}, k)
    assert not v.ok and "you said 13, the hart set scause = 15" in repr(v)


def test_division_results_come_from_the_hart():
    """div/rem by zero and INT64_MIN / -1 give RISC-V's defined results, with no trap taken."""
    results, traps = checks.run_division()
    assert results == RIGHT_DIVISION and traps == []
    assert checks.check_division(RIGHT_DIVISION).ok


def test_division_answer_trap_is_corrected():
    """Answering "trap" for 7 / 0 (x86's behaviour) is wrong, and the verdict says so."""
    v = checks.check_division({**RIGHT_DIVISION, "7 / 0": "trap"})
    assert not v.ok and "7 / 0: no trap" in repr(v)


def test_step_order():
    """BDFEAC is the order of the six steps; swapping two steps names both."""
    assert checks.check_step_order("BDFEAC").ok
    v = checks.check_step_order(["B", "D", "E", "F", "A", "C"])
    assert not v.ok and "step 3: you put E" in repr(v) and "step 4: you put F" in repr(v)
    assert "exactly once" in repr(checks.check_step_order("BDF"))


def test_sscratch_is_measured(k):
    """b (the trap frame address) is right; a is wrong; both show the measured sscratch."""
    right = checks.check_sscratch("b", k)
    assert right.ok and "sscratch = 0xffffffd0" in repr(right)
    assert not checks.check_sscratch("a", k).ok
    assert "expected one of" in repr(checks.check_sscratch("z", k))


def test_frame_offset():
    """a0 (x10) is at byte 72 of struct trapframe."""
    assert checks.check_frame_offset(72).ok
    assert not checks.check_frame_offset(80).ok
