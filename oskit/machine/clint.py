"""CLINT: the core-local interruptor (timer and software interrupts), as on QEMU virt.

Register map (offsets from 0x0200_0000):

    0x0000 + 4*h   msip[h]      32 bits; bit 0 drives hart h's MSIP line (mip bit 3):
                                one hart writes 1 here to interrupt another (an IPI)
    0x4000 + 8*h   mtimecmp[h]  64 bits; MTIP (mip bit 7) of hart h is high while mtime >= mtimecmp[h]
    0xBFF8         mtime        64 bits; the machine's time, in ticks of the timebase

64-bit registers may also be accessed as two 32-bit halves (low half first).
Registers of harts that do not exist read as 0 and ignore writes.

Time is deterministic: nothing here reads the host's clock. The machine calls
``advance(ticks)`` as its harts execute instructions: one tick every
INSTRUCTIONS_PER_TICK (10) instructions on a TIMEBASE_HZ (10 MHz) timebase
(choices.py, "Platform"). mtimecmp starts at all ones: no timer until set.
"""

from __future__ import annotations

from oskit.machine.choices import INSTRUCTIONS_PER_TICK, MTIMECMP_RESET, TIMEBASE_HZ  # noqa: F401 (re-exported)
from oskit.machine.events import InterruptEvent

CLINT_BASE = 0x0200_0000
CLINT_SIZE = 0x1_0000
MSIP_OFFSET = 0x0000
MTIMECMP_OFFSET = 0x4000
MTIME_OFFSET = 0xBFF8

MSIP_BIT = 3  # mip.MSIP
MTIP_BIT = 7  # mip.MTIP

MASK64 = (1 << 64) - 1


def _merge(old: int, offset: int, size: int, value: int) -> int:
    """Write size bytes of value into the 64-bit register old at byte offset (0 or 4)."""
    shift = 8 * offset
    mask = ((1 << (8 * size)) - 1) << shift
    return (old & ~mask | (value << shift) & mask) & MASK64


class Clint:
    """msip, mtimecmp and mtime, and the MSIP/MTIP lines they drive."""

    name = "clint"

    def __init__(self, machine, base: int = CLINT_BASE):
        self.machine = machine
        self.base = base
        self.size = CLINT_SIZE
        self.mtime = 0
        nharts = machine.nharts
        self.msip = [0] * nharts
        self.mtimecmp = [MTIMECMP_RESET] * nharts
        self._lines: dict[tuple[int, int], bool] = {}

    # -- lines --------------------------------------------------------------------

    def _set_line(self, hartid: int, bit: int, level: bool) -> None:
        key = (hartid, bit)
        if self._lines.get(key, False) == level:
            return
        self._lines[key] = level
        self.machine.harts[hartid].set_pending(bit, level)
        events = self.machine.events
        if events.interrupt_subscribers:
            events.publish("interrupt", InterruptEvent(hartid, bit, level, self.name))

    def update_timers(self) -> None:
        """Set every hart's MTIP line from mtime and its mtimecmp."""
        mtime = self.mtime
        for h, cmp in enumerate(self.mtimecmp):
            self._set_line(h, MTIP_BIT, mtime >= cmp)

    def advance(self, ticks: int) -> None:
        """Let ticks ticks of time pass."""
        if ticks:
            self.mtime = (self.mtime + ticks) & MASK64
            self.update_timers()

    def set_mtime(self, value: int) -> None:
        """Set the time (as a guest write to mtime does)."""
        self.mtime = value & MASK64
        self.update_timers()

    def set_mtimecmp(self, hartid: int, value: int) -> None:
        """Set hart's timer compare register."""
        self.mtimecmp[hartid] = value & MASK64
        self._set_line(hartid, MTIP_BIT, self.mtime >= self.mtimecmp[hartid])

    def set_msip(self, hartid: int, value: int) -> None:
        """Raise (1) or clear (0) hart's software interrupt."""
        self.msip[hartid] = value & 1
        self._set_line(hartid, MSIP_BIT, bool(value & 1))

    def next_deadline(self) -> int | None:
        """The earliest mtimecmp still in the future, or None."""
        future = [c for c in self.mtimecmp if c > self.mtime and c != MTIMECMP_RESET]
        return min(future) if future else None

    # -- register access -------------------------------------------------------

    def _locate(self, offset: int):
        """(register kind, hart, byte offset within the register) for offset, or None."""
        n = len(self.msip)
        if MSIP_OFFSET <= offset < MSIP_OFFSET + 4 * n:
            h, byte = divmod(offset - MSIP_OFFSET, 4)
            return "msip", h, byte
        if MTIMECMP_OFFSET <= offset < MTIMECMP_OFFSET + 8 * n:
            h, byte = divmod(offset - MTIMECMP_OFFSET, 8)
            return "mtimecmp", h, byte
        if MTIME_OFFSET <= offset < MTIME_OFFSET + 8:
            return "mtime", 0, offset - MTIME_OFFSET
        return None

    def load(self, offset: int, size: int) -> int:
        where = self._locate(offset)
        if where is None:
            return 0
        kind, h, byte = where
        if kind == "msip":
            reg = self.msip[h]
        elif kind == "mtimecmp":
            reg = self.mtimecmp[h]
        else:
            reg = self.mtime
        return (reg >> (8 * byte)) & ((1 << (8 * size)) - 1)

    def store(self, offset: int, size: int, value: int) -> None:
        where = self._locate(offset)
        if where is None:
            return
        kind, h, byte = where
        if kind == "msip":
            if byte == 0:
                self.set_msip(h, value & 1)
        elif kind == "mtimecmp":
            self.set_mtimecmp(h, _merge(self.mtimecmp[h], byte, size, value))
        else:
            self.set_mtime(_merge(self.mtime, byte, size, value))

    def __repr__(self) -> str:
        return f"Clint(mtime={self.mtime}, mtimecmp={[hex(c) for c in self.mtimecmp]}, msip={self.msip})"
