"""Events: what the machine tells anyone who watches (widgets, tracers, tests).

A widget never changes what the machine does; it subscribes to events and
reads state. An event is a small frozen dataclass, one class per kind:

    kind            payload class      emitted by
    "trap"          TrapEvent          the hart, when it takes a trap or an interrupt
    "xret"          XretEvent          the hart, on sret/mret
    "walk"          WalkEvent          the MMU, after a page-table walk
    "tlb_miss"      TlbMissEvent       the MMU, before it walks
    "tlb_flush"     TlbFlushEvent      sfence.vma (and satp writes that flush)
    "mmio"          MmioEvent          the bus, on every device register access
    "hostcall"      HostcallEvent      the host-call registry, before it calls the host function
    "instruction"   InstructionEvent   the hart, before it executes an instruction
    "interrupt"     InterruptEvent     a device (CLINT, PLIC) raising or lowering a hart's line
    "restore"       RestoreEvent       machine.restore() (or a kernel's) put back a snapshot

Every payload names the hart by its id (an int, ``hart``), so a payload is a
plain value that can be printed, compared and kept.

Cost: with no subscriber an event costs one test of a plain list, e.g.::

    if events.trap_subscribers:
        events.emit("trap", hart=..., cause=..., ...)

The emitter builds the payload only when someone listens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True, slots=True)
class TrapEvent:
    """A trap was taken: an exception (interrupt=False) or an interrupt (interrupt=True)."""

    hart: int
    cause: int  # exception or interrupt code, without the interrupt bit
    tval: int
    epc: int  # the pc saved in mepc/sepc
    from_priv: int  # Priv value before the trap
    to_priv: int  # Priv value the handler runs in (M=3 or S=1)
    interrupt: bool


@dataclass(frozen=True, slots=True)
class XretEvent:
    """An sret or mret returned from a trap handler."""

    hart: int
    kind: str  # "sret" or "mret"
    from_priv: int
    to_priv: int
    pc: int  # where execution continues (the old sepc/mepc)


@dataclass(frozen=True, slots=True)
class WalkEvent:
    """A page-table walk finished; pa is None when it faulted."""

    hart: int
    va: int
    pa: int | None
    ptes: tuple  # the PTEs visited, top level first: tuple of (pte_pa, pte_value)
    access: str = ""  # "r", "w" or "x"


@dataclass(frozen=True, slots=True)
class TlbMissEvent:
    """The TLB had no entry for va (a walk follows)."""

    hart: int
    va: int
    asid: int | None = None


@dataclass(frozen=True, slots=True)
class TlbFlushEvent:
    """TLB entries were dropped: va/asid None mean "all addresses" / "all address spaces"."""

    hart: int
    va: int | None
    asid: int | None


@dataclass(frozen=True, slots=True)
class MmioEvent:
    """A device register was read or written through the bus."""

    hart: int  # the hart the machine was running when the access happened
    pa: int
    size: int
    value: int  # the value written, or the value the device returned
    is_write: bool
    device: str = ""  # "clint", "plic", "uart", ...


@dataclass(frozen=True, slots=True)
class HostcallEvent:
    """Guest code entered a host function."""

    hart: int
    name: str
    addr: int


@dataclass(frozen=True, slots=True)
class InstructionEvent:
    """The hart is about to execute the instruction `word` at `pc`."""

    hart: int
    pc: int
    word: int


@dataclass(frozen=True, slots=True)
class InterruptEvent:
    """A device changed the level of an interrupt line of a hart (bit: 3 MSIP, 7 MTIP, 9 SEIP, 11 MEIP)."""

    hart: int
    bit: int
    level: bool
    device: str


@dataclass(frozen=True, slots=True)
class RestoreEvent:
    """A snapshot was put back: everything a view shows may have changed (snapshot.py)."""

    instructions: int  # machine.instructions now (as when the snapshot was taken)


PAYLOADS = {
    "trap": TrapEvent,
    "xret": XretEvent,
    "walk": WalkEvent,
    "tlb_miss": TlbMissEvent,
    "tlb_flush": TlbFlushEvent,
    "mmio": MmioEvent,
    "hostcall": HostcallEvent,
    "instruction": InstructionEvent,
    "interrupt": InterruptEvent,
    "restore": RestoreEvent,
}
"""Every event kind and the class of its payload."""

KINDS = tuple(PAYLOADS)


class EventBus:
    """Subscribers per kind, kept in plain lists named ``<kind>_subscribers``.

    Emitters test the list (empty means nobody listens) and only then build the
    payload and call publish(). The lists are mutated in place, never
    replaced, so an emitter may keep a reference to one.
    """

    def __init__(self) -> None:
        self.trap_subscribers: list[Callable] = []
        self.xret_subscribers: list[Callable] = []
        self.walk_subscribers: list[Callable] = []
        self.tlb_miss_subscribers: list[Callable] = []
        self.tlb_flush_subscribers: list[Callable] = []
        self.mmio_subscribers: list[Callable] = []
        self.hostcall_subscribers: list[Callable] = []
        self.instruction_subscribers: list[Callable] = []
        self.interrupt_subscribers: list[Callable] = []
        self.restore_subscribers: list[Callable] = []

    def _list(self, kind: str) -> list[Callable]:
        if kind not in PAYLOADS:
            raise ValueError(f"unknown event kind {kind!r}: expected one of {', '.join(KINDS)}")
        return getattr(self, kind + "_subscribers")

    def subscribe(self, kind: str, fn: Callable) -> Callable:
        """Call fn(payload) on every event of this kind; returns fn (usable as a decorator)."""
        self._list(kind).append(fn)
        return fn

    def unsubscribe(self, kind: str, fn: Callable) -> None:
        """Stop calling fn for this kind; a function that was not subscribed is an error."""
        subscribers = self._list(kind)
        if fn not in subscribers:
            raise ValueError(f"{fn!r} is not subscribed to {kind!r} events")
        subscribers.remove(fn)

    def subscribers(self, kind: str) -> tuple[Callable, ...]:
        """The functions subscribed to this kind, in subscription order."""
        return tuple(self._list(kind))

    def emit(self, kind: str, **fields) -> None:
        """Build the payload of kind from fields and deliver it (emitters test the list first)."""
        self.publish(kind, PAYLOADS[kind](**fields))

    def publish(self, kind: str, payload) -> None:
        """Deliver payload to every subscriber of kind (in subscription order)."""
        # Iterate over a copy: a subscriber may unsubscribe itself.
        for fn in tuple(getattr(self, kind + "_subscribers")):
            fn(payload)
