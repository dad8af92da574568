"""Committed notebooks are executed, error-free, clean, and carry their widgets' saved state.

nbval (run by the same `pytest` command) re-runs each notebook and compares outputs; that only
means something when the committed notebook holds the outputs of a clean top-to-bottom run.
These checks read the files as committed (fast, no kernel), and tell the author what to run:
`.venv/bin/python tools/execute_notebooks.py <notebook>`.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from execute_notebooks import NBSTRIPOUT_FLAGS, default_notebooks, execute  # noqa: E402

NOTEBOOKS = [p.relative_to(REPO).as_posix() for p in default_notebooks()]
FIX = "re-execute and clean it: .venv/bin/python tools/execute_notebooks.py"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def load(path: str) -> dict:
    """The notebook at `path` (relative to the repository) as JSON."""
    return json.loads((REPO / path).read_text())


def code_cells(nb: dict) -> list[dict]:
    """The code cells of `nb` that hold code (empty cells are never executed)."""
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def widget_model_ids(nb: dict) -> list[str]:
    """Model ids of the widget views shown in `nb`'s outputs."""
    return [o["data"][WIDGET_VIEW]["model_id"] for c in code_cells(nb) for o in c["outputs"]
            if WIDGET_VIEW in o.get("data", {}) and o["data"][WIDGET_VIEW].get("model_id")]


def test_there_are_chapters():
    """The book has at least its first chapter, notebooks/00-start-here.ipynb."""
    assert "notebooks/00-start-here.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_was_executed_top_to_bottom(path):
    """Every code cell ran once, in order, in one fresh kernel: counts read 1, 2, 3, ..."""
    counts = [c["execution_count"] for c in code_cells(load(path))]
    assert counts == list(range(1, len(counts) + 1)), \
        f"{path}: execution counts are {counts}, expected 1..{len(counts)}; {FIX} {path}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_has_no_error_output(path):
    """No committed cell shows an exception or a traceback."""
    problems = []
    for i, cell in enumerate(load(path)["cells"]):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                problems.append(f"cell {i}: {out['ename']}: {out['evalue']}")
            elif out.get("name") == "stderr" and "Traceback" in "".join(out["text"]):
                problems.append(f"cell {i}: a traceback on stderr")
    assert problems == [], f"{path} has error output"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_printed_text_is_saved_in_one_piece(path):
    """No cell saves one stream as several outputs (tools/execute_notebooks.py joins them)."""
    nb = json.loads((REPO / path).read_text())
    split = [i for i, cell in enumerate(nb["cells"])
             for a, b in zip(cell.get("outputs", []), cell.get("outputs", [])[1:])
             if a["output_type"] == b["output_type"] == "stream" and a["name"] == b["name"]]
    assert not split, f"cells {split} save their printed text in pieces: run tools/execute_notebooks.py"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_runs_under_the_python3_kernel(path):
    """The kernelspec is python3, so JupyterLab, Binder and nbval start it without asking."""
    spec = load(path)["metadata"].get("kernelspec", {})
    assert spec.get("name") == "python3", f"{path}: kernelspec is {spec!r}, expected python3"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_is_clean(path):
    """`nbstripout --verify` with the project's flags finds nothing to strip."""
    verify = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", *NBSTRIPOUT_FLAGS,
                             path], capture_output=True, text=True, cwd=REPO)
    assert verify.returncode == 0, \
        f"{path} holds volatile metadata ({verify.stdout.strip()}); {FIX} {path}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_saved_widget_state_covers_every_widget_output(path):
    """Every widget output has its model in the saved state, so a static page can draw it."""
    nb = load(path)
    shown = widget_model_ids(nb)
    saved = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = [m for m in shown if m not in saved]
    assert missing == [], f"{path}: no saved state for widget models {missing}; {FIX} {path}"


WITH_WIDGETS = [p for p in NOTEBOOKS if widget_model_ids(load(p))]


@pytest.mark.parametrize("path", WITH_WIDGETS)
def test_static_html_page_embeds_every_widget_with_its_state(path):
    """`nbconvert --to html` writes each widget view and the saved models it needs into the page."""
    html = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--stdout",
                           path], capture_output=True, text=True, cwd=REPO, check=True).stdout
    state_scripts = re.findall(rf'<script type="{re.escape(WIDGET_STATE)}">(.*?)</script>', html,
                               re.S)
    assert len(state_scripts) == 1, f"{path}: expected one widget-state script in the page"
    state = json.loads(state_scripts[0])["state"]
    views = [json.loads(v)["model_id"] for v in re.findall(
        rf'<script type="{re.escape(WIDGET_VIEW)}">(.*?)</script>', html, re.S)]
    assert sorted(views) == sorted(widget_model_ids(load(path)))
    assert all(v in state for v in views), f"{path}: a widget view has no model in the page"


def test_execute_notebooks_gives_a_clean_notebook_with_widget_state(tmp_path):
    """tools/execute_notebooks.py runs a stale copy and leaves it executed, clean, with state."""
    copy = tmp_path / "widget_smoke.ipynb"
    shutil.copy(REPO / "tests" / "browser" / "widget_smoke.ipynb", copy)
    nb = json.loads(copy.read_text())
    for cell in code_cells(nb):  # make it stale: as if edited and never run
        cell["execution_count"], cell["outputs"] = None, []
    nb["metadata"].pop("widgets")
    copy.write_text(json.dumps(nb))
    execute(copy)
    done = json.loads(copy.read_text())
    assert [c["execution_count"] for c in code_cells(done)] == [1, 2, 3, 4]
    shown = widget_model_ids(done)
    assert len(shown) == 3
    assert set(shown) <= set(done["metadata"]["widgets"][WIDGET_STATE]["state"])
    assert [c["id"] for c in done["cells"]] == [str(i) for i in range(len(done["cells"]))]
    verify = subprocess.run([sys.executable, "-m", "nbstripout", "--verify", *NBSTRIPOUT_FLAGS,
                             str(copy)], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout


def test_execute_notebooks_refuses_a_notebook_whose_cell_raises(tmp_path):
    """A raising cell stops tools/execute_notebooks.py with the notebook's name and the error."""
    path = tmp_path / "raises.ipynb"
    nb = new_notebook(cells=[new_code_cell("print('fine')"), new_code_cell("1 / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    before = path.read_text()
    with pytest.raises(SystemExit, match=r"raises\.ipynb: executing it failed(.|\n)*ZeroDivisionError"):
        execute(path)
    assert path.read_text() == before, "a failed run must leave the notebook untouched"
