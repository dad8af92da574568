"""A tiny RV64IMA assembler for the machine-core tests, written from the spec's encoding tables.

It is deliberately independent of oskit.machine.decode (its own opcode table),
so that decoding and disassembly are checked against a second reading of the
specification. One instruction per line, canonical operands only:

    addi a0, a0, -1        ld ra, 8(sp)        sd a0, 0(sp)        beq a0, a1, -8
    lui t0, 0x80000        jal ra, 16          jalr zero, 0(ra)    csrrw t0, mscratch, t0
    csrrsi zero, mstatus, 8                    lr.w a0, (a1)       amoadd.d a0, a2, (a1)
    ecall  ebreak  mret  sret  wfi  fence.i  fence  sfence.vma a0, zero

Also: a machine factory and helpers to load programs.
"""

from __future__ import annotations

import re

from oskit.machine import Machine
from oskit.machine.csr import CSR_NUMBERS

RAM = 0x8000_0000
ABI = ("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 "
       "s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6").split()  # fmt: skip
REG = {name: i for i, name in enumerate(ABI)} | {f"x{i}": i for i in range(32)} | {"fp": 8}

# Encoding tables per format: name -> (opcode, funct3, funct7) and the like (the spec's opcode map).
R = {"add": (0x33, 0, 0), "sub": (0x33, 0, 0x20), "sll": (0x33, 1, 0), "slt": (0x33, 2, 0),
     "sltu": (0x33, 3, 0), "xor": (0x33, 4, 0), "srl": (0x33, 5, 0), "sra": (0x33, 5, 0x20),
     "or": (0x33, 6, 0), "and": (0x33, 7, 0), "mul": (0x33, 0, 1), "mulh": (0x33, 1, 1),
     "mulhsu": (0x33, 2, 1), "mulhu": (0x33, 3, 1), "div": (0x33, 4, 1), "divu": (0x33, 5, 1),
     "rem": (0x33, 6, 1), "remu": (0x33, 7, 1), "addw": (0x3B, 0, 0), "subw": (0x3B, 0, 0x20),
     "sllw": (0x3B, 1, 0), "srlw": (0x3B, 5, 0), "sraw": (0x3B, 5, 0x20), "mulw": (0x3B, 0, 1),
     "divw": (0x3B, 4, 1), "divuw": (0x3B, 5, 1), "remw": (0x3B, 6, 1), "remuw": (0x3B, 7, 1)}  # fmt: skip
I = {"addi": (0x13, 0), "slti": (0x13, 2), "sltiu": (0x13, 3), "xori": (0x13, 4), "ori": (0x13, 6),
     "andi": (0x13, 7), "addiw": (0x1B, 0)}  # fmt: skip
SHIFT = {"slli": (0x13, 1, 0, 6), "srli": (0x13, 5, 0, 6), "srai": (0x13, 5, 0x10, 6),
         "slliw": (0x1B, 1, 0, 5), "srliw": (0x1B, 5, 0, 5), "sraiw": (0x1B, 5, 0x20, 5)}  # fmt: skip
LOAD = {"lb": 0, "lh": 1, "lw": 2, "ld": 3, "lbu": 4, "lhu": 5, "lwu": 6}
STORE = {"sb": 0, "sh": 1, "sw": 2, "sd": 3}
BRANCH = {"beq": 0, "bne": 1, "blt": 4, "bge": 5, "bltu": 6, "bgeu": 7}
CSR = {"csrrw": 1, "csrrs": 2, "csrrc": 3, "csrrwi": 5, "csrrsi": 6, "csrrci": 7}
AMO = {"lr": 0b00010, "sc": 0b00011, "amoswap": 0b00001, "amoadd": 0, "amoxor": 0b00100, "amoand": 0b01100,
       "amoor": 0b01000, "amomin": 0b10000, "amomax": 0b10100, "amominu": 0b11000, "amomaxu": 0b11100}  # fmt: skip
EXACT = {"ecall": 0x73, "ebreak": 0x100073, "sret": 0x10200073, "mret": 0x30200073, "wfi": 0x10500073,
         "fence.i": 0x100F, "fence": 0x0FF0000F}  # fmt: skip


def _num(s: str) -> int:
    return int(s, 0)


def _r(op, rd, rs1, rs2, f3, f7):
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op


def _i(op, rd, rs1, imm, f3):
    return ((imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op


def _s(op, rs1, rs2, imm, f3):
    imm &= 0xFFF
    return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op


def _b(rs1, rs2, imm, f3):
    imm &= 0x1FFF
    return (((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
            | ((imm >> 1) & 0xF) << 8 | ((imm >> 11) & 1) << 7 | 0x63)  # fmt: skip


def _j(rd, imm):
    imm &= 0x1FFFFF
    return (((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3FF) << 21 | ((imm >> 11) & 1) << 20
            | ((imm >> 12) & 0xFF) << 12 | rd << 7 | 0x6F)  # fmt: skip


def asm1(line: str) -> int:
    """Assemble one instruction."""
    line = line.split("#")[0].strip()
    name, _, rest = line.partition(" ")
    ops = [o.strip() for o in rest.split(",")] if rest.strip() else []
    if name in EXACT:
        return EXACT[name]
    if name in R:
        op, f3, f7 = R[name]
        return _r(op, REG[ops[0]], REG[ops[1]], REG[ops[2]], f3, f7)
    if name in I:
        op, f3 = I[name]
        return _i(op, REG[ops[0]], REG[ops[1]], _num(ops[2]), f3)
    if name in SHIFT:
        op, f3, hi, bits = SHIFT[name]
        sh = _num(ops[2])
        assert 0 <= sh < (1 << bits)
        return (hi << (26 if bits == 6 else 25)) | _i(op, REG[ops[0]], REG[ops[1]], sh, f3)
    m = re.fullmatch(r"(-?\w+)\((\w+)\)", ops[1]) if len(ops) == 2 else None
    if name in LOAD:
        return _i(0x03, REG[ops[0]], REG[m.group(2)], _num(m.group(1)), LOAD[name])
    if name in STORE:
        return _s(0x23, REG[m.group(2)], REG[ops[0]], _num(m.group(1)), STORE[name])
    if name == "jalr":
        return _i(0x67, REG[ops[0]], REG[m.group(2)], _num(m.group(1)), 0)
    if name in BRANCH:
        return _b(REG[ops[0]], REG[ops[1]], _num(ops[2]), BRANCH[name])
    if name == "jal":
        return _j(REG[ops[0]], _num(ops[1]))
    if name in ("lui", "auipc"):
        return ((_num(ops[1]) & 0xFFFFF) << 12) | (REG[ops[0]] << 7) | (0x37 if name == "lui" else 0x17)
    if name in CSR:
        csr = CSR_NUMBERS[ops[1]] if ops[1] in CSR_NUMBERS else _num(ops[1])
        src = _num(ops[2]) if name.endswith("i") else REG[ops[2]]
        return (csr << 20) | (src << 15) | (CSR[name] << 12) | (REG[ops[0]] << 7) | 0x73
    if name == "sfence.vma":
        return _r(0x73, 0, REG[ops[0]], REG[ops[1]], 0, 0b0001001)
    base, _, suffix = name.partition(".")
    if base in AMO:
        width, _, order = suffix.partition(".")
        f3 = {"w": 2, "d": 3}[width]
        aqrl = {"": 0, "rl": 1, "aq": 2, "aqrl": 3}[order]
        addr = REG[ops[-1].strip("()")]
        rs2 = 0 if base == "lr" else REG[ops[1]]
        return _r(0x2F, REG[ops[0]], addr, rs2, f3, (AMO[base] << 2) | aqrl)
    raise ValueError(f"mc_asm: cannot assemble {line!r}")


def asm(text: str) -> list[int]:
    """Assemble one instruction per non-empty line."""
    return [asm1(line) for line in text.splitlines() if line.split("#")[0].strip()]


def machine(harts: int = 1) -> Machine:
    """A small board (2 MiB of RAM) with RAM poisoned with 0xAA bytes beyond what tests write."""
    m = Machine(harts=harts, ram_mib=2)
    m.ram.data[:] = b"\xaa" * m.ram.size
    return m


def load(m: Machine, words: list[int], at: int = RAM) -> int:
    """Write instruction words at physical address at; returns at."""
    m.bus.write_bytes(at, b"".join(w.to_bytes(4, "little") for w in words))
    return at


def boot(text: str, harts: int = 1, at: int = RAM) -> tuple[Machine, object]:
    """A machine whose hart 0 is about to run the assembled text at `at` in M-mode."""
    m = machine(harts)
    load(m, asm(text), at)
    h = m.harts[0]
    h.pc = at
    return m, h
