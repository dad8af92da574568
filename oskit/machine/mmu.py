"""Sv39 address translation: the page-table walk, permission checks, and the TLB.

The map of this module:

    PTE_V ... PTE_D       the bits of a page-table entry
    TLBEntry              one cached translation
    MMU                   per hart: translate(), walk(), flush() (sfence.vma), the TLB and its counters
    allowed()             the permission rule for one leaf PTE (shared by the walk and TLB hits)

Sv39 virtual address (bits 63:39 must all equal bit 38, or the access page-faults):

    63        39 38      30 29      21 20      12 11         0
    [ sign ext ][ VPN[2]  ][ VPN[1]  ][ VPN[0]  ][ page offset ]
                  9 bits     9 bits     9 bits      12 bits

Sv39 page-table entry (8 bytes; a page table is 512 of them, one 4 KiB page):

    63  62 61  60    54 53     28 27     19 18     10 9  8 7 6 5 4 3 2 1 0
    [N][PBMT ][reserved][ PPN[2] ][ PPN[1] ][ PPN[0] ][RSW][D A G U X W R V]

A leaf is a valid PTE with R or X set; a valid PTE with R = X = 0 points to
the next level. Physical address = PPN << 12 | page offset, where a leaf at
level 1 (2 MiB) or level 2 (1 GiB) takes the low VPN fields from the virtual
address ("superpage"). N and PBMT (Svnapot, Svpbmt) are not implemented, so
they count as reserved bits: set, they make the PTE fault.

The TLB caches successful translations only, one entry per page of any size,
keyed by (first virtual page, level, ASID); global entries (G set on the leaf
or on any table above it) match every ASID. A hit is re-checked against the current
privilege, SUM and MXR; a hit that would fault, or a store to a page whose
cached D bit is clear, walks again (so raising permissions in a PTE never
needs an sfence.vma; lowering them does, as on real hardware).
"""

from __future__ import annotations

from typing import NamedTuple

from oskit.machine import choices
from oskit.machine.events import TlbFlushEvent, TlbMissEvent, WalkEvent
from oskit.machine.trap import ACCESS_FAULT, PAGE_FAULT, Priv, Trap

PTE_V = 1 << 0  # valid
PTE_R = 1 << 1  # readable
PTE_W = 1 << 2  # writable
PTE_X = 1 << 3  # executable
PTE_U = 1 << 4  # accessible to U-mode
PTE_G = 1 << 5  # global: in every address space
PTE_A = 1 << 6  # accessed
PTE_D = 1 << 7  # dirty
PTE_RESERVED = 0x3FF << 54  # N, PBMT and bits 60:54
PPN_MASK = (1 << 44) - 1

LEVELS = 3  # Sv39
PAGE_SHIFT = 12
VPN_BITS = 9
TLB_CAPACITY = choices.TLB_CAPACITY  # entries; the oldest is dropped first
GLOBAL = -1  # the ASID slot of global entries in the TLB's keys


class TLBEntry(NamedTuple):
    """A cached translation of one page (4 KiB, or a 2 MiB / 1 GiB superpage)."""

    vpn: int  # the page's first virtual page number (va >> 12, low 9*level bits clear)
    asid: int  # the ASID it was walked under (GLOBAL for G pages)
    ppn: int  # the page's first physical page number
    pte: int  # the leaf PTE as the walk left it (A and D set by the walk)
    level: int  # 0: 4 KiB page, 1: 2 MiB, 2: 1 GiB
    pte_pa: int  # where the leaf PTE lives

    def pa(self, va: int) -> int:
        """The physical address of va inside this page."""
        offset = va & ((1 << (PAGE_SHIFT + VPN_BITS * self.level)) - 1)
        return (self.ppn << PAGE_SHIFT) | offset


def allowed(pte: int, access: str, priv: int, sum_: bool, mxr: bool, legacy_smode_exec_user: bool = False) -> bool:
    """May mode `priv` perform `access` ("r", "w" or "x") through leaf `pte`? (spec 4.3.1, 4.3.2 step 5)

    - U-mode may touch only U pages.
    - S-mode never executes a U page; it loads and stores them only with SUM.
      (legacy_smode_exec_user, NOT RISC-V: S-mode may execute U pages, as on
      older hardware without SMEP/PXN; see choices.LEGACY_SMODE_EXEC_USER.)
    - A load needs R, or X when MXR is set; a store needs W; a fetch needs X.
    """
    if pte & PTE_U:
        if priv == Priv.S and (access == "x" and not legacy_smode_exec_user or access != "x" and not sum_):
            return False
    elif priv == Priv.U:
        return False
    if access == "r":
        return bool(pte & PTE_R or (mxr and pte & PTE_X))
    if access == "w":
        return bool(pte & PTE_W)
    return bool(pte & PTE_X)


def canonical(va: int) -> bool:
    """Sv39 addresses are canonical when bits 63:39 all equal bit 38."""
    top = va >> 38
    return top == 0 or top == (1 << 26) - 1


class MMU:
    """The Sv39 translation unit of one hart: TLB, counters, walker."""

    def __init__(self, hart):
        self.hart = hart
        self.bus = hart.machine.bus
        self.events = hart.machine.events
        self.tlb: dict[tuple[int, int, int], TLBEntry] = {}  # (first vpn >> 9*level, level, asid) -> entry
        self.hits = 0
        self.misses = 0
        self.flushes = 0
        # NOT RISC-V conforming when True: S-mode may execute U pages (the SMEP chapter's old hardware).
        self.legacy_smode_exec_user = choices.LEGACY_SMODE_EXEC_USER

    def entries(self) -> list[TLBEntry]:
        """The TLB's entries, oldest first (for views)."""
        return list(self.tlb.values())

    def translate(self, va: int, access: str, priv: int, satp: int, sum_: bool, mxr: bool) -> int:
        """The physical address for va under Sv39 satp; raises the page or access fault.

        The caller has decided that translation applies (satp.MODE = Sv39 and
        an effective privilege below M).
        """
        vpn = va >> PAGE_SHIFT
        asid = (satp >> 44) & 0xFFFF
        tlb = self.tlb
        # One entry per page of any size: look for a 4 KiB, then a 2 MiB, then a 1 GiB page.
        for level in (0, 1, 2):
            base = vpn >> (VPN_BITS * level)
            entry = tlb.get((base, level, asid)) or tlb.get((base, level, GLOBAL))
            if entry is not None:
                if allowed(entry.pte, access, priv, sum_, mxr, self.legacy_smode_exec_user) and (access != "w" or entry.pte & PTE_D):
                    self.hits += 1
                    return entry.pa(va)
                del tlb[(base, level, entry.asid)]  # walk again: the PTE may have changed since
                break
        self.misses += 1
        if self.events.tlb_miss_subscribers:
            self.events.publish("tlb_miss", TlbMissEvent(self.hart.hartid, va, asid))
        entry = self.walk(va, access, priv, satp, sum_, mxr)
        if entry.asid != GLOBAL:
            entry = entry._replace(asid=asid)
        key = (entry.vpn >> (VPN_BITS * entry.level), entry.level, entry.asid)
        if len(tlb) >= TLB_CAPACITY and key not in tlb:
            del tlb[next(iter(tlb))]
        tlb[key] = entry
        return entry.pa(va)

    def walk(self, va: int, access: str, priv: int, satp: int, sum_: bool, mxr: bool) -> TLBEntry:
        """The privileged spec's translation algorithm (4.3.2) for Sv39, one comment per step."""
        ptes: list[tuple[int, int]] = []
        try:
            entry = self._walk(va, access, priv, satp, sum_, mxr, ptes)
        except Trap:
            if self.events.walk_subscribers:
                self.events.publish("walk", WalkEvent(self.hart.hartid, va, None, tuple(ptes), access))
            raise
        if self.events.walk_subscribers:
            pa = entry.pa(va)
            self.events.publish("walk", WalkEvent(self.hart.hartid, va, pa, tuple(ptes), access))
        return entry

    def _walk(self, va, access, priv, satp, sum_, mxr, ptes) -> TLBEntry:
        page_fault = PAGE_FAULT[access]
        ram = self.bus.ram
        # (0) Sv39: bits 63:39 of va must equal bit 38, else a page fault.
        if not canonical(va):
            raise page_fault(va)
        # (1) a = satp.ppn * PAGESIZE, i = LEVELS - 1.
        a = (satp & PPN_MASK) << PAGE_SHIFT
        i = LEVELS - 1
        glob = 0  # G on any PTE of the path makes the mapping global (spec 4.3.1)
        while True:
            # (2) pte = the 8 bytes at a + va.vpn[i] * PTESIZE; outside RAM it is an access fault.
            pte_pa = a + ((va >> (PAGE_SHIFT + VPN_BITS * i)) & 0x1FF) * 8
            off = pte_pa - ram.base
            if not 0 <= off <= ram.size - 8:  # page tables live in RAM only (devices: no walks)
                raise ACCESS_FAULT[access](va)
            pte = int.from_bytes(ram.data[off : off + 8], "little")
            ptes.append((pte_pa, pte))
            glob |= pte & PTE_G
            # (3) not valid, or W without R, or a reserved bit set: page fault.
            if not pte & PTE_V or (pte & (PTE_R | PTE_W)) == PTE_W or pte & PTE_RESERVED:
                raise page_fault(va)
            # (4) R or X set: a leaf, go to (5). Otherwise descend; past level 0 is a page fault.
            if pte & (PTE_R | PTE_X):
                break
            i -= 1
            if i < 0:
                raise page_fault(va)
            a = ((pte >> 10) & PPN_MASK) << PAGE_SHIFT
        # (5) the leaf must allow this access in this mode (U, SUM, MXR, R/W/X).
        if not allowed(pte, access, priv, sum_, mxr, self.legacy_smode_exec_user):
            raise page_fault(va)
        # (6) a superpage's low PPN fields must be zero, else it is misaligned: page fault.
        ppn = (pte >> 10) & PPN_MASK
        low = (1 << (VPN_BITS * i)) - 1
        if i > 0 and ppn & low:
            raise page_fault(va)
        # (7) A clear, or a store and D clear: the hardware sets them (choices.HARDWARE_AD_UPDATE).
        want = PTE_A | (PTE_D if access == "w" else 0)
        if pte & want != want:
            if not choices.HARDWARE_AD_UPDATE:
                raise page_fault(va)
            pte |= want
            self.bus.store(pte_pa, 8, pte)  # in RAM (step 2 checked); through the bus for its store hooks
        # (8) pa = ppn << 12 | offset, where a superpage takes vpn[i-1:0] from va (TLBEntry.pa).
        return TLBEntry((va >> PAGE_SHIFT) & ~low, GLOBAL if glob else 0, ppn, pte, i, pte_pa)

    def flush(self, va: int | None = None, asid: int | None = None) -> None:
        """sfence.vma: drop cached translations (None means "all").

        va given: entries whose page (of any size) holds va; asid given: only
        that address space's entries, never global ones. The hart's fast page
        caches (cpu.py) are dropped as well, so this is all a host needs to call.
        """
        self.flushes += 1
        if va is None and asid is None:
            self.tlb.clear()
        else:
            vpn = None if va is None else (va & ((1 << 64) - 1)) >> PAGE_SHIFT
            for key, e in list(self.tlb.items()):
                if asid is not None and (e.asid == GLOBAL or e.asid != asid & 0xFFFF):
                    continue
                if vpn is not None and (e.vpn >> (VPN_BITS * e.level)) != (vpn >> (VPN_BITS * e.level)):
                    continue
                del self.tlb[key]
        # The hart's fast page caches hold translations too: they go with the TLB.
        self.hart.flush_page_caches()
        if self.events.tlb_flush_subscribers:
            self.events.publish("tlb_flush", TlbFlushEvent(self.hart.hartid, va, asid))
