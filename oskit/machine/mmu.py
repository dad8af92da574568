"""Sv39 address translation as the hardware does it: the TLB, permission checks, A/D bits.

The map of this module:

    TLBEntry              one cached translation
    MMU                   per hart: translate(), walk(), flush() (sfence.vma), the TLB and its counters
    allowed()             the permission rule for one leaf PTE (shared by the walk and TLB hits)
    PTE_V ... PTE_D       the bits of a page-table entry (defined in sv39.py, with the address layout)

The walk itself, the privileged spec's algorithm step by step, is a pure
function in sv39.py; this module adds what makes it hardware: step 5 (may
this mode make this access?) through allowed(), step 7 (the A/D updates),
the TLB, and the events.

The TLB caches successful translations only, one entry per page of any size,
keyed by (first virtual page, level, ASID); global entries (G set on the leaf
or on any table above it) match every ASID. It holds at most ``capacity``
entries (choices.TLB_CAPACITY) and drops the oldest first (FIFO). A hit is
re-checked against the current privilege, SUM and MXR; a hit that would
fault, or a store to a page whose cached D bit is clear, walks again (so
raising permissions in a PTE never needs an sfence.vma; lowering them does,
as on real hardware).

The hart's page caches are part of this TLB. The fast path (cpu.py) keeps,
per memory context, plain dicts virtual page -> RAM offset, so a load in a
translated block costs one dict lookup. Each of those entries is filled from
the TLB entry that just translated the page (``fill_page_cache``) and is tied
to it: when the entry leaves the TLB (evicted, flushed by sfence.vma, or
replaced by a new walk), its page-cache entries go with it, so the next
access to the page misses and walks. The page caches therefore never hold a
translation the TLB does not, and never outlive it.

Counters (what the TLB widget and the kernel's vmstats show):

    lookups   every translated access: one per instruction fetched and one per
              load, store, AMO, lr or sc executed while translation is on,
              also when it faults (counted by the hart, which adds up a
              translated block's lookups once per run: Hart.count_lookups),
              and one per Hart.translate() a host makes
    misses    lookups that found no usable entry and walked the page table
    hits      lookups - misses
    flushes   sfence.vma (and host flush() calls)
"""

from __future__ import annotations

from typing import NamedTuple

from oskit.machine import choices, sv39
from oskit.machine.events import TlbFlushEvent, TlbMissEvent, WalkEvent
from oskit.machine.sv39 import (  # noqa: F401  (the PTE names, also used as mmu.PTE_*)
    LEVELS,
    PAGE_SHIFT,
    PPN_MASK,
    PTE_A,
    PTE_D,
    PTE_G,
    PTE_R,
    PTE_RESERVED,
    PTE_U,
    PTE_V,
    PTE_W,
    PTE_X,
    VPN_BITS,
    canonical,
)
from oskit.machine.trap import ACCESS_FAULT, PAGE_FAULT, Priv

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

    @property
    def key(self) -> tuple[int, int, int]:
        """Where the TLB files this entry: (first vpn >> 9*level, level, asid)."""
        return (self.vpn >> (VPN_BITS * self.level), self.level, self.asid)


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


class MMU:
    """The Sv39 translation unit of one hart: TLB, counters, walker (see the module docstring)."""

    def __init__(self, hart):
        self.hart = hart
        self.bus = hart.machine.bus
        self.events = hart.machine.events
        self._read_pte = sv39.ram_reader(self.bus.ram)  # page tables are read from RAM only
        self.capacity = TLB_CAPACITY  # at most this many entries (a chapter may make a tiny TLB)
        self.tlb: dict[tuple[int, int, int], TLBEntry] = {}  # TLBEntry.key -> entry, oldest first
        # TLBEntry.key -> the hart's page-cache slots filled from that entry: [(cache, vpn, fetch), ...]
        self._page_cache_slots: dict[tuple[int, int, int], list[tuple[dict, int, bool]]] = {}
        self.last_key: tuple[int, int, int] | None = None  # the entry the last translate() used
        self.lookups = 0
        self.misses = 0
        self.flushes = 0
        # NOT RISC-V conforming when True: S-mode may execute U pages (the SMEP chapter's old hardware).
        self.legacy_smode_exec_user = choices.LEGACY_SMODE_EXEC_USER

    @property
    def hits(self) -> int:
        """Lookups that found their translation in the TLB (lookups - misses)."""
        return self.lookups - self.misses

    def entries(self) -> list[TLBEntry]:
        """The TLB's entries, oldest first (for views)."""
        return list(self.tlb.values())

    # -- translation ---------------------------------------------------------------------------

    def translate(self, va: int, access: str, priv: int, satp: int, sum_: bool, mxr: bool) -> int:
        """The physical address for va under Sv39 satp; raises the page or access fault.

        The caller has decided that translation applies (satp.MODE = Sv39 and
        an effective privilege below M), and counts the lookup. A TLB miss
        walks the page table (counted in misses) and fills the TLB.
        """
        vpn = va >> PAGE_SHIFT
        asid = (satp >> 44) & 0xFFFF
        tlb = self.tlb
        # One entry per page of any size: look for a 4 KiB, then a 2 MiB, then a 1 GiB page.
        for level in (0, 1, 2):
            base = vpn >> (VPN_BITS * level)
            key = (base, level, asid)
            entry = tlb.get(key)
            if entry is None:
                key = (base, level, GLOBAL)
                entry = tlb.get(key)
            if entry is not None:
                if allowed(entry.pte, access, priv, sum_, mxr, self.legacy_smode_exec_user) and (
                    access != "w" or entry.pte & PTE_D
                ):
                    self.last_key = key
                    return entry.pa(va)
                self._drop(key)  # walk again: the PTE may have changed since
                break
        self.misses += 1
        if self.events.tlb_miss_subscribers:
            self.events.publish("tlb_miss", TlbMissEvent(self.hart.hartid, va, asid))
        entry = self.walk(va, access, priv, satp, sum_, mxr)
        if entry.asid != GLOBAL:
            entry = entry._replace(asid=asid)
        key = entry.key
        if key in tlb:
            self._drop(key)  # a stale entry for the same page: the new walk replaces it
        elif len(tlb) >= self.capacity:
            self._drop(next(iter(tlb)))  # full: the oldest entry leaves (FIFO)
        tlb[key] = entry
        self.last_key = key
        return entry.pa(va)

    def walk(self, va: int, access: str, priv: int, satp: int, sum_: bool, mxr: bool) -> TLBEntry:
        """The hardware walk: sv39.walk(), then permissions (5) and A/D (7); publishes a "walk" event."""
        w = sv39.walk(self._read_pte, satp, va)
        if w.fault is None:
            # (5) the leaf must allow this access in this mode (U, SUM, MXR, R/W/X).
            if not allowed(w.pte, access, priv, sum_, mxr, self.legacy_smode_exec_user):
                why = f"{sv39.pte_flags(w.pte)} does not allow {access!r} in {Priv(priv).name}-mode"
                w = w._replace(fault="page", why=why)
        if self.events.walk_subscribers:
            ptes = tuple((pte_pa, pte) for _, pte_pa, pte in w.ptes)
            pa = w.pa if w.fault is None else None
            self.events.publish("walk", WalkEvent(self.hart.hartid, va, pa, ptes, access))
        if w.fault is not None:
            raise (ACCESS_FAULT if w.fault == "access" else PAGE_FAULT)[access](va)
        pte, pte_pa = w.pte, w.pte_pa
        # (7) A clear, or a store and D clear: the hardware sets them (choices.HARDWARE_AD_UPDATE).
        want = PTE_A | (PTE_D if access == "w" else 0)
        if pte & want != want:
            if not choices.HARDWARE_AD_UPDATE:
                raise PAGE_FAULT[access](va)
            pte |= want
            self.bus.store(pte_pa, 8, pte)  # in RAM (step 2 checked); through the bus for its store hooks
        low = (1 << (VPN_BITS * w.level)) - 1
        return TLBEntry((va >> PAGE_SHIFT) & ~low, GLOBAL if w.glob else 0, w.ppn, pte, w.level, pte_pa)

    # -- the hart's page caches, tied to TLB entries ---------------------------------------------

    def fill_page_cache(self, cache: dict, vpn: int, value: int, fetch: bool) -> None:
        """Put cache[vpn] = value, derived from the entry the last translate() used, and tie it there.

        fetch: cache is one the hart fetches instructions through.
        """
        cache[vpn] = value
        slots = self._page_cache_slots.get(self.last_key)
        if slots is None:
            self._page_cache_slots[self.last_key] = [(cache, vpn, fetch)]
        else:
            slots.append((cache, vpn, fetch))

    def forget_page_caches(self) -> None:
        """The hart dropped all its page caches: nothing is tied to TLB entries any more."""
        self._page_cache_slots.clear()

    def _drop(self, key: tuple[int, int, int]) -> None:
        """Remove one TLB entry and every page-cache entry filled from it."""
        del self.tlb[key]
        for cache, vpn, fetch in self._page_cache_slots.pop(key, ()):
            del cache[vpn]
            if fetch:
                # A page the hart may be executing from lost its translation: a running block
                # must stop so that the next fetch looks the TLB up again (and walks).
                self.hart.brk = True

    # -- sfence.vma ------------------------------------------------------------------------------

    def flush(self, va: int | None = None, asid: int | None = None) -> None:
        """sfence.vma: drop cached translations (None means "all").

        va given: entries whose page (of any size) holds va; asid given: only
        that address space's entries, never global ones. The page-cache
        entries filled from a dropped entry go with it (see the module
        docstring), so this is all a host needs to call.
        """
        self.flushes += 1
        vpn = None if va is None else (va & ((1 << 64) - 1)) >> PAGE_SHIFT
        for key, e in list(self.tlb.items()):
            if asid is not None and (e.asid == GLOBAL or e.asid != asid & 0xFFFF):
                continue
            if vpn is not None and (e.vpn >> (VPN_BITS * e.level)) != (vpn >> (VPN_BITS * e.level)):
                continue
            self._drop(key)
        if self.events.tlb_flush_subscribers:
            self.events.publish("tlb_flush", TlbFlushEvent(self.hart.hartid, va, asid))
