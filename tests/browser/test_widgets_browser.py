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
# Text the reader must be able to read: titles, the current line, the current-step badge, the
# registers a step changed, table cells, secondary text.
READ = (".oskit-trapstepper .oskit-title", ".oskit-trapstepper div.oskit-cur",
        ".oskit-trapstepper .oskit-badge.oskit-cur", ".oskit-registers .oskit-chg", ".oskit-syscalls td",
        ".oskit-view .oskit-dim")

# WCAG contrast ratio of an element's text against what is behind it (translucent tints and
# translucent text colours blended over the first opaque background up the tree).
_JS_CONTRAST = """(sel) => {
  const el = document.querySelector(sel);
  if (!el) return null;
  const parse = (c) => {
    const m = c.match(/[\\d.]+/g).map(Number);
    const k = c.startsWith('color(') ? 255 : 1;
    return [m[0] * k, m[1] * k, m[2] * k, m.length > 3 ? m[3] : 1];
  };
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = [255, 255, 255];
  for (const c of layers.reverse()) bg = bg.map((v, i) => c[i] * c[3] + v * (1 - c[3]));
  const t = parse(getComputedStyle(el).color);
  const fg = bg.map((v, i) => t[i] * t[3] + v * (1 - t[3]));
  const lum = (c) => {
    const l = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const a = lum(fg), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def contrasts(lab) -> dict[str, float]:
    """The text contrast of each READ selector as the page shows it now."""
    return {sel: lab.page.evaluate(_JS_CONTRAST, sel) for sel in READ}


def shown_pc(text: str) -> int:
    """The pc in the stepper's status line ("pc 0xffff_ffc0_0000_0014 ...") as an int."""
    found = re.search(r"pc (0x[0-9a-f_]+)", text)
    assert found, f"no pc in the stepper's status line: {text!r}"
    return int(found.group(1).replace("_", ""), 16)


def test_tour_draws_every_view_and_the_stepper_drives_the_machine(lab):
    """Run All draws each view; "step" moves pc by 4; "run" runs echo to its end; text reads in both themes."""
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
    light = contrasts(lab)
    assert all(c is not None and c >= 4.5 for c in light.values()), f"light theme contrast: {light}"
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
    # The same views in JupyterLab's dark theme: the colours follow the theme, text stays readable.
    lab.page.locator(".lm-MenuBar-itemLabel", has_text="Settings").first.click()
    lab.page.locator(".lm-Menu-itemLabel", has_text="Theme").first.hover()
    lab.page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Dark").first.click()
    lab._wait(lambda: lab.page.evaluate("document.body.dataset.jpThemeLight") == "false",
              "JupyterLab did not switch to the dark theme")
    dark = contrasts(lab)
    assert all(c is not None and c >= 4.5 for c in dark.values()), f"dark theme contrast: {dark}"
    lab.screenshot("widgets-tour-dark")


STEPBACK = "tests/browser/stepback.ipynb"


def test_stepper_back_buttons_go_back_in_the_browser(lab):
    """"step back" undoes a click on "step" (pc as before); "previous trap" lands on the trap (step 1)."""
    lab.open_notebook(STEPBACK)  # a notebook of its own: a fresh kernel, one stepper on the page
    lab.run_all()
    assert lab.errors() == [], f"{STEPBACK} shows errors after Run All"
    assert lab.page.locator(".jp-Notebook .oskit-trapstepper").count() == 1
    # The notebook stepped into echo's first system call and 5 instructions on (step 2 of 6).
    before = lab.text(STEPPER_PC)
    lab.click(".oskit-trapstepper .oskit-step")
    after = lab.wait_for_text_change(STEPPER_PC, before)
    assert shown_pc(after) == shown_pc(before) + 4
    lab.click(".oskit-trapstepper .oskit-back")
    # (The view may show a moment of the replay first: wait for where it ends.)
    lab._wait(lambda: lab.text(STEPPER_PC) == before, "step back did not return to the state before the step",
              details=lambda: lab.text(".oskit-trapstepper"))
    lab.click(".oskit-trapstepper .oskit-prevtrap")
    lab._wait(lambda: lab.page.locator('.oskit-trapstepper svg[data-step="1"]').count() == 1,
              "previous trap did not land on step 1 (the hardware just trapped)",
              details=lambda: lab.text(STEPPER_PC))
    assert "ecall from U-mode" in lab.text(STEPPER_PC)
    lab.screenshot("stepback-previous-trap")
