"""PageTable: an Sv39 page-table tree read from guest memory, with the last walk lit.

The tree starts at the root table that satp names (a hart's current satp, a
process's pmap, or a satp value given directly). Each valid entry is one
line: its index, the virtual range it covers, and either the next table
(a collapsible level) or, for a leaf, the physical frame and the flags:

    root 0x8020_3000 (satp Sv39, ASID 1)
    ▸ [0]   0x0000_0000_0000_0000.. -> table 0x8020_4000
        ▸ [0]  0x0000_0000_0000_0000.. -> table 0x8020_5000
              [1] 0x0000_0000_0000_1000 4 KiB -> 0x8030_0000 DA-UX-RV

The hardware's walks come from the machine's "walk" events: the PTEs the
last walk through this tree visited are highlighted and their levels open.
A small tree (at most OPEN_UP_TO leaves) is drawn with every level open.
A tree can be huge (a direct map of all RAM in 4 KiB pages); at most
MAX_LINES entries are drawn, and the rest are counted. An entry that a walk
would fault on (reserved bits, W without R, a misaligned superpage) is drawn
in red with the reason, as the MMU would judge it (oskit/machine/sv39.py).

Reading is side-effect free (widgets/peek.py): no A/D bits set, no TLB.
"""

from __future__ import annotations

import ipywidgets as w

from oskit.machine import sv39

from widgets import peek
from widgets.base import View, machine_of
from widgets.style import header, hexw

MAX_LINES = 400  # entries drawn in all; the rest are counted
OPEN_UP_TO = 64  # a tree with at most this many leaves is drawn with every level open
SIZES = sv39.PAGE_SIZES
sign_extend_va = sv39.sign_extend  # Sv39 addresses copy bit 38 upwards (the kernel half is 0xFFFF_FFC0_...)


def leaves(machine, satp: int, user_only: bool = False) -> list[sv39.Leaf]:
    """Every mapping a walk would use under satp's root: (va, pa, pte, level), in address order."""
    return peek.leaves(machine, satp, user_only)


class PageTable(View):
    """An Sv39 tree from satp (collapsible levels, PTE flags, leaf -> frame), the last walk lit.

    Example::

        from widgets import PageTable
        pt = PageTable(m.harts[0]); pt      # the tree the hart's satp names, followed live
        PageTable(proc)                     # a process's table (its pmap), user half only
        PageTable(m, satp=0x8000_0000_0008_0203)
    """

    def __init__(self, source, satp: int | None = None, user_only: bool | None = None):
        self.hart = source if hasattr(source, "csr") else None
        self.proc = source if hasattr(source, "vmspace") else None
        if self.proc is not None:
            self.machine = self.proc.kernel.machine
        else:
            self.machine = machine_of(source)
        if self.hart is None and self.proc is None and satp is None:
            raise TypeError(f"PageTable needs a Hart, a Proc, or satp=...; found {type(source).__name__} "
                            "without satp")
        self._satp = satp
        self.user_only = (self.proc is not None) if user_only is None else user_only
        self.last_walk = None  # the last WalkEvent through this tree
        self.head = w.HTML()
        self.walk_line = w.HTML()
        self.walk_line.add_class("oskit-walk")
        self.tree = w.HTML()
        super().__init__([self.head, self.walk_line, self.tree])
        self.refresh()

    @property
    def satp(self) -> int:
        """The satp whose tree is shown (read now: a hart's satp changes with each switch)."""
        if self._satp is not None:
            return self._satp
        if self.proc is not None:
            vs = self.proc.vmspace
            return vs.pmap.satp if vs is not None else 0  # exited: no address space, shown as Bare
        return self.hart.csr.read("satp")

    @property
    def root(self) -> int:
        """The physical address of the root table."""
        return (self.satp & peek.PPN_MASK) << 12

    def _subscriptions(self):
        return [(self.machine.events, "walk", self._on_walk)]

    def _on_walk(self, event) -> None:
        if event.ptes and self.root <= event.ptes[0][0] < self.root + 4096:
            self.last_walk = event
            self.mark_dirty()

    def _describe(self) -> str:
        if self.proc is not None:
            return self.proc.comm  # not the pid: a saved notebook's text stays the same across runs
        if self.hart is not None:
            return f"hart {self.hart.hartid}"
        return f"satp {self.satp:#x}"

    def leaves(self) -> list[sv39.Leaf]:
        """Every mapping of the tree shown: (va, pa, pte, level)."""
        return leaves(self.machine, self.satp, self.user_only)

    # -- drawing -------------------------------------------------------------------------------

    def _render(self) -> None:
        satp = self.satp
        mode, asid, _ = peek.satp_fields(satp)
        who = f"pid {self.proc.pid} ({self.proc.comm})" if self.proc is not None else self._describe()
        if mode != peek.SATP_MODE_SV39:
            self.head.value = header("Page table", who)
            self.walk_line.value = ""
            why = ("the process has exited: it has no address space" if self.proc is not None
                   else "satp is Bare: addresses are not translated")
            self.tree.value = f'<div class="oskit-dim">{why}</div>'
            return
        self.head.value = header("Page table", f"{who}, Sv39, ASID {asid}, root {hexw(self.root, 9)}")
        lit = {pa for pa, _ in self.last_walk.ptes} if self.last_walk else set()
        self.walk_line.value = self._walk_text()
        self._lines = 0
        self._hidden = 0
        self._open_all = len(self.leaves()) <= OPEN_UP_TO
        body = self._table(self.root, 2, 0, lit)
        more = f'<div class="oskit-dim">{self._hidden} more entries not drawn</div>' if self._hidden else ""
        self.tree.value = f'<div class="oskit-mono oskit-pre">{body}</div>{more}'

    def _walk_text(self) -> str:
        ev = self.last_walk
        if ev is None:
            return '<span class="oskit-dim">no walk seen yet (walks happen on TLB misses)</span>'
        access = {"r": "load", "w": "store", "x": "fetch"}.get(ev.access, "access")
        if ev.pa is None:
            return (f'last walk: {access} at <b class="oskit-mono">{hexw(ev.va)}</b> '
                    f'<span class="oskit-err">faulted at level {3 - len(ev.ptes)}</span>')
        return (f'last walk: {access} at <b class="oskit-mono">{hexw(ev.va)}</b> -> '
                f'<b class="oskit-mono">{hexw(ev.pa, 9)}</b> ({len(ev.ptes)} PTEs read)')

    def _table(self, table: int, level: int, base: int, lit: set[int]) -> str:
        out = []
        for i in range(512):
            if self.user_only and level == 2 and i >= 256:
                break
            pte_pa = table + 8 * i
            pte = peek.read_u64(self.machine, pte_pa)
            if not pte or not pte & peek.PTE_V:
                continue
            if self._lines >= MAX_LINES:
                self._hidden += 1
                continue
            self._lines += 1
            va = sign_extend_va(base | i << (12 + 9 * level))
            cls = ' class="oskit-cur"' if pte_pa in lit else ""
            index = f"[{i}]".ljust(5)
            bad = sv39.leaf_fault(pte, level if peek.is_leaf(pte) else 0)  # what step 3 or 6 rejects
            if bad is not None:
                out.append(f'<div class="oskit-err">{index} {hexw(va)} {peek.pte_flags(pte)} '
                           f'{bad}: a walk faults here</div>')
            elif peek.is_leaf(pte):
                out.append(f'<div{cls}>{index} {hexw(va)} {SIZES[level]:>5} -> '
                           f'{hexw(peek.pte_ppn(pte) << 12, 9)} {peek.pte_flags(pte)}</div>')
            elif level == 0:
                out.append(f'<div class="oskit-err">{index} {hexw(va)} non-leaf PTE at level 0</div>')
            else:
                child = peek.pte_ppn(pte) << 12
                inner = self._table(child, level - 1, va, lit)
                is_open = " open" if pte_pa in lit or self._open_all else ""
                out.append(f'<details{is_open}><summary{cls}>{index} {hexw(va)}.. -> table '
                           f'{hexw(child, 9)} (level {level - 1})</summary>{inner}</details>')
        return "".join(out)

    def walk(self, va: int) -> peek.Walk:
        """The walk a hardware MMU would make for va in this tree (read-only)."""
        return peek.walk(self.machine, self.satp, va)

