"""The widget tour in a real JupyterLab (headless chromium): every view drawn, and TrapStepper's
step button moves the machine, which the page shows.

Uses NOTEBOOK-INFRA's `lab` fixture (tests/browser/conftest.py, labdriver.py). Screenshots of the
tour before and after the click go to tests/artifacts/.
"""

import re

import pytest

pytestmark = pytest.mark.browser

TOUR = "notebooks/widgets-tour.ipynb"
VIEWS = ("console", "plots", "processtree", "syscalltrace", "trapstepper", "registers", "trapframe",
         "pagetable", "tlbview", "memorymap")
STEPPER_PC = ".oskit-trapstepper .oskit-pc"


def shown_pc(text: str) -> int:
    """The pc in the stepper's status line ("pc 0xffff_ffc0_0000_0014 ...") as an int."""
    found = re.search(r"pc (0x[0-9a-f_]+)", text)
    assert found, f"no pc in the stepper's status line: {text!r}"
    return int(found.group(1).replace("_", ""), 16)


def test_tour_draws_every_view_and_step_moves_the_pc(lab):
    """Run All draws each view; clicking TrapStepper's step button executes one instruction (pc + 4)."""
    lab.open_notebook(TOUR)
    lab.run_all()
    assert lab.errors() == [], f"{TOUR} shows errors after Run All"
    assert lab.widget_problems() == [], f"{TOUR}: widgets not rendered"
    for view in VIEWS:
        assert lab.page.locator(f".jp-Notebook .oskit-{view}").count() == 1, f"no .oskit-{view} drawn"
    # The tour leaves the hart in the trampoline, saving registers (step 2 of 6).
    assert lab.page.locator('.oskit-trapstepper svg[data-step="2"]').count() == 1
    assert lab.page.locator(".oskit-trapstepper .oskit-lit").count() >= 1
    lab.screenshot("widgets-tour")
    before = lab.text(STEPPER_PC)
    lab.click(".oskit-trapstepper .oskit-step")
    after = lab.wait_for_text_change(STEPPER_PC, before)
    assert shown_pc(after) == shown_pc(before) + 4
    lab.screenshot("widgets-tour-stepped")
