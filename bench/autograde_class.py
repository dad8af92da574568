"""Benchmark: how long nbgrader takes to autograde a class, on this machine.

    python bench/autograde_class.py [--students N] [--chapter PREFIX]

Builds the course (python -m oskit course build) for one chapter (default 00), generates its
release with nbgrader, and submits it for N students (default 30): a third hand in the
instructor's answers, a third the release unanswered, a third the answers with the last
exercise wrong, so the autograder meets right, missing and wrong work as in a real class.
Then `nbgrader autograde` grades them all in one run, and `nbgrader export` reads the scores
back. Prints the time of each step, the time per submission, and the score counts.

It needs the `class` extra (make setup-class); without nbgrader it says so and exits 0, so
`make bench` on a plain setup still runs the other benchmarks.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import nbformat

from oskit.course.build import build


def nbgrader(course: Path, *args: str) -> float:
    """Run `nbgrader ARGS` in COURSE; return its wall-clock seconds (exit on failure)."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return time.monotonic() - start


def wrong_last_answer(source: Path, out: Path) -> None:
    """SOURCE with its last exercise's answer replaced by its released starter (a wrong answer)."""
    nb = nbformat.read(source, as_version=4)
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    last = answers[-1]
    last.source = last.source.split("### BEGIN SOLUTION")[0] if "### BEGIN SOLUTION" in last.source \
        else last.source
    nbformat.write(nb, out)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--chapter", default="00")
    args = p.parse_args()
    try:
        import nbgrader as _  # noqa: F401
    except ImportError:
        print("autograde_class: skipped, nbgrader is not installed (make setup-class)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="oskit-autograde-"))
    try:
        course = tmp / "course"
        [assignment] = build(course, only=[args.chapter])
        name = assignment.name
        t_generate = nbgrader(course, "generate_assignment", name, "--force")
        release = course / "release" / name / f"{name}.ipynb"
        wrong = tmp / "wrong.ipynb"
        wrong_last_answer(assignment.notebook, wrong)
        kinds = [assignment.notebook, release, wrong]
        for i in range(args.students):
            target = course / "submitted" / f"student{i:02d}" / name
            target.mkdir(parents=True)
            shutil.copyfile(kinds[i % 3], target / f"{name}.ipynb")
        t_grade = nbgrader(course, "autograde", name, "--create", "--force")
        nbgrader(course, "export", "--to", str(tmp / "grades.csv"))
        with open(tmp / "grades.csv") as f:
            scores = Counter(float(r["score"]) for r in csv.DictReader(f))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"chapter {name}: {len(assignment.exercises)} exercises, {assignment.points:g} points")
    print(f"  generate_assignment          {t_generate:7.1f} s")
    print(f"  autograde {args.students:3d} submissions     {t_grade:7.1f} s  "
          f"({t_grade / args.students:.1f} s each, {os.cpu_count()} cores)")
    print("  scores: " + ", ".join(f"{n} x {s:g}" for s, n in sorted(scores.items(), reverse=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
