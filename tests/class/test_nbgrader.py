"""The chapters as nbgrader assignments, graded by the real nbgrader (its own commands, a temporary course)."""

import json

import nbformat
import pytest
from nbgrader_run import cell_scores, nbgrader, scores, submit

from oskit.book import variant
from oskit.course import solutions
from oskit.course.build import build

CHAPTER = "00-start-here"


def cells_by_id(path):
    """grade_id -> cell of the notebook at PATH."""
    nb = nbformat.read(path, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def generated(tmp_path, name, seed=None):
    """A course of chapter 0 built with SEED, its release generated: (course dir, source nb, release nb)."""
    course = tmp_path / name
    build(course, seed=seed, only=["00"])
    nbgrader(course, "generate_assignment", CHAPTER, "--force")
    return (course, course / "source" / CHAPTER / f"{CHAPTER}.ipynb",
            course / "release" / CHAPTER / f"{CHAPTER}.ipynb")


def with_answers(notebook, answers: dict, out):
    """NOTEBOOK with the cells named in ANSWERS (grade_id -> source) replaced: a student's work."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    nbformat.write(nb, out)
    return out


def test_release_hides_the_answers_and_autograding_gives_full_none_or_all_but_one(tmp_path):
    """The release has starters but no solutions; the source scores full marks, the unanswered
    release zero, and a wrong answer to 0.2 loses exactly 0.2's points."""
    course, source, release = generated(tmp_path, "book")
    text = release.read_text()
    assert "BEGIN SOLUTION" not in text and "i <= 5" not in text and "answer = 3" not in text
    assert "Show a solution" not in text and "Show the answer" not in text
    assert "/* your code here */" in text and "answer = None" in text       # the starters stay
    released = cells_by_id(release)
    points = {g: c.metadata["nbgrader"]["points"] for g, c in released.items() if c.metadata["nbgrader"]["grade"]}
    assert set(points) == {"ex-0_1-test", "ex-0_2-test"}
    assert all(c.metadata["nbgrader"]["locked"] for g, c in released.items() if "answer" not in g)

    submit(course, "alice", CHAPTER, source)
    submit(course, "bob", CHAPTER, release)
    wrong = with_answers(source, {"ex-0_2-answer": "answer = 1   # one write for the whole output"},
                         tmp_path / "carol.ipynb")
    submit(course, "carol", CHAPTER, wrong)
    nbgrader(course, "autograde", CHAPTER, "--create", "--force")

    total = sum(points.values())
    got = scores(course)
    assert got[(CHAPTER, "alice")] == (total, total)
    assert got[(CHAPTER, "bob")] == (0, total)
    assert got[(CHAPTER, "carol")] == (total - points["ex-0_2-test"], total)
    assert cell_scores(course, CHAPTER, "carol") == {"ex-0_1-test": points["ex-0_1-test"], "ex-0_2-test": 0}


def test_seeded_assignment_has_its_own_numbers_and_checks_follow_them(tmp_path):
    """With a seed whose numbers differ from the book's, the prose and solution follow the seed:
    the seeded source scores full marks, and the book's answers score nothing."""
    seed = next(s for s in range(100) if variant.value("0.1", s) != 5 and variant.value("0.2", s) != 3)
    n, lines = variant.value("0.1", seed), variant.value("0.2", seed)
    course, source, release = generated(tmp_path, "seeded", seed=seed)
    text = release.read_text()
    assert f"variant.use_seed({seed})" in text
    assert f"prints the numbers 1 to {n}, one per" in text and f"exits with status {n}" in text
    prose = next(c.source for c in nbformat.read(release, as_version=4).cells if "0.2 Predict" in c.source)
    assert prose.count("printf(") == lines and f"printf(\"{('one two three four five six'.split())[lines - 1]}" in prose

    # The book's answers (no seed), as a student who copied last year's work would hand them in.
    assert variant.current_seed() is None
    book = {"ex-0_1-answer": "%%c count --kernel k\n" + solutions.SOLUTIONS["check_counting"](),
            "ex-0_2-answer": solutions.SOLUTIONS["check_write_count"]()}
    assert "return 5;" in book["ex-0_1-answer"] and book["ex-0_2-answer"] == "answer = 3"
    copied = with_answers(release, book, tmp_path / "copied.ipynb")
    submit(course, "dave", CHAPTER, source)
    submit(course, "erin", CHAPTER, copied)
    nbgrader(course, "autograde", CHAPTER, "--create", "--force")
    got = scores(course)
    total = got[(CHAPTER, "dave")][1]
    assert got[(CHAPTER, "dave")] == (total, total)
    assert got[(CHAPTER, "erin")] == (0, total)


@pytest.mark.slow
def test_every_chapter_source_autogrades_to_full_marks(tmp_path):
    """Every chapter's assignment, answered with oskit/course/solutions.py, gets every point."""
    course = tmp_path / "all"
    built = build(course)
    for a in built:
        nbgrader(course, "generate_assignment", a.name, "--force")
        submit(course, "instructor", a.name, a.notebook)
    for a in built:
        nbgrader(course, "autograde", a.name, "--create", "--force")
    got = scores(course)
    assert {a.name: got[(a.name, "instructor")] for a in built} == \
        {a.name: (a.points, a.points) for a in built}
