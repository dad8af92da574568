"""TrapFrame: the registers a thread's trap frame holds in guest memory (struct trapframe).

The trampoline (oskit/kernel/riscv/trampoline.S, step 2 of a trap) stores the 31
registers and sepc there with ordinary ``sd`` instructions; Python's trap()
reads and changes them (a system call's result goes into a0 and t0); step 5
loads them back. The view reads the struct's bytes from RAM; the layout is
oskit/kernel/structs.py's TRAPFRAME (x(n) at offset 8*(n-1), then sepc,
kernel_sp, kernel_trap).

Fields changed since the previous drawing are highlighted: stepping through
the trampoline lights each register as its ``sd`` stores it. Next to each
saved value is the hart's live register, dimmed when they agree.
"""

from __future__ import annotations

import ipywidgets as w

from widgets.base import View, kernel_of
from widgets.style import esc, header, hexw, table

ABI_TO_X = {name: i for i, name in enumerate(
    ("zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
     "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"))}


class TrapFrame(View):
    """A thread's saved registers (struct trapframe in guest RAM), with what was just written lit.

    Example::

        from widgets import TrapFrame
        TrapFrame(p.main_thread)   # one thread's frame
        TrapFrame(k)               # follows whatever thread hart 0 runs now
    """

    def __init__(self, source, hart: int = 0):
        self.thread = source if hasattr(source, "frame") else None
        if self.thread is None and hasattr(source, "threads") and hasattr(source, "pid"):
            self.thread = source.threads[0]
        self.kernel = self.thread.proc.kernel if self.thread is not None else kernel_of(source)
        self.machine = self.kernel.machine
        self.hartid = hart
        self.head = w.HTML()
        self.body = w.HTML()
        super().__init__([self.head, self.body])
        self.previous: tuple[int, bytes] | None = None
        self.changed: set[str] = set()
        self.values: dict[str, int] = {}
        self.refresh()

    def current_thread(self):
        """The thread whose frame is shown (a fixed one, or hart's current thread)."""
        if self.thread is not None:
            return self.thread
        for hs in self.kernel.percpu:
            if hs.hartid == self.hartid:
                return hs.curthread
        raise ValueError(f"TrapFrame: the kernel has no hart {self.hartid}")

    def _subscriptions(self):
        ev = self.machine.events
        return [(ev, "trap", self._on_event), (ev, "xret", self._on_event), (ev, "hostcall", self._on_event)]

    def _on_event(self, _event) -> None:
        self.mark_dirty()

    def _describe(self) -> str:
        if self.thread is not None:
            return f"{self.thread.proc.comm} thread"  # not the tid: saved text stays the same across runs
        return f"hart {self.hartid}'s thread"

    def _render(self) -> None:
        td = self.current_thread()
        frame = td.frame
        raw = frame.raw()
        values = frame.as_dict()
        if self.previous is not None and self.previous[0] == td.frame_addr:
            old = self.previous[1]
            self.changed = {n for n, f in frame.struct.fields.items()
                            if raw[f.offset:f.offset + f.size] != old[f.offset:f.offset + f.size]}
        else:
            self.changed = set()
        self.previous = (td.frame_addr, raw)
        self.values = values
        hart = self.machine.harts[self.hartid]
        who = "idle thread" if td.proc.pid == 0 else f"pid {td.proc.pid} ({td.proc.comm}) tid {td.tid}"
        self.head.value = header("Trap frame", f"{who}, struct trapframe at {hexw(td.frame_addr, 9)}")
        rows, classes = [], []
        for name, value in values.items():
            live = ""
            if name in ABI_TO_X:
                now = hart.x[ABI_TO_X[name]]
                live = f'<span class="{"oskit-dim" if now == value else ""}">{hexw(now)}</span>'
            elif name == "sepc":
                now = hart.csr.read("sepc")
                live = f'<span class="{"oskit-dim" if now == value else ""}">{hexw(now)}</span>'
            offset = frame.struct.fields[name].offset
            rows.append([f'<span class="oskit-dim">+{offset}</span>', esc(name),
                         f'<span class="oskit-mono">{hexw(value)}</span>', f'<span class="oskit-mono">{live}</span>'])
            classes.append("oskit-chg" if name in self.changed else "")
        self.body.value = table(["offset", "field", "saved value", f"hart {self.hartid} now"], rows, classes)
