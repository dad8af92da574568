"""Registers: one hart's pc, mode, 32 registers by ABI name, and its trap CSRs decoded.

What changed since the view was last drawn is highlighted: when a stepper
redraws after every instruction, that is exactly what the last step changed.

    ┌ Registers  hart 0 ───────────────────────────────────────────┐
    │ pc 0x8000_0010  S-mode   addi a0, a0, 1                      │
    │ x0  zero 0x0000...  x1 ra 0x...  x2 sp 0x...  x3 gp 0x...    │
    │ ...                                                          │
    │ sstatus 0x...   SPP=U SIE=0 SPIE=1 SUM=0 MXR=0               │
    │ scause  0x8     ecall from U-mode                            │
    └──────────────────────────────────────────────────────────────┘
"""

from __future__ import annotations

import ipywidgets as w

from oskit.machine.decode import ABI_NAMES, disassemble

from widgets import fields, peek
from widgets.base import View, machine_of
from widgets.style import badge, esc, header, hexw, table

# The CSRs shown, with the function that puts each one's fields into words.
CSRS = (
    ("sstatus", fields.sstatus_text),
    ("stvec", fields.tvec_text),
    ("sscratch", None),
    ("sepc", None),
    ("scause", fields.cause_name),
    ("stval", None),
    ("satp", fields.satp_text),
    ("mstatus", fields.mstatus_text),
    ("mtvec", fields.tvec_text),
    ("mepc", None),
    ("mcause", fields.cause_name),
    ("mtval", None),
)


def snapshot(hart) -> dict[str, int]:
    """The values the view shows, by name (x0..x31, pc, priv and the CSRs)."""
    snap = {f"x{i}": v for i, v in enumerate(hart.x)}
    snap["pc"] = hart.pc
    snap["priv"] = int(hart.priv)
    for name, _ in CSRS:
        snap[name] = hart.csr.read(name)
    return snap


def instruction_at(machine, hart, pc: int) -> str:
    """The disassembly of the instruction at pc as the hart would fetch it, or why there is none."""
    from oskit.machine.hostcall import HOSTCALL_BASE, HOSTCALL_END

    if HOSTCALL_BASE <= pc < HOSTCALL_END:
        name = _hostcall_name(machine, pc)
        return f"host call {name}()" if name else "host call"
    data = peek.read_va(machine, hart, pc, 4)
    if data is None:
        return "(not mapped)"
    return disassemble(int.from_bytes(data, "little"), pc, aliases=True)


def _hostcall_name(machine, addr: int) -> str | None:
    """The name a host function was registered under at addr (None when nothing is there)."""
    found = machine.hostcalls.lookup(addr)
    return found.name if found is not None else None


class Registers(View):
    """One hart's registers with ABI names, pc and mode, and decoded trap CSRs; changes highlighted.

    Example::

        from widgets import Registers
        m = Machine(); m.load_elf(build({"t.c": src}, mode="bare"))
        regs = Registers(m.harts[0]); regs           # display it
        m.harts[0].step(); regs.refresh()            # what the step changed is highlighted
    """

    def __init__(self, hart):
        self.hart = hart
        self.machine = machine_of(hart)
        self.head = w.HTML()
        self.pc_line = w.HTML()
        self.pc_line.add_class("oskit-pc")
        self.grid = w.HTML()
        self.csrs = w.HTML()
        super().__init__([self.head, self.pc_line, self.grid, self.csrs])
        self.previous: dict[str, int] | None = None
        self.changed: set[str] = set()  # names whose value changed at the last drawing
        self.refresh()

    def _subscriptions(self):
        ev = self.machine.events
        return [(ev, "trap", self._on_event), (ev, "xret", self._on_event)]

    def _on_event(self, event) -> None:
        if event.hart == self.hart.hartid:
            self.mark_dirty()

    def _describe(self) -> str:
        return f"hart {self.hart.hartid}"

    def _render(self) -> None:
        now = snapshot(self.hart)
        if self.previous is not None:
            self.changed = {k for k, v in now.items() if self.previous.get(k) != v}
        self.previous = now
        chg = self.changed
        priv = fields.priv_name(now["priv"])
        self.head.value = header("Registers", f"hart {self.hart.hartid}")
        pc_cls = ' class="oskit-chg"' if "pc" in chg else ""
        self.pc_line.value = (
            f'<span class="oskit-mono">pc <b{pc_cls}>{hexw(now["pc"])}</b></span> '
            f'{badge(priv + "-mode", "chg" if "priv" in chg else "cur")} '
            f'<span class="oskit-mono">{esc(instruction_at(self.machine, self.hart, now["pc"]))}</span>')
        cells = []
        for i in range(32):
            name = f"x{i}"
            cls = ' class="oskit-chg"' if name in chg else ""
            cells.append(f'<span{cls}><span class="oskit-dim">{name:>3}</span> {ABI_NAMES[i]:<4} '
                         f'{hexw(now[name])}</span>')
        self.grid.value = f'<div class="oskit-grid oskit-mono">{"".join(cells)}</div>'
        rows, classes = [], []
        for name, text in CSRS:
            value = now[name]
            rows.append([esc(name), f'<span class="oskit-mono">{hexw(value)}</span>',
                         esc(text(value)) if text else ""])
            classes.append("oskit-chg" if name in chg else "")
        self.csrs.value = table(["CSR", "value", "fields"], rows, classes)

    @property
    def values(self) -> dict[str, int]:
        """What the view shows now, by name (x0..x31, pc, priv, CSR names)."""
        return dict(self.previous or {})
