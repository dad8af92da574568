"""TLBView: one hart's TLB: each cached translation with its ASID and flags, and the counters.

Read from ``hart.mmu`` (see oskit/machine/mmu.py): ``entries()`` oldest
first (at most ``capacity``), ``lookups``, ``hits``, ``misses``,
``flushes``. Every instruction fetch and every load, store or AMO made with
translation on is a lookup, as in a hardware TLB; a miss is a page-table
walk. So the hit rate is that of the program's accesses, not of some
software cache. Entries that arrived since the last drawing are
highlighted; a flush (sfence.vma) shows as the line under the table.
"""

from __future__ import annotations

import ipywidgets as w

from oskit.machine.mmu import GLOBAL
from oskit.machine.sv39 import PAGE_SIZES, pte_flags

from widgets.base import View, machine_of
from widgets.style import badge, esc, header, hexw, table

MAX_ROWS = 64  # the newest entries shown; the rest are counted


class TLBView(View):
    """A hart's TLB: entries (virtual page -> frame, ASID, size, flags), hits, misses and flushes.

    Example::

        from widgets import TLBView
        tlb = TLBView(m.harts[0]); tlb     # display it
        m.run(max_instructions=1000)       # misses fill it; sfence.vma empties it
    """

    def __init__(self, hart):
        self.hart = hart
        self.machine = machine_of(hart)
        self.mmu = hart.mmu
        self.head = w.HTML()
        self.counters = w.HTML()
        self.counters.add_class("oskit-tlb-counters")
        self.body = w.HTML()
        super().__init__([self.head, self.counters, self.body])
        self.seen: set[tuple[int, int]] = set()
        self.new: set[tuple[int, int]] = set()  # (vpn, asid) added since the previous drawing
        self.last_flush: tuple[int | None, int | None] | None = None
        self.refresh()

    def _subscriptions(self):
        ev = self.machine.events
        return [(ev, "tlb_miss", self._on_event), (ev, "tlb_flush", self._on_flush)]

    def _on_event(self, event) -> None:
        if event.hart == self.hart.hartid:
            self.mark_dirty()

    def _on_flush(self, event) -> None:
        if event.hart == self.hart.hartid:
            self.last_flush = (event.va, event.asid)
            self.mark_dirty()

    def _describe(self) -> str:
        return f"hart {self.hart.hartid}"

    @property
    def entries(self) -> list:
        """The TLB's entries as the view last drew them, oldest first."""
        return self._entries

    def _render(self) -> None:
        entries = self.mmu.entries()
        self._entries = entries
        keys = {(e.vpn, e.asid) for e in entries}
        self.new = keys - self.seen
        self.seen = keys
        satp = self.hart.csr.read("satp")
        asid_now = (satp >> 44) & 0xFFFF
        self.head.value = header("TLB", f"hart {self.hart.hartid}, {len(entries)} of {self.mmu.capacity} "
                                        f"entries, current ASID {asid_now}")
        mmu = self.mmu
        rate = f"{100 * mmu.hits / mmu.lookups:.1f}%" if mmu.lookups else "-"
        self.counters.value = (f"{badge(f'lookups {mmu.lookups}')} {badge(f'hits {mmu.hits}', 'ok')} "
                               f"{badge(f'misses {mmu.misses}', 'err')} {badge(f'flushes {mmu.flushes}')} "
                               f"hit rate {rate}")
        rows, classes = [], []
        shown = entries[-MAX_ROWS:]
        for e in shown:
            asid = "global" if e.asid == GLOBAL else str(e.asid)
            rows.append([f'<span class="oskit-mono">{hexw(e.vpn << 12)}</span>',
                         f'<span class="oskit-mono">{hexw(e.ppn << 12, 9)}</span>',
                         esc(asid), PAGE_SIZES.get(e.level, "?"),
                         f'<span class="oskit-mono">{pte_flags(e.pte)}</span>'])
            classes.append("oskit-chg" if (e.vpn, e.asid) in self.new else
                           "" if e.asid in (GLOBAL, asid_now) else "oskit-dim")
        more = len(entries) - len(shown)
        note = f'<div class="oskit-dim">and {more} older entries</div>' if more else ""
        flush = ""
        if self.last_flush is not None:
            va, asid = self.last_flush
            what = ("all addresses" if va is None else f"va {hexw(va)}") + \
                   (", all ASIDs" if asid is None else f", ASID {asid}")
            flush = f'<div>last flush: {esc(what)}</div>'
        body = table(["virtual page", "frame", "ASID", "size", "DAGUXWRV"], rows, classes) \
            if rows else '<div class="oskit-dim">(empty)</div>'
        self.body.value = body + note + flush
