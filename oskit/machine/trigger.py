"""Debug triggers (Sdtrig): hardware breakpoints on instruction addresses.

A debugger, or a kernel that wants a breakpoint without writing ``ebreak`` into
the code, asks the hart to watch an address. Each hart has a small "trigger
module" (RISC-V debug specification 1.0, chapter "Sdtrig") of
choices.TRIGGER_COUNT triggers, reached through five M-mode CSRs:

    tselect  0x7a0  which trigger the next three registers show (0 .. count-1)
    tdata1   0x7a1  the selected trigger's type and settings (below)
    tdata2   0x7a2  the address it compares with
    tdata3   0x7a3  extra match conditions (none here: reads 0, ignores writes)
    tinfo    0x7a4  which types the selected trigger supports, and the spec version

tdata1 for an address-match trigger, type 6 "mcontrol6" (and the older type 2
"mcontrol", which the riscv-tests use; both are supported, with the same
meaning for the bits we implement):

    63..60  type     6 (mcontrol6) or 2 (mcontrol); 15 = disabled
    59      dmode    0: M-mode may write it (no Debug Mode here: always 0)
    22      hit0     (type 6) set by the hardware when the trigger fires (hit1, bit 25, stays 0)
    20      hit      (type 2) the same
    15..12  action   0: raise a breakpoint exception (the only action here)
    10..7   match    0: the address equals tdata2 (the only match here)
    6       m        fire in M-mode
    4       s        fire in S-mode
    3       u        fire in U-mode
    2       execute  fire on executing the instruction at tdata2
    1, 0    store, load  (not implemented: read 0)

Every field is WARL: what the hardware cannot do reads back as 0, so software
finds out what works by writing a setting and reading it back (riscv-tests'
rv64mi-p-breakpoint does exactly that, and skips load and store triggers).

What firing means: before the instruction at address tdata2 executes, in a
mode whose bit (m, s, u) is set, the hart takes a breakpoint exception (cause 3)
with tval = epc = that address; the instruction has not run. It is taken like
any exception (medeleg bit 3 sends it from S or U to S). It is checked before
the instruction is fetched, so a breakpoint on an unmapped address fires
instead of the page fault (the spec's priority table).

So that a trap handler in the same mode is not itself caught by the trigger it
handles, a trigger does not fire in M-mode while mstatus.MIE is 0, nor in S-mode
while sstatus.SIE is 0 when breakpoints are delegated to S (medeleg bit 3):
the first of the two solutions the spec offers (we have no tcontrol register).

tselect is WARL too: writing a number at or beyond the count selects index
``count``, where there is no trigger (tdata1 reads type 0, tinfo reads 1): a
debugger counts triggers by writing 0, 1, 2, ... until tselect does not hold
what it wrote or tdata1's type is 0.

The hart checks triggers only on the slow road of an instruction fetch (a
miss in its fetch page cache): a page holding an armed execute trigger is kept
out of that cache, and the fast path runs no translated block on it. With no
trigger armed, a fetch that hits the cache (almost all of them) pays nothing,
and a miss one test of an empty set.
"""

from __future__ import annotations

from oskit.machine import choices
from oskit.machine.trap import Breakpoint, Priv

TYPE_NONE = 0  # no trigger at this tselect
TYPE_MCONTROL = 2
TYPE_MCONTROL6 = 6
TYPE_DISABLED = 15
SUPPORTED_TYPES = (TYPE_MCONTROL, TYPE_MCONTROL6, TYPE_DISABLED)
TINFO_VERSION = 1  # tinfo.version: Sdtrig as ratified (1.0)

TYPE_SHIFT = 60
BIT_M, BIT_S, BIT_U, BIT_EXECUTE = 1 << 6, 1 << 4, 1 << 3, 1 << 2
HIT = {TYPE_MCONTROL: 1 << 20, TYPE_MCONTROL6: 1 << 22}  # where each type keeps its "fired" bit
MODE_BIT = {Priv.M: BIT_M, Priv.S: BIT_S, Priv.U: BIT_U}

MSTATUS_SIE = 1 << 1
MSTATUS_MIE = 1 << 3
BREAKPOINT_CAUSE = 3


class Trigger:
    """One trigger: its type, the tdata1 bits kept for it (the WARL-legal ones) and tdata2."""

    __slots__ = ("type", "bits", "address")

    def __init__(self):
        self.type = TYPE_DISABLED
        self.bits = 0  # m, s, u, execute and hit, as they sit in tdata1
        self.address = 0  # tdata2

    @property
    def tdata1(self) -> int:
        return (self.type << TYPE_SHIFT) | self.bits

    def write_tdata1(self, value: int) -> None:
        """Keep what this hardware implements; everything else reads back as 0 (WARL)."""
        kind = value >> TYPE_SHIFT
        if kind not in (TYPE_MCONTROL, TYPE_MCONTROL6):
            # Writing 0 disables a trigger (spec: "type changes to 15"); so does any type we lack.
            self.type, self.bits = TYPE_DISABLED, 0
            return
        self.type = kind
        keep = BIT_M | BIT_S | BIT_U | BIT_EXECUTE | HIT[kind]
        # action (15..12) and match (10..7) must be 0, the only values implemented; a trigger
        # written with another action or match is kept, with those fields read back as 0.
        self.bits = value & keep

    @property
    def watches_execute(self) -> bool:
        """Armed on instruction execution in at least one mode."""
        armed = self.type != TYPE_DISABLED and self.bits & BIT_EXECUTE
        return bool(armed and self.bits & (BIT_M | BIT_S | BIT_U))


class TriggerModule:
    """The triggers of one hart and the CSRs that reach them (see the module docstring)."""

    def __init__(self, hart, count: int = choices.TRIGGER_COUNT):
        self.hart = hart
        self.triggers = [Trigger() for _ in range(count)]
        self.tselect = 0
        # Virtual page numbers (va >> 12) that hold an armed execute trigger: the hart's fetch
        # cache never holds these pages, so every instruction there is checked (cpu.py).
        self.execute_pages: frozenset[int] = frozenset()

    # -- the CSRs -------------------------------------------------------------------------

    def read(self, number: int) -> int:
        """tselect, tdata1..3 or tinfo (0x7a0..0x7a4)."""
        if number == 0x7A0:
            return self.tselect
        if self.tselect >= len(self.triggers):
            # No trigger here: type 0, and tinfo says "only type 0" (spec: "contains 1").
            return 1 if number == 0x7A4 else 0
        t = self.triggers[self.tselect]
        if number == 0x7A1:
            return t.tdata1
        if number == 0x7A2:
            return t.address
        if number == 0x7A3:
            return 0  # no textra conditions (mhselect = sselect = 0: match in any context)
        return (TINFO_VERSION << 24) | sum(1 << kind for kind in SUPPORTED_TYPES)

    def write(self, number: int, value: int) -> None:
        """Write tselect, tdata1..3 (tinfo is read-only: writes are ignored)."""
        if number == 0x7A0:
            self.tselect = min(value, len(self.triggers))
            return
        if self.tselect >= len(self.triggers) or number in (0x7A3, 0x7A4):
            return
        t = self.triggers[self.tselect]
        if number == 0x7A1:
            t.write_tdata1(value)
        else:
            t.address = value
        self._armed_changed()

    def _armed_changed(self) -> None:
        pages = frozenset(t.address >> 12 for t in self.triggers if t.watches_execute)
        if pages != self.execute_pages:
            self.execute_pages = pages
            self.hart.flush_page_caches()  # pages cached before arming must go through the check now

    # -- firing ----------------------------------------------------------------------------

    def check_execute(self, pc: int) -> None:
        """Raise Breakpoint(pc) when an armed trigger fires on executing the instruction at pc.

        Called by the hart before it fetches an instruction from a page in execute_pages.
        """
        hart = self.hart
        priv = hart.priv
        csr = hart.csr
        # Re-entrancy (spec, "Native Triggers", first solution): not in a handler's own mode
        # while its interrupts are off.
        if priv == Priv.M and not csr.mstatus & MSTATUS_MIE:
            return
        if priv == Priv.S and (csr.medeleg >> BREAKPOINT_CAUSE) & 1 and not csr.mstatus & MSTATUS_SIE:
            return
        fired = False
        for t in self.triggers:
            if t.watches_execute and t.address == pc and t.bits & MODE_BIT[priv]:
                t.bits |= HIT[t.type]
                fired = True
        if fired:
            raise Breakpoint(pc)
