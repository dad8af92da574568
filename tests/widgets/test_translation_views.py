"""Views of address translation: peek's walk sees what the MMU sees; PageTable and TLBView show it.

peek walks with the machine's own walker (no A/D writes, no TLB), so it
faults exactly where the hardware does; TLBView's counters are the TLB's.
"""

import pytest
from widget_programs import visible_text

from oskit.machine import Machine, choices
from oskit.machine.sv39 import PTE_A, PTE_R, PTE_V, PTE_W, PTE_X, make_satp
from oskit.machine.trap import PageFault
from widgets import PageTable, TLBView, peek

RAM = 0x8000_0000
ROOT = RAM + 0x10_0000
L1 = ROOT + 0x1000
L0 = ROOT + 0x2000
S = 1


def write_pte(m, pa: int, pte: int) -> None:
    m.bus.write_bytes(pa, pte.to_bytes(8, "little"))


def pointer(pa: int) -> int:
    return ((pa >> 12) << 10) | PTE_V


def leaf(pa: int, flags: int) -> int:
    return ((pa >> 12) << 10) | flags | PTE_V | PTE_A


@pytest.fixture
def m():
    """A machine with an Sv39 tree: root[0] -> L1; L1[0] -> L0 (4 KiB pages), L1[1..] 2 MiB leaves."""
    m = Machine(ram_mib=4)
    m.bus.write_bytes(ROOT, bytes(3 * 4096))
    write_pte(m, ROOT, pointer(L1))
    write_pte(m, L1, pointer(L0))
    write_pte(m, L0 + 8 * 1, leaf(RAM + 0x5000, PTE_R | PTE_W))  # 0x1000: a good 4 KiB page
    write_pte(m, L0 + 8 * 2, leaf(RAM + 0x6000, PTE_R) | (1 << 60))  # 0x2000: a reserved bit set
    write_pte(m, L0 + 8 * 3, leaf(RAM + 0x7000, PTE_W))  # 0x3000: W without R
    write_pte(m, L1 + 8 * 1, leaf(RAM, PTE_R | PTE_X))  # 0x20_0000: a good 2 MiB page
    write_pte(m, L1 + 8 * 2, leaf(RAM + 0x1000, PTE_R))  # 0x40_0000: a misaligned 2 MiB page
    h = m.harts[0]
    h.csr.write("satp", make_satp(ROOT, asid=1))
    h.priv = S
    return m


@pytest.mark.parametrize("va", [0x2008, 0x3008, 0x40_0008])
def test_peek_faults_where_the_mmu_faults(m, va):
    """A reserved bit, W without R, a misaligned superpage: the hardware faults, and so does the view's walk.

    (Before the views used the machine's walker, they translated the first and last of these.)
    """
    h = m.harts[0]
    with pytest.raises(PageFault):
        h.translate(va, "r")
    w = peek.walk(m, h.csr.read("satp"), va)
    assert (w.pa, w.fault) == (None, "page")
    assert peek.read_va(m, h, va, 4) is None


@pytest.mark.parametrize("va, pa", [(0x1234, RAM + 0x5234), (0x21_2345, RAM + 0x1_2345)])
def test_peek_translates_where_the_mmu_translates(m, va, pa):
    """A good 4 KiB page and a good 2 MiB page: the view's walk gives the MMU's physical address."""
    h = m.harts[0]
    w = peek.walk(m, h.csr.read("satp"), va)
    assert w.pa == pa == h.translate(va, "r")
    assert w.level == (1 if va >> 21 else 0)


def test_peek_writes_nothing(m):
    """The view's walk sets no A/D bit and fills no TLB entry, unlike the hardware walk."""
    h = m.harts[0]
    before = bytes(m.bus.read_bytes(ROOT, 3 * 4096))
    peek.walk(m, h.csr.read("satp"), 0x1000)
    assert bytes(m.bus.read_bytes(ROOT, 3 * 4096)) == before
    assert h.mmu.entries() == [] and h.mmu.lookups == 0


def test_pagetable_lists_only_usable_leaves_and_marks_the_rest(m):
    """leaves() has the two good pages; the drawing shows the three bad PTEs with the reason a walk faults."""
    view = PageTable(m.harts[0])
    assert [(va, pa, level) for va, pa, _, level in view.leaves()] == [(0x1000, RAM + 0x5000, 0),
                                                                      (0x20_0000, RAM, 1)]
    tree = view.tree.value
    assert tree.count("a walk faults here") == 3
    for reason in ("reserved bits set", "W without R", "misaligned superpage"):
        assert reason in tree


def test_tlbview_counts_every_lookup(m):
    """Four loads from one page: one lookup each, the first a miss: hits 3, hit rate 75.0%, one entry."""
    h = m.harts[0]
    for offset in (0, 8, 16, 24):
        h.translate(0x1000 + offset, "r")
    view = TLBView(h)
    counters = visible_text(view.counters.value)
    for text in ("lookups 4", "hits 3", "misses 1", "hit rate 75.0%"):
        assert text in counters
    assert f"1 of {choices.TLB_CAPACITY} entries" in visible_text(view.head.value)
