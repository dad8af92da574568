"""Seeded variants (oskit/book/variant.py): the book's numbers without a seed, the seed's with one,
and the checks of exercises 0.1, 0.2 and 2.3 follow them."""

import pytest

import oskit
from oskit.book import checks, variant
from oskit.course import solutions
from oskit.magic import compile_into


@pytest.fixture(autouse=True)
def no_seed_after():
    """Every test leaves the process unseeded, as the book is read."""
    yield
    variant.use_seed(None)


@pytest.fixture(scope="module")
def k():
    return oskit.boot(programs=False)


def test_without_a_seed_every_exercise_asks_the_books_numbers():
    """Unseeded, value() is what the chapters' prose says: count to 5, three lines, a0."""
    assert variant.current_seed() is None
    assert (variant.value("0.1"), variant.value("0.2"), variant.value("2.3")) == (5, 3, "a0")


def test_a_seed_picks_stable_values_among_the_choices_and_seeds_differ():
    """The same seed gives the same numbers every time; across seeds, more than one value occurs."""
    for ex, v in variant.VARIANTS.items():
        seen = {variant.value(ex, s) for s in range(40)}
        assert seen <= set(v.choices) and len(seen) > 1, ex
        assert [variant.value(ex, 7)] * 3 == [variant.value(ex, 7) for _ in range(3)]
    variant.use_seed(7)
    assert variant.value("2.3") == variant.value("2.3", 7)


def test_a_seed_must_be_an_int():
    """use_seed refuses a string or a bool with a message naming what it found."""
    with pytest.raises(TypeError, match="found '12'"):
        variant.use_seed("12")
    with pytest.raises(TypeError):
        variant.use_seed(True)


def test_frame_offset_check_follows_the_seed():
    """Unseeded, a0's 72 is right; under a seed asking about another register, 72 is wrong and the
    register's own offset (8 * (x - 1), worked out here from the ABI names) is right."""
    assert checks.check_frame_offset(72).ok
    seed = next(s for s in range(100) if variant.value("2.3", s) == "s1")
    variant.use_seed(seed)
    v = checks.check_frame_offset(72)
    assert not v.ok and "s1 is at offset 64" in repr(v)            # s1 is x9: 8 * 8
    assert checks.check_frame_offset(64).ok


def test_write_count_and_counting_checks_follow_the_seed(k):
    """Under a seed that asks for 6 printf lines and a count to 8, the seed's answers pass, the
    book's fail, and the instructor's solutions (solutions.py) pass."""
    seed = next(s for s in range(200) if variant.value("0.2", s) == 6 and variant.value("0.1", s) == 8)
    variant.use_seed(seed)
    assert checks.check_write_count(6, k).ok
    assert not checks.check_write_count(3, k).ok
    compile_into(k, "count5", '#include <stdio.h>\nint main(void){for(int i=1;i<=5;i++)printf("%d\\n",i);return 5;}')
    v = checks.check_counting(k, "/bin/count5")
    assert not v.ok and "expected status 8" in repr(v)
    compile_into(k, "count", solutions.SOLUTIONS["check_counting"]())
    assert checks.check_counting(k, "/bin/count").ok
    scope = {}
    exec(solutions.SOLUTIONS["check_write_count"](), scope)
    assert checks.check_write_count(scope["answer"], k).ok
