"""Views of oskit's machine and kernel, as ipywidgets. A view only looks: it never changes what it shows.

The map (one module per view; every view takes the object it shows):

    registers.py    Registers(hart)       pc, mode, x0..x31 by ABI name, trap CSRs decoded; changes lit
    console.py      Console(machine)      the UART as a terminal: output, and an input line (uart.feed)
    tlbview.py      TLBView(hart)         TLB entries (page -> frame, ASID, size, flags), hits/misses
    pagetable.py    PageTable(hart|proc)  the Sv39 tree from satp, collapsible, the last walk lit

Shared pieces:

    base.py         View: lazy subscriptions (on display), redraws throttled to ~10/s, flush after
                    each cell; machine_of() / kernel_of()
    style.py        the look: one style sheet over JupyterLab's theme variables, HTML helpers
    fields.py       CSR fields in words (sstatus, scause, satp, stvec)
    peek.py         side-effect-free reads of guest memory and Sv39 walks

oskit never imports this package (tests/widgets/test_isolation.py checks it).
"""

from widgets.console import Console
from widgets.pagetable import PageTable
from widgets.registers import Registers
from widgets.tlbview import TLBView

__all__ = ["Console", "PageTable", "Registers", "TLBView"]
