"""Random test programs: sequences of RV64IMA + Zicsr instructions, and the harness that runs them.

A Sequence is one random program with the state it starts from: a privilege
mode (M, S or U), Sv39 on or off (page tables with random permissions, so page
faults happen; in M, MPRV with MPP = S or U), trap delegation to S, initial
registers, and two pages of random data. Its instructions: ALU and M (with
the division corner cases among the register values), loads and stores
around the data pages, AMOs and LR/SC, CSR accesses, ecall, ebreak, illegal
encodings, xRET and wfi where they trap, forward branches and jumps (some to
misaligned targets), and counted loops (so the fast path translates some of
it). Its last instruction is an ``ecall`` that ends it. Sequence(seed) is a
pure function of the seed (and of this file): ``python tools/qemudiff.py
--seed S --count 1 --show`` rebuilds it.

A Batch lays many sequences out in physical memory, one 64 KiB slot each, and
adds the harness, M-mode code that runs them one after another:

    0x8000_0000  harness: _start, the driver loop, the M and S trap handlers,
                 the result writer (QEMU only: semihosting), tohost
    0x8010_0000  slot 0, then slot 1 at +0x1_0000, ...

    slot + 0x0000  context page (the harness's; tp points here, always)
             +0x000  INIT[32]    registers the sequence starts with
             +0x100  REGS[32]    registers at the last trap; at the end, the final registers
             +0x200  SATP MEDELEG MSTATUS ENTRY END   how the driver starts the sequence
             +0x240  CSRS        CSRs at the end (FINAL_CSRS)
             +0x2C0  COUNT       traps taken (the log keeps the first LOG_ENTRIES)
             +0x300  LOG[32]     per trap: cause, tval, epc, status | HANDLED_BY_S
         + 0x1000  code: two pages; the sequence starts CODE_OFFSET bytes into the first and
                   ends in the second (with Sv39 that page may not be executable: fetch faults)
         + 0x3000  D0, + 0x4000 D1: the data pages (random bytes); + 0x5000 zeros (ZEROS)
         + 0x6000  root page table, + 0x7000 level 1, + 0x8000 level 0

With Sv39 on, root[2] maps 0x8000_0000.. as a 1 GiB page (identity, no U
bit: the harness, the S handler and the context page stay reachable from S),
root[1] may map GIGA_VA onto RAM too (random permissions, sometimes a
misaligned superpage), and root[0] leads to the sequence's pages, through the
level-0 table: code at CODE_VA (two pages), D0 at D0_VA, D1 at D1_VA, D0
again at ALIAS_VA (other permissions). Without Sv39 (and for M-mode fetches)
the sequence uses physical addresses.

How a sequence runs: the driver writes satp, medeleg, mstatus (MPP = the mode)
and mepc from the slot's parameters, loads INIT into x1..x31 and does mret.
Every trap goes to the M handler (or to the S handler when medeleg delegates
it), which saves all registers into REGS, logs cause/tval/epc/status, sets
xepc to the next instruction and returns. The final ``ecall`` (or, when it is
delegated to S, the S handler's own ecall after it) makes the M handler record
the CSRs and go back to the driver. Interrupts never happen: mie stays 0 and
mtimecmp is set to "never".

Registers the random code never writes: tp (the context page) and s0..s3,
pointers into the data pages, so every load and store goes where the
generator meant (a store to a random address could hit a device). s0 and s1
point to the middle of D0 and D1, s2 at the boundary between them, s3 at D0
through another mapping (the alias, the 1 GiB page, its physical address) or
somewhere that faults (unmapped, not canonical). AMOs and LR/SC take their
address from an ``addi`` just before them; a jump never lands between the two.

Where QEMU 7.2 and the spec (or oskit's choices) differ in a way that would
carry into later state, the generator avoids it (WRITE_MASKS, _sc_safe, the
handlers clearing xcause/xtval: CLEARED); the differences that stay in the
trap log or a PTE are accepted by the comparison (run.KNOWN).
"""

from __future__ import annotations

import itertools
import os
import random
import struct
import tempfile
from dataclasses import dataclass, field

from difftest.asm import Asm
from mc_asm import asm1

# -- the physical layout -----------------------------------------------------------------

RAM = 0x8000_0000
HARNESS = RAM
TOHOST = RAM + 0xF000  # oskit's HTIF watches this word (armed by the runner); QEMU ignores it
SLOTS = RAM + 0x10_0000
SLOT_SIZE = 0x1_0000
PAGE = 0x1000
CODE, D0, D1, ZEROS, PT_ROOT, PT_L1, PT_L0 = 0x1000, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000, 0x8000
MAX_INSTRUCTIONS = 2 * PAGE // 4  # the code pages' capacity (the end ecall included)

# context page offsets
INIT, REGS = 0x000, 0x100
P_SATP, P_MEDELEG, P_MSTATUS, P_ENTRY, P_END = 0x200, 0x208, 0x210, 0x218, 0x220
CSRS, COUNT, LOG = 0x240, 0x2C0, 0x300
LOG_ENTRIES, LOG_ENTRY = 32, 32
HANDLED_BY_S = 1 << 63  # set in a log entry's status word when the S handler took the trap
FINAL_CSRS = ("mscratch", "sscratch", "mstatus", "mip", "sepc", "scause", "stval", "satp",
              "mcounteren", "scounteren", "medeleg", "mideleg")  # fmt: skip

# The virtual layout with Sv39 on (level-0 indexes 16 and 17, 32, 33, 48; 64 is never mapped)
CODE_VA, D0_VA, D1_VA, ALIAS_VA, UNMAPPED_VA = 0x1_0000, 0x2_0000, 0x2_1000, 0x3_0000, 0x4_0000
NONCANONICAL_VA = 1 << 38  # bit 38 set, bits 63:39 clear: not a valid Sv39 address
GIGA_VA = 0x4000_0000  # root[1]: a 1 GiB page onto RAM (random permissions; sometimes misaligned)

# PTE bits
V, R, W, X, U, G, A, D = (1 << i for i in range(8))

ABI = ("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 "
       "s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6").split()  # fmt: skip
RESERVED = {"tp", "s0", "s1", "s2", "s3"}
WRITABLE = [r for r in ABI if r not in RESERVED and r != "zero"]
POINTERS = ("s0", "s1", "s2", "s3")

# mstatus bits a sequence may set or clear (never MPRV: the M handler's own stores would be translated)
MSTATUS_RANDOM = sum(1 << b for b in (1, 3, 5, 7, 8, 11, 12, 18, 19, 20, 21, 22))
SSTATUS_RANDOM = sum(1 << b for b in (1, 5, 8, 18, 19))
MSTATUS_MPP_SHIFT = 11
MSTATUS_MPP = 3 << MSTATUS_MPP_SHIFT

# -- the instruction mix ----------------------------------------------------------------

ALU_R = ("add sub sll slt sltu xor srl sra or and addw subw sllw srlw sraw "
         "mul mulh mulhsu mulhu div divu rem remu mulw divw divuw remw remuw").split()  # fmt: skip
ALU_I = "addi slti sltiu xori ori andi addiw".split()
SHIFT_I = {"slli": 63, "srli": 63, "srai": 63, "slliw": 31, "srliw": 31, "sraiw": 31}
LOADS = {"lb": 1, "lh": 2, "lw": 4, "ld": 8, "lbu": 1, "lhu": 2, "lwu": 4}
STORES = {"sb": 1, "sh": 2, "sw": 4, "sd": 8}
AMOS = "amoswap amoadd amoxor amoand amoor amomin amomax amominu amomaxu".split()
BRANCHES = "beq bne blt bge bltu bgeu".split()

M_CSRS_RW = ("mscratch sscratch mepc mcause mtval sepc scause stval mip sip "
             "mcounteren scounteren satp medeleg mideleg").split()  # fmt: skip
# Only read here: marchid, mimpid (QEMU puts its version there) not even that; menvcfg and senvcfg
# (QEMU has Zicbom's fields); stimecmp (with menvcfg.STCE = 0, QEMU 7.2 still sets mip.STIP from it);
# S may not touch stimecmp at all (STCE = 0).
M_CSRS_RO = ("mhartid", "mvendorid", "misa", "menvcfg", "senvcfg", "stimecmp")
WRITABLE_ONLY_HERE = ("satp", "stimecmp", "menvcfg", "senvcfg")  # M_CSRS_RO that are not read-only CSRs
S_CSRS_RW = "sscratch sepc scause stval sip scounteren".split()
S_CSRS_RO = ("satp",)  # readable in S (mstatus.TVM = 0 unless the sequence set it); a write would move the code
U_CSRS = ("cycle", "time", "instret", "sscratch", "mscratch", "satp", "mstatus")  # all illegal in U

WRITE_MASKS = {
    # IALIGN = 32: bits 1:0 read 0 (spec); QEMU 7.2 keeps them
    "mepc": -4, "sepc": -4,
    # WARL bits that QEMU 7.2 keeps even with H (and Sscofpmf) off, and oskit (without them) drops:
    # medeleg 10 (ecall from VS) and 20-23 (guest page faults); mideleg and mip 2, 6, 10, 12 (VS and
    # guest external interrupts), 13 (counter overflow), 16 and up. QEMU 7.2 also keeps medeleg[11]
    # (ecall from M), which the spec makes read-only 0.
    "medeleg": 0xFFFF & ~(1 << 10 | 1 << 11),
    "mideleg": 0xFFFF & ~0x3444, "mip": 0xFFFF & ~0x3444, "sip": 0xFFFF & ~0x3444,
    # 32-bit registers (priv. spec 3.1.11); QEMU 7.2 keeps 64 bits
    "mcounteren": 0xFFFF_FFFF, "scounteren": 0xFFFF_FFFF,
    # satp: see _csr (MODE 0 or 8 only)
}
"""CSR writes (csrrw, csrrs) set only these bits; clearing bits (csrrc) is always allowed."""

INTERESTING = (0, 1, 2, 3, 7, 31, 32, 63, 64, -1, -2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, -0x8000_0000,
               -0x8000_0001, 1 << 63, (1 << 63) - 1, 0x1_0000_0000, 0x8000_0000_0000_0001)  # fmt: skip


def illegal_word(rng: random.Random) -> int:
    """A word that is no instruction of RV64IMA + Zicsr + Zifencei (nor of the extensions QEMU is run with)."""
    rd, rs1, rs2 = rng.randrange(32), rng.randrange(32), rng.randrange(32)
    kind = rng.randrange(14)
    if kind == 0:
        return rng.choice((0x0000_0000, 0xFFFF_FFFF))
    if kind == 1:  # reserved and custom major opcodes, F/D/V opcodes (QEMU runs with f, d, v off)
        op = rng.choice((0x0B, 0x2B, 0x5B, 0x7B, 0x07, 0x27, 0x43, 0x47, 0x4B, 0x4F, 0x53, 0x57, 0x77))
        return rng.getrandbits(25) << 7 | op
    if kind == 2:  # a 16-bit (compressed) parcel: no C extension
        return rng.getrandbits(30) << 2 | rng.randrange(3)
    if kind == 3:  # LOAD funct3 = 7, STORE funct3 = 4..7
        return rng.choice((rng.getrandbits(17) << 15 | 7 << 12 | rd << 7 | 0x03,
                           rng.getrandbits(17) << 15 | rng.randrange(4, 8) << 12 | rd << 7 | 0x23))
    if kind == 4:  # BRANCH funct3 = 2, 3; JALR funct3 != 0
        return rng.choice((rng.getrandbits(17) << 15 | rng.randrange(2, 4) << 12 | rd << 7 | 0x63,
                           rng.getrandbits(17) << 15 | rng.randrange(1, 8) << 12 | rd << 7 | 0x67))
    if kind == 5:  # OP / OP-32 with funct7 of Zba/Zbb/Zbs (off in QEMU) or unused
        f7 = rng.choice((0x04, 0x05, 0x10, 0x14, 0x24, 0x30, 0x34, 0x02, 0x7F))
        return f7 << 25 | rs2 << 20 | rs1 << 15 | rng.randrange(8) << 12 | rd << 7 | rng.choice((0x33, 0x3B))
    if kind == 6:  # funct7 0x20 where only add/sub/srl/sra have it (andn, orn, xnor are Zbb)
        return 0x20 << 25 | rs2 << 20 | rs1 << 15 | rng.choice((1, 2, 3, 4, 6, 7)) << 12 | rd << 7 | 0x33
    if kind == 7:  # OP-32 mul-family funct3 1..3 (no mulhw), OP-IMM-32 funct3 2,3,4,6,7
        return rng.choice((1 << 25 | rs2 << 20 | rs1 << 15 | rng.randrange(1, 4) << 12 | rd << 7 | 0x3B,
                           rng.getrandbits(12) << 20 | rs1 << 15 | rng.choice((2, 3, 4, 6, 7)) << 12 | rd << 7 | 0x1B))
    if kind == 8:  # shifts with reserved high bits (slliw shamt[5], slli with funct6 of Zbs/Zbb)
        return rng.choice((1 << 25 | rs2 << 20 | rs1 << 15 | 1 << 12 | rd << 7 | 0x1B,
                           rng.choice((0x0A, 0x12, 0x18, 0x1A)) << 26 | rng.randrange(64) << 20 | rs1 << 15
                           | 1 << 12 | rd << 7 | 0x13))
    if kind == 9:  # AMO with funct3 not 2/3, or an unused funct5; lr with rs2 != 0
        if rng.randrange(3) == 0:
            return 0b00010 << 27 | rng.randrange(1, 32) << 20 | rs1 << 15 | rng.choice((2, 3)) << 12 | rd << 7 | 0x2F
        f5 = rng.choice((0b00101, 0b00110, 0b01001, 0b10001, 0b11111))
        f3 = rng.choice((2, 3)) if rng.randrange(2) else rng.choice((0, 1, 4, 5, 6, 7))
        if f3 not in (2, 3):
            f5 = rng.choice((0, 1, 4, 8, 12))
        return f5 << 27 | rng.randrange(4) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x2F
    if kind == 10:  # SYSTEM funct3 = 4 (hypervisor loads, no H); ecall/ebreak with non-zero fields
        return rng.choice((rng.getrandbits(17) << 15 | 4 << 12 | rd << 7 | 0x73,
                           rng.randrange(1, 32) << 15 | 0x73, 0x0010_0073 | rng.randrange(1, 32) << 7))
    if kind == 11:  # MISC-MEM funct3 3..7 (2 is Zicbom, which QEMU 7.2 cannot switch off)
        return rng.getrandbits(17) << 15 | rng.randrange(3, 8) << 12 | rd << 7 | 0x0F
    if kind == 12:  # CSRs that exist on neither machine: custom read/write ranges
        csr = rng.choice((0x7C0, 0x7FF, 0x5C0, 0x800, 0x8FF, 0xBC0, 0x9C0))
        return csr << 20 | rs1 << 15 | rng.choice((1, 2, 3, 5, 6, 7)) << 12 | rd << 7 | 0x73
    # mret/sret with non-zero rs1/rd fields are reserved
    return rng.choice((0x3020_0073, 0x1020_0073)) | rng.randrange(1, 32) << 15


def encode(line: str) -> int:
    """One generated line as its 32-bit word (branch and jump offsets are relative, as in mc_asm)."""
    if line.startswith(".word "):
        return int(line.split()[1], 0)
    return asm1(line)


@dataclass
class Sequence:
    """One random program and the state it starts from (see the module docstring)."""

    seed: int
    length: int = 120
    misaligned: bool = False  # plain loads/stores at misaligned addresses (AMOs, LR/SC always may be)
    mode: str = ""  # "M", "S" or "U"
    sv39: bool = False
    mprv: str = ""  # in M-mode: "S" or "U" when loads and stores are translated as that mode (mstatus.MPRV)
    medeleg: int = 0
    mstatus: int = 0
    init: list[int] = field(default_factory=list)  # x0..x31
    lines: list[str] = field(default_factory=list)  # one instruction each; lines[-1] is the end ecall
    ptes: dict[int, int] = field(default_factory=dict)  # level-0 index -> PTE (Sv39 only)
    data: bytes = b""  # D0 and D1
    code_offset: int = 0  # where in the first code page the sequence starts
    giga: int = 0  # root[1], the 1 GiB page at GIGA_VA: its PTE's flags (0: none)
    giga_misaligned: bool = False  # its PPN is RAM + 2 MiB, not 1 GiB aligned: a page fault

    def __post_init__(self):
        rng = random.Random(self.seed)
        self.mode = rng.choice("MSSUUU")
        self.sv39 = self.mode != "M" and rng.random() < 0.7
        if self.mode == "M" and rng.random() < 0.4:
            # MPRV: the sequence's first instructions set it with MPP = S or U. Translation lasts until
            # the first trap (which sets MPP = M), so the rest of the sequence then reaches low physical
            # addresses, where nothing answers (access faults).
            self.mprv, self.sv39 = rng.choice("SU"), True
        if self.mode != "M":
            # Delegate some exceptions to S; never ecall from S (9) or M (11): the S handler ends with one.
            # Causes that QEMU 7.2 reports differently for AMOs (see run.KNOWN) are delegated together,
            # so that both machines take them in the same handler.
            groups = ((0,), (1,), (2,), (3,), (4, 6), (5, 7), (8,), (12,), (13, 15))
            self.medeleg = sum(sum(1 << c for c in g) for g in groups if rng.random() < 0.4)
        mpp = {"M": 3, "S": 1, "U": 0}[self.mode]
        self.mstatus = mpp << MSTATUS_MPP_SHIFT | rng.choice((0, 1 << 18, 1 << 19, 3 << 18))  # SUM, MXR
        self.data = rng.randbytes(2 * PAGE)
        self._pointers = self._choose_pointers(rng)
        self.init = self._initial_registers(rng)
        self._writable = list(WRITABLE)  # registers the random code may write (a loop takes out its counter)
        if self.sv39:
            self.ptes = self._page_table(rng)
        self.lines = self._instructions(rng)
        # Up to 16 instructions on the second code page (whose PTE may forbid fetching them).
        self.code_offset = max(0, PAGE - 4 * (len(self.lines) - rng.randrange(17)))
        if self.code_offset + 4 * len(self.lines) > 2 * PAGE:
            raise ValueError(f"Sequence: {len(self.lines)} instructions do not fit in two pages")
        if self._pointers == "gigapage":
            self.giga_misaligned = rng.random() < 0.2
            self.giga = self._data_perms(rng)

    @property
    def data_mode(self) -> str:
        """The privilege loads and stores are made with (M-mode with MPRV: MPP's)."""
        return self.mprv or self.mode

    # -- addresses ------------------------------------------------------------------------

    def slot_addresses(self, slot: int) -> dict[str, int]:
        """Where code and data are for this sequence in `slot`: virtual with Sv39, else physical."""
        base = SLOTS + slot * SLOT_SIZE
        code = (CODE_VA if self.sv39 and self.mode != "M" else base + CODE) + self.code_offset  # M: untranslated
        if self.sv39:
            return {"code": code, "d0": D0_VA, "d1": D1_VA}
        return {"code": code, "d0": base + D0, "d1": base + D1}

    def _choose_pointers(self, rng) -> str:
        """What s3 points at: "alias" (D0 again), "unmapped", "noncanonical", "identity" (D0's PA),
        or "gigapage" (D0 through the 1 GiB page at GIGA_VA)."""
        if not self.sv39:
            return "identity"
        # Not the gigapage with MPRV: once MPP = M its addresses are physical, QEMU's PCI window.
        return rng.choice(("alias", "alias", "unmapped", "noncanonical", "identity")
                          + (() if self.mprv else ("gigapage", "gigapage")))

    def pointer_values(self, slot: int) -> dict[str, int]:
        base = SLOTS + slot * SLOT_SIZE
        where = self.slot_addresses(slot)
        s3 = {"alias": ALIAS_VA, "unmapped": UNMAPPED_VA, "noncanonical": NONCANONICAL_VA,
              "identity": base + D0, "gigapage": GIGA_VA + base + D0 - RAM}[self._pointers]  # fmt: skip
        return {"s0": where["d0"] + 2048, "s1": where["d1"] + 2048, "s2": where["d1"], "s3": s3 + 2048}

    # -- initial state --------------------------------------------------------------------

    def _initial_registers(self, rng) -> list[int]:
        regs = [0] * 32
        for i in range(1, 32):
            kind = rng.randrange(4)
            if kind == 0:
                v = rng.choice(INTERESTING)
            elif kind == 1:
                v = rng.randrange(-4096, 4096)
            elif kind == 2:
                v = rng.getrandbits(32) - (1 << 31)
            else:
                v = rng.getrandbits(64)
            regs[i] = v & (1 << 64) - 1
        return regs  # tp and s0..s3 are filled in per slot by the batch

    def _data_perms(self, rng) -> int:
        """Random PTE flags for a data page: mostly usable by the sequence's mode, not always."""
        user = U if self.data_mode == "U" else 0
        perms = rng.choice((R | W, R | W, R | W, R, R, W, X, R | X, R | W | X, 0))  # W alone is reserved
        flags = V | perms | user
        if rng.random() < 0.1:
            flags &= ~V
        if rng.random() < 0.7:
            flags |= A
        if rng.random() < 0.6:
            flags |= D
        if rng.random() < 0.15:  # the wrong U bit: U-mode loses the page, S-mode needs SUM
            flags ^= U
        if rng.random() < 0.05:  # a reserved bit (54..60), PBMT (61, 62; no Svpbmt) or N (63; no Svnapot)
            flags |= 1 << rng.randrange(54, 64)
        return flags

    def _page_table(self, rng) -> dict[int, int]:
        """Level-0 PTEs (without the PPN) for code, D0, D1 and the alias of D0: random permissions."""
        user = U if self.data_mode == "U" else 0

        def flip_u(flags):  # sometimes the wrong U bit: U-mode loses the page, S-mode needs SUM
            return flags ^ U if rng.random() < 0.15 else flags

        def data_perms():
            return self._data_perms(rng)

        code = V | X | A | user | (R if rng.random() < 0.5 else 0)
        code2 = code if rng.random() < 0.6 else rng.choice((code & ~X, code & ~V, flip_u(code), data_perms()))
        d0 = V | R | W | A | D | user if rng.random() < 0.6 else data_perms()
        d1 = data_perms()
        alias = data_perms()
        index = {va: va >> 12 & 511 for va in (CODE_VA, CODE_VA + PAGE, D0_VA, D1_VA, ALIAS_VA)}
        return {index[CODE_VA]: code, index[CODE_VA + PAGE]: code2, index[D0_VA]: d0, index[D1_VA]: d1,
                index[ALIAS_VA]: alias}

    # -- the instructions -----------------------------------------------------------------

    def _instructions(self, rng) -> list[str]:
        """The random instructions, then the end ecall; branch targets stay inside the sequence, forward."""
        body: list[tuple] = []  # (format, target index or None, extra bytes, anchor index)
        starts = []  # where groups start: a jump never lands inside one (an AMO without its address)
        n = self.length
        if self.mprv:  # set MPRV (bit 17) and MPP (U = 0 after the driver's mret; S = 1)
            t = rng.choice(self._writable)
            bits = 1 << 17 | (1 << MSTATUS_MPP_SHIFT if self.mprv == "S" else 0)
            starts.append(0)
            body += [(f"lui {t}, {bits >> 12:#x}", None, 0, 0), (f"addiw {t}, {t}, {bits & 0xFFF}", None, 0, 0),
                     (f"csrrs zero, mstatus, {t}", None, 0, 0)]
        while len(body) < n - 1:
            group = self._one(rng, len(body), n - 1)
            if len(body) + len(group) > n - 1:
                break
            starts.append(len(body))
            body.extend(group)
        end = len(body)
        starts.append(end)
        lines = []
        for i, (fmt, target, extra, anchor) in enumerate(body):
            if target is None:
                lines.append(fmt)
            else:
                target = next(s for s in starts if s >= min(target, end))
                lines.append(fmt.format(off=(target - anchor) * 4 + extra))
        lines.append("ecall")
        return lines

    def _reg(self, rng, write: bool = False) -> str:
        if write:
            return "zero" if rng.random() < 0.03 else rng.choice(self._writable)
        return rng.choice(ABI)

    def _mem_offset(self, rng, base: str, size: int, misaligned: bool) -> int:
        if base == "s2":  # the D0/D1 boundary: both pages in reach, and accesses that straddle it
            off = rng.randrange(-64, 64)
        else:
            off = rng.randrange(-2048, 2048 - size + 1)
        if not misaligned:
            off -= off % size
        elif size > 1 and off % size == 0:
            off += rng.randrange(1, size)
        return max(-2048, min(2047, off))

    def _loop(self, rng, i: int) -> list[tuple]:
        """A counted loop of straight-line random groups, run 2..24 times (the fast path translates
        a block that ran choices.BLOCK_HOT_THRESHOLD times). Traps inside it are skipped as anywhere."""
        count = rng.choice(self._writable)
        self._writable.remove(count)
        try:
            body = [item for _ in range(rng.randrange(1, 6)) for item in self._one(rng, i, straight=True)]
        finally:
            self._writable.append(count)
        back = -4 * (len(body) + 1)  # from the bne to the first instruction of the body
        return ([(f"addi {count}, zero, {rng.randrange(2, 25)}", None, 0, i)] + body
                + [(f"addi {count}, {count}, -1", None, 0, i), (f"bne {count}, zero, {back}", None, 0, i)])

    def _one(self, rng, i: int, end: int | None = None, straight: bool = False) -> list[tuple]:
        """One random instruction (or a short group, as the address for an AMO and the AMO).

        straight: no branches, jumps or loops (the body of a loop).
        """
        if not straight and rng.random() < 0.03:
            return self._loop(rng, i)
        r = rng.random()
        if straight and 0.72 <= r < 0.83:
            r -= 0.72  # an ALU instruction instead of a branch or jump
        mode = self.mode
        if r < 0.22:
            return [(f"{rng.choice(ALU_R)} {self._reg(rng, True)}, {self._reg(rng)}, {self._reg(rng)}", None, 0, i)]
        if r < 0.34:
            imm = rng.choice((rng.randrange(-2048, 2048), rng.choice((0, 1, -1, 2047, -2048))))
            return [(f"{rng.choice(ALU_I)} {self._reg(rng, True)}, {self._reg(rng)}, {imm}", None, 0, i)]
        if r < 0.40:
            name = rng.choice(list(SHIFT_I))
            return [(f"{name} {self._reg(rng, True)}, {self._reg(rng)}, {rng.randrange(SHIFT_I[name] + 1)}",
                     None, 0, i)]
        if r < 0.42:
            return [(f"{rng.choice(('lui', 'auipc'))} {self._reg(rng, True)}, {rng.getrandbits(20):#x}", None, 0, i)]
        if r < 0.54:
            name, size = rng.choice(list(LOADS.items()))
            base = rng.choice(POINTERS)
            off = self._mem_offset(rng, base, size, self.misaligned and rng.random() < 0.15)
            return [(f"{name} {self._reg(rng, True)}, {off}({base})", None, 0, i)]
        if r < 0.64:
            name, size = rng.choice(list(STORES.items()))
            base = rng.choice(POINTERS)
            off = self._mem_offset(rng, base, size, self.misaligned and rng.random() < 0.15)
            return [(f"{name} {self._reg(rng)}, {off}({base})", None, 0, i)]
        if r < 0.72:
            return self._atomic(rng, i)
        if r < 0.79:  # forward branches, sometimes to a misaligned target (+2: no C extension)
            target = i + rng.randrange(1, 12)
            extra = 2 if rng.random() < 0.05 else 0
            return [(f"{rng.choice(BRANCHES)} {self._reg(rng)}, {self._reg(rng)}, {{off}}", target, extra, i)]
        if r < 0.81:
            target = i + rng.randrange(1, 12)
            extra = 2 if rng.random() < 0.08 else 0
            return [(f"jal {self._reg(rng, True)}, {{off}}", target, extra, i)]
        if r < 0.83:  # jalr through auipc: jalr clears bit 0, so +1 is aligned and +2, +3 are not
            t = rng.choice(self._writable)
            target = i + rng.randrange(2, 12)
            extra = rng.choice((0, 0, 0, 1, 2, 3))
            return [(f"auipc {t}, 0", None, 0, i), (f"jalr {self._reg(rng, True)}, {{off}}({t})", target, extra, i)]
        if r < 0.91:
            return self._csr(rng, i)
        if r < 0.95:
            return [(f".word {illegal_word(rng):#010x}", None, 0, i)]
        # traps and privileged instructions that are safe to run here
        choices = ["ecall", "ebreak", "fence", "fence.i", f".word {rng.getrandbits(4) << 28 | 0x0FF0000F:#010x}"]
        if mode != "M":
            choices.append("mret")
        if mode == "U":
            choices += ["sret", "wfi", "sfence.vma zero, zero"]
        if mode == "S":
            choices.append(f"sfence.vma {self._reg(rng)}, {self._reg(rng)}")
        return [(rng.choice(choices), None, 0, i)]

    def _sc_safe(self) -> bool:
        """Can an sc to D0 (through s0) never fault? (QEMU 7.2 checks neither alignment nor
        permissions for an sc without a reservation: it just fails. oskit, like the spec, traps.)"""
        if self.mprv:  # the sequence may change MPP, and with it the rules D0 is reached by
            return False
        if not self.sv39:
            return True
        user = U if self.data_mode == "U" else 0
        flags = self.ptes[D0_VA >> 12 & 511]
        return flags & (V | R | W | U) == V | R | W | user and flags >> 54 == 0

    def _atomic(self, rng, i: int) -> list[tuple]:
        t = rng.choice(self._writable)
        width, size = rng.choice((("w", 4), ("d", 8)))
        kind = rng.randrange(4)
        if kind <= 1 and not self._sc_safe():
            kind = 2
        if kind <= 1:  # lr/sc, sc: aligned, in D0 (see _sc_safe)
            base, off = "s0", self._mem_offset(rng, "s0", size, False)
        else:
            base = rng.choice(POINTERS)
            off = self._mem_offset(rng, base, size, rng.random() < 0.1)
        order = rng.choice(("", "", ".aq", ".rl", ".aqrl"))
        group = [(f"addi {t}, {base}, {off}", None, 0, i)]
        if kind == 0:  # lr, a few ALU instructions that leave the address alone, sc
            rd = rng.choice([r for r in self._writable if r != t])  # the sc needs the address still
            group.append((f"lr.{width}{order} {rd}, ({t})", None, 0, i))
            for _ in range(rng.randrange(3)):
                w = rng.choice([r for r in self._writable if r != t])
                group.append((f"{rng.choice(ALU_R)} {w}, {self._reg(rng)}, {self._reg(rng)}", None, 0, i))
            if rng.random() < 0.2:  # a store between lr and sc
                group.append((f"sw {self._reg(rng)}, 0({t})", None, 0, i))
        if kind <= 1:
            group.append((f"sc.{width}{order} {self._reg(rng, True)}, {self._reg(rng)}, ({t})", None, 0, i))
        else:
            group.append((f"{rng.choice(AMOS)}.{width}{order} {self._reg(rng, True)}, {self._reg(rng)}, ({t})",
                          None, 0, i))
        return group

    def _csr(self, rng, i: int) -> list[tuple]:
        mode = self.mode
        rd = self._reg(rng, True)
        if mode == "U":
            csr = rng.choice(U_CSRS)
        elif rng.random() < 0.25:  # status: set, clear or write bits the harness can live with
            csr = "mstatus" if mode == "M" and rng.random() < 0.6 else "sstatus"
            allowed = MSTATUS_RANDOM if csr == "mstatus" else SSTATUS_RANDOM
            mask = rng.getrandbits(32) & allowed
            if mask & MSTATUS_MPP:  # MPP bits together: QEMU 7.2 keeps the reserved MPP = 2, oskit the old MPP
                mask |= MSTATUS_MPP
            t = rng.choice([r for r in self._writable])
            op = rng.choice(("csrrs", "csrrc", "csrrw"))
            hi = (mask + 0x800) >> 12
            return [(f"lui {t}, {hi & 0xFFFFF:#x}", None, 0, i), (f"addiw {t}, {t}, {mask - (hi << 12)}", None, 0, i),
                    (f"{op} {rd}, {csr}, {t}", None, 0, i)]
        elif mode == "M":
            csr = rng.choice(M_CSRS_RW + list(M_CSRS_RO) if rng.random() < 0.9 else list(S_CSRS_RW))
        else:
            csr = rng.choice(S_CSRS_RW + list(S_CSRS_RO) if rng.random() < 0.85 else M_CSRS_RW)
        # With MPRV, satp translates M's loads and stores: a write without sfence.vma leaves the TLB
        # stale, which the spec allows and QEMU (which flushes on every satp write) does not show.
        read_only = (csr in M_CSRS_RO + S_CSRS_RO or csr == "satp" and self.mprv) and mode != "U"
        if read_only:
            if rng.random() < 0.2 and mode == "M" and csr not in WRITABLE_ONLY_HERE:
                # Writing a read-only CSR is illegal (csrrs and csrrc with x0, or with uimm 0, only read).
                writes = (f"csrrw {rd}, {csr}, {self._reg(rng)}", f"csrrsi {rd}, {csr}, {rng.randrange(1, 32)}",
                          f"csrrci {rd}, {csr}, {rng.randrange(1, 32)}")
                return [(rng.choice(writes), None, 0, i)]
            return [(f"csrrs {rd}, {csr}, zero", None, 0, i)]
        op = rng.choice(("csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"))
        src = str(rng.randrange(32)) if op.endswith("i") else self._reg(rng)
        if csr == "satp" and op in ("csrrw", "csrrs"):
            # MODE only 0 (Bare) or 8 (Sv39): QEMU 7.2 also has Sv48 and Sv57 (9, 10)
            t, u = rng.sample(self._writable, 2)
            group = [(f"slli {t}, {src}, 4", None, 0, i), (f"srli {t}, {t}, 4", None, 0, i)]
            if rng.random() < 0.5:
                group += [(f"addi {u}, zero, 1", None, 0, i), (f"slli {u}, {u}, 63", None, 0, i),
                          (f"or {t}, {t}, {u}", None, 0, i)]
            return group + [(f"{op} {rd}, {csr}, {t}", None, 0, i)]
        mask = WRITE_MASKS.get(csr)
        if mask is not None and op in ("csrrw", "csrrs", "csrrwi", "csrrsi"):
            # Set only bits both machines agree on (see WRITE_MASKS): a register that read the others
            # back would carry a legitimate difference to the end of the sequence.
            if op.endswith("i"):
                return [(f"{op} {rd}, {csr}, {int(src) & mask & 31}", None, 0, i)]
            t = rng.choice(self._writable)
            if mask == 0xFFFF_FFFF:
                masked = [(f"slli {t}, {src}, 32", None, 0, i), (f"srli {t}, {t}, 32", None, 0, i)]
            else:
                hi = (mask + 0x800) >> 12
                masked = [(f"lui {t}, {hi & 0xFFFFF:#x}", None, 0, i),
                          (f"addiw {t}, {t}, {mask - (hi << 12)}", None, 0, i), (f"and {t}, {t}, {src}", None, 0, i)]
            return masked + [(f"{op} {rd}, {csr}, {t}", None, 0, i)]
        return [(f"{op} {rd}, {csr}, {src}", None, 0, i)]


# -- the harness ---------------------------------------------------------------------------

CLEARED = """After logging a trap, the handlers write 0 to xcause and xtval: where the two
machines legitimately disagree on them (ebreak's tval, see run.KNOWN), an
instruction that reads them later would carry the difference into the
registers. The log keeps what the hardware wrote; the comparison knows the rules."""

SEMIHOST_OPEN, SEMIHOST_WRITE, SEMIHOST_CLOSE = 0x01, 0x05, 0x02
TEST_FINISHER = 0x10_0000  # QEMU virt's SiFive test device: 0x5555 = exit 0
CLINT_MTIMECMP0 = 0x200_4000


def harness(count: int, result_path: str) -> Asm:
    """The M-mode code that runs `count` slots and, on QEMU, writes them to result_path."""
    a = Asm(HARNESS)
    saved = [r for r in ABI[1:] if r != "tp"]  # what the handlers save and restore

    def save_all():
        for r in saved:
            a(f"sd {r}, {REGS + 8 * ABI.index(r)}(tp)")

    def restore_all():
        for r in saved:
            a(f"ld {r}, {REGS + 8 * ABI.index(r)}(tp)")

    a.label("_start")
    a("la t0, m_trap")
    a("csrw mtvec, t0")
    a("addi t0, zero, -1")  # mtimecmp = never: QEMU resets it to 0 (a timer interrupt pending at once)
    a("li t1, 0x2004000")
    a("sd t0, 0(t1)")
    a("csrw mie, zero")
    # PMP entry 0 lets S and U reach everything (QEMU checks PMP: with no entry, S and U reach nothing)
    a("addi t0, zero, -1")
    a("csrw pmpaddr0, t0")
    a("addi t0, zero, 0x1F")  # R W X, A = NAPOT
    a("csrw pmpcfg0, t0")
    a("la t0, next_index")
    a("sd zero, 0(t0)")

    # The driver: start the next sequence, or finish.
    a.label("next")
    a("la t0, next_index")
    a("ld t1, 0(t0)")
    a(f"li t2, {count}")
    a("bgeu t1, t2, done")
    a("addi t2, t1, 1")
    a("sd t2, 0(t0)")
    a("slli t1, t1, 16")  # SLOT_SIZE = 1 << 16
    a("la tp, slots")
    a("add tp, tp, t1")
    # CSRs a sequence may change start from 0; stimecmp from "never" (its reset value differs:
    # all ones here, 0 on QEMU, which then raises STIP even with menvcfg.STCE = 0), before mip.
    a("addi t0, zero, -1")
    a("csrw stimecmp, t0")
    for reg in ("mscratch", "sscratch", "sepc", "scause", "stval", "mip", "mideleg",
                "mcounteren", "scounteren"):
        a(f"csrw {reg}, zero")
    a(f"ld t0, {P_SATP}(tp)")
    a("csrw satp, t0")
    a("sfence.vma zero, zero")
    a(f"ld t0, {P_MEDELEG}(tp)")
    a("csrw medeleg, t0")
    a(f"ld t0, {P_MSTATUS}(tp)")
    a("csrw mstatus, t0")
    a(f"ld t0, {P_ENTRY}(tp)")
    a("csrw mepc, t0")
    a("la t0, s_trap")
    a("csrw stvec, t0")
    for r in saved:
        a(f"ld {r}, {INIT + 8 * ABI.index(r)}(tp)")
    a("mret")

    # The M-mode trap handler.
    a.align(4)
    a.label("m_trap")
    save_all()
    a("csrr t0, mcause")
    a("csrr t1, mtval")
    a("csrr t2, mepc")
    a("csrr t3, mstatus")
    a("la t4, s_exit")
    a("beq t2, t4, finish")  # the S handler's ecall: the sequence ended in S's hands
    a(f"ld t4, {P_END}(tp)")
    a("beq t2, t4, finish")  # the sequence's own last instruction
    a("jal ra, log")
    # With MPRV on, the mret below changes MPP (to U), so the translation of loads and stores
    # changes: QEMU 7.2 keeps using what its TLB cached under the old MPP unless told (see
    # tests/programs/README.md). sfence.vma tells it; the spec needs no fence here.
    a("srli t4, t3, 17")
    a("andi t4, t4, 1")
    a("beqz t4, no_mprv")
    a("sfence.vma zero, zero")
    a.label("no_mprv")
    a("addi t2, t2, 4")
    a("csrw mepc, t2")
    a("csrw mcause, zero")  # the log has them; later reads see 0 on both machines (see CLEARED)
    a("csrw mtval, zero")
    restore_all()
    a("mret")

    # The S-mode trap handler (reached through medeleg; runs with Sv39 as the sequence left it).
    a.align(4)
    a.label("s_trap")
    save_all()
    a("csrr t0, scause")
    a("csrr t1, stval")
    a("csrr t2, sepc")
    a("csrr t3, sstatus")
    a(f"ld t4, {P_END}(tp)")
    a("beq t2, t4, s_end")
    a("addi t4, zero, 1")
    a("slli t4, t4, 63")
    a("or t3, t3, t4")  # HANDLED_BY_S
    a("jal ra, log")
    a("addi t2, t2, 4")
    a("csrw sepc, t2")
    a("csrw scause, zero")
    a("csrw stval, zero")
    restore_all()
    a("sret")
    a.label("s_end")
    restore_all()  # so that the M handler saves the sequence's registers, not ours
    a.label("s_exit")
    a("ecall")

    # log(t0 = cause, t1 = tval, t2 = epc, t3 = status): append to LOG, count every trap.
    a.label("log")
    a(f"ld t5, {COUNT}(tp)")
    a(f"addi t6, t5, 1")
    a(f"sd t6, {COUNT}(tp)")
    a(f"li t6, {LOG_ENTRIES}")
    a("bgeu t5, t6, log_full")
    a("slli t5, t5, 5")
    a("add t5, t5, tp")
    a(f"sd t0, {LOG}(t5)")
    a(f"sd t1, {LOG + 8}(t5)")
    a(f"sd t2, {LOG + 16}(t5)")
    a(f"sd t3, {LOG + 24}(t5)")
    a.label("log_full")
    a("jalr zero, 0(ra)")

    # The end of a sequence: keep the CSRs, start the next one.
    a.label("finish")
    for k, name in enumerate(FINAL_CSRS):
        a(f"csrr t0, {name}")
        a(f"sd t0, {CSRS + 8 * k}(tp)")
    a("csrw satp, zero")
    a("sfence.vma zero, zero")
    a("j next")

    # All done. oskit stops at the tohost write; QEMU goes on, writes the slots to a file
    # through semihosting and exits through the test device.
    a.label("done")
    a("la t0, tohost")
    a("addi t1, zero, 1")
    a("sd t1, 0(t0)")
    a(f"addi a0, zero, {SEMIHOST_OPEN}")
    a("la a1, open_args")
    a("jal ra, semihost")
    a("la a1, write_args")
    a("sd a0, 0(a1)")
    a("la t0, close_args")
    a("sd a0, 0(t0)")
    a(f"addi a0, zero, {SEMIHOST_WRITE}")
    a("jal ra, semihost")
    a(f"addi a0, zero, {SEMIHOST_CLOSE}")
    a("la a1, close_args")
    a("jal ra, semihost")
    a("li t0, 0x5555")
    a(f"li t1, {TEST_FINISHER:#x}")
    a("sw t0, 0(t1)")
    a.label("hang")
    a("j hang")

    # The semihosting call: this exact three-instruction sequence, inside one page.
    a.align(16)
    a.label("semihost")
    a(".word 0x01f01013")  # slli zero, zero, 0x1f
    a("ebreak")
    a(".word 0x40705013")  # srai zero, zero, 7
    a("jalr zero, 0(ra)")

    a.align(8)
    a.label("next_index")
    a(".dword 0")
    path = result_path.encode() + b"\0"
    path += b"\0" * (-len(path) % 4)
    a.label("open_args")
    a(".dword path")
    a(".dword 5")  # mode "wb"
    a(f".dword {len(result_path.encode())}")
    a.label("write_args")
    a(".dword 0")
    a(".dword slots")
    a(f".dword {count * SLOT_SIZE}")
    a.label("close_args")
    a(".dword 0")
    a.label("path")
    for k in range(0, len(path), 4):
        a(f".word {int.from_bytes(path[k:k + 4], 'little'):#x}")
    a.labels["slots"] = SLOTS
    a.labels["tohost"] = TOHOST
    return a


_batch_numbers = itertools.count()


class Batch:
    """Sequences laid out in slots with the harness: the bytes to load, as an ELF or raw segments."""

    def __init__(self, sequences: list[Sequence], result_path: str | None = None):
        self.sequences = sequences
        # Where QEMU's harness writes the results (semihosting); one file per batch of this process.
        self.result_path = result_path or os.path.join(
            tempfile.gettempdir(), f"qemudiff-{os.getpid()}-{next(_batch_numbers)}.bin")
        self.asm = harness(len(sequences), self.result_path)
        self.code = b"".join(w.to_bytes(4, "little") for w in self.asm.assemble())
        if HARNESS + len(self.code) > TOHOST:
            raise ValueError("Batch: the harness grew into tohost's page")
        self.slots = bytearray(len(sequences) * SLOT_SIZE)
        for k, seq in enumerate(sequences):
            self._fill_slot(k, seq)

    @property
    def ram_end(self) -> int:
        return SLOTS + len(self.slots)

    def segments(self) -> list[tuple[int, bytes]]:
        return [(HARNESS, self.code), (SLOTS, bytes(self.slots))]

    def code_words(self, k: int) -> list[int]:
        """The k-th sequence's instruction words (as loaded)."""
        off = k * SLOT_SIZE + CODE + self.sequences[k].code_offset
        n = len(self.sequences[k].lines)
        return list(struct.unpack_from(f"<{n}I", self.slots, off))

    def _fill_slot(self, k: int, seq: Sequence) -> None:
        base = SLOTS + k * SLOT_SIZE
        off = k * SLOT_SIZE
        where = seq.slot_addresses(k)
        regs = list(seq.init)
        regs[ABI.index("tp")] = base
        for name, value in seq.pointer_values(k).items():
            regs[ABI.index(name)] = value
        struct.pack_into("<32Q", self.slots, off + INIT, *(v & (1 << 64) - 1 for v in regs))
        satp = (8 << 60 | (base + PT_ROOT) >> 12) if seq.sv39 else 0
        end = where["code"] + 4 * (len(seq.lines) - 1)
        struct.pack_into("<5Q", self.slots, off + P_SATP, satp, seq.medeleg, seq.mstatus, where["code"], end)
        words = [encode(line) for line in seq.lines]
        struct.pack_into(f"<{len(words)}I", self.slots, off + CODE + seq.code_offset, *words)
        self.slots[off + D0: off + D0 + 2 * PAGE] = seq.data
        if seq.sv39:
            struct.pack_into("<Q", self.slots, off + PT_ROOT + 0, ((base + PT_L1) >> 12) << 10 | V)
            # root[1]: a leaf onto RAM (+ 2 MiB: misaligned); without R, W, X a pointer, to a page of
            # zeros (invalid PTEs): a walk must not read other slots' random bytes as PTEs (they may
            # point outside RAM, where oskit's walk gives an access fault and QEMU 7.2's a page fault).
            if seq.giga & (R | W | X):
                giga = RAM + (0x20_0000 if seq.giga_misaligned else 0)
            else:
                giga = base + ZEROS
            struct.pack_into("<Q", self.slots, off + PT_ROOT + 8 * 1, (giga >> 12) << 10 | seq.giga if seq.giga else 0)
            struct.pack_into("<Q", self.slots, off + PT_ROOT + 8 * 2, (RAM >> 12) << 10 | V | R | W | X | A | D)
            struct.pack_into("<Q", self.slots, off + PT_L1 + 0, ((base + PT_L0) >> 12) << 10 | V)
            targets = {CODE_VA: CODE, CODE_VA + PAGE: CODE + PAGE, D0_VA: D0, D1_VA: D1, ALIAS_VA: D0}
            for va, page in targets.items():
                flags = seq.ptes[va >> 12 & 511]
                struct.pack_into("<Q", self.slots, off + PT_L0 + 8 * (va >> 12 & 511),
                                 ((base + page) >> 12) << 10 | flags)

    def elf(self) -> bytes:
        """A minimal ELF64 executable: one PT_LOAD per segment, entry at the harness."""
        segs = self.segments()
        ehsize, phsize = 64, 56
        offset = ehsize + phsize * len(segs)
        offset += -offset % PAGE
        header = struct.pack("<4s5B7x2HI3QI6H", b"\x7fELF", 2, 1, 1, 0, 0,
                             2, 243, 1, HARNESS, ehsize, 0, 0, ehsize, phsize, len(segs), 64, 0, 0)
        phdrs, body = b"", b""
        for addr, data in segs:
            pos = offset + len(body)
            phdrs += struct.pack("<2I6Q", 1, 7, pos, addr, addr, len(data), len(data), PAGE)
            body += data + b"\0" * (-len(data) % PAGE)
        head = header + phdrs
        return head + b"\0" * (offset - len(head)) + body
