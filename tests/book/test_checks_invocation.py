"""The invocation chapter's measurements and exercise checks (oskit/book/checks_invocation.py)."""

import pytest

import oskit
from oskit.book import checks_invocation as c


@pytest.fixture(scope="module")
def k():
    return oskit.boot(programs=False)


def test_the_page_makes_no_system_call_and_costs_fewer_instructions(k):
    """Through the page: 0 system calls per call; through the system call: 1, and more instructions and cycles."""
    page, sys = c.measure_clock(k, 300)
    assert (page.how, page.syscalls, sys.how, sys.syscalls) == ("shared page", 0, "system call", 1)
    assert page.instructions < sys.instructions and page.cycles < sys.cycles
    assert k.sharedpage.fast_gettime                       # left on


def test_an_sbi_call_is_a_few_instructions_and_traps_s_to_m(k):
    """An SBI call executes a handful of guest instructions; the trace shows cause 9 S -> M, then mret M -> S."""
    cost = c.measure_sbi(k, 20)
    assert 4 <= cost.instructions <= 12
    lines = c.sbi_trace(k)
    assert len(lines) == 2 and "cause 9" in lines[0] and "S -> M" in lines[0] and lines[1].startswith("mret")


def test_timer_traffic_sstc_makes_no_sbi_call_and_sbi_does():
    """Sstc: no trap to M-mode at all; SBI: set_timer calls and machine timer interrupts."""
    sstc, sbi = c.timer_traffic("sstc"), c.timer_traffic("sbi")
    assert sstc["exit"] == sbi["exit"] == 0
    assert sstc["sbi calls"] == sstc["traps to M"] == 0
    assert sbi["sbi calls"] >= 10 and sbi["machine timer interrupts"] >= 10


def test_check_fallback_calls(k):
    """Right: 5 (only the CPU-time clock traps); 0, 125 and a string are wrong with a reason; None: not answered."""
    assert c.check_fallback_calls(5, k).ok
    for wrong in (0, 125, 7, "5"):
        v = c.check_fallback_calls(wrong, k)
        assert not v.ok and v.summary
    assert "no answer" in c.check_fallback_calls(None, k).summary


def test_check_sbi_trap(k):
    """Right: cause 9, M, mret (case and spaces forgiven); each wrong field is named."""
    assert c.check_sbi_trap({"cause": 9, "handled_in": "m", "returns_with": "mret "}, k).ok
    v = c.check_sbi_trap({"cause": 8, "handled_in": "S", "returns_with": "sret"}, k)
    assert not v.ok and len(v.details) == 3
    assert not c.check_sbi_trap(None, k).ok


def test_check_breakpoint_arg(k):
    """Right: 18 (write's byte count in a2); wrong: 1 (that is a0, the descriptor); and the program still ends."""
    assert c.check_breakpoint_arg(18, k).ok
    assert not c.check_breakpoint_arg(1, k).ok
    assert c.check_breakpoint_arg(1, k, register="a0").ok
    assert not c.check_breakpoint_arg(None, k).ok
    assert k.breakpoints.syscalls == {}
