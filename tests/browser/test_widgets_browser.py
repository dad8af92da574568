"""The widget tour in a real JupyterLab (headless chromium): every view drawn, and TrapStepper's
step and run buttons move the machine, which the page shows.

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


def test_tour_draws_every_view_and_the_stepper_drives_the_machine(lab):
    """Run All draws each view; "step" executes one instruction (pc + 4); "run" runs echo to its end."""
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
    # "run" runs the kernel slice by slice on the notebook's event loop (so "pause" could be
    # clicked between slices); here it ends by itself: echo prints, exits, and the hart idles.
    lab.click(".oskit-trapstepper .oskit-run")
    pause = lab.page.locator(".oskit-trapstepper .oskit-pause")
    lab._wait(lambda: "idle loop" in lab.text(STEPPER_PC) and pause.is_disabled(),
              "the stepper's run never ended in the idle loop", details=lambda: lab.text(STEPPER_PC))
    # The views' updates reach the page one by one: wait for the console's too.
    lab._wait(lambda: "step me" in lab.text(".oskit-console-screen"), "echo's output never showed",
              details=lambda: lab.text(".oskit-console-screen"))
    assert lab.page.locator(".oskit-trapstepper .oskit-run").is_enabled()
