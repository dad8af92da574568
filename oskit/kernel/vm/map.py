"""Address-space maps: the entries of one process (FreeBSD's vm_map.c), and fork's copy of them.

``VMEntry`` is a range [start, end) of one address space: protection,
maximum protection, inheritance (what fork does), the object and the offset
of ``start`` in it. ``VMSpace`` is the entries of one process plus its Pmap
(riscv/pmap.py) and its resident pages: ``map``/``unmap``/``protect`` split
and merge entries, ``fault()`` is the page-fault handler's core (vm/fault.py
is its entry point), ``copy_into()`` is fork (copy-on-write, see vm/__init__).
The layout they live in is drawn in oskit/kernel/param.py.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from oskit.kernel.param import (
    MAXSSIZ,
    PAGE_MASK,
    PAGE_SHIFT,
    PAGE_SIZE,
    PROT_ALL,
    PROT_EXEC,
    PROT_READ,
    PROT_WRITE,
    STACK_GUARD,
    USER_MIN,
    page_ceil,
    page_floor,
    prot_str,
)
from oskit.kernel.riscv.pmap import Pmap, pte_bits
from oskit.kernel.riscv.tlb import tlb_shootdown
from oskit.kernel.vm.fault import FaultError
from oskit.kernel.vm.object import AnonObject, VMObject, VnodeObject
from oskit.machine.sv39 import PTE_A, PTE_D, PTE_PPN_SHIFT, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X

# Inheritance (minherit): what fork does with an entry.
INHERIT_COPY, INHERIT_SHARE, INHERIT_NONE = "copy", "share", "none"


@dataclass(eq=False)
class VMEntry:
    """One mapped range [start, end) of an address space."""

    start: int
    end: int
    prot: int                       # PROT_READ | PROT_WRITE | PROT_EXEC
    name: str                       # "text", "data", "heap", "stack", "sigcode", "mmap", ...
    object: VMObject = None         # the top object of this entry's chain
    offset: int = 0                 # byte offset of ``start`` in ``object``
    max_prot: int = PROT_ALL        # mprotect may not go beyond this (a read-only file: no write)
    inheritance: str = INHERIT_COPY  # fork: "copy" (copy-on-write), "share", "none"
    shared: bool = False            # writes go to ``object`` itself (MAP_SHARED): never copied
    grows_down: bool = False
    backing: VMObject | None = None  # what was mapped (file, shared anon object); None: zero-fill

    def contains(self, va: int) -> bool:
        return self.start <= va < self.end

    @property
    def pindex0(self) -> int:
        return self.offset >> PAGE_SHIFT

    def __repr__(self) -> str:
        return f"<{self.name} {self.start:#x}-{self.end:#x} {prot_str(self.prot)}>"


class VMSpace:
    """The address space of one process: its map entries, its page table, its resident pages."""

    def __init__(self, kernel, pmap: Pmap):
        self.kernel = kernel
        self.pmap = pmap
        self.entries: list[VMEntry] = []      # sorted by start, never overlapping
        self.resident: dict[int, int] = {}    # va -> frame, for every valid leaf PTE
        self.maxrss = 0                       # most resident pages ever
        self.stack_limit = MAXSSIZ            # RLIMIT_STACK's soft limit (vm_fault keeps it current)

    @property
    def rss(self) -> int:
        """Resident pages (valid PTEs) of this address space."""
        return len(self.resident)

    # -- the map ------------------------------------------------------------------------
    def find(self, va: int) -> VMEntry | None:
        i = bisect.bisect_right(self.entries, va, key=lambda e: e.start) - 1
        if i >= 0 and self.entries[i].contains(va):
            return self.entries[i]
        return None

    def _insert(self, entry: VMEntry) -> VMEntry:
        bisect.insort(self.entries, entry, key=lambda e: e.start)
        return entry

    def map(self, start: int, end: int, prot: int, name: str, backing: VMObject | None = None,
            offset: int = 0, shared: bool = False, grows_down: bool = False,
            max_prot: int = PROT_ALL, inheritance: str = INHERIT_COPY) -> VMEntry:
        """Add an entry for [start, end) (page-aligned); it must not overlap another.

        backing None: a new anonymous object (zero-fill; shared between
        parent and child after fork when ``shared``). A backing object
        mapped shared is used directly; mapped private, it gets a shadow
        object on top (its pages are copied on first write).
        """
        if start & PAGE_MASK or end & PAGE_MASK or start >= end:
            raise ValueError(f"vm map {name}: [{start:#x}, {end:#x}) is not a page-aligned range")
        if offset & PAGE_MASK:
            raise ValueError(f"vm map {name}: offset {offset:#x} is not page-aligned")
        for e in self.overlapping(start, end):
            raise ValueError(f"vm map {name} [{start:#x}, {end:#x}) overlaps {e}")
        if backing is None:
            obj, off = AnonObject(self.kernel, end - start), 0
            if shared:
                backing = obj
        elif shared:
            obj, off = backing, offset
        else:
            obj, off = AnonObject(self.kernel, end - start, backing, offset), 0
        obj.refs += 1
        if shared:
            inheritance = INHERIT_SHARE
        return self._insert(VMEntry(start, end, prot, name, obj, off, max_prot, inheritance,
                                    shared, grows_down, backing))

    def overlapping(self, start: int, end: int) -> list[VMEntry]:
        """The entries that intersect [start, end), in address order."""
        i = max(0, bisect.bisect_right(self.entries, start, key=lambda e: e.start) - 1)
        out = []
        for e in self.entries[i:]:
            if e.start >= end:
                break
            if e.end > start:
                out.append(e)
        return out

    def is_mapped(self, start: int, end: int) -> bool:
        """True if every page of [start, end) belongs to some entry (no holes)."""
        at = start
        for e in self.overlapping(start, end):
            if e.start > at:
                return False
            at = e.end
        return at >= end

    def clip(self, entry: VMEntry, addr: int) -> VMEntry:
        """Split ``entry`` at ``addr`` (page-aligned, inside it); returns the upper half.

        Both halves refer to the same object, at offsets that keep every page
        where it was (FreeBSD's vm_map_clip_start/end).
        """
        if not entry.start < addr < entry.end or addr & PAGE_MASK:
            raise ValueError(f"clip {entry} at {addr:#x}: not a page boundary inside it")
        upper = VMEntry(addr, entry.end, entry.prot, entry.name, entry.object,
                        entry.offset + (addr - entry.start), entry.max_prot, entry.inheritance,
                        entry.shared, entry.grows_down, entry.backing)
        entry.object.refs += 1
        entry.end = addr
        return self._insert(upper)

    def _clip_range(self, start: int, end: int) -> list[VMEntry]:
        """Split entries so that [start, end) is covered by whole entries; returns those entries."""
        for e in self.overlapping(start, end):
            if e.start < start:
                self.clip(e, start)
        for e in self.overlapping(start, end):
            if e.end > end:
                self.clip(e, end)
        return self.overlapping(start, end)

    def simplify(self, start: int, end: int) -> None:
        """Merge neighbours around [start, end) that differ only in where they start.

        Two entries merge when they are adjacent, use the same object at
        contiguous offsets, and agree on everything else (vm_map_simplify_entry).
        """
        i = max(0, bisect.bisect_right(self.entries, start, key=lambda e: e.start) - 2)
        while i + 1 < len(self.entries):
            a, b = self.entries[i], self.entries[i + 1]
            if a.start > end:
                break
            if (a.end == b.start and a.object is b.object and b.offset == a.offset + (a.end - a.start)
                    and (a.prot, a.max_prot, a.inheritance, a.shared, a.name, a.grows_down, a.backing)
                    == (b.prot, b.max_prot, b.inheritance, b.shared, b.name, b.grows_down, b.backing)):
                a.end = b.end
                del self.entries[i + 1]
                b.object.refs -= 1            # same object: it cannot reach zero here
            else:
                i += 1

    def resize(self, entry: VMEntry, new_end: int) -> None:
        """Move an entry's end (the heap's break); pages beyond a shrunk end are freed."""
        if new_end < entry.end:
            self.unmap(new_end, entry.end)
            return
        for e in self.overlapping(entry.end, new_end):
            if e is not entry:
                raise ValueError(f"growing {entry} to {new_end:#x} would overlap {e}")
        obj = entry.object
        need = entry.offset + (new_end - entry.start)
        if need > obj.size:
            obj.size = need
        entry.end = new_end

    def unmap(self, start: int, end: int) -> int:
        """Remove every mapping in [start, end) (splitting entries at the ends); returns pages unmapped."""
        entries = self._clip_range(start, end)
        n = self._unmap_resident(start, end)
        for e in entries:
            self.entries.remove(e)
            obj = e.object
            obj.release()
            if obj.refs and isinstance(obj, AnonObject) and not e.shared and not obj.shadows:
                # The rest of this private object is still mapped elsewhere in this space:
                # the pages of the unmapped part can never be reached again.
                lo = e.pindex0
                obj.discard(lo, lo + ((e.end - e.start) >> PAGE_SHIFT))
        return n

    def unmap_entry(self, entry: VMEntry) -> None:
        self.unmap(entry.start, entry.end)

    def _unmap_resident(self, start: int, end: int) -> int:
        """Invalidate the PTEs of [start, end) with one shootdown; returns how many there were."""
        if len(self.resident) < (end - start) >> PAGE_SHIFT:
            vas = [va for va in self.resident if start <= va < end]      # a big range: scan what is resident
        else:
            vas = [va for va in range(start, end, PAGE_SIZE) if va in self.resident]
        for va in vas:
            self._unmap_page(va)
        if vas:
            tlb_shootdown(self.kernel, vas[0] if len(vas) == 1 else None, self.pmap.asid, self.pmap,
                          why="munmap")
        return len(vas)

    def protect(self, start: int, end: int, prot: int) -> None:
        """mprotect: set the protection of [start, end); lowered rights are shot down at once.

        Raises ValueError("hole") if part of the range is not mapped and
        PermissionError if ``prot`` exceeds some entry's max_prot; nothing
        changes in either case.
        """
        if not self.is_mapped(start, end):
            raise ValueError(f"[{start:#x}, {end:#x}) is not entirely mapped")
        for e in self.overlapping(start, end):
            if prot & ~e.max_prot:
                raise PermissionError(f"{prot_str(prot)} exceeds {e.name}'s maximum {prot_str(e.max_prot)}")
        changed = 0
        for e in self._clip_range(start, end):
            lowered = e.prot & ~prot
            e.prot = prot
            if not lowered:
                continue                  # more rights: the next fault maps them (no flush needed)
            keep = pte_bits(prot)
            for va in [v for v in self.resident if e.start <= v < e.end]:
                # Rights are only ever cleared here. When no R or X would be left (PROT_NONE, or
                # rw- to --x: X is not in the PTE yet), the PTE goes: a valid PTE with no R, W, X
                # is not a leaf but a pointer to a next table. The next fault maps the new rights.
                if not self.pmap.lookup(va) & keep & (PTE_R | PTE_X):
                    self._unmap_page(va)
                else:
                    self.pmap.update(va, clear_bits=(PTE_R | PTE_W | PTE_X) & ~keep)
                changed += 1
        if changed:
            tlb_shootdown(self.kernel, None, self.pmap.asid, self.pmap, why="mprotect")
        self.simplify(start, end)

    def find_space(self, length: int, hint: int, floor: int) -> int | None:
        """The lowest free range of ``length`` bytes at or above max(hint, floor), below the stack guard."""
        at = page_ceil(max(hint, floor, USER_MIN))
        for e in self.entries:
            if e.end <= at:
                continue
            if e.start >= at + length:
                break
            at = e.end
        return at if at + length <= STACK_GUARD else None

    # -- pages and PTEs --------------------------------------------------------------------
    def _map_page(self, va: int, pa: int, bits: int, write: bool) -> None:
        """Enter va -> pa in the page table, keeping the reverse map and RSS."""
        old = self.pmap.enter(va, pa, bits | PTE_U, ad=PTE_A | (PTE_D if write else 0))
        if old & PTE_V:
            old_pa = (old >> PTE_PPN_SHIFT) << PAGE_SHIFT
            if old_pa != pa:
                page = self.kernel.vm_pages.get(old_pa)
                if page is not None:
                    page.pv.discard((self, va))
                    if old & PTE_D:
                        page.dirty = True
            # A valid PTE changed (read-only -> writable copy): cached translations are stale.
            tlb_shootdown(self.kernel, va, self.pmap.asid, self.pmap, why="cow")
        self.resident[va] = pa
        if len(self.resident) > self.maxrss:
            self.maxrss = len(self.resident)
        page = self.kernel.vm_pages.get(pa)
        if page is not None:
            page.pv.add((self, va))

    def _unmap_page(self, va: int) -> None:
        """Invalidate the PTE of ``va`` (the caller shoots down); its D bit goes to page.dirty."""
        pa = self.resident.pop(va, None)
        old = self.pmap.clear(va)
        page = self.kernel.vm_pages.get(pa) if pa is not None else None
        if page is not None:
            page.pv.discard((self, va))
            if old & PTE_D:
                page.dirty = True

    def lookup_page(self, entry: VMEntry, va: int) -> tuple[VMObject | None, int, int | None]:
        """Where page ``va`` of ``entry`` lives: (object, index in it, frame or None if swapped).

        Walks the shadow chain from the top; (None, 0, None) if no object has it yet.
        """
        obj, idx = entry.object, entry.pindex0 + ((va - entry.start) >> PAGE_SHIFT)
        while obj is not None:
            pa = obj.pages.get(idx)
            if pa is not None or idx in obj.swap:
                return obj, idx, pa
            if obj.backing_object is None:
                if isinstance(obj, VnodeObject) and idx < obj.npages:
                    return obj, idx, None      # in the file, not read yet
                return None, 0, None
            idx += obj.backing_offset >> PAGE_SHIFT
            obj = obj.backing_object
        return None, 0, None

    # -- page faults ----------------------------------------------------------------------
    def fault(self, va: int, access: str) -> str:
        """The page-fault handler. Returns how it was resolved, or raises FaultError / OutOfMemory.

        access: "r", "w" or "x". Steps: find the entry (none: SIGSEGV; a stack
        below RLIMIT_STACK: SIGSEGV); check the protection; find the page in
        the entry's object chain (or make it: zero fill, file read, swap in);
        copy it into the top object on a write to a page from below
        (copy-on-write); enter the PTE.
        """
        entry = self.find(va)
        if entry is None:
            raise FaultError(va, access, "no mapping at this address")
        if entry.grows_down and va < entry.end - self.stack_limit:
            raise FaultError(va, access, f"below the stack limit (RLIMIT_STACK {self.stack_limit} bytes)")
        need = {"r": PROT_READ, "w": PROT_WRITE, "x": PROT_EXEC}[access]
        if not entry.prot & need and not (need == PROT_READ and entry.prot & PROT_WRITE):
            raise FaultError(va, access, f"{entry.name} is {prot_str(entry.prot)}")
        page_va = page_floor(va)
        k = self.kernel
        stats = k.vmstats
        write = access == "w"
        top = entry.object
        pindex = entry.pindex0 + ((page_va - entry.start) >> PAGE_SHIFT)
        obj, idx, pa = self.lookup_page(entry, page_va)
        how = "mapped"
        if obj is None:
            # No object in the chain has this page: a zero page, in the top object.
            obj, idx = top, pindex
            pa, _ = top.getpage(pindex)
            how = "zero"
            stats.zero_fills += 1
        elif pa is None and idx in obj.swap:
            pa = k.pager.swap_in(obj, idx)
            how = "swap"
            stats.swap_ins += 1
        elif pa is None:
            pa, major = obj.getpage(idx)
            how = "file" if major else "mapped"
            stats.file_reads += major
        bits = pte_bits(entry.prot)
        if obj is not top and not entry.shared:
            if write:
                # Copy-on-write: the page belongs to an object below (a file, or what fork shared).
                src = k.vm_pages.get(pa)
                if src is not None:
                    src.busy = True
                try:
                    new = top.new_page(pindex)
                finally:
                    if src is not None:
                        src.busy = False
                k.copy_frame(pa, new.pa)
                pa = new.pa
                if how == "mapped":
                    how = "copy"
                stats.cow_copies += 1
            else:
                bits &= ~PTE_W             # read-only until the first write copies it
        # The page table may need a new frame, and finding one may run the pager:
        # the page we are about to map must not be taken from under us.
        page = k.vm_pages.get(pa)
        if page is not None:
            page.busy = True
        try:
            self._map_page(page_va, pa, bits, write)
        finally:
            if page is not None:
                page.busy = False
        if how == "mapped":
            stats.mapped += 1
        return how

    # -- fork and exit ----------------------------------------------------------------------
    def copy_into(self, child: "VMSpace") -> None:
        """fork: give ``child`` this map, sharing every page copy-on-write.

        Per entry, by inheritance: "none" is left out; "share" (MAP_SHARED)
        points the child at the same object; "copy" gives parent and child
        each a fresh shadow over the old object, and every resident page is
        write-protected in the parent's page table and entered read-only in
        the child's. The work grows with the number of resident pages, not
        with the bytes mapped: no page is copied here.
        """
        starts = [e.start for e in self.entries]
        by_entry: dict[int, list[tuple[int, int]]] = {}
        for va, pa in self.resident.items():
            i = bisect.bisect_right(starts, va) - 1
            by_entry.setdefault(i, []).append((va, pa))
        protected: list[int] = []               # the parent's pages write-protected so far
        try:
            self._copy_entries(child, by_entry, protected)
        finally:
            # Also when a frame for the child's page table ran out half-way (fork then fails):
            # a page already write-protected must not stay writable in some hart's TLB.
            if protected:
                tlb_shootdown(self.kernel, None, self.pmap.asid, self.pmap, why="fork")

    def _copy_entries(self, child: "VMSpace", by_entry: dict, protected: list[int]) -> None:
        """copy_into's loop: each entry shared, or shadowed copy-on-write with its pages write-protected."""
        for i, e in enumerate(self.entries):
            if e.inheritance == INHERIT_NONE:
                continue
            if e.shared or e.inheritance == INHERIT_SHARE:
                e.object.refs += 1
                child._insert(VMEntry(e.start, e.end, e.prot, e.name, e.object, e.offset, e.max_prot,
                                      e.inheritance, e.shared, e.grows_down, e.backing))
                continue
            old = e.object
            size = e.end - e.start
            parent_shadow = AnonObject(self.kernel, size, old, e.offset)
            child_shadow = AnonObject(self.kernel, size, old, e.offset)
            parent_shadow.refs = child_shadow.refs = 1
            old.refs -= 1                        # the parent entry's reference now comes from its shadow
            e.object, e.offset = parent_shadow, 0
            child._insert(VMEntry(e.start, e.end, e.prot, e.name, child_shadow, 0, e.max_prot,
                                  e.inheritance, e.shared, e.grows_down, e.backing))
            ro = pte_bits(e.prot) & ~PTE_W
            for va, pa in by_entry.get(i, ()):
                old_pte = self.pmap.update(va, clear_bits=PTE_W)
                if old_pte & PTE_W:
                    protected.append(va)
                    if old_pte & PTE_D:
                        page = self.kernel.vm_pages.get(pa)
                        if page is not None:
                            page.dirty = True
                child._map_page(va, pa, ro, write=False)

    def destroy(self) -> None:
        """Free every page and page-table frame of this space."""
        for va in list(self.resident):
            self._unmap_page(va)
        for e in self.entries:
            e.object.release()
        self.entries.clear()
        tlb_shootdown(self.kernel, None, self.pmap.asid, self.pmap, why="exit")
        self.pmap.destroy()

    def resident_pages(self) -> int:
        return len(self.resident)

    def describe(self) -> str:
        """The map as text, one entry a line (like procstat -v)."""
        lines = []
        for e in self.entries:
            res = sum(1 for va in self.resident if e.start <= va < e.end)
            lines.append(f"{e.start:#014x}-{e.end:#014x} {prot_str(e.prot)} {e.name:<8} "
                         f"{(e.end - e.start) // PAGE_SIZE:6d} pages {res:5d} resident  "
                         f"{'shared ' if e.shared else ''}{e.object.describe_chain()}")
        return "\n".join(lines)
