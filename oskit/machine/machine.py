"""The board: harts, bus, devices, deterministic time, and the run loop.

    m = Machine(harts=1, ram_mib=128)
    m.load_elf("hello.elf")          # segments into RAM, every hart at the entry in M-mode
    r = m.run(max_instructions=None) # RunResult(reason, exit_code, instructions)

What the run loop does, round after round:

(The numbers are in choices.py, section "Platform".)

1. each hart, in hartid order, runs a slice of at most QUANTUM instructions
   (``hart.run(n)``; a hart waiting in WFI returns at once);
2. time advances as far as the longest slice: harts run side by side, at one
   instruction each per step, and mtime gains one tick every
   INSTRUCTIONS_PER_TICK instructions (clint.py). A slice never runs past the
   next timer deadline, so a timer interrupt arrives exactly on time;
3. when every hart waits in WFI, nothing can happen until a timer fires:
   mtime jumps straight to the earliest deadline that would wake a hart
   (mtimecmp with mie.MTIE, or Sstc's stimecmp with mie.STIE), so idle time
   costs nothing (``machine.idle_fast_forward = False`` lets it pass one slice
   at a time instead). With no such deadline the run ends: reason "idle".

A run ends with one of these reasons:

    "exit"     the program wrote its exit code to the HTIF tohost word (exit_code is set)
    "limit"    max_instructions were executed
    "stopped"  someone called m.stop(text) (a host call, a debugger); the text is RunResult.detail
    "idle"     every hart waits for an interrupt that can never come

Nothing here reads the host's clock: the same program with the same input
always runs the same instructions and sees the same times.
"""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass
from pathlib import Path

from oskit.machine import inject, snapshot
from oskit.machine.bus import Bus, Ram
from oskit.machine.choices import (IDLE_FAST_FORWARD, INSTRUCTIONS_PER_TICK, MISALIGNED_ACCESS_TRAPS,
                                    MTIMECMP_RESET, QUANTUM)
from oskit.machine.clint import Clint
from oskit.machine.cpu import Hart
from oskit.machine.elf import load_elf
from oskit.machine.events import EventBus
from oskit.machine.history import History
from oskit.machine.hostcall import HostCalls
from oskit.machine.htif import Htif
from oskit.machine.plic import Plic
from oskit.machine.trap import Priv
from oskit.machine.uart import Console, Uart16550

# CSR numbers and bits the run loop reads to find out what can wake a waiting hart
CSR_MIE = 0x304
CSR_MENVCFG = 0x30A
CSR_STIMECMP = 0x14D
MIE_STIE = 1 << 5
MIE_MTIE = 1 << 7
MENVCFG_STCE = 1 << 63

REASONS = ("exit", "limit", "stopped", "idle")
MAX_HARTS = 4095  # the CLINT has room for this many mtimecmp registers below mtime


@dataclass(frozen=True)
class RunResult:
    """Why and after how many instructions (all harts together) a run ended."""

    reason: str  # "exit", "limit", "stopped" or "idle"
    exit_code: int | None  # the tohost code when reason == "exit"
    instructions: int
    detail: str = ""  # the text given to stop(), or a sentence about the ending


# A machine and its kernel refer to each other (hart.machine, kernel.machine, ...), so a dropped
# one is freed by Python's cycle collector, not at once, and a full collection is rare: a
# notebook that boots kernel after kernel would hold the RAM each of them touched. So a new
# machine first collects, when at least 3 machines were made since the last collection.
_LIVE: "weakref.WeakSet[Machine]" = weakref.WeakSet()
_live_after_last_collection = 0


def _collect_dropped_machines() -> None:
    global _live_after_last_collection
    if len(_LIVE) >= _live_after_last_collection + 3:
        gc.collect()
        _live_after_last_collection = len(_LIVE)


class Machine:
    """A QEMU-virt-like RISC-V board with `harts` harts and `ram_mib` MiB of RAM."""

    def __init__(self, harts: int = 1, ram_mib: int = 128, console: Console | None = None):
        if not isinstance(harts, int) or not 1 <= harts <= MAX_HARTS:
            raise ValueError(f"harts must be an integer from 1 to {MAX_HARTS}, found harts={harts!r}")
        if not isinstance(ram_mib, int) or not 1 <= ram_mib <= 2048:
            raise ValueError(f"ram_mib must be an integer from 1 to 2048, found {ram_mib!r}")
        _collect_dropped_machines()
        _LIVE.add(self)
        self.nharts = harts
        self.events = EventBus()
        self.hostcalls = HostCalls(self.events)
        self.bus = Bus(Ram(ram_mib << 20), self.events)
        self.ram = self.bus.ram
        self.harts: list = []
        self.clint = self.bus.attach(Clint(self))
        self.plic = self.bus.attach(Plic(self))
        self.uart = self.bus.attach(Uart16550(self.plic, console))
        self.htif = Htif(self)
        self.image = None  # the last ELF image loaded
        self.stopping = False  # harts return from run() at the next instruction boundary when True
        self.exit_code: int | None = None
        self._running = False
        self._stop_reason: str | None = None
        self._stop_detail = ""
        self._tick_residue = 0  # instructions executed since mtime last ticked
        self.instructions = 0  # executed by all harts, over all runs
        # False: misaligned loads and stores are done by the hardware; True: they trap (cause 4/6),
        # which a chapter switches on, at any time, to show the kernel's SIGBUS. (choices.py)
        self.misaligned_access_traps = MISALIGNED_ACCESS_TRAPS
        # True: when every hart waits in WFI, time jumps to the next timer deadline (choices.py).
        self.idle_fast_forward = IDLE_FAST_FORWARD
        self.injections: list[inject.Injection] = []  # interrupts scheduled at an instret (inject.py)
        self.last_snapshot_pages = None  # RAM pages of the last snapshot: the next shares the unchanged ones
        self.last_snapshot_bytearrays: list = []  # (bytearray, its copy) of the last one: likewise
        self.history = History(self)  # the steps step_back() can undo (history.py)
        # Objects built on this machine that snapshots share instead of copying (a kernel's probes
        # and its own step history: who watches, and the log of steps, are not the machine's state).
        self.not_state: list = []
        # Last: a hart looks at the bus, the devices, events and host calls when it is built.
        self.harts = [Hart(self, i) for i in range(harts)]

    # -- loading ----------------------------------------------------------------------

    def load_elf(self, source: str | Path | bytes):
        """Load an ELF file (path or bytes) into RAM and start every hart at its entry.

        Returns the ElfImage (entry, symbols, segments). When the program
        defines `tohost`, HTIF is armed on it. Each hart starts in M-mode with
        a0 = its hartid and a1 = 0.
        """
        image = load_elf(self.bus, source)
        self.image = image
        self.exit_code = None
        tohost = image.symbols.get("tohost")
        if tohost is not None:
            self.htif.arm(tohost, image.symbols.get("fromhost"))
        else:
            self.htif.disarm()
        for hart in self.harts:
            hart.pc = image.entry
            hart.priv = Priv.M
            hart.x[10] = hart.hartid
            hart.x[11] = 0
            hart.waiting = False
        return image

    # -- ending a run -----------------------------------------------------------------

    def stop(self, reason: str = "stopped") -> None:
        """End the current run() at the next instruction boundary (RunResult.reason "stopped")."""
        if self._stop_reason is None:
            self._stop_reason, self._stop_detail = "stopped", reason
        self._request_stop()

    def _request_stop(self) -> None:
        self.stopping = True
        for hart in self.harts:
            hart.brk = True  # the hart's "look before the next instruction" flag (cpu.py)

    def exit(self, code: int) -> None:
        """End the run as the program's exit with this code (what a tohost write does)."""
        self.exit_code = code
        self._stop_reason, self._stop_detail = "exit", f"exit code {code}"
        self._request_stop()

    # -- time ---------------------------------------------------------------------------

    def _advance_time(self, instructions: int) -> None:
        ticks, self._tick_residue = divmod(self._tick_residue + instructions, INSTRUCTIONS_PER_TICK)
        self.clint.advance(ticks)

    def _deadlines(self, waking_only: bool) -> list[int]:
        """Timer deadlines still in the future: every hart's mtimecmp and (with Sstc on) stimecmp.

        waking_only keeps only the deadlines whose interrupt is enabled in the
        hart's mie, i.e. those that would wake the hart from WFI.
        """
        mtime = self.clint.mtime
        found = []
        for hart in self.harts:
            mie = hart.csr.read(CSR_MIE) if waking_only else MIE_MTIE | MIE_STIE
            if mie & MIE_MTIE:
                cmp = self.clint.mtimecmp[hart.hartid]
                if mtime < cmp != MTIMECMP_RESET:
                    found.append(cmp)
            if mie & MIE_STIE and hart.csr.read(CSR_MENVCFG) & MENVCFG_STCE:
                cmp = hart.csr.read(CSR_STIMECMP)
                if mtime < cmp != MTIMECMP_RESET:
                    found.append(cmp)
        return found

    def _slice_limit(self) -> int:
        """Instructions until the next timer deadline (at least 1), capped at QUANTUM."""
        deadlines = self._deadlines(waking_only=False)
        if not deadlines:
            return QUANTUM
        until = (min(deadlines) - self.clint.mtime) * INSTRUCTIONS_PER_TICK - self._tick_residue
        return max(1, min(QUANTUM, until))

    # -- running ------------------------------------------------------------------------

    def run(self, max_instructions: int | None = None) -> RunResult:
        """Run every hart round-robin until exit, the instruction limit, stop() or idleness."""
        if max_instructions is not None and max_instructions < 0:
            raise ValueError(f"max_instructions must be >= 0 or None, found {max_instructions}")
        if self._running:
            raise RuntimeError("Machine.run() called while the machine is already running (from a host call?)")
        if self.exit_code is not None:
            return RunResult("exit", self.exit_code, 0, "the program had already exited")
        self._running = True
        try:
            return self._run(max_instructions)
        finally:
            self._running = False
            self.stopping = False

    def _run(self, max_instructions: int | None) -> RunResult:
        self.stopping = False
        self._stop_reason, self._stop_detail = None, ""
        bus, harts, htif = self.bus, self.harts, self.htif
        executed = 0
        reason = detail = None
        while reason is None:
            n = self._slice_limit()
            longest = 0
            for hart in harts:
                if max_instructions is not None:
                    left = max_instructions - executed
                    if left <= 0:
                        break
                    n = min(n, left)
                bus.current_hart = hart.hartid
                # A scheduled interrupt (inject.py) fires when due; the slice stops at the next one.
                k = hart.run(inject.budget(self, hart, n) if self.injections else n)                       # steps: instructions, and cycles host calls spent
                executed += k - hart.run_stall
                self.instructions += k - hart.run_stall
                if k > longest:
                    longest = k
                if htif.tohost is not None:
                    htif.poll()
                if self.stopping:
                    break
            self._advance_time(longest)
            if self.stopping:
                reason, detail = self._stop_reason or "stopped", self._stop_detail
            elif max_instructions is not None and executed >= max_instructions:
                reason, detail = "limit", f"stopped after {executed} instructions"
            elif longest == 0:
                if not all(h.waiting for h in harts):
                    raise RuntimeError("Machine.run: no hart executed an instruction, yet not all wait in WFI")
                deadlines = self._deadlines(waking_only=True)
                if not deadlines:
                    reason, detail = "idle", "every hart waits in WFI and no enabled timer can wake one"
                elif self.idle_fast_forward:
                    # Every hart sleeps: jump to the first moment a timer wakes one.
                    self._tick_residue = 0
                    self.clint.set_mtime(min(deadlines))
                else:
                    # Let the time of one slice pass (n never reaches past the next deadline).
                    self._advance_time(n)
        exit_code = self.exit_code if reason == "exit" else None
        return RunResult(reason, exit_code, executed, detail)

    # -- time travel (snapshot.py, history.py, inject.py) --------------------------------------

    def snapshot(self) -> snapshot.Snapshot:
        """The whole state of the machine (RAM, harts, devices, time, console, injections)."""
        return snapshot.take_snapshot(self)

    def restore(self, snap: snapshot.Snapshot) -> None:
        """Put the machine back in the state of snap, in place (the same Machine and Hart objects)."""
        snapshot.restore_snapshot(self, snap)

    def state_hash(self) -> str:
        """A hex digest of what a program could observe: RAM, registers, CSRs, time, devices, console."""
        return snapshot.hash_machine(self).hexdigest()[:16]

    def fingerprint(self) -> tuple:
        """A cheap summary of the state (History notices outside changes with it)."""
        return snapshot.fingerprint(self)

    def schedule_interrupt(self, cause: str, hart: int = 0, at_instret: int | None = None,
                           data: bytes | str = b"\n", before=None) -> inject.Injection:
        """Make cause ("timer", "software", "external") fire when hart's instret reaches at_instret.

        See inject.py. at_instret None means now (before the hart's next instruction).
        """
        if at_instret is None:
            at_instret = self.harts[hart].instret if isinstance(hart, int) and 0 <= hart < self.nharts else -1
        inject.check(self, cause, hart, at_instret)
        inj = inject.Injection(cause, hart, at_instret, data.encode() if isinstance(data, str) else bytes(data),
                               before)
        self.injections.append(inj)
        self.injections.sort(key=lambda i: i.at_instret)
        return inj

    def instret_at(self, pc: int, hart: int = 0, priv: int | None = None, occurrence: int = 1,
                   max_instructions: int = 10_000_000) -> int | None:
        """hart's instret when it is next about to execute pc (looked up ahead; nothing changes). inject.py"""
        return inject.instret_at(self, pc, hart, priv, occurrence, max_instructions)

    def step(self, n: int = 1) -> RunResult:
        """Run n instructions, one run(max_instructions=1) each, logged so that step_back() undoes them."""
        return self.history.step(n)

    def step_back(self, n: int = 1) -> int:
        """Undo the last n steps (step(), or a view's): restore a snapshot, replay; returns how many."""
        return self.history.back(n)

    def __repr__(self) -> str:
        return f"Machine(harts={self.nharts}, ram_mib={self.ram.size >> 20}, mtime={self.clint.mtime})"
