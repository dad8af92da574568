"""Seeded variants of the exercises: the numbers an exercise asks about, chosen by a seed.

An instructor who builds a course with ``python -m oskit course build DIR --seed N`` gives a
class its own numbers (OSTEP's homework does the same with ``-s SEED``): a program that
counts to 7 instead of 5, a trap frame question about ``a3`` instead of ``a0``. The
assignment's first cell calls ``use_seed(N)``; from then on every check that has a
variant asks ``value(exercise)`` what the numbers are, and so does the builder when it
writes the exercise's prose and its solution.

Without a seed (the book as everyone reads it) ``value()`` returns each exercise's
default, so the chapters and their checks behave exactly as before.

    VARIANTS    exercise id -> Variant (the default and the choices)
    use_seed()  set (or clear, with None) the seed of this Python process
    value()     the number exercise EXERCISE asks about under the current seed
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """What a seed may change in one exercise: a default (the book's own) and the choices."""

    what: str
    default: object
    choices: tuple


VARIANTS = {
    "0.1": Variant("the number the program counts to (and its exit status)", 5, (4, 5, 6, 7, 8, 9)),
    "0.2": Variant("how many lines the program prints with printf", 3, (2, 3, 4, 5, 6)),
    "2.3": Variant("the register whose trap-frame offset is asked",
                   "a0", ("a0", "a1", "a2", "a3", "a4", "a5", "s0", "s1", "t0", "t1", "sp", "gp")),
}

_seed: int | None = None


def use_seed(seed: int | None) -> None:
    """Make value() answer for SEED (an int), or for the book's defaults again (None)."""
    global _seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"a seed is an int or None, found {seed!r}")
    _seed = seed


def current_seed() -> int | None:
    """The seed in force (None: the book's defaults)."""
    return _seed


def value(exercise: str, seed: int | None = ...):
    """The value exercise EXERCISE asks about under SEED (default: the seed in force).

    The same (seed, exercise) always gives the same value, on every machine and Python
    version (random.Random seeded with a string is stable), and different exercises draw
    independently.
    """
    variant = VARIANTS[exercise]
    seed = _seed if seed is ... else seed
    if seed is None:
        return variant.default
    return random.Random(f"oskit:{seed}:{exercise}").choice(variant.choices)
