"""Host calls: Python functions that guest kernel code calls like C functions.

A reserved range of kernel virtual addresses holds no memory at all:

    HOSTCALL_BASE = 0xFFFF_FFFF_FFF0_0000   first host function
    HOSTCALL_END  = 0xFFFF_FFFF_FFFF_0000   (exclusive)

``register(name, fn)`` gives each function an address in that range (16 bytes
apart). When a hart in S- or M-mode jumps there (the pc is checked before any
address translation), the hart asks this registry to run the function:
fn(hart) runs, then the hart continues at ra (x1), exactly as if a C function
had returned. A host function may change any state of the hart; if it sets
``hart.pc`` itself it returns ``JUMPED`` so that pc is left alone.

The rules the hart enforces (not this module): in U-mode, fetching from the
range is an instruction page fault (cause 12); loads and stores there are
access faults (causes 5 and 7); the range is never readable or writable as
data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from oskit.machine.events import HostcallEvent

HOSTCALL_BASE = 0xFFFF_FFFF_FFF0_0000
HOSTCALL_END = 0xFFFF_FFFF_FFFF_0000
HOSTCALL_STRIDE = 16
# The last slot is the hart's own: hart.call() puts it in ra to see the guest routine return.
HOSTCALL_RESERVED = HOSTCALL_END - HOSTCALL_STRIDE


class _Jumped:
    """The type of JUMPED (a singleton with a readable repr)."""

    def __repr__(self) -> str:
        return "JUMPED"


JUMPED = _Jumped()
"""Returned by a host function that set hart.pc itself (pc is then not set to ra)."""


def is_hostcall_address(addr: int) -> bool:
    """True when addr lies in the host-call range."""
    return HOSTCALL_BASE <= addr < HOSTCALL_END


@dataclass(frozen=True)
class HostCall:
    """One registered host function."""

    name: str
    addr: int
    fn: Callable


class HostCalls:
    """The registry of host functions of one machine."""

    def __init__(self, events=None) -> None:
        self._events = events
        self._by_addr: dict[int, HostCall] = {}
        self._by_name: dict[str, HostCall] = {}
        self._next = HOSTCALL_BASE

    def register(self, name: str, fn: Callable) -> int:
        """Give fn(hart) an address in the host-call range and return it.

        Registering a name again replaces its function and keeps its address,
        so that pointers the guest already holds stay valid.
        """
        if not callable(fn):
            raise TypeError(f"host call {name!r}: expected a callable fn(hart), found {fn!r}")
        old = self._by_name.get(name)
        if old is not None:
            addr = old.addr
        else:
            addr = self._next
            if addr >= HOSTCALL_RESERVED:
                raise RuntimeError(f"host call {name!r}: the host-call range is full")
            self._next += HOSTCALL_STRIDE
        call = HostCall(name, addr, fn)
        self._by_addr[addr] = call
        self._by_name[name] = call
        return addr

    def address(self, name: str) -> int:
        """The address of the host function registered under name."""
        try:
            return self._by_name[name].addr
        except KeyError:
            raise KeyError(f"no host call named {name!r}; registered: {', '.join(self._by_name) or 'none'}") from None

    def lookup(self, addr: int) -> HostCall | None:
        """The host call at exactly addr, or None."""
        return self._by_addr.get(addr)

    def names(self) -> list[str]:
        """The registered names, in registration order."""
        return list(self._by_name)

    def __iter__(self):
        """Iterate over HostCall records in registration order (name, addr, fn)."""
        return iter(list(self._by_name.values()))

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def invoke(self, hart, addr: int) -> None:
        """Run the host function at addr for hart, then return to ra.

        The hart calls this when its pc enters the range in S- or M-mode.
        No function at addr is an instruction access fault (cause 1).
        """
        call = self._by_addr.get(addr)
        if call is None:
            from oskit.machine.trap import InstructionAccessFault

            raise InstructionAccessFault(addr)
        events = self._events
        if events is not None and events.hostcall_subscribers:
            events.publish("hostcall", HostcallEvent(hart.hartid, call.name, addr))
        if call.fn(hart) is not JUMPED:
            hart.pc = hart.x[1]

    def __repr__(self) -> str:
        rows = ", ".join(f"{c.name}@{c.addr:#x}" for c in self._by_name.values())
        return f"HostCalls({rows})"
