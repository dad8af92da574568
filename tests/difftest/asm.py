"""A two-pass assembler for the harness: labels and a few pseudo-instructions over mc_asm.

    a = Asm(base=0x8000_0000)
    a.label("loop")
    a("addi t0, t0, -1")
    a("bnez t0, loop")            # branches, jal and j take a label
    a("la t1, table")             # auipc + addi, pc-relative
    words = a.assemble()          # list of 32-bit words; a.addr("table") is its address

Pseudo-instructions: la, li (32-bit signed constants), j, bnez, beqz, csrr, csrw,
.word (a raw 32-bit word), .dword (64 bits, two words). Everything else is
handed to mc_asm.asm1, one line at a time, after labels are replaced by offsets.
"""

from __future__ import annotations

from mc_asm import asm1

BRANCHES = ("beq", "bne", "blt", "bge", "bltu", "bgeu")


class Asm:
    """Collects lines and labels; assemble() resolves labels and encodes."""

    def __init__(self, base: int):
        self.base = base
        self.items: list[tuple[str, int]] = []  # (line, size in words)
        self.labels: dict[str, int] = {}
        self._size = 0

    @property
    def pc(self) -> int:
        """The address of the next line."""
        return self.base + 4 * self._size

    def label(self, name: str) -> None:
        if name in self.labels:
            raise ValueError(f"Asm: label {name!r} defined twice")
        self.labels[name] = self.pc

    def align(self, boundary: int) -> None:
        while self.pc % boundary:
            self("addi zero, zero, 0")

    def __call__(self, line: str) -> None:
        name = line.split()[0]
        size = {"la": 2, "li": 2, ".dword": 2}.get(name, 1)
        self.items.append((line, size))
        self._size += size

    def addr(self, label: str) -> int:
        return self.labels[label]

    def assemble(self) -> list[int]:
        words: list[int] = []
        for line, _ in self.items:
            words.extend(self._encode(line, self.base + 4 * len(words)))
        return words

    def _encode(self, line: str, pc: int) -> list[int]:
        name, _, rest = line.partition(" ")
        ops = [o.strip() for o in rest.split(",")] if rest.strip() else []
        if name == ".word":
            return [int(ops[0], 0) & 0xFFFF_FFFF]
        if name == ".dword":
            v = self._value(ops[0]) & (1 << 64) - 1
            return [v & 0xFFFF_FFFF, v >> 32]
        if name == "la":
            off = self._value(ops[1]) - pc
            hi, lo = (off + 0x800) >> 12, off - (((off + 0x800) >> 12) << 12)
            return [asm1(f"auipc {ops[0]}, {hi & 0xFFFFF}"), asm1(f"addi {ops[0]}, {ops[0]}, {lo}")]
        if name == "li":
            v = self._value(ops[1])
            if not -(1 << 31) <= v < (1 << 31):
                raise ValueError(f"Asm: li takes a 32-bit signed constant, found {v:#x}")
            hi, lo = (v + 0x800) >> 12, v - (((v + 0x800) >> 12) << 12)
            return [asm1(f"lui {ops[0]}, {hi & 0xFFFFF}"), asm1(f"addiw {ops[0]}, {ops[0]}, {lo}")]
        if name == "j":
            return [asm1(f"jal zero, {self._value(ops[0]) - pc}")]
        if name in ("bnez", "beqz"):
            return [asm1(f"{name[:3]} {ops[0]}, zero, {self._value(ops[1]) - pc}")]
        if name in BRANCHES:
            return [asm1(f"{name} {ops[0]}, {ops[1]}, {self._value(ops[2]) - pc}")]
        if name == "jal" and ops[1] in self.labels:
            return [asm1(f"jal {ops[0]}, {self._value(ops[1]) - pc}")]
        if name == "csrr":
            return [asm1(f"csrrs {ops[0]}, {ops[1]}, zero")]
        if name == "csrw":
            return [asm1(f"csrrw zero, {ops[0]}, {ops[1]}")]
        return [asm1(line)]

    def _value(self, token: str) -> int:
        return self.labels[token] if token in self.labels else int(token, 0)
