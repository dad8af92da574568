"""The pure Sv39 walker: against the naive reference walk, against its own leaves(), and its reasons."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mc_asm import RAM, machine
from test_mmu import ROOT, build_tables, mapping, query, reference_translate, satp, va_of

from oskit.machine import sv39
from oskit.machine.sv39 import PTE_A, PTE_R, PTE_V, PTE_W, PTE_X

S = 1


def ram_reader(m, reads=None):
    """read_pte over the machine's RAM (None outside it), optionally recording every address read."""

    def read_pte(pa):
        if reads is not None:
            reads.append(pa)
        off = pa - RAM
        if not 0 <= off <= len(m.ram.data) - 8:
            return None
        return int.from_bytes(m.ram.data[off : off + 8], "little")

    return read_pte


@settings(max_examples=80, deadline=None)
@given(st.lists(mapping, min_size=1, max_size=12), st.lists(query, min_size=1, max_size=25))
def test_walk_matches_the_reference_and_writes_nothing(mappings, queries):
    """With every permission granted (S-mode, SUM, MXR, a load), walk() gives the reference's page or fault."""
    m = machine()
    build_tables(m, mappings)
    before = bytes(m.ram.data)
    mirror = bytearray(m.ram.data)
    for i2, i1, i0, off, *_ in queries:
        va = va_of(i2, i1, i0, off)
        reads = []
        w = sv39.walk(ram_reader(m, reads), satp(), va)
        want = reference_translate(mirror, satp(), va, "r", S, True, True)
        got = ("ok", w.pa) if w.fault is None else ("fault", w.fault)
        assert got == want, (hex(va), w.why)
        # It read exactly the PTEs it reports, and then, for an access fault, the address that has no memory.
        assert reads[: len(w.ptes)] == [pa for _, pa, _ in w.ptes]
        assert len(reads) == len(w.ptes) + (w.fault == "access")
    assert bytes(m.ram.data) == before


@settings(max_examples=60, deadline=None)
@given(st.lists(mapping, min_size=1, max_size=12), st.lists(query, min_size=1, max_size=25))
def test_leaves_are_exactly_where_walks_succeed(mappings, queries):
    """Each leaf translates its whole page as listed; an address no leaf covers does not translate."""
    m = machine()
    build_tables(m, mappings)
    read = ram_reader(m)
    found = list(sv39.leaves(read, satp()))
    assert [lf.va for lf in found] == sorted(lf.va for lf in found)
    for lf in found:
        size = 1 << (12 + 9 * lf.level)
        for offset in (0, size - 8):
            assert sv39.walk(read, satp(), lf.va + offset).pa == lf.pa + offset
    for i2, i1, i0, off, *_ in queries:
        va = va_of(i2, i1, i0, off)
        covered = [lf for lf in found if lf.va <= va < lf.va + (1 << (12 + 9 * lf.level))]
        assert (sv39.walk(read, satp(), va).fault is None) == bool(covered)


def test_each_step_says_why_it_faults():
    """The walk names the check that failed: canonical form, missing memory, V, reserved, level 0, alignment."""
    m = machine()
    m.bus.write_bytes(ROOT, bytes(3 * 4096))
    l1, l0 = ROOT + 0x1000, ROOT + 0x2000
    put = lambda pa, pte: m.bus.write_bytes(pa, pte.to_bytes(8, "little"))  # noqa: E731
    put(ROOT, ((l1 >> 12) << 10) | PTE_V)
    put(l1, ((l0 >> 12) << 10) | PTE_V)
    put(l0 + 8 * 1, ((0x8010_0000 >> 12) << 10) | PTE_V | PTE_W)  # 0x1000: W without R
    put(l0 + 8 * 2, ((0x8010_0000 >> 12) << 10) | PTE_V | PTE_R | (1 << 62))  # 0x2000: PBMT set
    put(l0 + 8 * 3, ((l0 >> 12) << 10) | PTE_V)  # 0x3000: a pointer at level 0
    put(l1 + 8 * 1, ((0x8010_1000 >> 12) << 10) | PTE_V | PTE_R | PTE_X)  # 0x20_0000: misaligned 2 MiB
    put(ROOT + 8 * 1, ((0x4000_0000 >> 12) << 10) | PTE_V)  # 0x4000_0000: next table outside RAM
    put(l0 + 8 * 5, ((0x8010_2000 >> 12) << 10) | PTE_V | PTE_R | PTE_A)  # 0x5000: fine
    read = ram_reader(m)
    cases = {
        1 << 39: ("page", "address not canonical"),
        0x1000: ("page", "W without R at level 0"),
        0x2000: ("page", "reserved bits set at level 0"),
        0x3000: ("page", "pointer PTE at level 0"),
        0x4000: ("page", "invalid PTE at level 0"),
        0x20_0000: ("page", "misaligned superpage at level 1"),
        0x4000_0000: ("access", "no memory at PTE address 0x40000000"),
    }
    for va, (fault, why) in cases.items():
        w = sv39.walk(read, satp(), va)
        assert (w.fault, w.pa) == (fault, None) and w.why.startswith(why), (hex(va), w.why)
    w = sv39.walk(read, satp(), 0x5678)
    assert (w.fault, w.pa, w.level, w.pte_pa, len(w.ptes)) == (None, 0x8010_2678, 0, l0 + 8 * 5, 3)


def test_ram_reader_reads_only_ram():
    """ram_reader gives the little-endian PTE in RAM and None for any 8 bytes not wholly inside it."""
    m = machine()
    m.bus.write_bytes(RAM + 0x100, (0x1122_3344_5566_7788).to_bytes(8, "little"))
    read = sv39.ram_reader(m.bus.ram)
    assert read(RAM + 0x100) == 0x1122_3344_5566_7788
    end = RAM + len(m.ram.data)
    assert read(end - 8) is not None
    assert read(end - 4) is None and read(end) is None and read(RAM - 8) is None and read(0x1000_0000) is None


def test_pte_bits_table_names_the_eight_flags():
    """PTE_BITS lists V R W X U G A D at bits 0..7; pte_flags draws them high to low."""
    assert "".join(b.letter for b in sv39.PTE_BITS) == "VRWXUGAD"
    assert [b.bit for b in sv39.PTE_BITS] == list(range(8))
    assert sv39.pte_flags(PTE_V | PTE_R | PTE_X | PTE_A) == "-A--X-RV"
    assert sv39.make_satp(0x8020_3000, asid=1) == (8 << 60) | (1 << 44) | 0x80203
