"""``python -m oskit course build DIR [--seed N] [--only PREFIX ...]``: the chapters as an nbgrader course.

Exit status: 0 when the course was written, 2 when it cannot be (the message names the
chapter, the cell and what to change).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from oskit.course.build import BOOK, BuildError, build


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m oskit course",
                                description="Make nbgrader assignments from the oskit chapters.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write an nbgrader course directory (nbgrader_config.py, source/)")
    b.add_argument("dir", type=Path, help="the course directory to write (created if missing)")
    b.add_argument("--seed", type=int, default=None,
                   help="give this class its own numbers in the seeded exercises (default: the book's)")
    b.add_argument("--only", nargs="+", metavar="PREFIX", default=None,
                   help="only the chapters whose file name starts with PREFIX (e.g. 00 03)")
    b.add_argument("--book", type=Path, default=BOOK, help=f"the chapters' folder (default {BOOK})")
    b.add_argument("--course-id", default="oskit", help="nbgrader's course id (default oskit)")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        built = build(args.dir, seed=args.seed, book=args.book, only=args.only, course_id=args.course_id)
    except BuildError as e:
        print(f"oskit course: {e}", file=sys.stderr)
        return 2
    seed = f"seed {args.seed}" if args.seed is not None else "the book's numbers (no seed)"
    print(f"{args.dir}: {len(built)} assignments, {seed}")
    for a in built:
        exercises = ", ".join(f"{ex.id} ({ex.points:g})" for ex in a.exercises.values())
        print(f"  {a.name:<30} {a.points:>4g} points: {exercises}")
    print(f"next: cd {args.dir} && nbgrader generate_assignment <name>   (docs/instructors.md)")
    return 0
