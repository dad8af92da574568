"""The instruction table: one registry drives decoding, execution and disassembly.

Every instruction the hart knows is a small Python function registered with
the ``@instruction`` decorator, which records:

    name        the assembler mnemonic ("addi", "amoswap.d", ...)
    fmt         the operand format (see FORMATS): which fields exist and how they print
    mask/match  the encoding: word & mask == match
    kind        what the fast path needs to know ("alu", "load", "store", "branch",
                "jump", "amo", "csr", "system", "fence")
    fn          the semantics: fn(h, x, rd, rs1, rs2, imm, pc) -> next pc, or None for pc + 4

    >>> [i.name for i in INSTRUCTIONS][:3]
    ['lui', 'auipc', 'jal']
    >>> decode(0xFF010113)            # addi sp, sp, -16
    Decoded(op=addi, rd=2, rs1=2, rs2=16, imm=-16)
    >>> disassemble(0xFF010113)
    'addi sp, sp, -16'

The plain interpreter (cpu.Hart.step) calls ``fn`` with the decoded fields.
The fast path (cpu.py, "blocks") reads the *source* of the same functions and
pastes their bodies, with the fields turned into constants, into one Python
function per basic block. So a function body here must be plain statements
over ``h`` (the hart), ``x`` (its registers, a list of 32 unsigned 64-bit
ints), the fields rd, rs1, rs2, imm and pc, and the helpers of this module;
a body that writes a register writes it as the last statement ``x[rd] = ...``
(so writes to x0 can be dropped), and a control-transfer body returns the
target.

Encoding layouts (bit 31 on the left):

    R   funct7[31:25] rs2[24:20] rs1[19:15] funct3[14:12] rd[11:7] opcode[6:0]
    I   imm[11:0][31:20]         rs1        funct3        rd       opcode
    S   imm[11:5][31:25] rs2     rs1        funct3   imm[4:0][11:7] opcode
    B   imm[12|10:5][31:25] rs2  rs1        funct3   imm[4:1|11][11:7] opcode
    U   imm[31:12][31:12]                                  rd       opcode
    J   imm[20|10:1|11|19:12][31:12]                       rd       opcode

Instructions outside RV64IMA + Zicsr + Zifencei + the privileged ones (the C,
F, D, V extensions and any unknown encoding) do not decode: the hart raises an
illegal-instruction trap with the instruction bits in xtval.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, NamedTuple

from oskit.machine import choices
from oskit.machine.csr import CSR_NAMES
from oskit.machine.trap import Breakpoint, EnvironmentCall, IllegalInstruction, InstructionAddressMisaligned

M64 = 0xFFFF_FFFF_FFFF_FFFF  # registers hold unsigned 64-bit values
M32 = 0xFFFF_FFFF
SB = 1 << 63  # x ^ SB orders unsigned values as signed ones: (a ^ SB) < (b ^ SB) is signed a < b

ABI_NAMES = (
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
    "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
    "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6",
)  # fmt: skip


def _sext(value: int, bits: int) -> int:
    """The two's-complement value of the low `bits` bits of value."""
    sign = 1 << (bits - 1)
    return ((value & ((1 << bits) - 1)) ^ sign) - sign


# -- immediates: bit layouts of each format ------------------------------------------------


def imm_i(w: int) -> int:
    """I-type: imm[11:0] = w[31:20], sign-extended."""
    return _sext(w >> 20, 12)


def imm_s(w: int) -> int:
    """S-type: imm[11:5] = w[31:25], imm[4:0] = w[11:7]."""
    return _sext(((w >> 25) << 5) | ((w >> 7) & 0x1F), 12)


def imm_b(w: int) -> int:
    """B-type: imm[12] = w[31], imm[10:5] = w[30:25], imm[4:1] = w[11:8], imm[11] = w[7]."""
    v = ((w >> 31) & 1) << 12 | ((w >> 7) & 1) << 11 | ((w >> 25) & 0x3F) << 5 | ((w >> 8) & 0xF) << 1
    return _sext(v, 13)


def imm_u(w: int) -> int:
    """U-type: imm[31:12] = w[31:12], low 12 bits zero, sign-extended to 64 bits."""
    return _sext(w & 0xFFFFF000, 32)


def imm_j(w: int) -> int:
    """J-type: imm[20] = w[31], imm[10:1] = w[30:21], imm[11] = w[20], imm[19:12] = w[19:12]."""
    v = ((w >> 31) & 1) << 20 | ((w >> 12) & 0xFF) << 12 | ((w >> 20) & 1) << 11 | ((w >> 21) & 0x3FF) << 1
    return _sext(v, 21)


# fmt -> (function from the word to imm, operand layout for disassembly)
FORMATS: dict[str, tuple[Callable[[int], int], str]] = {
    "R": (lambda w: 0, "{rd}, {rs1}, {rs2}"),
    "I": (imm_i, "{rd}, {rs1}, {imm}"),
    "SHIFT": (lambda w: (w >> 20) & 0x3F, "{rd}, {rs1}, {imm}"),  # shamt[5:0] = w[25:20]
    "SHIFTW": (lambda w: (w >> 20) & 0x1F, "{rd}, {rs1}, {imm}"),  # shamt[4:0] = w[24:20]
    "LOAD": (imm_i, "{rd}, {imm}({rs1})"),
    "STORE": (imm_s, "{rs2}, {imm}({rs1})"),
    "B": (imm_b, "{rs1}, {rs2}, {target}"),
    "U": (lambda w: imm_u(w), "{rd}, {upper}"),
    "J": (imm_j, "{rd}, {target}"),
    "JALR": (imm_i, "{rd}, {imm}({rs1})"),
    "CSR": (lambda w: w >> 20, "{rd}, {csr}, {rs1}"),  # csr[11:0] = w[31:20]
    "CSRI": (lambda w: w >> 20, "{rd}, {csr}, {uimm}"),  # uimm[4:0] in the rs1 field
    "AMO": (lambda w: (w >> 25) & 3, "{rd}, {rs2}, ({rs1})"),  # imm = aq[26] rl[25]
    "LR": (lambda w: (w >> 25) & 3, "{rd}, ({rs1})"),
    "FENCE": (lambda w: (w >> 20) & 0xFF, "{fence}"),  # pred[27:24] succ[23:20]
    "SFENCE": (lambda w: 0, "{rs1}, {rs2}"),
    "NONE": (lambda w: 0, ""),
}


@dataclass(frozen=True, eq=False)
class Instruction:
    """One entry of the instruction table."""

    name: str
    fmt: str
    mask: int
    match: int
    kind: str
    fn: Callable
    size: int = 0  # bytes accessed, for loads, stores and AMOs
    signed: bool = False  # loads: sign-extend the value

    def __repr__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        """The Python source of the semantics (what the fast path pastes into blocks)."""
        return inspect.getsource(self.fn)


class Decoded(NamedTuple):
    """An instruction word split into its fields (fields a format lacks are still extracted)."""

    op: Instruction
    rd: int
    rs1: int
    rs2: int
    imm: int


INSTRUCTIONS: list[Instruction] = []
"""The registry, in definition order: every instruction this machine executes."""

BY_NAME: dict[str, Instruction] = {}
_BY_OPCODE: dict[int, list[Instruction]] = {}


def instruction(name: str, fmt: str, *, opcode: int, funct3: int | None = None, funct7: int | None = None,
                funct6: int | None = None, funct5: int | None = None, exact: int | None = None,
                rs2: int | None = None, rd: int | None = None, kind: str = "alu", size: int = 0,
                signed: bool = False):  # fmt: skip
    """Register the decorated semantics function as instruction `name`.

    The encoding is given by fields: opcode[6:0], funct3[14:12], funct7[31:25],
    funct6[31:26] (64-bit shifts), funct5[31:27] (AMOs), a fixed rs2 or rd,
    or an exact 32-bit word (ecall, mret, ...).
    """
    if fmt not in FORMATS:
        raise ValueError(f"instruction {name!r}: unknown format {fmt!r}, expected one of {', '.join(FORMATS)}")
    mask, match = 0x7F, opcode
    for value, shift, width in ((funct3, 12, 3), (funct7, 25, 7), (funct6, 26, 6), (funct5, 27, 5),
                                (rs2, 20, 5), (rd, 7, 5)):  # fmt: skip
        if value is not None:
            mask |= ((1 << width) - 1) << shift
            match |= value << shift
    if exact is not None:
        mask, match = M32, exact

    def register(fn: Callable) -> Callable:
        if name in BY_NAME:
            raise ValueError(f"instruction {name!r} is registered twice")
        op = Instruction(name, fmt, mask, match, kind, fn, size, signed)
        for other in _BY_OPCODE.get(opcode, []):
            if (other.match & mask) == (match & other.mask):
                raise ValueError(f"instruction {name!r}: encoding overlaps {other.name!r}")
        INSTRUCTIONS.append(op)
        BY_NAME[name] = op
        _BY_OPCODE.setdefault(opcode, []).append(op)
        return fn

    return register


# -- decoding ------------------------------------------------------------------------------

_cache: dict[int, Decoded | None] = {}


def decode(word: int) -> Decoded | None:
    """The instruction in a 32-bit word, or None when it is not one this machine has.

    Results are cached by the word itself, so a cached entry never goes stale
    when memory changes.
    """
    try:
        return _cache[word]
    except KeyError:
        pass
    found = None
    if word & 3 == 3:  # the two low bits 11 mark a 32-bit instruction; anything else is C
        for op in _BY_OPCODE.get(word & 0x7F, ()):
            if word & op.mask == op.match:
                found = Decoded(op, (word >> 7) & 31, (word >> 15) & 31, (word >> 20) & 31, FORMATS[op.fmt][0](word))
                break
    if len(_cache) > 1 << 16:
        _cache.clear()
    _cache[word] = found
    return found


# -- disassembly ---------------------------------------------------------------------------


def _fence_set(bits: int) -> str:
    return "".join(c for c, b in zip("iorw", (8, 4, 2, 1)) if bits & b) or "0"


def disassemble(word: int, pc: int | None = None, aliases: bool = False) -> str:
    """GNU-style assembly for word, with ABI register names: e.g. 'ld ra, 8(sp)'.

    Branch and jump targets print as an absolute address when pc is given
    ('beq a0, a1, 0x80000010'), else as the signed offset. A word that is
    not an instruction of this machine prints as '.word 0x...'. With
    aliases=True the usual pseudo-instructions replace their expansion, as
    objdump prints by default: 'ret' for 'jalr zero, 0(ra)', 'li a0, 5',
    'mv', 'j', 'beqz', 'csrr', ... (see ALIASES).
    """
    d = decode(word)
    if d is None:
        return f".word {word:#010x}"
    op = d.op
    target = f"{(pc + d.imm) & M64:#x}" if pc is not None else str(d.imm)
    fields = {
        "rd": ABI_NAMES[d.rd], "rs1": ABI_NAMES[d.rs1], "rs2": ABI_NAMES[d.rs2], "imm": d.imm,
        "target": target, "upper": f"{(d.imm >> 12) & 0xFFFFF:#x}", "uimm": d.rs1,
        "csr": CSR_NAMES.get(d.imm, f"{d.imm:#x}"),
    }  # fmt: skip
    if aliases:
        text = _alias(word, d, fields)
        if text is not None:
            return text
    if op.fmt == "NONE":
        return op.name
    if op.fmt == "FENCE":
        pred, succ = (d.imm >> 4) & 15, d.imm & 15
        return f"fence {_fence_set(pred)}, {_fence_set(succ)}"
    name = op.name
    if op.kind == "amo" and d.imm:
        name += {1: ".rl", 2: ".aq", 3: ".aqrl"}[d.imm]
    return f"{name} " + FORMATS[op.fmt][1].format(**fields)


# Pseudo-instructions: (instruction, condition on the fields) -> the text that replaces it.
# The first matching row wins.
ALIASES: list[tuple[str, Callable[[Decoded], bool], str]] = [
    ("addi", lambda d: d.rd == 0 and d.rs1 == 0 and d.imm == 0, "nop"),
    ("addi", lambda d: d.rs1 == 0 and d.rd != 0, "li {rd}, {imm}"),
    ("addi", lambda d: d.imm == 0, "mv {rd}, {rs1}"),
    ("addiw", lambda d: d.imm == 0, "sext.w {rd}, {rs1}"),
    ("xori", lambda d: d.imm == -1, "not {rd}, {rs1}"),
    ("sub", lambda d: d.rs1 == 0, "neg {rd}, {rs2}"),
    ("subw", lambda d: d.rs1 == 0, "negw {rd}, {rs2}"),
    ("sltiu", lambda d: d.imm == 1, "seqz {rd}, {rs1}"),
    ("sltu", lambda d: d.rs1 == 0, "snez {rd}, {rs2}"),
    ("slt", lambda d: d.rs2 == 0, "sltz {rd}, {rs1}"),
    ("slt", lambda d: d.rs1 == 0, "sgtz {rd}, {rs2}"),
    ("beq", lambda d: d.rs2 == 0, "beqz {rs1}, {target}"),
    ("bne", lambda d: d.rs2 == 0, "bnez {rs1}, {target}"),
    ("bge", lambda d: d.rs1 == 0, "blez {rs2}, {target}"),
    ("bge", lambda d: d.rs2 == 0, "bgez {rs1}, {target}"),
    ("blt", lambda d: d.rs2 == 0, "bltz {rs1}, {target}"),
    ("blt", lambda d: d.rs1 == 0, "bgtz {rs2}, {target}"),
    ("jal", lambda d: d.rd == 0, "j {target}"),
    ("jal", lambda d: d.rd == 1, "jal {target}"),
    ("jalr", lambda d: d.rd == 0 and d.rs1 == 1 and d.imm == 0, "ret"),
    ("jalr", lambda d: d.rd == 0 and d.imm == 0, "jr {rs1}"),
    ("jalr", lambda d: d.rd == 1 and d.imm == 0, "jalr {rs1}"),
    ("csrrs", lambda d: d.rs1 == 0 and d.imm == 0xC00, "rdcycle {rd}"),
    ("csrrs", lambda d: d.rs1 == 0 and d.imm == 0xC01, "rdtime {rd}"),
    ("csrrs", lambda d: d.rs1 == 0 and d.imm == 0xC02, "rdinstret {rd}"),
    ("csrrs", lambda d: d.rs1 == 0, "csrr {rd}, {csr}"),
    ("csrrw", lambda d: d.rd == 0, "csrw {csr}, {rs1}"),
    ("csrrs", lambda d: d.rd == 0, "csrs {csr}, {rs1}"),
    ("csrrc", lambda d: d.rd == 0, "csrc {csr}, {rs1}"),
    ("csrrwi", lambda d: d.rd == 0, "csrwi {csr}, {uimm}"),
    ("csrrsi", lambda d: d.rd == 0, "csrsi {csr}, {uimm}"),
    ("csrrci", lambda d: d.rd == 0, "csrci {csr}, {uimm}"),
    ("fence", lambda d: d.imm == 0xFF, "fence"),
    ("sfence.vma", lambda d: d.rs1 == 0 and d.rs2 == 0, "sfence.vma"),
    ("sfence.vma", lambda d: d.rs2 == 0, "sfence.vma {rs1}"),
]


def _alias(word: int, d: Decoded, fields: dict) -> str | None:
    if word == 0xC000_1073:
        return "unimp"  # csrrw zero, cycle, zero: the canonical "unimplemented" trap
    for name, when, text in ALIASES:
        if d.op.name == name and when(d):
            return text.format(**fields)
    return None


# -- helpers the semantics use (also available inside generated blocks) --------------------


def div64(a: int, b: int) -> int:
    """Signed 64-bit division rounding toward zero; /0 gives -1, overflow gives the dividend."""
    if b == 0:
        return M64
    a, b = (a ^ SB) - SB, (b ^ SB) - SB
    if a == -SB and b == -1:
        return SB  # -2**63 / -1 overflows: the result is -2**63
    q = abs(a) // abs(b)
    return (q if (a < 0) == (b < 0) else -q) & M64


def rem64(a: int, b: int) -> int:
    """Signed 64-bit remainder (sign of the dividend); %0 gives the dividend, overflow gives 0."""
    if b == 0:
        return a
    a, b = (a ^ SB) - SB, (b ^ SB) - SB
    if a == -SB and b == -1:
        return 0
    r = abs(a) % abs(b)
    return (r if a >= 0 else -r) & M64


def divu64(a: int, b: int) -> int:
    """Unsigned division; /0 gives all ones."""
    return a // b if b else M64


def remu64(a: int, b: int) -> int:
    """Unsigned remainder; %0 gives the dividend."""
    return a % b if b else a


def sext32(v: int) -> int:
    """The low 32 bits of v, sign-extended to an unsigned 64-bit register value."""
    return (((v & M32) ^ 0x8000_0000) - 0x8000_0000) & M64


def divw(a: int, b: int) -> int:
    """divw: signed 32-bit division of the low words, result sign-extended."""
    a, b = sext32(a), sext32(b)
    if b == M64:  # avoid the 64-bit overflow case: -2**31 / -1 = 2**31, which wraps to -2**31
        return sext32(-((a ^ SB) - SB))
    return sext32(div64(a, b))


def remw(a: int, b: int) -> int:
    """remw: signed 32-bit remainder, result sign-extended."""
    a, b = sext32(a), sext32(b)
    return sext32(rem64(a, b))


def divuw(a: int, b: int) -> int:
    """divuw: unsigned 32-bit division, result sign-extended."""
    return sext32(divu64(a & M32, b & M32) if b & M32 else M64)


def remuw(a: int, b: int) -> int:
    """remuw: unsigned 32-bit remainder, result sign-extended."""
    return sext32(remu64(a & M32, b & M32))


# AMO combining functions: (old value in memory, rs2 value, width in bits) -> new value.
def amo_swap(old, src, bits):
    return src


def amo_add(old, src, bits):
    return old + src


def amo_xor(old, src, bits):
    return old ^ src


def amo_and(old, src, bits):
    return old & src


def amo_or(old, src, bits):
    return old | src


def amo_min(old, src, bits):
    return min(_sext(old, bits), _sext(src, bits))


def amo_max(old, src, bits):
    return max(_sext(old, bits), _sext(src, bits))


def amo_minu(old, src, bits):
    mask = (1 << bits) - 1
    return min(old & mask, src & mask)


def amo_maxu(old, src, bits):
    mask = (1 << bits) - 1
    return max(old & mask, src & mask)


# -- the table: RV64I -------------------------------------------------------------------
# Bodies use: h (the hart), x (registers), rd rs1 rs2 imm pc (fields), and the helpers above.


@instruction("lui", "U", opcode=0b0110111)
def lui(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = imm & M64


@instruction("auipc", "U", opcode=0b0010111)
def auipc(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (pc + imm) & M64


@instruction("jal", "J", opcode=0b1101111, kind="jump")
def jal(h, x, rd, rs1, rs2, imm, pc):
    t = (pc + imm) & M64
    if t & 3:
        raise InstructionAddressMisaligned(t)
    x[rd] = (pc + 4) & M64
    return t


@instruction("jalr", "JALR", opcode=0b1100111, funct3=0, kind="jump")
def jalr(h, x, rd, rs1, rs2, imm, pc):
    t = (x[rs1] + imm) & (M64 - 1)  # the target's bit 0 is cleared
    if t & 3:
        raise InstructionAddressMisaligned(t)
    x[rd] = (pc + 4) & M64
    return t


@instruction("beq", "B", opcode=0b1100011, funct3=0b000, kind="branch")
def beq(h, x, rd, rs1, rs2, imm, pc):
    if x[rs1] == x[rs2]:
        t = (pc + imm) & M64
        if t & 3:
            raise InstructionAddressMisaligned(t)
        return t


@instruction("bne", "B", opcode=0b1100011, funct3=0b001, kind="branch")
def bne(h, x, rd, rs1, rs2, imm, pc):
    if x[rs1] != x[rs2]:
        t = (pc + imm) & M64
        if t & 3:
            raise InstructionAddressMisaligned(t)
        return t


@instruction("blt", "B", opcode=0b1100011, funct3=0b100, kind="branch")
def blt(h, x, rd, rs1, rs2, imm, pc):
    if x[rs1] ^ SB < x[rs2] ^ SB:
        t = (pc + imm) & M64
        if t & 3:
            raise InstructionAddressMisaligned(t)
        return t


@instruction("bge", "B", opcode=0b1100011, funct3=0b101, kind="branch")
def bge(h, x, rd, rs1, rs2, imm, pc):
    if x[rs1] ^ SB >= x[rs2] ^ SB:
        t = (pc + imm) & M64
        if t & 3:
            raise InstructionAddressMisaligned(t)
        return t


@instruction("bltu", "B", opcode=0b1100011, funct3=0b110, kind="branch")
def bltu(h, x, rd, rs1, rs2, imm, pc):
    if x[rs1] < x[rs2]:
        t = (pc + imm) & M64
        if t & 3:
            raise InstructionAddressMisaligned(t)
        return t


@instruction("bgeu", "B", opcode=0b1100011, funct3=0b111, kind="branch")
def bgeu(h, x, rd, rs1, rs2, imm, pc):
    if x[rs1] >= x[rs2]:
        t = (pc + imm) & M64
        if t & 3:
            raise InstructionAddressMisaligned(t)
        return t


@instruction("lb", "LOAD", opcode=0b0000011, funct3=0b000, kind="load", size=1, signed=True)
def lb(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((h.load((x[rs1] + imm) & M64, 1) ^ 0x80) - 0x80) & M64


@instruction("lh", "LOAD", opcode=0b0000011, funct3=0b001, kind="load", size=2, signed=True)
def lh(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((h.load((x[rs1] + imm) & M64, 2) ^ 0x8000) - 0x8000) & M64


@instruction("lw", "LOAD", opcode=0b0000011, funct3=0b010, kind="load", size=4, signed=True)
def lw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = sext32(h.load((x[rs1] + imm) & M64, 4))


@instruction("ld", "LOAD", opcode=0b0000011, funct3=0b011, kind="load", size=8)
def ld(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.load((x[rs1] + imm) & M64, 8)


@instruction("lbu", "LOAD", opcode=0b0000011, funct3=0b100, kind="load", size=1)
def lbu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.load((x[rs1] + imm) & M64, 1)


@instruction("lhu", "LOAD", opcode=0b0000011, funct3=0b101, kind="load", size=2)
def lhu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.load((x[rs1] + imm) & M64, 2)


@instruction("lwu", "LOAD", opcode=0b0000011, funct3=0b110, kind="load", size=4)
def lwu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.load((x[rs1] + imm) & M64, 4)


@instruction("sb", "STORE", opcode=0b0100011, funct3=0b000, kind="store", size=1)
def sb(h, x, rd, rs1, rs2, imm, pc):
    h.store((x[rs1] + imm) & M64, 1, x[rs2] & 0xFF)


@instruction("sh", "STORE", opcode=0b0100011, funct3=0b001, kind="store", size=2)
def sh(h, x, rd, rs1, rs2, imm, pc):
    h.store((x[rs1] + imm) & M64, 2, x[rs2] & 0xFFFF)


@instruction("sw", "STORE", opcode=0b0100011, funct3=0b010, kind="store", size=4)
def sw(h, x, rd, rs1, rs2, imm, pc):
    h.store((x[rs1] + imm) & M64, 4, x[rs2] & M32)


@instruction("sd", "STORE", opcode=0b0100011, funct3=0b011, kind="store", size=8)
def sd(h, x, rd, rs1, rs2, imm, pc):
    h.store((x[rs1] + imm) & M64, 8, x[rs2])


@instruction("addi", "I", opcode=0b0010011, funct3=0b000)
def addi(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (x[rs1] + imm) & M64


@instruction("slti", "I", opcode=0b0010011, funct3=0b010)
def slti(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = int(x[rs1] ^ SB < (imm & M64) ^ SB)


@instruction("sltiu", "I", opcode=0b0010011, funct3=0b011)
def sltiu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = int(x[rs1] < imm & M64)


@instruction("xori", "I", opcode=0b0010011, funct3=0b100)
def xori(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] ^ (imm & M64)


@instruction("ori", "I", opcode=0b0010011, funct3=0b110)
def ori(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] | (imm & M64)


@instruction("andi", "I", opcode=0b0010011, funct3=0b111)
def andi(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] & imm & M64


@instruction("slli", "SHIFT", opcode=0b0010011, funct3=0b001, funct6=0b000000)
def slli(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (x[rs1] << imm) & M64


@instruction("srli", "SHIFT", opcode=0b0010011, funct3=0b101, funct6=0b000000)
def srli(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] >> imm


@instruction("srai", "SHIFT", opcode=0b0010011, funct3=0b101, funct6=0b010000)
def srai(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (((x[rs1] ^ SB) - SB) >> imm) & M64


@instruction("add", "R", opcode=0b0110011, funct3=0b000, funct7=0b0000000)
def add(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (x[rs1] + x[rs2]) & M64


@instruction("sub", "R", opcode=0b0110011, funct3=0b000, funct7=0b0100000)
def sub(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (x[rs1] - x[rs2]) & M64


@instruction("sll", "R", opcode=0b0110011, funct3=0b001, funct7=0b0000000)
def sll(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (x[rs1] << (x[rs2] & 63)) & M64


@instruction("slt", "R", opcode=0b0110011, funct3=0b010, funct7=0b0000000)
def slt(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = int(x[rs1] ^ SB < x[rs2] ^ SB)


@instruction("sltu", "R", opcode=0b0110011, funct3=0b011, funct7=0b0000000)
def sltu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = int(x[rs1] < x[rs2])


@instruction("xor", "R", opcode=0b0110011, funct3=0b100, funct7=0b0000000)
def xor(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] ^ x[rs2]


@instruction("srl", "R", opcode=0b0110011, funct3=0b101, funct7=0b0000000)
def srl(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] >> (x[rs2] & 63)


@instruction("sra", "R", opcode=0b0110011, funct3=0b101, funct7=0b0100000)
def sra(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (((x[rs1] ^ SB) - SB) >> (x[rs2] & 63)) & M64


@instruction("or", "R", opcode=0b0110011, funct3=0b110, funct7=0b0000000)
def or_(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] | x[rs2]


@instruction("and", "R", opcode=0b0110011, funct3=0b111, funct7=0b0000000)
def and_(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = x[rs1] & x[rs2]


# -- RV64I: the 32-bit "W" forms (compute on the low word, sign-extend the result) ---------


@instruction("addiw", "I", opcode=0b0011011, funct3=0b000)
def addiw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] + imm) & M32) ^ 0x8000_0000) - 0x8000_0000) & M64


@instruction("slliw", "SHIFTW", opcode=0b0011011, funct3=0b001, funct7=0b0000000)
def slliw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] << imm) & M32) ^ 0x8000_0000) - 0x8000_0000) & M64


@instruction("srliw", "SHIFTW", opcode=0b0011011, funct3=0b101, funct7=0b0000000)
def srliw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] & M32) >> imm) ^ 0x8000_0000) - 0x8000_0000) & M64


@instruction("sraiw", "SHIFTW", opcode=0b0011011, funct3=0b101, funct7=0b0100000)
def sraiw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] & M32) ^ 0x8000_0000) - 0x8000_0000) >> imm) & M64


@instruction("addw", "R", opcode=0b0111011, funct3=0b000, funct7=0b0000000)
def addw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] + x[rs2]) & M32) ^ 0x8000_0000) - 0x8000_0000) & M64


@instruction("subw", "R", opcode=0b0111011, funct3=0b000, funct7=0b0100000)
def subw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] - x[rs2]) & M32) ^ 0x8000_0000) - 0x8000_0000) & M64


@instruction("sllw", "R", opcode=0b0111011, funct3=0b001, funct7=0b0000000)
def sllw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] << (x[rs2] & 31)) & M32) ^ 0x8000_0000) - 0x8000_0000) & M64


@instruction("srlw", "R", opcode=0b0111011, funct3=0b101, funct7=0b0000000)
def srlw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] & M32) >> (x[rs2] & 31)) ^ 0x8000_0000) - 0x8000_0000) & M64


@instruction("sraw", "R", opcode=0b0111011, funct3=0b101, funct7=0b0100000)
def sraw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] & M32) ^ 0x8000_0000) - 0x8000_0000) >> (x[rs2] & 31)) & M64


# -- M: multiplication and division (division by zero and overflow never trap) ------------


@instruction("mul", "R", opcode=0b0110011, funct3=0b000, funct7=0b0000001)
def mul(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (x[rs1] * x[rs2]) & M64


@instruction("mulh", "R", opcode=0b0110011, funct3=0b001, funct7=0b0000001)
def mulh(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] ^ SB) - SB) * ((x[rs2] ^ SB) - SB)) >> 64) & M64


@instruction("mulhsu", "R", opcode=0b0110011, funct3=0b010, funct7=0b0000001)
def mulhsu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = ((((x[rs1] ^ SB) - SB) * x[rs2]) >> 64) & M64


@instruction("mulhu", "R", opcode=0b0110011, funct3=0b011, funct7=0b0000001)
def mulhu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = (x[rs1] * x[rs2]) >> 64


@instruction("div", "R", opcode=0b0110011, funct3=0b100, funct7=0b0000001)
def div(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = div64(x[rs1], x[rs2])


@instruction("divu", "R", opcode=0b0110011, funct3=0b101, funct7=0b0000001)
def divu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = divu64(x[rs1], x[rs2])


@instruction("rem", "R", opcode=0b0110011, funct3=0b110, funct7=0b0000001)
def rem(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = rem64(x[rs1], x[rs2])


@instruction("remu", "R", opcode=0b0110011, funct3=0b111, funct7=0b0000001)
def remu(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = remu64(x[rs1], x[rs2])


@instruction("mulw", "R", opcode=0b0111011, funct3=0b000, funct7=0b0000001)
def mulw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = sext32(x[rs1] * x[rs2])


@instruction("divw", "R", opcode=0b0111011, funct3=0b100, funct7=0b0000001)
def divw_(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = divw(x[rs1], x[rs2])


@instruction("divuw", "R", opcode=0b0111011, funct3=0b101, funct7=0b0000001)
def divuw_(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = divuw(x[rs1], x[rs2])


@instruction("remw", "R", opcode=0b0111011, funct3=0b110, funct7=0b0000001)
def remw_(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = remw(x[rs1], x[rs2])


@instruction("remuw", "R", opcode=0b0111011, funct3=0b111, funct7=0b0000001)
def remuw_(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = remuw(x[rs1], x[rs2])


# -- A: load-reserved / store-conditional and atomic memory operations ---------------------
# funct5 in bits 31:27, aq bit 26, rl bit 25 (ignored: one hart runs at a time),
# funct3 = 010 for .w (32 bits, results sign-extended) and 011 for .d.


@instruction("lr.w", "LR", opcode=0b0101111, funct3=0b010, funct5=0b00010, rs2=0, kind="amo", size=4)
def lr_w(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = sext32(h.load_reserved(x[rs1], 4))


@instruction("sc.w", "AMO", opcode=0b0101111, funct3=0b010, funct5=0b00011, kind="amo", size=4)
def sc_w(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.store_conditional(x[rs1], 4, x[rs2] & M32)


@instruction("lr.d", "LR", opcode=0b0101111, funct3=0b011, funct5=0b00010, rs2=0, kind="amo", size=8)
def lr_d(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.load_reserved(x[rs1], 8)


@instruction("sc.d", "AMO", opcode=0b0101111, funct3=0b011, funct5=0b00011, kind="amo", size=8)
def sc_d(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.store_conditional(x[rs1], 8, x[rs2])


def _amo(name: str, funct5: int, combine: Callable) -> None:
    """Register name.w and name.d: old = mem[rs1]; mem[rs1] = combine(old, rs2); rd = old."""

    @instruction(name + ".w", "AMO", opcode=0b0101111, funct3=0b010, funct5=funct5, kind="amo", size=4)
    def amo_w(h, x, rd, rs1, rs2, imm, pc):
        x[rd] = sext32(h.amo(x[rs1], 4, combine, x[rs2]))

    @instruction(name + ".d", "AMO", opcode=0b0101111, funct3=0b011, funct5=funct5, kind="amo", size=8)
    def amo_d(h, x, rd, rs1, rs2, imm, pc):
        x[rd] = h.amo(x[rs1], 8, combine, x[rs2])


_amo("amoswap", 0b00001, amo_swap)
_amo("amoadd", 0b00000, amo_add)
_amo("amoxor", 0b00100, amo_xor)
_amo("amoand", 0b01100, amo_and)
_amo("amoor", 0b01000, amo_or)
_amo("amomin", 0b10000, amo_min)
_amo("amomax", 0b10100, amo_max)
_amo("amominu", 0b11000, amo_minu)
_amo("amomaxu", 0b11100, amo_maxu)


# -- fences --------------------------------------------------------------------------------


@instruction("fence", "FENCE", opcode=0b0001111, funct3=0b000, kind="fence")
def fence(h, x, rd, rs1, rs2, imm, pc):
    # One hart runs at a time and memory has no caches: nothing to order. fm, rd and rs1 are not
    # decoded: a fence with reserved values there is an ordinary fence, as the spec asks.
    pass


@instruction("fence.i", "NONE", opcode=0b0001111, funct3=0b001, kind="system")
def fence_i(h, x, rd, rs1, rs2, imm, pc):
    h.fence_i()


# -- Zicsr: imm is the CSR number; the op is 0 write, 1 set bits, 2 clear bits -------------
# csrrw with rd = x0 does not read the CSR; csrrs/csrrc with rs1 = x0 (or uimm = 0) do not write it.


@instruction("csrrw", "CSR", opcode=0b1110011, funct3=0b001, kind="csr")
def csrrw(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.csr_instruction(imm, 0, x[rs1], rd != 0, True)


@instruction("csrrs", "CSR", opcode=0b1110011, funct3=0b010, kind="csr")
def csrrs(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.csr_instruction(imm, 1, x[rs1], True, rs1 != 0)


@instruction("csrrc", "CSR", opcode=0b1110011, funct3=0b011, kind="csr")
def csrrc(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.csr_instruction(imm, 2, x[rs1], True, rs1 != 0)


@instruction("csrrwi", "CSRI", opcode=0b1110011, funct3=0b101, kind="csr")
def csrrwi(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.csr_instruction(imm, 0, rs1, rd != 0, True)


@instruction("csrrsi", "CSRI", opcode=0b1110011, funct3=0b110, kind="csr")
def csrrsi(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.csr_instruction(imm, 1, rs1, True, rs1 != 0)


@instruction("csrrci", "CSRI", opcode=0b1110011, funct3=0b111, kind="csr")
def csrrci(h, x, rd, rs1, rs2, imm, pc):
    x[rd] = h.csr_instruction(imm, 2, rs1, True, rs1 != 0)


# -- system: traps, trap returns, waiting, address-translation fences ----------------------


@instruction("ecall", "NONE", opcode=0b1110011, exact=0x0000_0073, kind="system")
def ecall(h, x, rd, rs1, rs2, imm, pc):
    raise EnvironmentCall(h.priv)


@instruction("ebreak", "NONE", opcode=0b1110011, exact=0x0010_0073, kind="system")
def ebreak(h, x, rd, rs1, rs2, imm, pc):
    raise Breakpoint(pc if choices.EBREAK_TVAL == "pc" else 0)


@instruction("sret", "NONE", opcode=0b1110011, exact=0x1020_0073, kind="system")
def sret(h, x, rd, rs1, rs2, imm, pc):
    return h.xret("sret")


@instruction("mret", "NONE", opcode=0b1110011, exact=0x3020_0073, kind="system")
def mret(h, x, rd, rs1, rs2, imm, pc):
    return h.xret("mret")


@instruction("wfi", "NONE", opcode=0b1110011, exact=0x1050_0073, kind="system")
def wfi(h, x, rd, rs1, rs2, imm, pc):
    h.wfi()


@instruction("sfence.vma", "SFENCE", opcode=0b1110011, funct3=0b000, funct7=0b0001001, rd=0, kind="system")
def sfence_vma(h, x, rd, rs1, rs2, imm, pc):
    # rs1 = x0 means every address, rs2 = x0 every address space.
    h.sfence_vma(x[rs1] if rs1 else None, x[rs2] if rs2 else None)


def instruction_bits(word: int) -> int:
    """The bits of the instruction that begins with this word, as xtval reports them.

    Bits 1:0 other than 11 mean a 16-bit encoding (the C extension's, which this
    machine lacks): the instruction is the low half only. (Priv. spec 3.1.16:
    xtval holds the shortest of the faulting instruction and its first ILEN bits.)
    """
    return word & 0xFFFF if word & 3 != 3 else word & M32


def illegal(word: int) -> IllegalInstruction:
    """The trap for a word that does not decode (tval = its bits, 16 or 32 of them; cpu.Hart._step
    applies choices.ILLEGAL_INSTRUCTION_TVAL)."""
    return IllegalInstruction(instruction_bits(word))
