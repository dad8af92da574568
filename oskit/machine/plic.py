"""PLIC: the platform-level interrupt controller, laid out as on QEMU virt.

Devices raise numbered interrupt sources (the UART is source 10). The PLIC
routes each source to "contexts": on this board context 2*h is hart h in
M-mode (drives mip.MEIP, bit 11) and context 2*h+1 is hart h in S-mode
(drives mip.SEIP, bit 9).

Register map (offsets from 0x0C00_0000), all 32-bit:

    0x00_0000 + 4*s            priority of source s (0 = never; 1..7)
    0x00_1000 + 4*(s//32)      pending bits, 32 sources per word (read-only)
    0x00_2000 + 0x80*c + 4*w   enable bits of context c for sources 32w..32w+31
    0x20_0000 + 0x1000*c       priority threshold of context c
    0x20_0004 + 0x1000*c       claim (read) / complete (write) of context c

How an interrupt flows (level-triggered sources):
1. a device raises its line: the source becomes pending;
2. a context's output is high while some source is pending, enabled for it,
   and of priority above its threshold;
3. the handler reads claim: it gets the best such source (highest priority,
   lowest number on ties, 0 if none); the source stops being pending and is
   "in service" until
4. the handler writes that number to complete; if the device's line is still
   high, the source becomes pending again.
"""

from __future__ import annotations

from oskit.machine.choices import PLIC_SOURCES
from oskit.machine.events import InterruptEvent

PLIC_BASE = 0x0C00_0000
PLIC_SIZE = 0x0400_0000
NUM_SOURCES = PLIC_SOURCES  # sources 1..95 (0 means "no interrupt"), as QEMU virt
PRIORITY_MASK = 7  # 3 priority bits, as QEMU virt

PRIORITY_OFFSET = 0x0
PENDING_OFFSET = 0x1000
ENABLE_OFFSET = 0x2000
ENABLE_STRIDE = 0x80
CONTEXT_OFFSET = 0x20_0000
CONTEXT_STRIDE = 0x1000

MEIP_BIT = 11
SEIP_BIT = 9


class Plic:
    """Priorities, pending bits, per-context enables/threshold/claim, and the MEIP/SEIP lines."""

    name = "plic"

    def __init__(self, machine, base: int = PLIC_BASE):
        self.machine = machine
        self.base = base
        self.size = PLIC_SIZE
        ncontexts = 2 * machine.nharts
        self.priority = [0] * NUM_SOURCES
        self.level = [False] * NUM_SOURCES  # the device's line
        self.pending = [False] * NUM_SOURCES
        self.in_service = [False] * NUM_SOURCES
        self.enable = [[False] * NUM_SOURCES for _ in range(ncontexts)]
        self.threshold = [0] * ncontexts
        self._outputs = [False] * ncontexts

    @property
    def ncontexts(self) -> int:
        return len(self.threshold)

    @staticmethod
    def context_of(hartid: int, mode: str) -> int:
        """The context number of hart hartid in mode "M" or "S"."""
        return 2 * hartid + (1 if mode == "S" else 0)

    # -- the device side ----------------------------------------------------------

    def set_source(self, source: int, level: bool) -> None:
        """A device drives its interrupt line (level-triggered)."""
        if not 0 < source < NUM_SOURCES:
            raise ValueError(f"PLIC source must be in 1..{NUM_SOURCES - 1}, found {source}")
        self.level[source] = level
        if level and not self.in_service[source]:
            self.pending[source] = True
        elif not level:
            # A level-triggered line that drops before it is claimed is no longer pending.
            self.pending[source] = False
        self.update()

    # -- the hart side -------------------------------------------------------------

    def best(self, context: int) -> int:
        """The source a claim by context would return now (0 if none)."""
        enable = self.enable[context]
        threshold = self.threshold[context]
        best, best_prio = 0, 0
        for s in range(1, NUM_SOURCES):
            if self.pending[s] and enable[s]:
                p = self.priority[s]
                if p > threshold and p > best_prio:
                    best, best_prio = s, p
        return best

    def update(self) -> None:
        """Recompute every context's output line and tell the harts."""
        harts = self.machine.harts
        events = self.machine.events
        for c in range(self.ncontexts):
            level = self.best(c) != 0
            if level != self._outputs[c]:
                self._outputs[c] = level
                hartid, bit = c // 2, (SEIP_BIT if c % 2 else MEIP_BIT)
                harts[hartid].set_pending(bit, level)
                if events.interrupt_subscribers:
                    events.publish("interrupt", InterruptEvent(hartid, bit, level, self.name))

    def claim(self, context: int) -> int:
        """Claim the best pending source for context (0 if none)."""
        s = self.best(context)
        if s:
            self.pending[s] = False
            self.in_service[s] = True
            self.update()
        return s

    def complete(self, context: int, source: int) -> None:
        """Finish handling source; a line still high makes it pending again."""
        if 0 < source < NUM_SOURCES and self.in_service[source]:
            self.in_service[source] = False
            if self.level[source]:
                self.pending[source] = True
            self.update()

    # -- register access -------------------------------------------------------

    def load(self, offset: int, size: int) -> int:
        value = self._load32(offset & ~3)
        return (value >> (8 * (offset & 3))) & ((1 << (8 * size)) - 1)

    def _load32(self, offset: int) -> int:
        if offset < PENDING_OFFSET:
            s = offset // 4
            return self.priority[s] if s < NUM_SOURCES else 0
        if offset < ENABLE_OFFSET:
            return self._bits(self.pending, (offset - PENDING_OFFSET) // 4)
        if offset < CONTEXT_OFFSET:
            c, word = divmod(offset - ENABLE_OFFSET, ENABLE_STRIDE)
            if c < self.ncontexts:
                return self._bits(self.enable[c], word // 4)
            return 0
        c, reg = divmod(offset - CONTEXT_OFFSET, CONTEXT_STRIDE)
        if c >= self.ncontexts:
            return 0
        if reg == 0:
            return self.threshold[c]
        if reg == 4:
            return self.claim(c)
        return 0

    def store(self, offset: int, size: int, value: int) -> None:
        if size != 4 or offset & 3:
            return  # the PLIC has only 32-bit registers; other writes are ignored
        if offset < PENDING_OFFSET:
            s = offset // 4
            if 0 < s < NUM_SOURCES:
                self.priority[s] = value & PRIORITY_MASK
                self.update()
        elif offset < ENABLE_OFFSET:
            pass  # pending bits are read-only
        elif offset < CONTEXT_OFFSET:
            c, word = divmod(offset - ENABLE_OFFSET, ENABLE_STRIDE)
            if c < self.ncontexts and word // 4 * 32 < NUM_SOURCES:
                first = word // 4 * 32
                for i in range(32):
                    s = first + i
                    if 0 < s < NUM_SOURCES:
                        self.enable[c][s] = bool(value >> i & 1)
                self.update()
        else:
            c, reg = divmod(offset - CONTEXT_OFFSET, CONTEXT_STRIDE)
            if c >= self.ncontexts:
                return
            if reg == 0:
                self.threshold[c] = value & PRIORITY_MASK
                self.update()
            elif reg == 4:
                self.complete(c, value)

    @staticmethod
    def _bits(flags: list[bool], word: int) -> int:
        first = word * 32
        value = 0
        for i in range(32):
            s = first + i
            if s < len(flags) and flags[s]:
                value |= 1 << i
        return value

    def __repr__(self) -> str:
        pending = [s for s in range(NUM_SOURCES) if self.pending[s]]
        return f"Plic(pending={pending}, threshold={self.threshold})"
