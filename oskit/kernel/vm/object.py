"""VM objects: where the contents of pages come from (FreeBSD's vm_object.c and vm_page.c).

``AnonObject``: zero fill, or a *shadow* of another object (copy-on-write
keeps its own modified pages and reads the rest through the chain below it).
``VnodeObject``: the pages of a file. ``Page``: one frame holding one object
page, with its reverse map (every address space and address that maps it),
so the pager can unmap it. ``collapse`` keeps shadow chains short.
"""

from __future__ import annotations

from oskit.kernel.param import PAGE_SHIFT, PAGE_SIZE, RAM_BASE, page_ceil
from oskit.kernel.riscv.tlb import tlb_shootdown
from oskit.machine.sv39 import PTE_D


class Page:
    """One frame holding page ``pindex`` of ``obj`` (FreeBSD's vm_page).

    ``pv``: every (VMSpace, va) whose PTE maps this frame (the reverse map).
    ``busy``: the fault handler is using it; the pager must not take it.
    ``dirty``: written through some mapping (harvested from PTE D bits).
    """

    __slots__ = ("pa", "obj", "pindex", "pv", "busy", "dirty")

    def __init__(self, pa: int, obj: "VMObject", pindex: int):
        self.pa, self.obj, self.pindex = pa, obj, pindex
        self.pv: set = set()
        self.busy = False
        self.dirty = False

    def __repr__(self) -> str:
        return f"<page {self.pa:#x}: {self.obj.kind} #{self.pindex}, {len(self.pv)} mappings>"


# -- objects --------------------------------------------------------------------------------
class VMObject:
    """Where pages come from. ``pages``: page index -> frame, for pages held in RAM.

    ``refs`` counts entries and shadow objects that point here; ``shadows``
    lists the shadow objects (to collapse a chain when only one is left).
    """

    kind = "?"

    def __init__(self, kernel, size: int, backing_object: "VMObject | None" = None,
                 backing_offset: int = 0):
        self.kernel = kernel
        self.size = size                 # bytes (page multiple)
        self.pages: dict[int, int] = {}
        self.swap: dict[int, int] = {}   # page index -> swap slot (pager.py)
        self.refs = 0
        self.shadows: list[VMObject] = []
        self.backing_object = backing_object
        self.backing_offset = backing_offset   # bytes: our page 0 is the backing object's page off/4096
        if backing_object is not None:
            backing_object.refs += 1
            backing_object.shadows.append(self)

    @property
    def npages(self) -> int:
        return self.size >> PAGE_SHIFT

    def fill(self, pindex: int, pa: int) -> bool:
        """Put the contents of page ``pindex`` in frame ``pa``; True if that needed I/O (major).

        Each kind of object says where its pages come from (AnonObject: zeros;
        VnodeObject: the file); the base class has no contents of its own.
        """
        raise NotImplementedError(f"{type(self).__name__}.fill: a VMObject kind must say where its pages come from")

    def new_page(self, pindex: int) -> Page:
        """A frame for page ``pindex`` of this object, recorded (contents: whatever the allocator gave)."""
        k = self.kernel
        pa = k.pmem.alloc_frame(f"{self.kind} page")
        page = Page(pa, self, pindex)
        k.vm_pages[pa] = page
        self.pages[pindex] = pa
        k.pager.enqueue(page)
        return page

    def getpage(self, pindex: int) -> tuple[int, bool]:
        """The frame holding page ``pindex`` (filling it on first use) and whether it was a major fault."""
        pa = self.pages.get(pindex)
        if pa is not None:
            return pa, False
        page = self.new_page(pindex)
        page.busy = True
        try:
            major = self.fill(pindex, page.pa)
        finally:
            page.busy = False
        return page.pa, major

    def free_page(self, pindex: int) -> None:
        """Take page ``pindex`` out of RAM for good: unmap it everywhere, free its frame."""
        pa = self.pages.pop(pindex)
        k = self.kernel
        page = k.vm_pages.pop(pa, None)
        if page is None:
            return                               # not a pageable frame (the sigcode page)
        unmap_everywhere(k, page)
        k.pager.dequeue(page)
        k.pmem.free_frame(pa)

    def release(self) -> None:
        """Drop one reference: free everything at zero; collapse when one shadow is left."""
        self.refs -= 1
        if self.refs > 0:
            if self.refs == 1 and len(self.shadows) == 1 and isinstance(self, AnonObject):
                collapse(self.shadows[0], self)
            return
        self.terminate()

    def discard(self, lo: int, hi: int) -> int:
        """Free the pages [lo, hi) held in RAM or swap (munmap of part, MADV_FREE); returns how many."""
        n = 0
        for pindex in [i for i in self.pages if lo <= i < hi]:
            self.free_page(pindex)
            n += 1
        for pindex in [i for i in self.swap if lo <= i < hi]:
            self.kernel.pager.swap.free(self.swap.pop(pindex))
            n += 1
        return n

    def terminate(self) -> None:
        for pindex in list(self.pages):
            self.free_page(pindex)
        for slot in self.swap.values():
            self.kernel.pager.swap.free(slot)
        self.swap.clear()
        if self.backing_object is not None:
            below = self.backing_object
            below.shadows.remove(self)
            self.backing_object = None
            below.release()

    def describe_chain(self) -> str:
        parts, o = [], self
        while o is not None:
            parts.append(f"{o.kind}({len(o.pages)} resident, {len(o.swap)} swapped)")
            o = o.backing_object
        return " -> ".join(parts)


class AnonObject(VMObject):
    """Anonymous memory: pages start as zeros (bss, heap, stack), or come from the object it shadows."""

    kind = "anon"

    def fill(self, pindex: int, pa: int) -> bool:
        # (The lab's weakness no_zero_on_reuse turns anon_zero_fill off too: the last owner's bytes show.)
        if not self.kernel.pmem.zero_frames and self.kernel.anon_zero_fill:
            # The allocator did not zero the frame; anonymous memory must still read as zeros.
            off = pa - RAM_BASE
            self.kernel.machine.bus.ram.data[off:off + PAGE_SIZE] = bytes(PAGE_SIZE)
        return False


class VnodeObject(VMObject):
    """A slice of a file: ``filesz`` bytes from ``offset``; the rest of the last page is zero.

    Written pages (through MAP_SHARED) go back to the file on msync, when
    the last mapping goes, or when the pager evicts them. There is no
    unified buffer cache: read(2) sees such writes only after one of those.
    """

    kind = "vnode"

    def __init__(self, kernel, vnode, offset: int, filesz: int):
        super().__init__(kernel, page_ceil(filesz))
        self.vnode = vnode
        self.offset = offset
        self.filesz = filesz

    def fill(self, pindex: int, pa: int) -> bool:
        start = pindex * PAGE_SIZE
        n = max(0, min(PAGE_SIZE, self.filesz - start))
        data = self.kernel.vfs.read_at(self.vnode, self.offset + start, n) if n else b""
        data = data + bytes(PAGE_SIZE - len(data))
        self.kernel.machine.bus.write_bytes(pa, data)
        self.kernel.code_written([(pa, PAGE_SIZE)])
        return True

    def writeback(self, pindex: int) -> bool:
        """Write page ``pindex`` to the file if it was modified; True if it wrote."""
        pa = self.pages.get(pindex)
        page = self.kernel.vm_pages.get(pa) if pa is not None else None
        if page is None:
            return False
        harvest_dirty(self.kernel, page)
        if not page.dirty:
            return False
        start = pindex * PAGE_SIZE
        n = max(0, min(PAGE_SIZE, self.vnode.size - self.offset - start, self.filesz - start))
        if n:
            self.kernel.vfs.write_at(self.vnode, self.offset + start, self.kernel.machine.bus.read_bytes(pa, n))
        page.dirty = False
        self.kernel.vmstats.writebacks += 1
        return True

    def terminate(self) -> None:
        for pindex in list(self.pages):
            self.writeback(pindex)
        cache = self.kernel.vm_vnode_objects
        if cache.get(id(self.vnode)) is self:
            del cache[id(self.vnode)]
        super().terminate()

    def __repr__(self) -> str:
        return f"<vnode object {self.filesz} bytes at file offset {self.offset:#x}>"


def vnode_object(kernel, vnode) -> VnodeObject:
    """The one object that every mmap of ``vnode`` shares (so MAP_SHARED writers see each other)."""
    obj = kernel.vm_vnode_objects.get(id(vnode))
    if obj is None:
        obj = VnodeObject(kernel, vnode, 0, vnode.size)
        kernel.vm_vnode_objects[id(vnode)] = obj
    elif vnode.size > obj.filesz:
        obj.filesz, obj.size = vnode.size, page_ceil(vnode.size)
    return obj


def collapse(shadow: VMObject, obj: VMObject) -> None:
    """``obj``'s only reference is ``shadow``: move its pages up into the shadow and drop it.

    A page the shadow already has (its own copy) wins; obj's copy is freed.
    """
    k = obj.kernel
    delta = shadow.backing_offset >> PAGE_SHIFT
    for pindex in list(obj.pages):
        s = pindex - delta
        if 0 <= s < shadow.npages and s not in shadow.pages and s not in shadow.swap:
            pa = obj.pages.pop(pindex)
            shadow.pages[s] = pa
            page = k.vm_pages.get(pa)
            if page is not None:
                page.obj, page.pindex = shadow, s
        else:
            obj.free_page(pindex)
    for pindex, slot in list(obj.swap.items()):
        s = pindex - delta
        if 0 <= s < shadow.npages and s not in shadow.pages and s not in shadow.swap:
            shadow.swap[s] = slot
        else:
            k.pager.swap.free(slot)
    obj.swap.clear()
    below = obj.backing_object
    shadow.backing_object = below
    shadow.backing_offset += obj.backing_offset
    if below is not None:
        below.shadows[below.shadows.index(obj)] = shadow   # obj's reference passes to the shadow
        obj.backing_object = None
    obj.shadows.clear()
    obj.refs = 0
    k.vmstats.collapses += 1


def harvest_dirty(kernel, page: Page) -> None:
    """Collect the D bits of every PTE mapping ``page`` into page.dirty, clearing them (and flushing)."""
    for vs, va in list(page.pv):
        old = vs.pmap.update(va, clear_bits=PTE_D)
        if old & PTE_D:
            page.dirty = True
            # Every hart must forget the entry: a cached D=1 would let later writes skip the PTE.
            tlb_shootdown(kernel, va, vs.pmap.asid, vs.pmap, why="writeback")


def unmap_everywhere(kernel, page: Page) -> None:
    """Remove every PTE that maps ``page`` (the pager's and the collapse's pmap_remove_all)."""
    for vs, va in list(page.pv):
        vs._unmap_page(va)
        tlb_shootdown(kernel, va, vs.pmap.asid, vs.pmap, why="free")
