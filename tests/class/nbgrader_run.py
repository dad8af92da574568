"""Running nbgrader's own commands on a course directory, for the class tests and the benchmark."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

NBGRADER = [sys.executable, "-m", "nbgrader"]


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` in COURSE; fail with its output when it fails."""
    # nbgrader starts `alembic` (its database migrations) by name: the venv's bin must be on PATH.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run([*NBGRADER, *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=3600)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def submit(course: Path, student: str, assignment: str, notebook: Path) -> None:
    """Put NOTEBOOK where nbgrader collects STUDENT's submission of ASSIGNMENT."""
    target = course / "submitted" / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, target / f"{assignment}.ipynb")


def scores(course: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(assignment, student) -> (score, max score), as `nbgrader export` writes them."""
    out = course / "grades.csv"
    nbgrader(course, "export", "--to", str(out))
    with out.open() as f:
        return {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(f)}


def cell_scores(course: Path, assignment: str, student: str) -> dict[str, float]:
    """grade_id -> points STUDENT got for each autograded cell of ASSIGNMENT (the gradebook's record)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(assignment, assignment, student)   # (notebook, assignment, student)
        return {g.name: g.score for g in nb.grades}
