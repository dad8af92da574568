"""ISACompare: trap entry on RISC-V (the real machine), MIPS32 and x86-64 (models), side by side.

    ISACompare(real)      real = oskit.models.riscv.record_riscv() (one run of the two-trap program)

Two toggles choose the example (a system call, a page fault) and the view (who saves what:
one row per item such as "the interrupted pc"; or every step in order, one column per ISA).
The tables come from oskit.models.compare; this view only picks which one to show.
"""

from __future__ import annotations

import ipywidgets as w

from oskit.models import compare
from widgets.base import View
from widgets.style import STYLE, header

VIEWS = {"who saves what": compare.summary_html, "every step": compare.steps_html}


class ISACompare(View):
    """The trap records of three ISAs for one example, as a table.

    ``real`` is the record of the real RISC-V path, taken from the machine
    (oskit.models.riscv.record_riscv()); MIPS32 and x86-64 come from their
    models. The toggles choose the example (a system call, a page fault) and
    the view (who saves what, or the steps in order).

    Example::

        from oskit.models import riscv
        from widgets import ISACompare
        ISACompare(riscv.record_riscv())          # display it; click the toggles
    """

    def __init__(self, real, example: str = "system call", view: str = "who saves what"):
        self.real = real
        self.example = w.ToggleButtons(options=list(compare.EXAMPLES), value=example)
        self.view = w.ToggleButtons(options=list(VIEWS), value=view)
        self.table = w.HTML()
        super().__init__([w.HBox([self.example, self.view]), self.table])
        self.example.observe(lambda _change: self.refresh(), names="value")
        self.view.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def _render(self) -> None:
        recs = compare.records(self.example.value, self.real)
        self.table.value = STYLE + header("Trap entry on three ISAs", self.example.value) \
            + VIEWS[self.view.value](recs)

    def _describe(self) -> str:
        return f"example={self.example.value!r}, view={self.view.value!r}"
