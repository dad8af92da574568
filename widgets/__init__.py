"""Views of oskit's machine and kernel, as ipywidgets. A view only looks: it never changes what it shows.

The map (one module per view; every view takes the object it shows):

  the machine
    registers.py    Registers(hart)        pc, mode, x0..x31 by ABI name, trap CSRs decoded; changes lit
    console.py      Console(machine|k)     the UART as a terminal: output, and an input line (uart.feed)
    tlbview.py      TLBView(hart)          TLB entries (page -> frame, ASID, size, flags), hits/misses
    pagetable.py    PageTable(hart|proc)   the Sv39 tree from satp, collapsible, the last walk lit
  the kernel
    trapstepper.py  TrapStepper(k)         step a trap through its six steps; disassembly; SVG path
    trapframe.py    TrapFrame(thread|k)    the saved registers in guest memory, what was written lit
    syscalltrace.py SyscallTrace(k)        recorded system calls, filterable by pid and name
    processtree.py  ProcessTree(k)         parents and children with their states and exit status
    memorymap.py    MemoryMap(proc)        map entries with resident pages; physical frames by user
    plots.py        Plots(k)               faults over time, calls by name, user vs kernel time
  models
    isacompare.py   ISACompare(records)    trap entry on RISC-V (machine), MIPS32, x86-64 side by side

Shared pieces:

    base.py         View: lazy subscriptions (on display), redraws throttled to ~10/s, flush after
                    each cell; redraw_all(machine) after a button drives; machine_of() / kernel_of()
    style.py        the look: one style sheet over JupyterLab's theme variables, HTML helpers
    fields.py       CSR fields in words (sstatus, scause, satp, stvec)
    peek.py         side-effect-free reads of guest memory and Sv39 walks
    symbols.py      function names for user addresses, from the program's ELF symbol table

Buttons that drive (TrapStepper's, Console's input) use only the public API: kernel.run(...),
uart.feed(...). oskit never imports this package (tests/widgets/test_isolation.py checks it).
"""

from widgets.console import Console
from widgets.isacompare import ISACompare
from widgets.memorymap import MemoryMap
from widgets.pagetable import PageTable
from widgets.plots import Plots
from widgets.processtree import ProcessTree
from widgets.registers import Registers
from widgets.syscalltrace import SyscallTrace
from widgets.tlbview import TLBView
from widgets.trapframe import TrapFrame
from widgets.trapstepper import TrapStepper

__all__ = ["Console", "ISACompare", "MemoryMap", "PageTable", "Plots", "ProcessTree", "Registers", "SyscallTrace",
           "TLBView", "TrapFrame", "TrapStepper"]
