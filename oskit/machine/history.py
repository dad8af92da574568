"""Stepping back: automatic snapshots plus a log of steps, replayed forward.

The machine is deterministic, so "one step back" is: restore the nearest
snapshot taken before that step, then do again every step that followed it,
except the last. A History keeps that log:

    h = History(owner)          # owner: a Machine or a Kernel (snapshot(), restore(), machine)
    h.do(step)                  # run step() (a function that moves the owner forward) and log it
    h.step(n)                   # n single instructions of the owner, each logged
    h.back(n=1)                 # undo the last n logged steps
    h.steps                     # how many logged steps could be undone

A snapshot is taken before a step when none was taken yet, when
``every`` instructions ran since the last one, or when the owner changed
since the last logged step by something that was not logged (a run, a
spawn, a file written: seen as a change of the owner's ``fingerprint()``).
Such a change is kept: stepping back over it restores the snapshot taken
after it, never replays it. At most ``keep`` snapshots are kept; the steps
before the oldest one can no longer be undone.

A step must depend only on the owner's state (a closure over the owner is
fine): replayed, it must do exactly what it did.
"""

from __future__ import annotations

from typing import Callable

CHECKPOINT_EVERY = 50_000  # instructions between automatic snapshots (a step back replays at most this many)
KEEP = 64  # snapshots kept


class History:
    """The log of steps behind step_back() (see the module docstring)."""

    def __init__(self, owner, every: int = CHECKPOINT_EVERY, keep: int = KEEP):
        self.owner = owner
        self.every = every
        self.keep = keep
        self._entries: list[tuple] = []  # ("snap", snapshot, instructions) or ("step", fn, note)
        self._mark = None  # the owner's fingerprint after the last logged step
        self.replaying = False  # True while back() replays steps (views may skip their own logging)

    @property
    def steps(self) -> int:
        """How many of the logged steps back() can still undo."""
        return sum(1 for e in self._entries if e[0] == "step")

    def _machine(self):
        return getattr(self.owner, "machine", self.owner)

    def notes(self) -> list:
        """The note given to do() with each step that can still be undone, oldest first."""
        return [e[2] for e in self._entries if e[0] == "step"]

    def step(self, n: int = 1):
        """The owner's step(n): n single instructions (run(max_instructions=1)), each logged.

        Stops early when a run ends for another reason than the limit (a breakpoint, an exit).
        Returns the last run's result.
        """
        result = None
        for _ in range(n):
            result = self.do(lambda: self.owner.run(max_instructions=1))
            if result.reason != "limit":
                break
        return result

    def do(self, fn: Callable[[], object], note=None):
        """Run fn() and log it as one step; a snapshot goes first when one is due. Returns fn's result.

        note: anything the caller wants back for this step (a view keeps what it showed before it).
        """
        instructions = self._machine().instructions
        snaps = [e for e in self._entries if e[0] == "snap"]
        if (not snaps or self.owner.fingerprint() != self._mark
                or instructions - snaps[-1][2] >= self.every):
            self._entries.append(("snap", self.owner.snapshot(), instructions))
            self._forget_old()
        try:
            return fn()
        finally:
            self._entries.append(("step", fn, note))
            self._mark = self.owner.fingerprint()

    def _forget_old(self) -> None:
        snaps = [i for i, e in enumerate(self._entries) if e[0] == "snap"]
        if len(snaps) > self.keep:
            del self._entries[:snaps[-self.keep]]

    def back(self, n: int = 1) -> int:
        """Undo the last n logged steps (fewer if fewer are logged); returns how many were undone."""
        if not isinstance(n, int) or n < 0:
            raise ValueError(f"step_back: n must be an integer >= 0, found {n!r}")
        steps = [i for i, e in enumerate(self._entries) if e[0] == "step"]
        n = min(n, len(steps))
        if n == 0:
            return 0
        cut = steps[len(steps) - n]  # the first step to undo: it and everything after it go
        start = max(i for i in range(cut) if self._entries[i][0] == "snap")
        self.owner.restore(self._entries[start][1])
        self.replaying = True
        try:
            for entry in self._entries[start + 1:cut]:
                if entry[0] == "step":
                    entry[1]()
        finally:
            self.replaying = False
        del self._entries[cut:]
        self._mark = self.owner.fingerprint()
        return n

    def clear(self) -> None:
        """Forget every step and snapshot (nothing can be undone afterwards)."""
        self._entries.clear()
        self._mark = None
