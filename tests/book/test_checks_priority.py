"""The priority-inversion exercise's check and the runs the chapter section plots."""

from oskit.book.checks_priority import check_inversion_wait, run_inversion


def test_check_accepts_the_measured_wait_and_refuses_a_wrong_one():
    """A prediction within 1 ms of the measured wait is right; ignoring medium's 6 ms (3 ms) is not."""
    measured = run_inversion("none", harts=1, medium_ms=6).wait_us / 1000
    assert 9 <= measured <= 11                      # by hand: 3 ms of low's work + 6 ms of medium's, plus costs
    assert check_inversion_wait(round(measured)).ok
    wrong = check_inversion_wait(3)
    assert not wrong.ok and "high waited" in wrong.summary


def test_check_never_raises_on_bad_answers():
    """No answer, or not a number: a verdict that says what to give, not an exception."""
    for bad in (None, "eleven", True, [3]):
        v = check_inversion_wait(bad)
        assert not v.ok and v.summary


def test_inheritance_shortens_high_wait_on_one_hart_only():
    """One hart: inheritance cuts high's wait to low's remaining work; two harts: no inversion either way."""
    none1, pi1 = run_inversion("none", 1), run_inversion("inherit", 1)
    assert none1.wait_us > 10_000 and pi1.wait_us < 4_000     # 3 ms of low + 8 ms of medium vs 3 ms of low
    assert pi1.events.index("high: has the lock") < pi1.events.index("medium: computes")
    none2 = run_inversion("none", 2)
    assert none2.wait_us < 4_000
    assert {n for _, _, _, n in pi1.timeline} >= {"high", "medium", "low"}
