"""Every chapter, and a widget smoke notebook, opened and run in a real JupyterLab in chromium.

What a reader would notice is checked: the notebook opens with an idle kernel and its widgets
drawn from the saved state (it is trusted, as on Binder); Run All runs every cell; no cell shows
an error or a traceback; every widget output is drawn as a widget (not "Loading widget..." nor
"Error displaying widget"). A screenshot of each notebook goes to tests/artifacts/ (gitignored).
"""

import hashlib
import json
import time
from pathlib import Path

import pytest


pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("*.ipynb"))
SMOKE = "tests/browser/widget_smoke.ipynb"
# Run All of one notebook in the browser: chapter 0 and the smoke notebook take about 1 s, a
# whole open-run-check-screenshot cycle about 4 s on an idle machine. A chapter must stay well
# under a minute; this bound leaves room for a loaded 2-core CI machine.
RUN_ALL_BUDGET_S = 120


def saved_widget_count(path: str) -> int:
    """How many widget views the notebook on disk shows."""
    nb = json.loads((REPO / path).read_text())
    return sum(1 for c in nb["cells"] for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {}))


def run_and_check(lab, path: str) -> float:
    """Open `path`, Run All, check errors and widgets, save a screenshot; return run seconds."""
    before = hashlib.sha256((REPO / path).read_bytes()).digest()
    start = time.monotonic()
    lab.open_notebook(path)
    # What a Binder reader sees first, before running anything: widgets from the saved state.
    lab.wait_for_widgets()
    assert lab.widget_count() == saved_widget_count(path)
    seconds = lab.run_all()
    lab.screenshot(Path(path).stem)
    assert lab.errors() == [], f"{path} shows errors after Run All"
    assert lab.unexecuted_cells() == [], f"{path}: Run All left these code cells unexecuted"
    assert lab.widget_problems() == [], f"{path}: widgets not rendered"
    after = hashlib.sha256((REPO / path).read_bytes()).digest()
    assert before == after, (f"{path} changed on disk while the browser test ran (JupyterLab's "
                             "autosave is off here: did something else write it?)")
    # Next to the screenshot: how long the reader waited, for whoever tunes a slow chapter.
    (lab.artifacts / f"{Path(path).stem}.timing.txt").write_text(
        f"{path}: Run All {seconds:.1f} s; open, run, check and screenshot "
        f"{time.monotonic() - start:.1f} s\n")
    return seconds


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_chapter_runs_in_jupyterlab(lab, path):
    """A chapter runs top to bottom in JupyterLab with no error output and all widgets drawn."""
    seconds = run_and_check(lab, path)
    assert seconds < RUN_ALL_BUDGET_S, f"{path}: Run All took {seconds:.1f} s"


def test_widget_smoke_notebook_renders_and_reacts(lab):
    """The smoke notebook's widgets render, and clicking its button updates the HTML widget."""
    run_and_check(lab, SMOKE)
    assert lab.text(".smoke-clicks") == "clicked 0 times"
    svg = lab.page.locator(".smoke-svg svg")
    assert svg.count() == 1 and svg.get_attribute("aria-label") == "user to kernel"
    assert lab.page.locator(".jp-Notebook .widget-slider").count() == 1
    assert lab.widget_count() == 3
    lab.click(".smoke-button")
    # The click goes to the kernel, whose handler sets the HTML widget's value.
    assert lab.wait_for_text_change(".smoke-clicks", "clicked 0 times") == "clicked 1 times"
    lab.click_button("Click me")
    assert lab.wait_for_text_change(".smoke-clicks", "clicked 1 times") == "clicked 2 times"
    lab.screenshot("widget_smoke-clicked")
