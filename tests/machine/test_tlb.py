"""The TLB as a program sees it: capacity, sfence.vma, ASIDs and global pages, and its counters.

Every test runs a small S-mode program under Sv39 that loads one word from
each of N consecutive pages, for a number of passes, and counts the TLB
misses on those data pages (from the "tlb_miss" events). The expectations are
worked out by hand from the TLB's rules: 256 entries, oldest dropped first.
"""

from __future__ import annotations

import pytest
from mc_asm import RAM, asm, load, machine

from oskit.machine import choices
from oskit.machine.sv39 import PTE_A, PTE_D, PTE_G, PTE_R, PTE_V, PTE_W, PTE_X, make_satp

S = 1
CODE = RAM + 0x1000  # the program, mapped 1:1
FRAME = RAM + 0x8000  # every data page maps this one frame (the TLB caches virtual pages)
DATA_VA = 0x4000_0000  # N data pages from here (one level-0 table holds 512)
TABLES = RAM + 0x10_0000  # page tables are allocated from here

# a0 = first data page, a1 = pages, a2 = passes, a3 = an address to sfence.vma after each pass (0: none),
# s1 = 4096. Ends in wfi (the run returns).
PROGRAM = """
    addi t0, a0, 0
    addi t1, a1, 0
    ld t2, 0(t0)
    add t0, t0, s1
    addi t1, t1, -1
    bne t1, zero, -12
    beq a3, zero, 8
    sfence.vma a3, zero
    addi a2, a2, -1
    bne a2, zero, -36
    wfi
"""


class Tables:
    """Sv39 page tables in the test machine's RAM, built by the host."""

    def __init__(self, m):
        self.m = m
        self.next = TABLES

    def new_table(self) -> int:
        pa = self.next
        self.next += 4096
        self.m.bus.write_bytes(pa, bytes(4096))
        return pa

    def map(self, root: int, va: int, pa: int, flags: int, table_flags: int = 0) -> None:
        """Map the 4 KiB page va -> pa under root (tables made as needed; table_flags on new pointers)."""
        table = root
        for level in (2, 1):
            slot = table + 8 * ((va >> (12 + 9 * level)) & 511)
            pte = int.from_bytes(self.m.bus.read_bytes(slot, 8), "little")
            if not pte & PTE_V:
                pte = ((self.new_table() >> 12) << 10) | PTE_V | table_flags
                self.m.bus.write_bytes(slot, pte.to_bytes(8, "little"))
            table = ((pte >> 10) & ((1 << 44) - 1)) << 12
        slot = table + 8 * ((va >> 12) & 511)
        self.m.bus.write_bytes(slot, (((pa >> 12) << 10) | flags | PTE_V).to_bytes(8, "little"))

    def address_space(self, pages: int, data_flags: int = 0) -> int:
        """A root mapping the program 1:1 and `pages` data pages at DATA_VA; returns the root."""
        root = self.new_table()
        self.map(root, CODE, CODE, PTE_R | PTE_X | PTE_A)
        for i in range(pages):
            self.map(root, DATA_VA + 4096 * i, FRAME, PTE_R | PTE_W | PTE_A | PTE_D | data_flags)
        return root


def setup(pages: int, fast: bool = True, asid: int = 1):
    """A machine in S-mode with the program loaded and an address space of `pages` data pages."""
    m = machine()
    load(m, asm(PROGRAM), CODE)
    tables = Tables(m)
    h = m.harts[0]
    h.fast = fast
    h.hot_threshold = 1
    h.csr.write("satp", make_satp(tables.address_space(pages), asid))
    h.priv = S
    return m, h, tables


def run(m, h, pages: int, passes: int, flush_va: int = 0) -> list[int]:
    """Run the program once; returns the data pages (va) of the TLB misses, in order."""
    h.pc = CODE
    h.waiting = False
    h.x[10], h.x[11], h.x[12], h.x[13], h.x[9] = DATA_VA, pages, passes, flush_va, 4096
    missed = []

    def on_miss(ev):
        if DATA_VA <= ev.va < DATA_VA + 512 * 4096:
            missed.append(ev.va & ~0xFFF)

    m.events.subscribe("tlb_miss", on_miss)
    try:
        while not h.waiting:
            h.run(10_000)
    finally:
        m.events.unsubscribe("tlb_miss", on_miss)
    assert h.x[12] == 0, "the program ran all its passes"
    return missed


@pytest.mark.parametrize("fast", [False, True])
def test_a_small_working_set_misses_only_on_the_first_pass(fast):
    """64 pages fit in the TLB: 3 passes over them miss 64 times, all in the first pass."""
    m, h, _ = setup(64, fast)
    assert choices.TLB_CAPACITY >= 64 + 1  # the data pages and the code page
    missed = run(m, h, 64, passes=3)
    assert missed == [DATA_VA + 4096 * i for i in range(64)]


@pytest.mark.parametrize("fast", [False, True])
def test_a_working_set_larger_than_the_tlb_misses_on_every_pass(fast):
    """512 pages do not fit in 256 entries: with the oldest dropped first, every access of every pass misses."""
    m, h, _ = setup(512, fast)
    assert choices.TLB_CAPACITY < 512
    missed = run(m, h, 512, passes=3)
    assert missed == [DATA_VA + 4096 * i for i in range(512)] * 3
    assert len(h.mmu.entries()) == choices.TLB_CAPACITY


def test_a_tiny_tlb_thrashes_on_a_small_working_set():
    """With the capacity set to 8 entries, 16 pages miss on every pass (the page caches obey it too)."""
    m, h, _ = setup(16)
    h.mmu.capacity = 8
    missed = run(m, h, 16, passes=4)
    assert len(missed) == 16 * 4
    assert len(h.mmu.entries()) <= 8


@pytest.mark.parametrize("fast", [False, True])
def test_sfence_vma_of_one_address_makes_exactly_that_page_miss(fast):
    """After each pass the program flushes one page: the next pass misses on that page and no other."""
    m, h, _ = setup(64, fast)
    victim = DATA_VA + 4096 * 5
    missed = run(m, h, 64, passes=3, flush_va=victim + 0x123)  # any address inside the page
    assert missed == [DATA_VA + 4096 * i for i in range(64)] + [victim, victim]


def test_asid_tagged_entries_survive_a_satp_switch():
    """Run in ASID 1, then ASID 2 (its own tables), then ASID 1 again: ASID 1's pages still hit."""
    m, h, tables = setup(64, asid=1)
    satp1 = h.csr.read("satp")
    satp2 = make_satp(tables.address_space(64), asid=2)
    assert len(run(m, h, 64, passes=1)) == 64
    h.csr.write("satp", satp2)
    assert len(run(m, h, 64, passes=1)) == 64  # other tables, other ASID: its own entries
    h.csr.write("satp", satp1)
    assert run(m, h, 64, passes=1) == []
    assert {e.asid for e in h.mmu.entries()} == {1, 2}


def test_global_entries_are_shared_by_every_address_space():
    """Pages mapped with G (here by G on their tables, as a kernel maps its half) hit in any ASID."""
    m = machine()
    load(m, asm(PROGRAM), CODE)
    tables = Tables(m)
    template = tables.new_table()  # a root used only to build the level-1 table of global pages under
    for i in range(64):
        tables.map(template, DATA_VA + 4096 * i, FRAME, PTE_R | PTE_W | PTE_A | PTE_D, table_flags=PTE_G)
    l1_pointer = m.bus.read_bytes(template + 8 * (DATA_VA >> 30), 8)
    roots = []
    for _ in range(2):  # two address spaces, each with its own code mapping, sharing that table
        root = tables.new_table()
        tables.map(root, CODE, CODE, PTE_R | PTE_X | PTE_A)
        m.bus.write_bytes(root + 8 * (DATA_VA >> 30), l1_pointer)
        roots.append(root)
    h = m.harts[0]
    h.hot_threshold = 1
    h.priv = S
    h.csr.write("satp", make_satp(roots[0], asid=1))
    assert len(run(m, h, 64, passes=1)) == 64
    h.csr.write("satp", make_satp(roots[1], asid=2))
    assert run(m, h, 64, passes=1) == []
    h.mmu.flush(asid=2)  # an ASID flush keeps global entries
    assert run(m, h, 64, passes=1) == []


@pytest.mark.parametrize("pages", [64, 512])
def test_every_fetch_and_data_access_is_a_lookup(pages):
    """lookups = instructions fetched + loads; the plain interpreter and the fast path count the same."""
    counts = []
    for fast in (False, True):
        m, h, _ = setup(pages, fast)
        run(m, h, pages, passes=3)
        mmu = h.mmu
        assert mmu.lookups == h.instret + 3 * pages  # every instruction (wfi too) and every ld
        assert mmu.hits == mmu.lookups - mmu.misses
        counts.append((mmu.lookups, mmu.misses))
    assert counts[0] == counts[1]


def test_an_evicted_code_page_is_walked_again_before_its_next_instruction():
    """A load that evicts the page the program runs from ends the block: the next fetch misses, as in the plain path."""
    walks = []
    for fast in (False, True):
        m, h, _ = setup(16, fast)
        h.mmu.capacity = 4
        seen = []
        m.events.subscribe("walk", lambda ev, seen=seen: seen.append((ev.va, ev.access)))
        run(m, h, 16, passes=2)
        assert ("x" in {a for _, a in seen[1:]}), "the code page was walked again"
        walks.append(seen)
    assert walks[0] == walks[1]


@pytest.mark.parametrize("fast", [False, True])
def test_raising_permissions_needs_no_sfence(fast):
    """A page first read through a read-only PTE, then made writable in memory: the store re-walks and succeeds.

    The TLB entry (and the page-cache entries filled from it) would fault the
    store, so it is dropped and the page walked again (one more miss); the
    next load uses the new entry.
    """
    m = machine()
    load(m, asm("ld t2, 0(a0)\nsd t2, 8(a0)\nld t3, 8(a0)\nwfi"), CODE)
    tables = Tables(m)
    root = tables.new_table()
    tables.map(root, CODE, CODE, PTE_R | PTE_X | PTE_A)
    tables.map(root, DATA_VA, FRAME, PTE_R | PTE_A)
    h = m.harts[0]
    h.fast = fast
    h.hot_threshold = 1
    h.csr.write("satp", make_satp(root, asid=1))
    h.priv = S
    h.pc, h.x[10] = CODE, DATA_VA
    m.bus.write_bytes(FRAME, (1234).to_bytes(8, "little"))
    assert h.run(1) == 1 and h.x[7] == 1234
    assert h.mmu.misses == 2  # the code page and the data page
    tables.map(root, DATA_VA, FRAME, PTE_R | PTE_W | PTE_A | PTE_D)  # no sfence.vma
    h.run(3)
    assert h.waiting and h.csr.read("mcause") == 0  # no trap was taken
    assert h.x[28] == 1234 and h.mmu.misses == 3
    assert h.mmu.lookups == 4 + 3  # four fetches (wfi too), three data accesses
