"""The pager: when free frames run low, evict pages with the clock (second-chance) algorithm.

    pmem.alloc_frame ──(free frames <= RESERVE_FRAMES)──> Pager.reclaim()
        the hand goes round the pageable pages (oldest first):
          busy (a fault is using it)        skip
          A bit set in some PTE mapping it  clear A (and shoot the TLB entry down):
                                            a second chance, go on
          not referenced since last time    evict:
              file page, clean              drop it (the file has it)
              file page, dirty (MAP_SHARED) write it back to the file, drop it
              anonymous page                copy it to swap, drop it
        until HIGH_WATER frames are free, or two turns found nothing, or only
        MIN_PAGEABLE pages are left (fewer would let one instruction's own
        pages evict each other for ever: thrashing with no progress).

A later touch of an evicted page is a *major* fault: vm.py's fault handler
finds it in swap (``obj.swap[pindex]``) or in the file and brings it back,
contents intact. If nothing at all can be evicted (every frame is a page
table, a kernel stack, the kernel heap, or busy), alloc_frame raises
OutOfMemory and vm_fault kills the faulting process with that reason.

The "hand" is an insertion-ordered dict: the page at the front is the one
under the hand; a page that gets its second chance moves to the back. That
is the clock, drawn as a queue (FIFO with second chance).

The A (accessed) bit is set by the machine's page-table walker on every
access that misses in the TLB (choices.HARDWARE_AD_UPDATE); a TLB hit does
not set it again, so clearing A must flush the TLB entry, as on hardware.

The swap area is a Python-side byte store (``Swap``): slots of one page
each, kept outside guest RAM, like a disk the kernel writes whole pages to.
It is finite (twice RAM, at least 32 MiB): when it is full, anonymous pages
stay in RAM, and a process that needs more is killed (out of memory).
"""

from __future__ import annotations

from oskit.kernel.param import PAGE_SIZE
from oskit.kernel.riscv.tlb import tlb_shootdown
from oskit.kernel.vm.object import VnodeObject
from oskit.machine.sv39 import PTE_A

HIGH_WATER = 48           # reclaim until this many frames are free
SWAP_MIN_PAGES = 8192     # the swap area: twice RAM, at least 32 MiB (a real disk is finite too)
MIN_PAGEABLE = 8          # never shrink the pageable pages below this: an instruction can need its
                          # text, stack and data pages at once, and taking those would thrash for ever


class Swap:
    """The swap area: at most ``capacity`` page-sized slots in a Python dict (the "disk"), counted."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.slots: dict[int, bytes] = {}
        self.next_slot = 0
        self.writes = 0
        self.reads = 0

    def write(self, data: bytes) -> int:
        if len(data) != PAGE_SIZE:
            raise ValueError(f"swap write: expected {PAGE_SIZE} bytes, found {len(data)}")
        if self.full:
            raise RuntimeError(f"swap write: all {self.capacity} slots are in use (check .full first)")
        slot = self.next_slot
        self.next_slot += 1
        self.slots[slot] = data
        self.writes += 1
        return slot

    @property
    def full(self) -> bool:
        return len(self.slots) >= self.capacity

    def read(self, slot: int) -> bytes:
        self.reads += 1
        return self.slots[slot]

    def free(self, slot: int) -> None:
        del self.slots[slot]

    def __repr__(self) -> str:
        return (f"<swap: {len(self.slots)} of {self.capacity} pages in use, "
                f"{self.writes} written, {self.reads} read>")


class Pager:
    """The clock over every pageable page; ``k.pager``. Calling it runs ``reclaim``."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.queue: dict = {}            # frame -> Page, in clock order (front: under the hand)
        self.swap = Swap(max(SWAP_MIN_PAGES, 2 * kernel.pmem.nframes))
        self.last_scan = (0, 0)          # (examined, evicted) by the last reclaim

    def enqueue(self, page) -> None:
        self.queue[page.pa] = page

    def dequeue(self, page) -> None:
        self.queue.pop(page.pa, None)

    def __call__(self) -> int:
        return self.reclaim()

    # -- the clock --------------------------------------------------------------------------
    def referenced(self, page) -> bool:
        """Was ``page`` accessed since the hand last passed? Clears the A bits it finds."""
        hit = False
        for vs, va in list(page.pv):
            old = vs.pmap.update(va, clear_bits=PTE_A)
            if old & PTE_A:
                hit = True
                tlb_shootdown(self.kernel, va, vs.pmap.asid, vs.pmap, why="reference")
        return hit

    def reclaim(self, want: int = HIGH_WATER) -> int:
        """Evict pages until ``want`` frames are free (or nothing more can go); returns how many went."""
        k = self.kernel
        pmem = k.pmem
        k.vmstats.pager_runs += 1
        examined = evicted = 0
        budget = 2 * len(self.queue) + 1          # two turns of the hand at most
        while pmem.free_frames < want and len(self.queue) > MIN_PAGEABLE and budget > 0:
            budget -= 1
            pa = next(iter(self.queue))
            page = self.queue.pop(pa)
            self.queue[pa] = page                  # the hand moves past it
            examined += 1
            if page.busy or self.referenced(page):
                continue                           # in use now, or a second chance
            if self.swap.full and not isinstance(page.obj, VnodeObject):
                continue                           # an anonymous page has nowhere to go
            self.evict(page)
            evicted += 1
        self.last_scan = (examined, evicted)
        return evicted

    def evict(self, page) -> None:
        """Take ``page`` out of RAM: unmap it everywhere, save its contents if needed, free the frame."""
        k = self.kernel
        obj, pindex, pa = page.obj, page.pindex, page.pa
        for vs, va in list(page.pv):
            vs._unmap_page(va)                     # harvests D into page.dirty
            tlb_shootdown(k, va, vs.pmap.asid, vs.pmap, why="pageout")
        if isinstance(obj, VnodeObject):
            if page.dirty:
                obj.writeback(pindex)
                where = "file"
            else:
                k.vmstats.clean_drops += 1
                where = "dropped"
        else:
            obj.swap[pindex] = self.swap.write(k.machine.bus.read_bytes(pa, PAGE_SIZE))
            k.vmstats.swap_outs += 1
            where = "swap"
        del obj.pages[pindex]
        del k.vm_pages[pa]
        self.queue.pop(pa, None)
        k.pmem.free_frame(pa)
        k.vmstats.evictions += 1
        if k.probes.subscribers:
            k.probes.fire("pageout", pa=pa, kind=obj.kind, pindex=pindex, where=where,
                          mtime=k.machine.clint.mtime)

    def swap_in(self, obj, pindex: int) -> int:
        """Bring page ``pindex`` of ``obj`` back from swap into a new frame; returns the frame."""
        page = obj.new_page(pindex)
        slot = obj.swap.pop(pindex)
        self.kernel.machine.bus.write_bytes(page.pa, self.swap.read(slot))
        self.swap.free(slot)
        return page.pa

    def explain(self) -> str:
        """Why nothing could be evicted: what the frames are used for."""
        k = self.kernel
        use: dict[str, int] = {}
        for owner in k.pmem.owner.values():
            key = owner.split(" of ")[0] or "unlabelled"
            use[key] = use.get(key, 0) + 1
        parts = ", ".join(f"{n} {name}" for name, n in sorted(use.items(), key=lambda x: -x[1]))
        swap = f"; swap full ({self.swap.capacity} pages)" if self.swap.full else ""
        return (f"the pager found nothing to evict: frames are {parts}; "
                f"{len(self.queue)} pageable pages left (at least {MIN_PAGEABLE} stay){swap}")

    def __repr__(self) -> str:
        return f"<pager: {len(self.queue)} pageable pages, {self.swap!r}>"
