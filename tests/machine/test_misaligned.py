"""Misaligned loads and stores: done by the hardware by default, in pieces across pages; trapping on request.

Every test runs on both execution paths: the plain interpreter and the fast
path (translated blocks, every block translated at its first visit).
"""

from __future__ import annotations

import pytest
from mc_asm import RAM, asm, load, machine
from test_mmu import RWX, fresh, map_page

from oskit.machine.mmu import PTE_R, PTE_W

CODE = RAM + 0x1000
MTVEC = RAM + 0x800  # wfi forever: run() returns there, and mcause tells what happened
PAGE_END = RAM + 0x2_0000  # a page boundary: the data straddles it
DATA = PAGE_END - 16  # s0
RESULTS = RAM + 0x3_0000  # s1
PATTERN = bytes((7 * i + 3) & 0xFF for i in range(32))  # distinct bytes, some with the top bit set

LOADS = [("lb", 1, True), ("lbu", 1, False), ("lh", 2, True), ("lhu", 2, False), ("lw", 4, True),
         ("lwu", 4, False), ("ld", 8, False)]  # fmt: skip
STORES = [("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)]

PATHS = pytest.mark.parametrize("fast", [False, True], ids=["plain", "fast"])


def run(m, text: str, fast: bool, **regs) -> int:
    """Run text at CODE in M-mode (s0 = DATA, s1 = RESULTS, or regs), ending with an ecall; returns mcause."""
    load(m, asm("wfi\njal zero, -4"), MTVEC)
    load(m, asm(text + "\necall"), CODE)
    h = m.harts[0]
    h.csr.write("mtvec", MTVEC)
    h.x[8], h.x[9] = DATA, RESULTS
    for reg, value in regs.items():
        h.x[int(reg[1:])] = value
    h.pc = CODE
    h.fast = fast
    h.hot_threshold = 1  # every block is translated at its first visit
    h.run(10_000)
    assert (h.blocks_translated > 0) == fast
    return h.csr.read("mcause")


def expected_load(data: bytes, offset: int, size: int, signed: bool) -> int:
    """What a load of size bytes at data[offset] gives in a 64-bit register (independent of the machine)."""
    value = int.from_bytes(data[offset : offset + size], "little", signed=signed)
    return value & (2**64 - 1)


@PATHS
def test_misaligned_loads_read_the_bytes_at_every_offset(fast):
    """Every load size, signed and unsigned, at every offset of 16 bytes that straddle a page boundary."""
    m = machine()
    m.bus.write_bytes(DATA, PATTERN)
    cases = [(name, size, signed, off) for name, size, signed in LOADS for off in range(17 - size)]
    text = "\n".join(f"{name} t0, {off}(s0)\nsd t0, {8 * k}(s1)" for k, (name, _, _, off) in enumerate(cases))
    assert run(m, text, fast) == 11  # the final ecall: no load trapped
    got = m.bus.read_bytes(RESULTS, 8 * len(cases))
    for k, (name, size, signed, off) in enumerate(cases):
        value = int.from_bytes(got[8 * k : 8 * k + 8], "little")
        assert value == expected_load(PATTERN, off, size, signed), f"{name} at DATA+{off}"


@PATHS
@pytest.mark.parametrize("name, size", STORES)
def test_misaligned_stores_write_exactly_their_bytes(fast, name, size):
    """A store at every offset of 16 bytes across a page boundary changes exactly size bytes, little-endian."""
    for off in range(17 - size):
        m = machine()
        m.bus.write_bytes(DATA, bytes(16))
        value = 0x8877_6655_4433_2211
        assert run(m, f"{name} t1, {off}(s0)", fast, x6=value) == 11
        want = bytearray(16)
        want[off : off + size] = value.to_bytes(8, "little")[:size]
        assert m.bus.read_bytes(DATA, 16) == bytes(want), f"{name} at DATA+{off}"


@PATHS
@pytest.mark.parametrize("text, cause", [("lw t0, 13(s0)", 4), ("lhu t0, 1(s0)", 4), ("sd t1, 9(s0)", 6),
                                         ("sh t1, 15(s0)", 6)])  # fmt: skip
def test_trapping_can_be_switched_on(fast, text, cause):
    """machine.misaligned_access_traps = True: cause 4 or 6, tval = the address, nothing loaded or stored."""
    m = machine()
    m.misaligned_access_traps = True
    m.bus.write_bytes(DATA, PATTERN)
    offset = int(text.split(",")[1].split("(")[0])
    assert run(m, text, fast, x5=0x55, x6=0) == cause
    h = m.harts[0]
    assert (h.csr.read("mtval"), h.csr.read("mepc")) == (DATA + offset, CODE)
    assert h.x[5] == 0x55
    assert m.bus.read_bytes(DATA, 32) == PATTERN


@PATHS
@pytest.mark.parametrize("text, cause", [("lr.w t0, (a0)", 4), ("lr.d t0, (a0)", 4), ("sc.w t0, t1, (a0)", 6),
                                         ("amoadd.d t0, t1, (a0)", 6), ("amoswap.w t0, t1, (a0)", 6)])  # fmt: skip
def test_misaligned_atomics_always_trap(fast, text, cause):
    """lr traps with 4, sc and AMOs with 6, tval = the address, even though plain loads and stores do not trap."""
    m = machine()
    m.bus.write_bytes(DATA, PATTERN)
    assert run(m, text, fast, x10=DATA + 2, x5=0x55) == cause
    h = m.harts[0]
    assert h.csr.read("mtval") == DATA + 2
    assert h.x[5] == 0x55
    assert m.bus.read_bytes(DATA, 32) == PATTERN


@PATHS
def test_a_misaligned_access_to_a_device_is_an_access_fault(fast):
    """A device register is never accessed in pieces: lw at the UART's base + 1 is a load access fault (5)."""
    m = machine()
    assert run(m, "lw t0, 1(a0)", fast, x10=0x1000_0000) == 5
    assert m.harts[0].csr.read("mtval") == 0x1000_0001


@PATHS
def test_misaligned_access_past_the_end_of_ram_faults_on_the_second_piece(fast):
    """An ld whose last 4 bytes lie beyond RAM: access fault 5, tval = the first address past RAM."""
    m = machine()
    end = m.ram.end
    assert run(m, "ld t0, 0(a0)", fast, x10=end - 4) == 5
    assert m.harts[0].csr.read("mtval") == end


# -- page faults on the second page: Sv39 in S-mode ----------------------------------------------

VCODE = 0x1000  # virtual pages: code, data (mapped), then a page that is not mapped
VDATA = 0x10_0000
VHOLE = VDATA + 0x1000
STVEC = VCODE + 0x800


def run_s_mode(text: str, fast: bool, flags_second_page: int | None) -> tuple:
    """Run text in S-mode under Sv39 with s0 = VHOLE - 8; returns (scause, stval, sepc, the 16 bytes there)."""
    m, h = fresh()
    map_page(m, VCODE, CODE, RWX)
    map_page(m, VDATA, RAM + 0x4_0000, PTE_R | PTE_W)
    if flags_second_page is not None:
        map_page(m, VHOLE, RAM + 0x5_0000, flags_second_page)
    m.bus.write_bytes(RAM + 0x4_0000 + 0xFF8, PATTERN[:8])
    m.bus.write_bytes(RAM + 0x5_0000, PATTERN[8:16])
    load(m, asm(text + "\necall"), CODE)
    load(m, asm("wfi\njal zero, -4"), CODE + 0x800)
    h.csr.write("medeleg", (1 << 9) | (1 << 13) | (1 << 15))  # ecall from S, load and store page faults
    h.csr.write("stvec", STVEC)
    h.x[8] = VHOLE - 8
    h.x[6] = 0x8877_6655_4433_2211
    h.x[5] = 0x55
    h.priv = 1
    h.pc = VCODE
    h.fast = fast
    h.hot_threshold = 1
    h.run(1000)
    around = m.bus.read_bytes(RAM + 0x4_0000 + 0xFF8, 8) + m.bus.read_bytes(RAM + 0x5_0000, 8)
    return h.csr.read("scause"), h.csr.read("stval"), h.csr.read("sepc"), h.x[5], around


@PATHS
def test_a_load_across_pages_reads_both(fast):
    """ld 4 bytes before a page end: the two pieces come from two different physical pages."""
    scause, _, _, t0, _ = run_s_mode("ld t0, 4(s0)", fast, PTE_R)
    assert scause == 9  # the ecall: nothing faulted
    assert t0 == int.from_bytes(PATTERN[4:12], "little")


@PATHS
def test_a_load_page_fault_on_the_second_page_reports_that_page(fast):
    """ld across into an unmapped page: load page fault (13), stval = the second page's first address."""
    scause, stval, sepc, t0, _ = run_s_mode("ld t0, 4(s0)", fast, None)
    assert (scause, stval, sepc, t0) == (13, VHOLE, VCODE, 0x55)


@PATHS
def test_a_store_page_fault_on_the_second_page_writes_nothing(fast):
    """sw across into a read-only page: store page fault (15), stval = that page, the first page unchanged."""
    scause, stval, sepc, _, around = run_s_mode("sw t1, 6(s0)", fast, PTE_R)
    assert (scause, stval, sepc) == (15, VHOLE, VCODE)
    assert around == PATTERN[:16]


@PATHS
def test_a_store_across_pages_writes_both(fast):
    """sd 3 bytes before a page end: 3 bytes on the first physical page, 5 on the second."""
    scause, _, _, _, around = run_s_mode("sd t1, 5(s0)", fast, PTE_R | PTE_W)
    assert scause == 9
    want = bytearray(PATTERN[:16])
    want[5:13] = (0x8877_6655_4433_2211).to_bytes(8, "little")
    assert around == bytes(want)
