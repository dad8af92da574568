"""The course builder (oskit/course/build.py): what each chapter's cells become, and its errors."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from oskit.book import variant
from oskit.course.build import BOOK, BuildError, build

REPO = Path(__file__).resolve().parents[2]


def grader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The whole book built once, without a seed."""
    out = tmp_path_factory.mktemp("course")
    return out, build(out)


def tagged_exercises() -> dict[str, dict[str, float]]:
    """chapter -> exercise id -> points, read from the chapters' metadata (the convention)."""
    found = {}
    for path in sorted(BOOK.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell.get("metadata", {}).get("oskit", {})
            if "exercise" in meta:
                found.setdefault(path.stem, {})[meta["exercise"]] = meta["points"]
    return found


def test_every_chapter_with_exercises_is_an_assignment_with_their_points(course):
    """One assignment per chapter with tagged exercises; each exercise is one autograded test cell
    worth its points and one solution cell; the chapters have at least 20 exercises in all."""
    out, built = course
    expected = tagged_exercises()
    assert {a.name for a in built} == set(expected)
    assert sum(len(v) for v in expected.values()) >= 20
    for a in built:
        nb = nbformat.read(out / "source" / a.name / f"{a.name}.ipynb", as_version=4)
        tests = {grader(c)["grade_id"]: grader(c)["points"] for c in nb.cells if grader(c).get("grade")}
        assert tests == {f"ex-{ex.replace('.', '_')}-test": pts for ex, pts in expected[a.name].items()}
        answers = [c for c in nb.cells if grader(c).get("solution")]
        assert len(answers) == len(expected[a.name])
        assert all("BEGIN SOLUTION" in c.source and "END SOLUTION" in c.source for c in answers)
        # Everything a student should not edit is locked: prose, demos, imports, tests.
        assert all(grader(c)["locked"] for c in nb.cells if not grader(c).get("solution"))
        assert (out / "nbgrader_config.py").read_text().count("ClearSolutions.code_stub") == 1


def test_answer_boxes_are_dropped_and_the_rest_of_the_prose_kept(course):
    """'Show the answer' boxes are gone from the assignments; the exercises' own text is still there."""
    out, _ = course
    text = (out / "source" / "00-start-here" / "00-start-here.ipynb").read_text()
    assert "Show the answer" not in text and "Show a solution" not in text
    assert "**0.2 Predict.**" in text and "(img/00-machine-and-kernel.svg)" in text
    assert (out / "source" / "00-start-here" / "img" / "00-machine-and-kernel.svg").is_file()


def test_a_seeded_build_gives_its_numbers_to_the_prose_the_answer_and_the_first_cell(tmp_path):
    """Seeded: the first cell sets the seed, the prose of 0.1 asks for the seed's count, and the
    solution program counts to it; unseeded: the book's words and no seed cell."""
    seed = next(s for s in range(100) if variant.value("0.1", s) == 7)
    [a] = build(tmp_path / "seeded", seed=seed, only=["00"])
    nb = nbformat.read(a.notebook, as_version=4)
    assert nb.cells[0].source.endswith(f"variant.use_seed({seed})") and grader(nb.cells[0])["locked"]
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "prints the numbers 1 to 7, one per line, and exits with status 7" in prose
    answer = next(c.source for c in nb.cells if grader(c)["grade_id"] == "ex-0_1-answer")
    assert "i <= 7" in answer and "return 7;" in answer
    assert variant.current_seed() is None                     # the build leaves no seed behind

    [plain] = build(tmp_path / "plain", only=["00"])
    first = nbformat.read(plain.notebook, as_version=4).cells[0]
    assert "use_seed" not in first.source


def write_book(folder: Path, cells) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), folder / "09-test.ipynb")
    return folder


def tagged(source: str, **meta):
    cell = new_code_cell(source)
    cell.metadata["oskit"] = meta
    return cell


@pytest.mark.parametrize("cells, message", [
    ([tagged("answer = None\ncheck_x(answer)", exercise="9.1")], "exercise 9.1 needs \"points\""),
    ([tagged("answer = None\ncheck_x(answer)", exercise="9.1", points=2)], "exercise 9.1 has no answer: add SOLUTIONS['check_x']"),
    ([tagged("answer = None", exercise="9.1", points=2, solution="answer = 1")],
     "cell 0 (exercise 9.1): the check cell must end with the check's call"),
    ([tagged("%%c prog\nint main(void){return 0;}", answer_for="9.2")], "answer_for '9.2' needs a later cell"),
    ([tagged("check_x(a)", exercise="9.1", points=1, solution="a = 1"),
      tagged("check_x(a)", exercise="9.1", points=1, solution="a = 1")], "exercise 9.1 is tagged twice"),
])
def test_a_badly_tagged_chapter_is_refused_with_the_cell_and_the_fix(tmp_path, cells, message):
    """Each mistake a chapter author can make in the metadata gets its own message."""
    book = write_book(tmp_path / "book", cells)
    with pytest.raises(BuildError, match=re.escape(message)):
        build(tmp_path / "out", book=book)


def test_a_metadata_solution_serves_a_new_chapter(tmp_path):
    """A new chapter's exercise can carry its answer in its metadata: starter, then the answer."""
    book = write_book(tmp_path / "book", [new_markdown_cell("**9.1** Say 4."),
                                          tagged("answer = None   # a number\ncheck_x(answer)",
                                                 exercise="9.1", points=2, solution="answer = 4")])
    [a] = build(tmp_path / "out", book=book)
    answer = next(c for c in nbformat.read(a.notebook, as_version=4).cells if grader(c).get("solution"))
    assert answer.source == "answer = None   # a number\n### BEGIN SOLUTION\nanswer = 4\n### END SOLUTION"


def test_prose_that_no_longer_matches_a_seeded_exercise_is_an_error(tmp_path):
    """If chapter 0's wording of exercise 0.1 changed, a seeded build says which words to update."""
    book = write_book(tmp_path / "book", [new_markdown_cell("Count to five."),
                                          tagged("check_counting(k)", exercise="0.1", points=1)])
    build(tmp_path / "plain", book=book)                    # unseeded: nothing to replace
    with pytest.raises(BuildError, match="exercise 0.1's prose no longer says 'prints the numbers 1 to 5"):
        build(tmp_path / "seeded", book=book, seed=1)


def test_command_line_builds_and_reports_or_fails_in_one_line(tmp_path):
    """`python -m oskit course build` lists the assignments; a book with no exercises is exit 2."""
    ok = subprocess.run([sys.executable, "-m", "oskit", "course", "build", str(tmp_path / "c"), "--only", "02",
                         "--seed", "3"], capture_output=True, text=True, cwd=REPO)
    assert ok.returncode == 0, ok.stderr
    assert "1 assignments, seed 3" in ok.stdout and "02-context-switch" in ok.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = subprocess.run([sys.executable, "-m", "oskit", "course", "build", str(tmp_path / "d"), "--book",
                          str(empty)], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2 and bad.stderr.startswith("oskit course: no chapter in")
    assert "Traceback" not in bad.stderr
