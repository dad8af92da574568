"""The record a trap leaves: one Step per thing saved, written, swapped or loaded, in order."""

from __future__ import annotations

from dataclasses import dataclass, field

HARDWARE, SOFTWARE = "hardware", "software"

# What a step is about, so that the same item can be compared across ISAs.
ITEMS = {
    "pc": "the interrupted pc",
    "cause": "why the trap happened",
    "address": "the faulting address",
    "mode": "privilege and interrupt-enable state",
    "stack": "the switch to a kernel stack",
    "sp": "the user stack pointer",
    "regs": "the general registers",
    "flags": "the flags register",
    "segments": "code and stack segment selectors",
    "vector": "where the handler is",
    "return": "the way back to user mode",
}


@dataclass(frozen=True)
class Step:
    """One action of a trap entry or return.

    actor:  HARDWARE (the processor does it as part of the trap or return
            instruction) or SOFTWARE (an instruction of the kernel's entry code).
    action: "save" (a copy of a user value kept somewhere), "write" (a new
            value), "swap", "load", "restore", "jump".
    what:   the value ("pc", "a0", "RFLAGS", "cause 8").
    where:  the register or memory place ("sepc", "[TSS.RSP0-8]", "frame+0x50").
    item:   a key of ITEMS.
    value:  the number stored, when there is one.
    """

    actor: str
    action: str
    what: str
    where: str
    item: str
    value: int | None = None
    note: str = ""

    def __str__(self) -> str:
        v = f" = {self.value:#x}" if self.value is not None else ""
        return f"{self.actor:8} {self.action:7} {self.what} -> {self.where}{v}" + (f"  ({self.note})" if self.note else "")


@dataclass
class TrapRecord:
    """The steps of one trap on one ISA, for one example ("syscall" or "page fault")."""

    isa: str
    example: str
    steps: list[Step] = field(default_factory=list)
    source: str = "model"           # "model" or "machine" (the real RISC-V path)

    def add(self, actor: str, action: str, what: str, where: str, item: str,
            value: int | None = None, note: str = "") -> None:
        if item not in ITEMS:
            raise ValueError(f"TrapRecord.add: unknown item {item!r}: expected one of {', '.join(ITEMS)}")
        self.steps.append(Step(actor, action, what, where, item, value, note))

    def by(self, actor: str) -> list[Step]:
        """The steps one actor did, in order."""
        return [s for s in self.steps if s.actor == actor]

    def first(self, item: str) -> Step | None:
        """The first step about item (None if the trap never touches it)."""
        return next((s for s in self.steps if s.item == item), None)

    def __str__(self) -> str:
        return f"{self.isa} {self.example} ({self.source}):\n" + "\n".join(
            f"{i:3}. {s}" for i, s in enumerate(self.steps, 1))
