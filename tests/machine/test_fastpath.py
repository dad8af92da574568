"""The fast path (translated blocks) against the plain interpreter: same registers at every trap."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from mc_asm import RAM, asm, asm1, load, machine

from oskit.machine import Machine

DATA = RAM + 0x10_0000
CODE = RAM + 0x1000
HANDLER = """
    csrrs t6, mepc, zero
    addi t6, t6, 4
    csrrw zero, mepc, t6
    csrrs t5, mcause, zero
    add s11, s11, t5
    mret
"""


def offset(rng: random.Random, size: int) -> int:
    """An offset from s0 (a page start) for an access of size bytes: mostly aligned, sometimes
    misaligned inside the page, sometimes misaligned across the page boundary below s0."""
    r = rng.random()
    if size > 1 and r < 0.05:
        return rng.randrange(0, 256, size) + 1
    if size > 1 and r < 0.12:
        return -rng.randint(1, size - 1)
    return rng.randrange(0, 256, size)


def random_program(rng: random.Random, length: int) -> list[str]:
    """A straight-line body of ALU, M, memory, AMO and trapping instructions with short forward branches."""
    regs = ["a0", "a1", "a2", "a3", "a4", "a5", "t0", "t1", "t2", "s2", "s3"]
    alu = ["add", "sub", "xor", "or", "and", "sll", "srl", "sra", "slt", "sltu", "mul", "mulh", "mulhu",
           "div", "divu", "rem", "remu", "addw", "subw", "sllw", "srlw", "sraw", "mulw", "divw", "remuw"]  # fmt: skip
    imm = ["addi", "xori", "ori", "andi", "slti", "sltiu", "addiw"]
    lines = []
    for i in range(length):
        r = rng.random()
        d, a, b = rng.choice(regs), rng.choice(regs), rng.choice(regs)
        if r < 0.35:
            lines.append(f"{rng.choice(alu)} {d}, {a}, {b}")
        elif r < 0.55:
            lines.append(f"{rng.choice(imm)} {d}, {a}, {rng.randint(-2048, 2047)}")
        elif r < 0.62:
            lines.append(f"{rng.choice(['slli', 'srli', 'srai'])} {d}, {a}, {rng.randint(0, 63)}")
        elif r < 0.75:
            name, size = rng.choice([("ld", 8), ("lw", 4), ("lwu", 4), ("lh", 2), ("lhu", 2), ("lb", 1), ("lbu", 1)])
            lines.append(f"{name} {d}, {offset(rng, size)}(s0)")
        elif r < 0.87:
            name, size = rng.choice([("sd", 8), ("sw", 4), ("sh", 2), ("sb", 1)])
            lines.append(f"{name} {a}, {offset(rng, size)}(s0)")
        elif r < 0.90:
            lines.append(f"{rng.choice(['amoadd.d', 'amoswap.w', 'amomax.w', 'amominu.d'])} {d}, {a}, (s0)")
        elif r < 0.95 and i + 3 < length:
            lines.append(f"{rng.choice(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'])} {a}, {b}, {rng.choice([8, 12])}")
        else:
            lines.append(rng.choice(["ecall", "ebreak", "csrrs a0, mcycle, zero", "fence", "lui a1, 0x12345",
                                     "auipc a2, 0x10"]))  # fmt: skip
    # Every program has at least an ecall and a misaligned load per pass (which traps when
    # misaligned accesses trap; see test_random_programs_agree).
    lines.insert(rng.randrange(len(lines) + 1), "ecall")
    lines.insert(rng.randrange(len(lines) + 1), "lw a0, 3(s0)")
    return lines


def build(m: Machine, body: list[str], loops: int) -> None:
    """Handler at RAM; at CODE: set up s0/s1, then the body `loops` times, then wfi forever."""
    load(m, asm(HANDLER), RAM)
    head = asm(f"addi s1, zero, {loops}")
    words = [asm1(line) for line in body]
    tail = [asm1("addi s1, s1, -1"), asm1(f"bne s1, zero, {-4 * (len(words) + 1)}")]
    load(m, head + words + tail + asm("wfi\njal zero, -4"), CODE)
    h = m.harts[0]
    h.csr.write("mtvec", RAM)
    h.x[8] = DATA  # s0: the data area
    h.pc = CODE


def trace(m: Machine, fast: bool, n: int) -> list[tuple]:
    """Run up to n steps; return (cause, tval, epc, registers) at every trap, then the final state."""
    h = m.harts[0]
    h.fast = fast
    h.hot_threshold = 1  # translate every block at its first visit (the most fast-path coverage)
    seen = []
    m.events.subscribe("trap", lambda ev: seen.append((ev.cause, ev.tval, ev.epc, tuple(m.harts[ev.hart].x))))
    done = 0
    while done < n and not h.waiting:
        k = h.run(min(997, n - done))  # odd slices: blocks must also stop at a budget boundary
        done += k
    seen.append(("end", h.pc, h.instret, tuple(h.x), bytes(m.bus.read_bytes(DATA, 512))))
    assert (h.blocks_translated > 0) == fast
    return seen


@pytest.mark.parametrize("seed", range(12))
def test_random_programs_agree(seed):
    """Random programs (with misaligned accesses, ecall, ebreak) give identical traps and end states.

    Even seeds let the hardware do misaligned accesses (the default), odd ones make them trap.
    """
    rng = random.Random(seed)
    body = random_program(rng, rng.randint(20, 120))
    loops = rng.randint(3, 12)
    runs = []
    for fast in (False, True):
        m = machine()
        m.misaligned_access_traps = bool(seed % 2)
        build(m, body, loops)
        runs.append(trace(m, fast, 20_000))
    plain, fast = runs
    assert len(plain) > 1
    for a, b in zip(plain, fast):
        assert a == b
    assert len(plain) == len(fast)


def test_budget_boundary_inside_a_block():
    """run(n) stops after exactly n instructions even when a block is longer than what is left."""
    m = machine()
    build(m, [f"addi a0, a0, {i}" for i in range(20)], loops=5)
    h = m.harts[0]
    h.hot_threshold = 1
    assert h.run(7) == 7
    assert h.blocks_translated >= 1
    assert h.instret == 7
    assert h.pc == CODE + 4 * 7


def test_code_written_after_translation_is_retranslated():
    """Overwriting an instruction that was already translated into a block takes effect."""
    m = machine()
    h = m.harts[0]
    load(m, asm("addi a0, zero, 1\njal zero, 0"), CODE)
    h.hot_threshold = 1
    h.pc = CODE
    h.run(2)
    assert h.x[10] == 1
    load(m, asm("addi a0, zero, 2"), CODE)
    h.pc = CODE
    h.run(2)
    assert h.x[10] == 2


def test_block_source_is_readable():
    """The generated Python for a block shows each instruction's disassembly and its code."""
    m = machine()
    h = m.harts[0]
    load(m, asm("addi sp, sp, -16\nsd ra, 8(sp)\nbeq a0, zero, 8"), CODE)
    src = h.block_source(CODE)
    assert "# 0: addi sp, sp, -16" in src
    assert "x[2] = x[2] + (-16) & M64" in src
    assert "# 2: beq a0, zero, 8" in src


GOLDEN = Path(__file__).parent.parent / "programs" / "bare"


@pytest.mark.parametrize("name", ["traps_m", "traps_lower", "interrupts", "sv39_perms", "sv39_ad", "sfence", "xret",
                                  "timer"])
def test_golden_programs_agree(name):
    """The bare-metal golden programs take the same traps with the same registers, and TLB counts, on both paths."""
    from oskit.toolchain import build as build_elf

    src = next(p for p in GOLDEN.iterdir() if p.stem == name and p.suffix in (".c", ".S"))
    elf = build_elf([src], mode="bare")
    runs = []
    for fast in (False, True):
        m = Machine(ram_mib=8)
        for h in m.harts:
            h.fast = fast
            h.hot_threshold = 1
        m.load_elf(elf)
        seen = []
        m.events.subscribe("trap", lambda ev, m=m, seen=seen: seen.append((ev.cause, ev.epc, tuple(m.harts[ev.hart].x))))
        r = m.run(max_instructions=2_000_000)
        tlb = [(h.mmu.lookups, h.mmu.misses) for h in m.harts]  # the TLB counts every access on both paths
        runs.append((seen, r.reason, r.exit_code, r.instructions, m.uart.output.text, tlb))
    assert runs[0][0], "the program takes traps"
    assert runs[0] == runs[1]


def test_self_loop_block_traps_in_a_later_iteration():
    """A block that loops on itself and faults after some iterations reports the right pc and count."""
    end = RAM + (2 << 20)
    body = ["sd a0, 0(a1)", "addi a1, a1, 8", "bne a1, a2, -8"]
    runs = []
    for fast in (False, True):
        m = machine()
        load(m, asm(HANDLER), RAM)
        load(m, asm("\n".join(body) + "\nwfi\njal zero, -4"), CODE)
        h = m.harts[0]
        h.csr.write("mtvec", RAM)
        h.x[10], h.x[11], h.x[12] = 7, end - 64, end + 64
        h.pc = CODE
        runs.append(trace(m, fast, 5000))
    assert [t[:3] for t in runs[0][:2]] == [(7, end, CODE), (7, end + 8, CODE)]
    assert runs[0] == runs[1]


def test_self_loop_block_respects_the_budget():
    """A looping block stops after exactly the instructions run(n) allows, mid-loop."""
    for fast in (False, True):
        m = machine()
        load(m, asm("addi a0, a0, 1\nbne a0, a1, -4\nwfi"), CODE)
        h = m.harts[0]
        h.x[11] = 1000
        h.pc = CODE
        h.fast = fast
        h.hot_threshold = 1
        assert h.run(101) == 101
        assert (h.x[10], h.pc, h.instret) == (51, CODE + 4, 101)


def test_branches_back_from_the_middle_of_a_block():
    """A block with two branches back to its start (one mid-block) agrees with the plain path, slice by slice."""
    prog = """
        addi a0, a0, 1
        andi t0, a0, 1
        beq t0, zero, -8
        addi a1, a1, 1
        bne a0, a2, -16
        ecall
        wfi
    """
    runs = []
    for fast in (False, True):
        m = machine()
        load(m, asm(HANDLER), RAM)
        load(m, asm(prog), CODE)
        h = m.harts[0]
        h.csr.write("mtvec", RAM)
        h.x[12] = 3001
        h.pc = CODE
        runs.append(trace(m, fast, 50_000))
    assert runs[0][-1][3][10:12] == (3001, 1501)
    assert runs[0] == runs[1]


def sv39_setup(m, h):
    """S-mode with Sv39: RAM's GiB mapped 1:1 (RWX), and s0 -> a read-only 4 KiB view of DATA at 0x4000_0000."""
    from oskit.machine.mmu import PTE_A, PTE_R, PTE_V, PTE_W, PTE_X

    root, l1, l0 = RAM + 0x20_0000 - 0x3000, RAM + 0x20_0000 - 0x2000, RAM + 0x20_0000 - 0x1000
    m.bus.write_bytes(root, bytes(0x3000))

    def put(at, value):
        m.bus.write_bytes(at, value.to_bytes(8, "little"))

    put(root + 8 * 2, ((RAM >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X)
    put(root + 8 * 1, ((l1 >> 12) << 10) | PTE_V)
    put(l1, ((l0 >> 12) << 10) | PTE_V)
    put(l0, ((DATA >> 12) << 10) | PTE_V | PTE_R | PTE_A)
    h.csr.write("satp", (8 << 60) | (root >> 12))
    h.csr.write("mstatus", 1 << 11)  # MPP = S: the handler's mret returns to S-mode
    h.priv = 1
    h.x[8] = 0x4000_0000


@pytest.mark.parametrize("seed", range(4))
def test_random_programs_agree_in_s_mode_with_sv39(seed):
    """Under Sv39 in S-mode (stores to a read-only page fault with cause 15), both paths agree."""
    rng = random.Random(1000 + seed)
    body = [line for line in random_program(rng, rng.randint(30, 90)) if not line.startswith(("ecall", "csrrs"))]
    body.insert(0, "sd a0, 8(s0)")  # at least one store page fault per pass
    loops = rng.randint(3, 8)
    runs = []
    for fast in (False, True):
        m = machine()
        build(m, body, loops)
        sv39_setup(m, m.harts[0])
        runs.append(trace(m, fast, 20_000))
    causes = {t[0] for t in runs[0][:-1]}
    assert 15 in causes
    assert runs[0] == runs[1]


def test_misaligned_pc_from_the_host_traps_on_both_paths():
    """A pc set to 2 mod 4 by the host (no C extension) traps with cause 0 on both paths."""
    for fast in (False, True):
        m = machine()
        load(m, asm(HANDLER), RAM)
        load(m, asm("addi a0, a0, 1\naddi a0, a0, 1"), CODE)
        h = m.harts[0]
        h.csr.write("mtvec", RAM)
        h.fast = fast
        h.run(1)  # the page of CODE is now in the fetch cache
        h.pc = CODE + 2
        h.run(1)
        assert (h.csr.read("mcause"), h.csr.read("mtval"), h.pc) == (0, CODE + 2, RAM)


@pytest.mark.parametrize("seed", range(3))
def test_scratch_csr_instructions_run_inside_blocks(seed):
    """csrrw on sscratch runs inside a block; mscratch from S-mode traps there with the instruction as tval.

    A trap handler's register saving (trampoline.S: csrrw sp, sscratch, sp; ... csrr t0, sepc)
    runs as one block (choices.BLOCK_CSRS); a CSR out of reach in the middle of a block must
    still trap at exactly that instruction, with mtval = its bits, as the plain path does.
    """
    rng = random.Random(2000 + seed)
    body = [line for line in random_program(rng, rng.randint(20, 60)) if not line.startswith(("ecall", "csrrs"))]
    body.insert(rng.randrange(len(body) + 1), "csrrw a3, sscratch, a4")
    illegal = "csrrw a5, mscratch, a5"  # M-mode only: illegal in S
    body.insert(rng.randrange(len(body) + 1), illegal)
    runs = []
    for fast in (False, True):
        m = machine()
        build(m, body, 6)
        sv39_setup(m, m.harts[0])
        runs.append(trace(m, fast, 20_000))
        if fast:
            sources = [b.source for b in m.harts[0]._blocks.values()]
            assert any("csr_instruction" in s for s in sources)
    assert runs[0] == runs[1]
    illegal_traps = [t for t in runs[1][:-1] if t[0] == 2]
    assert illegal_traps and all(t[1] == asm1(illegal) for t in illegal_traps)
