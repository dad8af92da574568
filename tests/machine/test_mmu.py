"""Sv39 translation: the MMU against a naive reference walk (hypothesis), the TLB, and faults from code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mc_asm import RAM, asm, load, machine

from oskit.machine.mmu import PTE_A, PTE_D, PTE_G, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X
from oskit.machine.trap import PageFault, Trap

U, S, M = 0, 1, 3
ROOT = RAM + 0x10000  # page tables live in [ROOT, ROOT + 64 pages)
SV39 = 8 << 60


def satp(asid: int = 0, root: int = ROOT) -> int:
    return SV39 | (asid << 44) | (root >> 12)


# -- the reference: the spec's algorithm, written as plainly as possible ----------------------


def reference_translate(mem: bytearray, satp_value, va, access, priv, sum_, mxr):
    """Return ("ok", pa) or ("fault", kind) where kind is "page" or "access"; updates A/D in mem."""

    def read(pa):
        off = pa - RAM
        if not 0 <= off <= len(mem) - 8:
            return None
        return int.from_bytes(mem[off : off + 8], "little")

    if va >> 38 not in (0, (1 << 26) - 1):
        return ("fault", "page")
    table = (satp_value & ((1 << 44) - 1)) << 12
    for level in (2, 1, 0):
        index = (va >> (12 + 9 * level)) & 511
        pte_pa = table + 8 * index
        pte = read(pte_pa)
        if pte is None:
            return ("fault", "access")
        v, r, w, x, u = (pte >> 0) & 1, (pte >> 1) & 1, (pte >> 2) & 1, (pte >> 3) & 1, (pte >> 4) & 1
        if not v or (w and not r) or pte >> 54:
            return ("fault", "page")
        ppn = (pte >> 10) & ((1 << 44) - 1)
        if not (r or x):
            table = ppn << 12
            continue
        if u and priv == S and (access == "x" or not sum_):
            return ("fault", "page")
        if not u and priv == U:
            return ("fault", "page")
        if access == "r" and not (r or (mxr and x)):
            return ("fault", "page")
        if access == "w" and not w:
            return ("fault", "page")
        if access == "x" and not x:
            return ("fault", "page")
        if level and ppn & ((1 << (9 * level)) - 1):
            return ("fault", "page")
        new = pte | PTE_A | (PTE_D if access == "w" else 0)
        off = pte_pa - RAM
        mem[off : off + 8] = new.to_bytes(8, "little")
        low = (1 << (12 + 9 * level)) - 1
        return ("ok", ((ppn << 12) & ~low) | (va & low))
    return ("fault", "page")


# -- random page tables -----------------------------------------------------------------------

mapping = st.tuples(
    st.integers(0, 3),  # vpn[2] choice (0..2 low half, 3 = the top, kernel half)
    st.integers(0, 2),  # vpn[1]
    st.integers(0, 3),  # vpn[0]
    st.sampled_from([0, 0, 0, 1, 2]),  # leaf level
    st.integers(0, 255),  # flags D A G U X W R V
    st.integers(0, (1 << 20) - 1),  # ppn (superpages often misaligned on purpose)
    st.booleans(),  # a reserved bit set
)
query = st.tuples(
    st.integers(0, 3), st.integers(0, 2), st.integers(0, 3), st.integers(0, 4095),
    st.sampled_from("rwx"), st.sampled_from([U, S]), st.booleans(), st.booleans(),
)  # fmt: skip

VPN2 = [0, 1, 2, 511]


def va_of(i2, i1, i0, off=0):
    va = (VPN2[i2] << 30) | (i1 << 21) | (i0 << 12) | off
    return va | (((1 << 25) - 1) << 39) if VPN2[i2] == 511 else va  # sign-extend bit 38


def build_tables(m, mappings):
    """Write page tables for the mappings into RAM (non-leaf tables allocated from ROOT upward)."""
    m.ram.data[ROOT - RAM : ROOT - RAM + 64 * 4096] = bytes(64 * 4096)
    next_page = [ROOT + 4096]

    def slot(table, index):
        return table + 8 * index

    def rd(pa):
        return int.from_bytes(m.bus.read_bytes(pa, 8), "little")

    for i2, i1, i0, level, flags, ppn, reserved in mappings:
        table = ROOT
        for lvl, index in ((2, VPN2[i2]), (1, i1), (0, i0)):
            pa = slot(table, index)
            if lvl == level:
                if rd(pa) == 0:
                    pte = (ppn << 10) | flags | ((1 << 60) if reserved else 0)
                    m.bus.write_bytes(pa, pte.to_bytes(8, "little"))
                break
            pte = rd(pa)
            if pte == 0:
                new = next_page[0]
                next_page[0] += 4096
                pte = ((new >> 12) << 10) | PTE_V
                m.bus.write_bytes(pa, pte.to_bytes(8, "little"))
            table = ((pte >> 10) & ((1 << 44) - 1)) << 12
            if pte & (PTE_R | PTE_X) or not pte & PTE_V or not ROOT <= table < next_page[0]:
                break  # a leaf (or a random pointer) is already there: this mapping is shadowed


@settings(max_examples=120, deadline=None)
@given(st.lists(mapping, min_size=1, max_size=12), st.lists(query, min_size=1, max_size=25), st.integers(0, 3))
def test_mmu_matches_reference_walk(mappings, queries, asid):
    """For random page tables and accesses, the MMU (with its TLB) gives the reference's pa or fault and A/D bits."""
    m = machine()
    h = m.harts[0]
    build_tables(m, mappings)
    h.csr.write("satp", satp(asid))
    mirror = bytearray(m.ram.data)
    for i2, i1, i0, off, access, priv, sum_, mxr in queries:
        va = va_of(i2, i1, i0, off)
        h.csr.write("mstatus", (1 << 18 if sum_ else 0) | (1 << 19 if mxr else 0))
        want = reference_translate(mirror, satp(asid), va, access, priv, sum_, mxr)
        try:
            got = ("ok", h.translate(va, access, priv))
        except Trap as t:
            assert t.tval == va
            got = ("fault", "page" if isinstance(t, PageFault) else "access")
            cause = {"page": {"r": 13, "w": 15, "x": 12}, "access": {"r": 5, "w": 7, "x": 1}}[got[1]][access]
            assert t.cause == cause
        assert got == want, (hex(va), access, priv, sum_, mxr)
        assert m.ram.data[ROOT - RAM : ROOT - RAM + 64 * 4096] == mirror[ROOT - RAM : ROOT - RAM + 64 * 4096]


# -- directed cases -----------------------------------------------------------------------------


def map_page(m, va, pa, flags, level=0):
    """Map va -> pa with a leaf at `level`, allocating page tables from ROOT + 32 KiB upward."""
    tables = TABLES.setdefault(id(m), [ROOT + 4096 * 8])
    table = ROOT
    for lvl in (2, 1, 0):
        index = (va >> (12 + 9 * lvl)) & 511
        slot = table + 8 * index
        if lvl == level:
            m.bus.write_bytes(slot, (((pa >> 12) << 10) | flags | PTE_V).to_bytes(8, "little"))
            return
        pte = int.from_bytes(m.bus.read_bytes(slot, 8), "little")
        if not pte & PTE_V:
            new = tables[0]
            tables[0] += 4096
            m.bus.write_bytes(new, bytes(4096))
            pte = ((new >> 12) << 10) | PTE_V
            m.bus.write_bytes(slot, pte.to_bytes(8, "little"))
        table = ((pte >> 10) & ((1 << 44) - 1)) << 12


def fresh(asid=0):
    m = machine()
    m.bus.write_bytes(ROOT, bytes(4096 * 16))
    TABLES[id(m)] = [ROOT + 4096 * 8]
    h = m.harts[0]
    h.csr.write("satp", satp(asid))
    return m, h


def pte_at(m, va, level=0):
    table = ROOT
    for lvl in (2, 1, 0):
        slot = table + 8 * ((va >> (12 + 9 * lvl)) & 511)
        pte = int.from_bytes(m.bus.read_bytes(slot, 8), "little")
        if lvl == level:
            return pte
        table = ((pte >> 10) & ((1 << 44) - 1)) << 12


RWX = PTE_R | PTE_W | PTE_X
TABLES: dict[int, list[int]] = {}  # id(machine) -> [next free page-table page]


def test_superpages_translate_low_bits_from_the_va():
    """A 2 MiB and a 1 GiB leaf map the whole range, taking the low VPN fields from the address."""
    m, h = fresh()
    map_page(m, 0x4000_0000, 0x8020_0000, RWX, level=1)
    map_page(m, 0x8000_0000, 0xC000_0000, RWX, level=2)
    assert h.translate(0x4012_3456, "r", S) == 0x8032_3456
    assert h.translate(0xBFFF_FFF8, "w", S) == 0xFFFF_FFF8


def test_misaligned_superpage_faults():
    """A 2 MiB leaf whose PPN[0] is not zero is a page fault (step 6)."""
    m, h = fresh()
    map_page(m, 0x4000_0000, 0x8020_1000, RWX, level=1)
    with pytest.raises(PageFault) as e:
        h.translate(0x4000_0000, "r", S)
    assert (e.value.cause, e.value.tval) == (13, 0x4000_0000)


def test_non_canonical_address_faults():
    """An address whose bits 63:39 differ from bit 38 faults even if the low bits are mapped."""
    m, h = fresh()
    map_page(m, 0x1000, 0x8010_0000, RWX)
    with pytest.raises(PageFault) as e:
        h.translate((1 << 39) | 0x1000, "w", S)
    assert (e.value.cause, e.value.tval) == (15, (1 << 39) | 0x1000)


def test_write_without_read_is_reserved():
    """W=1 R=0 is a reserved encoding: every access faults (step 3)."""
    m, h = fresh()
    map_page(m, 0x1000, 0x8010_0000, PTE_W | PTE_X)
    for access, cause in (("r", 13), ("w", 15), ("x", 12)):
        with pytest.raises(PageFault) as e:
            h.translate(0x1000, access, S)
        assert e.value.cause == cause


def test_accessed_and_dirty_bits_are_set_by_the_walk():
    """A read sets A; a write sets A and D (choices.HARDWARE_AD_UPDATE)."""
    m, h = fresh()
    map_page(m, 0x1000, 0x8010_0000, PTE_R | PTE_W)
    assert pte_at(m, 0x1000) & (PTE_A | PTE_D) == 0
    h.translate(0x1000, "r", S)
    assert pte_at(m, 0x1000) & (PTE_A | PTE_D) == PTE_A
    h.translate(0x1008, "w", S)
    assert pte_at(m, 0x1000) & (PTE_A | PTE_D) == PTE_A | PTE_D


def test_user_pages_from_supervisor_mode():
    """S-mode never executes a U page, and loads/stores one only with SUM; U-mode cannot touch a non-U page."""
    m, h = fresh()
    map_page(m, 0x1000, 0x8010_0000, RWX | PTE_U)
    map_page(m, 0x2000, 0x8010_1000, RWX)
    with pytest.raises(PageFault):
        h.translate(0x1000, "r", S)
    h.csr.write("sstatus", 1 << 18)  # SUM
    assert h.translate(0x1000, "r", S) == 0x8010_0000
    assert h.translate(0x1000, "w", S) == 0x8010_0000
    with pytest.raises(PageFault):
        h.translate(0x1000, "x", S)
    for access in "rwx":
        with pytest.raises(PageFault):
            h.translate(0x2000, access, U)


def test_mxr_makes_execute_only_pages_readable():
    """An X-only page is readable with MXR and not without."""
    m, h = fresh()
    map_page(m, 0x3000, 0x8010_2000, PTE_X)
    with pytest.raises(PageFault):
        h.translate(0x3000, "r", S)
    h.csr.write("sstatus", 1 << 19)
    assert h.translate(0x3000, "r", S) == 0x8010_2000


def test_mprv_translates_m_mode_loads_with_mpp():
    """With MPRV and MPP=S, an M-mode load is translated (and checked) as an S-mode load."""
    m, h = fresh()
    map_page(m, 0x5000, 0x8010_3000, PTE_R | PTE_W)
    h.x[10] = 0x5000
    m.bus.write_bytes(0x8010_3000, (0x1122334455667788).to_bytes(8, "little"))
    load(m, asm("ld a1, 0(a0)"), RAM)
    h.csr.write("mstatus", (1 << 17) | (1 << 11))  # MPRV, MPP = S
    h.pc = RAM
    h.step()
    assert h.x[11] == 0x1122334455667788
    assert h.pc == RAM + 4  # the fetch was not translated


def test_tlb_counts_and_keeps_stale_entries_until_sfence():
    """A second access hits the TLB; a changed PTE is not seen until sfence.vma for that address."""
    m, h = fresh()
    map_page(m, 0x1000, 0x8010_0000, PTE_R | PTE_A)
    h.translate(0x1000, "r", S)
    misses = h.mmu.misses
    assert h.translate(0x1004, "r", S) == 0x8010_0004
    assert (h.mmu.misses, h.mmu.hits) == (misses, 1)
    map_page(m, 0x1000, 0x8010_5000, PTE_R | PTE_A)
    assert h.translate(0x1000, "r", S) == 0x8010_0000  # stale, as the hardware may be
    h.mmu.flush(va=0x1ABC)
    assert h.translate(0x1000, "r", S) == 0x8010_5000


def test_sfence_by_asid_keeps_global_entries():
    """sfence.vma with an ASID drops that address space's entries but not global ones, nor other ASIDs."""
    m, h = fresh(asid=5)
    map_page(m, 0x1000, 0x8010_0000, PTE_R | PTE_G)
    map_page(m, 0x2000, 0x8010_1000, PTE_R)
    h.translate(0x1000, "r", S)
    h.translate(0x2000, "r", S)
    h.csr.write("satp", satp(6))
    h.translate(0x2000, "r", S)
    keys = {(e.vpn, e.asid) for e in h.mmu.entries()}
    assert keys == {(1, -1), (2, 5), (2, 6)}
    h.mmu.flush(asid=5)
    assert {(e.vpn, e.asid) for e in h.mmu.entries()} == {(1, -1), (2, 6)}
    h.mmu.flush(va=0x1000)
    assert {(e.vpn, e.asid) for e in h.mmu.entries()} == {(2, 6)}
    h.mmu.flush()
    assert h.mmu.entries() == []


def test_sfence_by_address_drops_a_whole_superpage():
    """A 2 MiB page takes one TLB entry, and a flush by any address inside it drops it."""
    m, h = fresh()
    map_page(m, 0x4000_0000, 0x8020_0000, PTE_R, level=1)
    h.translate(0x4000_0000, "r", S)
    assert h.translate(0x4010_0000, "r", S) == 0x8030_0000
    assert len(h.mmu.entries()) == 1 and h.mmu.hits == 1  # one entry covers the whole 2 MiB
    h.mmu.flush(va=0x401F_F000)
    assert h.mmu.entries() == []


def test_walk_through_missing_memory_is_an_access_fault():
    """A page table pointing outside RAM gives the access fault of the access (5 for a load), tval = va."""
    m, h = fresh()
    m.bus.write_bytes(ROOT, (((0x4000_0000 >> 12) << 10) | PTE_V).to_bytes(8, "little"))  # next level at 1 GiB
    with pytest.raises(Trap) as e:
        h.translate(0x1000, "r", S)
    assert (e.value.cause, e.value.tval) == (5, 0x1000)


def test_page_faults_from_code_carry_the_address():
    """Loads, stores and fetches in S-mode that fault trap with cause 13/15/12 and mtval = the va."""
    m, h = fresh()
    code_va = 0x10_0000
    map_page(m, code_va, RAM, PTE_R | PTE_X)  # the code page
    map_page(m, 0x20_0000, RAM + 0x8000, PTE_R)  # read-only data
    load(m, asm("ld a1, 0(a0)\nsd a0, 0(a0)"), RAM)
    h.csr.write("mtvec", RAM + 0x100)
    h.priv = S
    h.pc = code_va
    h.x[10] = 0x20_0008
    h.step()
    h.step()
    assert (h.csr.read("mcause"), h.csr.read("mtval"), h.csr.read("mepc")) == (15, 0x20_0008, code_va + 4)
    assert m.bus.read_bytes(RAM + 0x8008, 8) == b"\xaa" * 8  # the faulting store wrote nothing
    h.priv = S
    h.pc = 0x30_0000
    h.step()
    assert (h.csr.read("mcause"), h.csr.read("mtval"), h.csr.read("mepc")) == (12, 0x30_0000, 0x30_0000)


def test_global_bit_on_a_table_makes_its_leaves_global():
    """G on a non-leaf PTE makes every mapping below it global: an ASID flush keeps them."""
    m, h = fresh(asid=1)
    map_page(m, 0x1000, 0x8010_0000, PTE_R)
    root_pte = int.from_bytes(m.bus.read_bytes(ROOT, 8), "little")
    m.bus.write_bytes(ROOT, (root_pte | PTE_G).to_bytes(8, "little"))
    h.translate(0x1000, "r", S)
    assert [e.asid for e in h.mmu.entries()] == [-1]
    h.mmu.flush(asid=1)
    assert len(h.mmu.entries()) == 1


def test_step3_invalid_and_reserved_bits_fault():
    """(3) V = 0, or a reserved bit (N, PBMT, 60:54) set: page fault."""
    for pte_extra, valid in ((0, False), (1 << 63, True), (1 << 61, True), (1 << 54, True)):
        m, h = fresh()
        map_page(m, 0x1000, 0x8010_0000, PTE_R)
        slot_pte = pte_at(m, 0x1000)
        pte = (slot_pte | pte_extra) if valid else (slot_pte & ~PTE_V)
        # rewrite the leaf in place
        table = ROOT
        for lvl in (2, 1):
            entry = int.from_bytes(m.bus.read_bytes(table + 8 * ((0x1000 >> (12 + 9 * lvl)) & 511), 8), "little")
            table = ((entry >> 10) & ((1 << 44) - 1)) << 12
        m.bus.write_bytes(table + 8 * 1, pte.to_bytes(8, "little"))
        with pytest.raises(PageFault):
            h.translate(0x1000, "r", S)


def test_step4_pointer_at_the_last_level_faults():
    """(4) A valid non-leaf PTE at level 0 (nowhere left to descend) is a page fault."""
    m, h = fresh()
    map_page(m, 0x1000, 0x8010_0000, 0)  # V only: a pointer, at level 0
    with pytest.raises(PageFault) as e:
        h.translate(0x1000, "x", S)
    assert e.value.cause == 12


def test_tlb_capacity_drops_the_oldest_entry():
    """The TLB keeps at most TLB_CAPACITY entries, dropping the oldest first."""
    from oskit.machine.mmu import TLB_CAPACITY

    m, h = fresh()
    for i in range(TLB_CAPACITY + 1):
        map_page(m, 0x10_0000 + i * 4096, 0x8010_0000, PTE_R)
    for i in range(TLB_CAPACITY + 1):
        h.translate(0x10_0000 + i * 4096, "r", S)
    vpns = [e.vpn for e in h.mmu.entries()]
    assert len(vpns) == TLB_CAPACITY
    assert vpns[0] == (0x10_0000 >> 12) + 1 and vpns[-1] == (0x10_0000 >> 12) + TLB_CAPACITY
