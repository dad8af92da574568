"""The committed widget tour carries each view's last drawing in its saved widget state.

A reader of a static page (nbconvert HTML, Jupyter Book) has no kernel: what they see of a view is
the saved state of its HTML models. These checks read notebooks/widgets-tour.ipynb as committed.
"""

import json
from pathlib import Path

from widget_programs import visible_text

TOUR = Path(__file__).resolve().parents[2] / "notebooks" / "widgets-tour.ipynb"
STATE = "application/vnd.jupyter.widget-state+json"
TITLES = ("Console", "Plots", "Processes", "System calls", "Trap stepper", "Registers", "Trap frame",
          "Page table", "TLB", "Memory map")


def saved_html() -> list[str]:
    """The visible text of every saved HTML widget model of the tour."""
    state = json.loads(TOUR.read_text())["metadata"]["widgets"][STATE]["state"]
    return [visible_text(m["state"]["value"]) for m in state.values()
            if m["model_name"] == "HTMLModel" and m["state"].get("value")]


def test_every_view_is_in_the_saved_state():
    """Each view's title is in a saved HTML model, so a static page of the tour shows every view."""
    texts = saved_html()
    for title in TITLES:
        assert any(t.startswith(title) for t in texts), f"no saved drawing of {title}"


def test_saved_stepper_shows_where_the_run_left_it():
    """The saved stepper shows the hart in the trampoline at step 2, after echo's first system call."""
    assert any(t.startswith("pc 0xffff_ffc0_0000_0014") and "step 2" in t
               and "scause 0x8 (ecall from U-mode)" in t for t in saved_html())


def test_saved_plots_are_an_image():
    """The saved Plots view holds its figure as an inline PNG (no kernel needed to see it)."""
    state = json.loads(TOUR.read_text())["metadata"]["widgets"][STATE]["state"]
    images = [m["state"]["value"] for m in state.values()
              if m["model_name"] == "HTMLModel" and m["state"].get("value", "").startswith("<img")]
    assert images and "data:image/png;base64," in images[0]
