"""Build an nbgrader course directory from the chapters: ``python -m oskit course build DIR``.

What a chapter's cells become (the convention is the cells' ``oskit`` metadata, not file
names or cell positions, so chapters can be renumbered and new ones tagged the same way):

    {"oskit": {"exercise": "2.3", "points": 1}}   the cell that calls the exercise's check.
        Its last statement, the check call, becomes an autograded *test* cell worth
        POINTS (read-only; it prints the verdict and asserts it is right). What comes
        before it becomes the *solution* cell: the starter lines the student edits,
        then the instructor's answer between BEGIN/END SOLUTION markers, which
        ``nbgrader generate_assignment`` removes. Leading imports go into a read-only
        cell of their own, so a student cannot lose them.
    {"oskit": {"answer_for": "0.1"}}              a separate cell where the answer is written
        (a %%c program the check then runs): it becomes the solution cell, and the
        exercise's check cell becomes the test cell whole.
    every other cell                              read-only (nbgrader "locked"): prose and demos.

The answer itself comes from oskit/course/solutions.py (SOLUTIONS, keyed by the name of the
check the cell calls, which survives a renumbering), or else from the exercise's metadata
``"solution": "answer = 3"``; an exercise with neither is an error.
"Show the answer" boxes (<details> whose summary starts with "Show") are dropped from the
prose. With a seed, the assignment's first cell is ``variant.use_seed(SEED)`` and the
prose of seeded exercises gets the seed's numbers (solutions.PROSE).

The directory written:

    DIR/nbgrader_config.py
    DIR/source/<chapter>/<chapter>.ipynb     one assignment per chapter that has exercises
    DIR/source/<chapter>/img/...             the pictures its prose shows
"""

from __future__ import annotations

import ast
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.warnings import DuplicateCellId, MissingIDFieldWarning

from oskit.book import variant
from oskit.course import solutions

BOOK = Path(__file__).resolve().parents[2] / "notebooks"
SCHEMA_VERSION = 3                         # nbgrader's cell metadata schema (nbgrader 0.9)
ANSWER_BOX = re.compile(r"<details>\s*<summary>\s*Show\b.*?</details>\s*", re.S)
IMAGE = re.compile(r"\]\((img/[^)\s]+)\)|src=\"(img/[^\"]+)\"")

CONFIG = '''\
# nbgrader configuration for the oskit course (written by `python -m oskit course build`).
c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = {course_id!r}
# A released solution region becomes nothing: the starter lines above it stay for the student
# (a Python placeholder like `answer = None`, or a %%c cell's starter program), and a stub in
# one language would break the other's cells.
c.ClearSolutions.code_stub = {{"python": ""}}
# The checks run the real machine; a chapter's slowest check takes seconds, not minutes.
c.ExecutePreprocessor.timeout = 600
'''


class BuildError(Exception):
    """The chapters cannot be made into a course; str() says which cell and what to change."""


@dataclass
class Exercise:
    """One exercise found in a chapter: its id, points, and the cells that hold it."""

    id: str
    points: float
    check: str                     # the name of the check function its cell calls
    check_cell: int
    answer_cell: int | None = None


def _oskit(cell) -> dict:
    return cell.get("metadata", {}).get("oskit", {})


def find_exercises(nb, where: str = "") -> dict[str, Exercise]:
    """The exercises of notebook NB, by id, from its cells' oskit metadata."""
    found: dict[str, Exercise] = {}
    answers: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        meta = _oskit(cell)
        if "exercise" in meta:
            ex_id = str(meta["exercise"])
            points = meta.get("points")
            if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
                raise BuildError(f"{where} cell {i}: exercise {ex_id} needs \"points\": a positive number, "
                                 f"found {points!r}")
            if ex_id in found:
                raise BuildError(f"{where} cell {i}: exercise {ex_id} is tagged twice (cells "
                                 f"{found[ex_id].check_cell} and {i})")
            *_, check = _split_check(cell.source, f"{where} cell {i} (exercise {ex_id})")
            found[ex_id] = Exercise(ex_id, points, check, i)
        elif "answer_for" in meta:
            answers[str(meta["answer_for"])] = i
    for ex_id, i in answers.items():
        if ex_id not in found or i > found[ex_id].check_cell:
            raise BuildError(f"{where} cell {i}: answer_for {ex_id!r} needs a later cell tagged "
                             f"{{\"oskit\": {{\"exercise\": \"{ex_id}\", ...}}}}")
        found[ex_id].answer_cell = i
    return found


def solution_for(ex: Exercise, meta: dict, where: str) -> str:
    """The instructor's answer to exercise EX (under the seed in force)."""
    if ex.check in solutions.SOLUTIONS:
        return solutions.SOLUTIONS[ex.check]().strip("\n")
    if "solution" in meta:
        return str(meta["solution"]).strip("\n")
    raise BuildError(f"{where}: exercise {ex.id} has no answer: add SOLUTIONS[{ex.check!r}] to "
                     "oskit/course/solutions.py (or \"solution\" to the cell's oskit metadata)")


def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def _grade_id(ex: Exercise, part: str) -> str:
    """nbgrader's id for a cell of exercise EX (letters, digits, - and _ only: 2.3 -> ex-2_3-test)."""
    return "ex-" + re.sub(r"[^A-Za-z0-9_]", "_", ex.id) + "-" + part


def _code(source: str, **nbgrader) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = _nbgrader(**nbgrader)
    return cell


def _split_check(source: str, where: str) -> tuple[list[str], list[str], str, str]:
    """A check cell's (import lines, starter lines, check call, check's name): the call is its
    last statement."""
    try:
        body = ast.parse(source).body
    except SyntaxError as e:
        raise BuildError(f"{where}: the check cell is not Python ({e.msg})") from None
    last = body[-1] if body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        raise BuildError(f"{where}: the check cell must end with the check's call, e.g. check_x(answer)")
    func = last.value.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", ast.unparse(func))
    lines = source.splitlines()
    before, call = lines[:last.lineno - 1], "\n".join(lines[last.lineno - 1:])
    imports = []
    for stmt in body[:-1]:                  # leading imports only: a starter may import after its lines
        if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            break
        imports = lines[:stmt.end_lineno]
    starter = before[len(imports):]
    while starter and not starter[0].strip():
        starter.pop(0)
    while starter and not starter[-1].strip():
        starter.pop()
    return imports, starter, call, name


def _test_source(ex: Exercise, call: str) -> str:
    return (f"verdict = {call}\n"
            "print(repr(verdict))\n"
            f'assert verdict.ok, "exercise {ex.id} is not right yet: the verdict above says why"')


def _python_solution(starter: list[str], answer: str) -> str:
    return "\n".join(starter + ["### BEGIN SOLUTION", answer, "### END SOLUTION"])


def _c_solution(source: str, answer: str, where: str) -> str:
    """A %%c answer cell: the students get the starter program, the source notebook the answer.

    The starter stays in the source notebook (between #if 0 and #endif, which the release
    drops with the markers), so the released cell is exactly the chapter's starter.
    """
    magic, _, starter = source.partition("\n")
    if not magic.startswith("%%c"):
        raise BuildError(f"{where}: an answer_for cell must be a %%c cell or an exercise's check cell")
    return "\n".join([magic,
                      "/* BEGIN SOLUTION */", "#if 0  /* the students' starter program: */", "/* END SOLUTION */",
                      starter.strip("\n"),
                      "/* BEGIN SOLUTION */", "#endif", answer, "/* END SOLUTION */"])


def _prose(source: str) -> str:
    return ANSWER_BOX.sub("", source)


def assignment_notebook(nb, name: str, seed: int | None):
    """The nbgrader source notebook made from chapter NB (called NAME in messages)."""
    exercises = find_exercises(nb, name)
    by_check = {ex.check_cell: ex for ex in exercises.values()}
    by_answer = {ex.answer_cell: ex for ex in exercises.values() if ex.answer_cell is not None}
    seeded = [ex for ex in exercises.values() if seed is not None and ex.check in solutions.PROSE]
    replacements = [(ex.id, old, new) for ex in seeded for old, new in solutions.PROSE[ex.check]()]
    used = set()
    cells = []
    if seed is not None:
        cells.append(_code(f"# This assignment's numbers come from seed {seed}: run this cell first.\n"
                           f"from oskit.book import variant\nvariant.use_seed({seed})",
                           grade_id="seed", locked=True))
    for i, cell in enumerate(nb.cells):
        where = f"{name} cell {i}"
        if cell.cell_type == "markdown":
            text = _prose(cell.source)
            for n, (ex_id, old, new) in enumerate(replacements):
                # The prose is wrapped at any space: match the words across line breaks.
                words = r"\s+".join(re.escape(w) for w in old.split())
                text, count = re.subn(words, lambda _: new, text)
                if count:
                    used.add(n)
            md = nbformat.v4.new_markdown_cell(text)
            md.metadata["nbgrader"] = _nbgrader(f"cell-{i}", locked=True)
            cells.append(md)
        elif cell.cell_type != "code":
            continue
        elif i in by_answer:
            ex = by_answer[i]
            answer = solution_for(ex, _oskit(nb.cells[ex.check_cell]), where)
            cells.append(_code(_c_solution(cell.source, answer, where),
                               grade_id=_grade_id(ex, "answer"), solution=True))
        elif i in by_check:
            ex = by_check[i]
            if ex.answer_cell is not None:
                _, _, call, _ = _split_check(cell.source, where)
                setup = cell.source[:cell.source.rindex(call)].strip("\n")
                if setup:
                    cells.append(_code(setup, grade_id=_grade_id(ex, "setup"), locked=True))
            else:
                imports, starter, call, _ = _split_check(cell.source, where)
                if imports:
                    cells.append(_code("\n".join(imports), grade_id=_grade_id(ex, "setup"), locked=True))
                answer = solution_for(ex, _oskit(cell), where)
                cells.append(_code(_python_solution(starter, answer), grade_id=_grade_id(ex, "answer"),
                                   solution=True))
            cells.append(_code(_test_source(ex, call), grade_id=_grade_id(ex, "test"), grade=True,
                               locked=True, points=ex.points))
        else:
            cells.append(_code(cell.source, grade_id=f"cell-{i}", locked=True))
    missing = [(ex_id, old) for n, (ex_id, old, _) in enumerate(replacements) if n not in used]
    if missing:
        ex_id, old = missing[0]
        raise BuildError(f"{name}: exercise {ex_id}'s prose no longer says {old!r}: update PROSE in "
                         "oskit/course/solutions.py to the chapter's words")
    out = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
    return out, exercises


@dataclass
class Assignment:
    """What build() wrote for one chapter."""

    name: str
    notebook: Path
    exercises: dict[str, Exercise]

    @property
    def points(self) -> float:
        return sum(ex.points for ex in self.exercises.values())


def build(course_dir, seed: int | None = None, book: Path = BOOK, only: list[str] | None = None,
          course_id: str = "oskit") -> list[Assignment]:
    """Write an nbgrader course directory at COURSE_DIR from the chapters in BOOK.

    Every notebook with tagged exercises becomes an assignment named after the notebook
    (ONLY, if given, keeps those whose name starts with one of its strings). SEED picks the
    exercises' numbers (None: the book's own). Returns what was written.
    """
    course_dir = Path(course_dir)
    chapters = sorted(p for p in Path(book).glob("*.ipynb")
                      if not only or any(p.stem.startswith(o) for o in only))
    previous = variant.current_seed()
    variant.use_seed(seed)                  # the answers and prose follow the seed being built
    built = []
    try:
        for path in chapters:
            with warnings.catch_warnings():
                # Every cell of the assignment is made anew, with a new id: ids that nbformat
                # would repair in the chapter (duplicated, missing) do not reach the course.
                warnings.simplefilter("ignore", DuplicateCellId)
                warnings.simplefilter("ignore", MissingIDFieldWarning)
                nb = nbformat.read(path, as_version=4)
            if not any("exercise" in _oskit(c) or "answer_for" in _oskit(c) for c in nb.cells):
                continue
            out, exercises = assignment_notebook(nb, path.name, seed)
            target = course_dir / "source" / path.stem / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(out, target)
            for m in IMAGE.finditer("\n".join(c.source for c in nb.cells if c.cell_type == "markdown")):
                image = m.group(1) or m.group(2)
                (target.parent / image).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(book) / image, target.parent / image)
            built.append(Assignment(path.stem, target, exercises))
    finally:
        variant.use_seed(previous)
    if not built:
        raise BuildError(f"no chapter in {book} has an exercise cell tagged "
                         "{\"oskit\": {\"exercise\": ..., \"points\": ...}}")
    (course_dir / "nbgrader_config.py").write_text(CONFIG.format(course_id=course_id))
    return built
