"""Interrupts injected at a chosen instruction: make a surprising moment happen on demand.

    m.schedule_interrupt("timer", hart=0, at_instret=1234)
    m.schedule_interrupt("external", at_instret=5000, data=b"x")   # a byte arrives on the UART

When hart ``hart`` has retired exactly ``at_instret`` instructions
(``hart.instret``), before it executes the next one, the interrupt's source
fires, the way the device itself would make it fire:

    "timer"     the hart's timer compare register is set to the current time, so its
                timer line goes high: stimecmp with Sstc on (an S-mode kernel sees
                scause 5), otherwise the CLINT's mtimecmp (MTIP, cause 7)
    "software"  an inter-processor interrupt: SSIP when mideleg hands software
                interrupts to S-mode (what firmware makes of an IPI), otherwise the
                CLINT's msip (MSIP, cause 3)
    "external"  ``data`` arrives on the UART (default b"\\n"): the UART raises its
                PLIC source, and the PLIC the external line of every hart whose context
                enables that source (``hart`` says only whose instret counts)

What the hart then does is what hardware does: the interrupt is taken at
once when mie and the mode's xIE allow it, otherwise it stays pending until
they do (a timer's stays pending until software sets a new deadline in the
compare register, which, on hardware too, takes it back). The run loop never lets a hart's slice run past the instret of a
scheduled injection (the fast path's blocks run within that budget), so it
lands exactly there; on any number of harts, the same schedule gives the
same run.

``before`` (optional) is a function called just before the source fires;
the kernel uses it to say "and the thread's time slice is over" (see
oskit/kernel/snapshot.py, ``Kernel.preempt_at``).

A hart waiting in WFI retires nothing: an injection for a later instret
waits until the hart runs again (at_instret = its instret now fires at once
and wakes it, if the interrupt is enabled). An instret reached inside a host call (a host function running guest code
with hart.call) is noticed when the run loop gets control back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from oskit.machine.csr import MENVCFG_STCE, MIP_SSIP

CAUSES = ("timer", "software", "external")


@dataclass
class Injection:
    """One scheduled interrupt: cause fires on hart when its instret reaches at_instret."""

    cause: str
    hart: int
    at_instret: int
    data: bytes = b"\n"
    before: Callable[[], None] | None = None

    def __repr__(self) -> str:
        extra = f", data={self.data!r}" if self.cause == "external" else ""
        return f"Injection({self.cause!r}, hart={self.hart}, at_instret={self.at_instret}{extra})"


def check(machine, cause: str, hart: int, at_instret: int) -> None:
    """Refuse a schedule that can never happen, with a sentence saying why."""
    if cause not in CAUSES:
        raise ValueError(f"schedule_interrupt: cause must be one of {', '.join(CAUSES)}, found {cause!r}")
    if not isinstance(hart, int) or not 0 <= hart < machine.nharts:
        raise ValueError(f"schedule_interrupt: hart must be 0..{machine.nharts - 1}, found {hart!r}")
    now = machine.harts[hart].instret
    if not isinstance(at_instret, int) or at_instret < now:
        raise ValueError(f"schedule_interrupt: hart {hart} has already retired {now} instructions; "
                         f"at_instret must be >= {now}, found {at_instret!r}")


def fire(machine, inj: Injection) -> None:
    """Make inj's source raise its interrupt line (see the module docstring)."""
    if inj.before is not None:
        inj.before()
    hart = machine.harts[inj.hart]
    csr = hart.csr
    if inj.cause == "timer":
        if csr.menvcfg & MENVCFG_STCE:
            csr.stimecmp = machine.clint.mtime  # Sstc: STIP is high while stimecmp <= mtime
        else:
            machine.clint.set_mtimecmp(inj.hart, machine.clint.mtime)
    elif inj.cause == "software":
        if csr.mideleg & MIP_SSIP:
            csr.mip |= MIP_SSIP
        else:
            machine.clint.set_msip(inj.hart, 1)
    else:
        machine.uart.feed(inj.data)
    hart.interrupts_changed()


def budget(machine, hart, n: int) -> int:
    """Fire hart's injections that are due; return n cut so that the slice stops at the next one."""
    due = [inj for inj in machine.injections if inj.hart == hart.hartid and inj.at_instret <= hart.instret]
    for inj in due:
        machine.injections.remove(inj)
        fire(machine, inj)
    for inj in machine.injections:
        if inj.hart == hart.hartid:
            n = min(n, inj.at_instret - hart.instret)
    return n


def instret_at(machine, pc: int, hart: int = 0, priv: int | None = None, occurrence: int = 1,
               max_instructions: int = 10_000_000) -> int | None:
    """hart's instret when it is about to execute pc (in mode priv, if given) for the occurrence-th time.

    Found by looking ahead: snapshot, run with an "instruction" watcher until
    the hart gets there, restore. The machine is left exactly as it was; None
    when the hart does not get there within max_instructions. Schedule an
    interrupt at the result + 1 to have it taken right after that instruction.
    """
    if occurrence < 1:
        raise ValueError(f"instret_at: occurrence must be >= 1, found {occurrence!r}")
    h = machine.harts[hart]
    found = []

    def watch(e):
        if e.hart == hart and e.pc == pc and (priv is None or int(h.priv) == priv):
            found.append(h.instret)
            if len(found) == occurrence:
                machine.stop("instret_at: found")

    snap = machine.snapshot()
    machine.events.subscribe("instruction", watch)
    try:
        machine.run(max_instructions=max_instructions)
    finally:
        machine.events.unsubscribe("instruction", watch)
        machine.restore(snap)
    return found[-1] if len(found) == occurrence else None
