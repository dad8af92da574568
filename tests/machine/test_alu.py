"""ALU, M-extension and memory instructions against Python integers masked to 64 bits (hypothesis).

Each instruction runs twice: through the plain interpreter (hart.step) and
through a translated block (hart.run with hart.fast), from the same state.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mc_asm import RAM, asm, asm1, load, machine

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1


def sx(v: int, bits: int = 64) -> int:
    """Two's-complement value of the low `bits` bits."""
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def tdiv(a: int, b: int) -> int:
    """Division rounding toward zero, as RISC-V (and C) do."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def div_ref(a, b, bits):
    a, b = sx(a, bits), sx(b, bits)
    if b == 0:
        return -1
    if a == -(1 << (bits - 1)) and b == -1:
        return a
    return tdiv(a, b)


def rem_ref(a, b, bits):
    a, b = sx(a, bits), sx(b, bits)
    if b == 0:
        return a
    if a == -(1 << (bits - 1)) and b == -1:
        return 0
    return a - b * tdiv(a, b)


def w(v):
    """The W-form result: low 32 bits, sign-extended."""
    return sx(v, 32)


REF_R = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "sll": lambda a, b: a << (b & 63),
    "slt": lambda a, b: int(sx(a) < sx(b)),
    "sltu": lambda a, b: int(a < b),
    "xor": lambda a, b: a ^ b,
    "srl": lambda a, b: a >> (b & 63),
    "sra": lambda a, b: sx(a) >> (b & 63),
    "or": lambda a, b: a | b,
    "and": lambda a, b: a & b,
    "mul": lambda a, b: a * b,
    "mulh": lambda a, b: (sx(a) * sx(b)) >> 64,
    "mulhsu": lambda a, b: (sx(a) * b) >> 64,
    "mulhu": lambda a, b: (a * b) >> 64,
    "div": lambda a, b: div_ref(a, b, 64),
    "divu": lambda a, b: a // b if b else M64,
    "rem": lambda a, b: rem_ref(a, b, 64),
    "remu": lambda a, b: a % b if b else a,
    "addw": lambda a, b: w(a + b),
    "subw": lambda a, b: w(a - b),
    "sllw": lambda a, b: w(a << (b & 31)),
    "srlw": lambda a, b: w((a & M32) >> (b & 31)),
    "sraw": lambda a, b: w(sx(a, 32) >> (b & 31)),
    "mulw": lambda a, b: w(a * b),
    "divw": lambda a, b: w(div_ref(a, b, 32)),
    "divuw": lambda a, b: w((a & M32) // (b & M32) if b & M32 else M32),
    "remw": lambda a, b: w(rem_ref(a, b, 32)),
    "remuw": lambda a, b: w((a & M32) % (b & M32) if b & M32 else a),
}
REF_I = {
    "addi": lambda a, i: a + i,
    "slti": lambda a, i: int(sx(a) < i),
    "sltiu": lambda a, i: int(a < (i & M64)),
    "xori": lambda a, i: a ^ (i & M64),
    "ori": lambda a, i: a | (i & M64),
    "andi": lambda a, i: a & (i & M64),
    "addiw": lambda a, i: w(a + i),
}
REF_SHIFT = {
    "slli": (63, lambda a, s: a << s),
    "srli": (63, lambda a, s: a >> s),
    "srai": (63, lambda a, s: sx(a) >> s),
    "slliw": (31, lambda a, s: w(a << s)),
    "srliw": (31, lambda a, s: w((a & M32) >> s)),
    "sraiw": (31, lambda a, s: w(sx(a, 32) >> s)),
}

EDGES = [0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, M32, 1 << 63, (1 << 63) - 1, M64, M64 - 1, 0xFFFF_FFFF_8000_0000]
values = st.one_of(st.sampled_from(EDGES), st.integers(0, M64))
regs = st.integers(1, 31)

_M = machine()
_H = _M.harts[0]


def run_one(words: list[int], setup: dict[int, int], fast: bool) -> list[int]:
    """Run the instruction(s) at RAM from registers `setup`, then an ebreak; returns the registers."""
    h = _H
    load(_M, words + [asm1("ebreak")], RAM)
    h.x[:] = [0] * 32
    for r, v in setup.items():
        h.x[r] = v
    h.x[0] = 0
    h.pc = RAM
    h.fast = fast
    h.hot_threshold = 1  # translate at the first visit: the fast path must really run
    if fast:
        h.run(len(words))
        assert h.cached_block(RAM).n == len(words)  # the instructions ran as one translated block
    else:
        for _ in words:
            h.step()
    assert h.pc == RAM + 4 * len(words)
    return list(h.x)


def check(line: str, setup: dict[int, int], rd: int, expected: int):
    word = asm1(line)
    for fast in (False, True):
        x = run_one([word], setup, fast)
        want = dict(setup)
        want[rd] = expected & M64
        assert x[rd] == want[rd], f"{line} fast={fast}: {x[rd]:#x} != {want[rd]:#x}"
        assert x[0] == 0


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(REF_R)), regs, regs, regs, values, values)
def test_register_register(name, rd, rs1, rs2, a, b):
    """Every R-type ALU/M instruction equals the Python reference, with any register aliasing."""
    setup = {rs1: a, rs2: b}
    a, b = setup[rs1], setup[rs2]  # rs1 == rs2 keeps the later value
    check(f"{name} x{rd}, x{rs1}, x{rs2}", setup, rd, REF_R[name](a, b))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(REF_I)), regs, regs, values, st.integers(-2048, 2047))
def test_register_immediate(name, rd, rs1, a, imm):
    """Every I-type ALU instruction equals the reference (12-bit sign-extended immediate)."""
    check(f"{name} x{rd}, x{rs1}, {imm}", {rs1: a}, rd, REF_I[name](a, imm))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(REF_SHIFT)), regs, regs, values, st.integers(0, 63))
def test_shift_immediate(name, rd, rs1, a, shamt):
    """Immediate shifts use the whole 6-bit (or 5-bit for W forms) shift amount."""
    limit, ref = REF_SHIFT[name]
    shamt &= limit
    check(f"{name} x{rd}, x{rs1}, {shamt}", {rs1: a}, rd, ref(a, shamt))


def test_writes_to_x0_are_discarded():
    """An instruction whose rd is x0 leaves x0 zero (both paths)."""
    for fast in (False, True):
        x = run_one(asm("addi zero, zero, 5\nlui zero, 0x12345\njal zero, 4"), {}, fast)
        assert x[0] == 0


def test_division_by_zero_and_overflow_do_not_trap():
    """div/rem by zero and -2**63 / -1 give the spec's results without a trap."""
    cases = [
        ("div", 7, 0, M64), ("divu", 7, 0, M64), ("rem", 7, 0, 7), ("remu", 7, 0, 7),
        ("div", 1 << 63, M64, 1 << 63), ("rem", 1 << 63, M64, 0),
        ("divw", 0x8000_0000, M64, 0xFFFF_FFFF_8000_0000), ("remw", 0x8000_0000, M64, 0),
        ("divuw", 5, 1 << 32, M64), ("remuw", 0x1_8000_0000, 1 << 32, 0xFFFF_FFFF_8000_0000),
    ]  # fmt: skip
    for name, a, b, want in cases:
        for fast in (False, True):
            x = run_one([asm1(f"{name} a0, a1, a2")], {11: a, 12: b}, fast)
            assert x[10] == want, name
            assert _H.csr.read("mcause") != 2


def test_upper_immediates_and_jumps():
    """lui sign-extends, auipc adds the pc, jal/jalr link pc+4 and jalr clears bit 0 of the target."""
    for fast in (False, True):
        x = run_one(asm("lui a0, 0x80000\nauipc a1, 1"), {}, fast)
        assert (x[10], x[11]) == (0xFFFF_FFFF_8000_0000, RAM + 4 + 0x1000)
    h = _H
    load(_M, asm("jalr ra, 1(a0)\nebreak\nebreak"), RAM)
    h.x[10] = RAM + 8
    h.pc = RAM
    h.step()
    assert (h.pc, h.x[1]) == (RAM + 8, RAM + 4)


@settings(max_examples=150, deadline=None)
@given(values, st.integers(0, 63), st.sampled_from(["lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"]))
def test_loads_extend_and_stores_truncate(value, slot, load_name):
    """sd then a narrower load gives the low bytes, sign- or zero-extended by the load's kind."""
    size = {"b": 1, "h": 2, "w": 4, "d": 8}[load_name[1]]
    offset = (slot * 8) % 2040 // size * size
    signed = not load_name.endswith("u")
    want = value & ((1 << (8 * size)) - 1)
    if signed:
        want = sx(want, 8 * size) & M64
    base = RAM + 0x1000
    for fast in (False, True):
        x = run_one(asm(f"sd a1, {offset}(a0)\n{load_name} a2, {offset}(a0)"), {10: base, 11: value}, fast)
        assert x[12] == want, (load_name, fast)


@settings(max_examples=80, deadline=None)
@given(values, values, st.sampled_from(["sb", "sh", "sw", "sd"]))
def test_store_writes_only_its_bytes(old, new, store_name):
    """A store changes exactly its size in bytes, little-endian."""
    size = {"b": 1, "h": 2, "w": 4, "d": 8}[store_name[1]]
    base = RAM + 0x2000
    for fast in (False, True):
        run_one(asm(f"sd a1, 0(a0)\n{store_name} a2, 0(a0)\nld a3, 0(a0)"), {10: base, 11: old, 12: new}, fast)
        mask = (1 << (8 * size)) - 1
        assert _H.x[13] == (old & ~mask) | (new & mask)


def _amo_ref(name, old, src, bits):
    mask = (1 << bits) - 1
    o, s = old & mask, src & mask
    return {
        "amoswap": s, "amoadd": o + s, "amoxor": o ^ s, "amoand": o & s, "amoor": o | s,
        "amomin": min(sx(o, bits), sx(s, bits)), "amomax": max(sx(o, bits), sx(s, bits)),
        "amominu": min(o, s), "amomaxu": max(o, s),
    }[name] & mask  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu"]),
       st.sampled_from(["w", "d"]), values, values)  # fmt: skip
def test_amos(name, width, old, src):
    """AMOs return the old value (.w sign-extended) and store op(old, src) at the address."""
    bits = 32 if width == "w" else 64
    base = RAM + 0x3000
    for fast in (False, True):
        x = run_one(asm(f"sd a1, 0(a0)\n{name}.{width} a3, a2, (a0)\nld a4, 0(a0)"),
                    {10: base, 11: old, 12: src}, fast)  # fmt: skip
        mask = (1 << bits) - 1
        assert x[13] == sx(old & mask, bits) & M64
        assert x[14] == (old & ~mask & M64) | _amo_ref(name, old, src, bits)


def test_lr_sc_reservation():
    """sc succeeds after lr to the same address, fails without one, after a change, or at another address."""
    base = RAM + 0x4000
    prog = """
        lr.d a1, (a0)
        sc.d a2, a3, (a0)
        sc.d a4, a3, (a0)
        lr.w a1, (a0)
        sc.w a5, a3, (a6)
    """
    for fast in (False, True):
        x = run_one(asm(prog), {10: base, 13: 0x1234_5678_9ABC, 16: base + 8}, fast)
        assert (x[12], x[14], x[15]) == (0, 1, 1), fast
        assert int.from_bytes(_M.bus.read_bytes(base, 8), "little") == 0x1234_5678_9ABC
        assert x[11] == 0x5678_9ABC  # lr.w: the low word, sign-extended (positive here)


def test_sc_fails_when_memory_changed_after_lr():
    """A store between lr and sc (by anyone) that changes the value breaks the reservation."""
    base = RAM + 0x4100
    for fast in (False, True):
        x = run_one(asm("sd a4, 0(a0)\nlr.d a1, (a0)\nsd a2, 0(a0)\nsc.d a3, a2, (a0)"), {10: base, 12: 99, 14: 1}, fast)
        assert x[13] == 1, fast
