"""Panics: what happens when the Python kernel itself is wrong.

A program that misbehaves gets a signal; that is not a panic. A panic is a
bug in the kernel: an exception escaping trap(), or a state the kernel
checked and found impossible ("sleep: expected RUNNING, found SLEEPING").
The machine stops at once, and ``kernel.panic_report`` keeps what is needed
to understand it: the message, the Python traceback, the hart's registers
and CSRs, the thread that was running, its last system calls.
Running the kernel again raises KernelPanic with that report.
"""

from __future__ import annotations

import html
import traceback
from dataclasses import dataclass, field


class KernelPanic(RuntimeError):
    """The kernel panicked earlier; ``.report`` is the PanicReport."""

    def __init__(self, report: "PanicReport"):
        self.report = report
        super().__init__(f"the kernel panicked: {report.message}\n(see kernel.panic_report)")


@dataclass
class PanicReport:
    message: str
    traceback: str = ""
    hart: int | None = None
    pc: int = 0
    registers: dict = field(default_factory=dict)
    csrs: dict = field(default_factory=dict)
    thread: str = ""
    last_syscalls: list = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"panic: {self.message}"]
        if self.thread:
            lines.append(f"  running: {self.thread}")
        if self.hart is not None:
            lines.append(f"  hart {self.hart}: pc={self.pc:#x} " +
                         " ".join(f"{k}={v:#x}" for k, v in self.csrs.items()))
        if self.last_syscalls:
            lines.append("  last system calls:")
            lines += [f"    {s}" for s in self.last_syscalls]
        if self.traceback:
            lines.append("  Python traceback (the bug is in the kernel):")
            lines += ["    " + line for line in self.traceback.rstrip().splitlines()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return ("<div style='border:2px solid #c00;padding:6px'><b style='color:#c00'>kernel panic</b>"
                f"<pre>{html.escape(str(self))}</pre></div>")


def make_report(kernel, message: str, hart=None, exc: BaseException | None = None) -> PanicReport:
    rep = PanicReport(message)
    if exc is not None:
        rep.traceback = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if hart is not None:
        rep.hart = hart.hartid
        rep.pc = hart.pc
        rep.registers = {f"x{i}": v for i, v in enumerate(hart.x)}
        for name in ("sstatus", "scause", "stval", "sepc", "satp", "sscratch"):
            try:
                rep.csrs[name] = hart.csr.read(name)
            except Exception:      # a CSR the machine lacks: leave it out of the report
                pass
        hs = kernel.percpu[hart.hartid] if kernel.percpu else None
        if hs is not None:
            rep.thread = repr(hs.curthread)
    rep.last_syscalls = [str(r) for r in list(kernel.trace.records)[-8:]]
    return rep
