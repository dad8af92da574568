"""Virtual memory: Sv39 page tables (pmap), address-space maps, backing objects, page faults.

The layout of every address space (Sv39: 39-bit virtual addresses, sign-extended)::

    0xFFFF_FFFF_FFFF_FFFF ┬────────────────────────────┐
                          │ host functions (machine)   │ HOSTCALL_BASE.. (never in a page table)
    0xFFFF_FFD0_0000_0000 ├────────────────────────────┤
                          │ DMAP: all of RAM, R/W      │ va = DMAP_BASE + (pa - RAM_BASE)
    0xFFFF_FFC0_0000_0000 ├────────────────────────────┤ KERNBASE
                          │ kernel text: trampoline    │ R/X, no U bit: user code cannot touch it
                          ├ ─ ─ (kernel half, shared by every process: root entries 256..511) ─ ┤
                          │          (hole)            │
    0x0000_0040_0000_0000 ├────────────────────────────┤ VM_MAXUSER_ADDRESS
                          │ shared page: sigcode       │ R/X, U
                          │ stack (grows down, 8 MiB)  │ demand-zero, down to RLIMIT_STACK
                          │ guard (never mapped)       │ a touch here is SIGSEGV
                          │ mmap regions               │ placed above the heap's limit
                          │ heap (break)               │ demand-zero
                          │ bss, data, text            │ from the ELF file, on first touch
    0x0000_0000_0000_1000 │                            │ page 0: never mapped (NULL)
    0x0000_0000_0000_0000 ┴────────────────────────────┘

The pieces, as in BSD's VM (vm_map / vm_object / vm_page / pmap):

- ``Pmap``: one Sv39 page table in guest memory, which the MMU walks. Python
  writes PTEs here; the hardware only ever sees this, and sets A and D in it.
- ``VMObject``: where the contents of pages come from. ``AnonObject``: zero
  fill, or a *shadow* of another object (``backing_object`` at
  ``backing_offset``): copy-on-write keeps its own modified pages and reads
  the rest through the chain below it. ``VnodeObject``: the pages of a file.
  An object keeps the frames it holds by page index (``pages``) and the
  pages the pager sent to swap (``swap``).
- ``Page``: one frame holding one object page, with its reverse map (every
  address space and address that maps it), so the pager can unmap it.
- ``VMEntry``: a range [start, end) of one address space: protection,
  maximum protection, inheritance (what fork does), the object and the
  offset of ``start`` in it.
- ``VMSpace``: the entries of one process plus its Pmap and its resident
  pages. ``fault()`` is the page-fault handler; ``copy_into()`` is fork
  (copy-on-write); ``unmap``/``protect`` split and merge entries.

Copy-on-write, as BSD does it. fork gives the parent's entry and the child's
entry each a new, empty shadow object over the entry's old object, and
write-protects every resident page in both page tables::

    parent entry ─> shadow P ─┐                    a read: the page is found below,
                              ├─> old object         mapped read-only
    child entry  ─> shadow C ─┘   (pages shared)   a write: copied into the shadow
                                                     ("copy"), mapped read-write

When one side goes away (exit, execve), the old object has a single shadow
left: its pages move up into that shadow (a *collapse*), so chains stay
short however many children a shell forks.

Fault resolutions (the "fault" probe's ``how``, k.vmstats): "zero" (a fresh
zero page), "file" (read from the file: major), "swap" (back from swap:
major), "copy" (copy-on-write), "mapped" (the page was resident, only the
PTE was missing or read-only).

Kernel-wide state lives on the kernel (made by ``vm_init``, called by boot
right after physical memory is set up): ``k.vmstats`` (counters), ``k.pager``
(pager.py: the clock and swap), ``k.vm_pages`` (frame -> Page).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from . import weaknesses
from .pmem import PAGE_SIZE, OutOfMemory

PAGE_SHIFT = 12
PAGE_MASK = PAGE_SIZE - 1

# Sv39 PTE (64 bits):
#   63..54 reserved | 53..10 PPN | 9..8 RSW | 7 D | 6 A | 5 G | 4 U | 3 X | 2 W | 1 R | 0 V
PTE_V = 1 << 0
PTE_R = 1 << 1
PTE_W = 1 << 2
PTE_X = 1 << 3
PTE_U = 1 << 4
PTE_G = 1 << 5
PTE_A = 1 << 6
PTE_D = 1 << 7
PTE_PPN_SHIFT = 10

# satp (Sv39): 63..60 MODE=8 | 59..44 ASID | 43..0 PPN of the root table
SATP_MODE_SV39 = 8 << 60

# Address-space layout (see the module docstring)
RAM_BASE = 0x8000_0000
KERNBASE = 0xFFFF_FFC0_0000_0000
TRAMPOLINE = KERNBASE                      # the trampoline page: uservec, userret, idle
DMAP_BASE = 0xFFFF_FFD0_0000_0000
VM_MAXUSER_ADDRESS = 0x40_0000_0000        # first address above the user half
SHAREDPAGE = VM_MAXUSER_ADDRESS - PAGE_SIZE  # sigcode, mapped R/X/U in every process
USRSTACK = SHAREDPAGE                      # the stack grows down from here
MAXSSIZ = 8 << 20                          # largest stack (its entry); below it: unmapped guard
STACK_GUARD = USRSTACK - MAXSSIZ - PAGE_SIZE  # the guard page: mmap never places anything here
USER_MIN = PAGE_SIZE                       # page 0 is never mapped

PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC = 0, 1, 2, 4
PROT_ALL = PROT_READ | PROT_WRITE | PROT_EXEC

# Inheritance (minherit): what fork does with an entry.
INHERIT_COPY, INHERIT_SHARE, INHERIT_NONE = "copy", "share", "none"


def page_floor(a: int) -> int:
    return a & ~PAGE_MASK


def page_ceil(a: int) -> int:
    return (a + PAGE_MASK) & ~PAGE_MASK


def prot_str(prot: int) -> str:
    return ("r" if prot & PROT_READ else "-") + ("w" if prot & PROT_WRITE else "-") + \
           ("x" if prot & PROT_EXEC else "-")


def pte_bits(prot: int) -> int:
    """PTE permission bits for a PROT_* combination.

    PROT_WRITE brings read with it: a PTE with W but not R is reserved in
    Sv39 (the walk faults on it), and on RISC-V, as on most machines, a
    writable page is readable.
    """
    return ((PTE_R if prot & (PROT_READ | PROT_WRITE) else 0) | (PTE_W if prot & PROT_WRITE else 0)
            | (PTE_X if prot & PROT_EXEC else 0))


def dmap(pa: int) -> int:
    """The kernel virtual address of physical address pa (through the direct map)."""
    return DMAP_BASE + (pa - RAM_BASE)


# -- kernel-wide VM state ----------------------------------------------------------------
class VMStats:
    """System-wide VM counters (``k.vmstats``); TLB hits and misses are read from the harts' MMUs."""

    COUNTERS = ("faults", "zero_fills", "file_reads", "swap_ins", "cow_copies", "mapped",
                "segv", "oom_kills", "evictions", "clean_drops", "writebacks", "swap_outs",
                "pager_runs", "shootdowns", "ipis", "ipi_flushes", "collapses")

    def __init__(self, kernel):
        self.kernel = kernel
        for name in self.COUNTERS:
            setattr(self, name, 0)
        self.shootdowns_by: dict[str, int] = {}    # why: munmap, mprotect, cow, fork, exit, pageout, ...

    @property
    def tlb_hits(self) -> int:
        return sum(h.mmu.hits for h in self.kernel.machine.harts)

    @property
    def tlb_misses(self) -> int:
        return sum(h.mmu.misses for h in self.kernel.machine.harts)

    @property
    def free_frames(self) -> int:
        return self.kernel.pmem.free_frames

    def as_dict(self) -> dict:
        d = {name: getattr(self, name) for name in self.COUNTERS}
        d.update(tlb_hits=self.tlb_hits, tlb_misses=self.tlb_misses, free_frames=self.free_frames,
                 swapped=len(self.kernel.pager.swap.slots), shootdowns_by=dict(self.shootdowns_by))
        return d

    def __repr__(self) -> str:
        return "\n".join(f"{k:>12} {v}" for k, v in self.as_dict().items())


def vm_init(kernel) -> None:
    """Give the kernel its VM state: counters, the page records, the pager, the IPI mailboxes."""
    from .pager import Pager
    kernel.vmstats = VMStats(kernel)
    kernel.vm_pages = {}                     # frame pa -> Page (pageable frames only)
    kernel.vm_vnode_objects = {}             # id(vnode) -> the VnodeObject mmap shares
    kernel.pager = Pager(kernel)
    kernel.pmem.reclaim = kernel.pager               # callable: runs the clock
    kernel.tlb_mailbox = [[] for _ in kernel.machine.harts]   # per hart: (va, asid) to flush
    from . import sys_mman  # noqa: F401  (registers mmap, munmap, mprotect, msync, madvise, mincore)


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


class Pmap:
    """One Sv39 page table in guest memory: the hardware's view of an address space.

    A virtual address is split into three 9-bit indexes and an offset:

        38      30 29      21 20      12 11         0
        ┌─────────┬──────────┬──────────┬────────────┐
        │ VPN[2]  │  VPN[1]  │  VPN[0]  │   offset   │
        └─────────┴──────────┴──────────┴────────────┘
    root table[VPN[2]] -> level-1 table[VPN[1]] -> level-0 table[VPN[0]] -> leaf PTE
    """

    def __init__(self, kernel, asid: int, kernel_pmap: "Pmap | None" = None):
        self.kernel = kernel
        self.pmem = kernel.pmem
        self.ram = kernel.machine.bus.ram
        self.asid = asid
        self.active: set[int] = set()            # harts that may hold TLB entries of this ASID
        self.tracked = False                     # True once the scheduler reports activations
        self.tables: list[int] = []              # every page-table frame we own
        self._leaf_tables: dict[int, int] = {}   # va >> 21 -> its level-0 table (tables live until destroy)
        self.root = self._new_table("page table (root)")
        if kernel_pmap is not None:
            # Share the kernel half: copy root entries 256..511 (they point at shared tables).
            src = kernel_pmap.root - self.ram.base + 256 * 8
            dst = self.root - self.ram.base + 256 * 8
            self.ram.data[dst:dst + 256 * 8] = self.ram.data[src:src + 256 * 8]

    def activate(self, hartid: int) -> None:
        """The scheduler loads this page table on ``hartid`` (FreeBSD's pmap_activate: pm_active)."""
        self.active.add(hartid)
        self.tracked = True

    def _new_table(self, owner: str) -> int:
        """A frame for a page table: all invalid PTEs, even when the allocator does not zero frames."""
        pa = self.pmem.alloc_frame(owner)
        if not self.pmem.zero_frames:
            off = pa - self.ram.base
            self.ram.data[off:off + PAGE_SIZE] = bytes(PAGE_SIZE)
        self.tables.append(pa)
        return pa

    @property
    def satp(self) -> int:
        return SATP_MODE_SV39 | (self.asid << 44) | (self.root >> PAGE_SHIFT)

    # raw PTE access (physical addresses)
    def _rd(self, pa: int) -> int:
        return int.from_bytes(self.ram.data[pa - self.ram.base:pa - self.ram.base + 8], "little")

    def _wr(self, pa: int, value: int) -> None:
        off = pa - self.ram.base
        self.ram.data[off:off + 8] = value.to_bytes(8, "little")

    def walk(self, va: int, create: bool, level: int = 0) -> int | None:
        """Physical address of the PTE for ``va`` at ``level`` (0: 4 KiB leaf), creating tables if asked."""
        if level == 0:
            table = self._leaf_tables.get(va >> 21)
            if table is not None:                # a page table is never freed before destroy()
                return table + 8 * ((va >> 12) & 0x1FF)
        table = self.root
        for lvl in (2, 1):
            if lvl == level:
                break
            pte_pa = table + 8 * ((va >> (12 + 9 * lvl)) & 0x1FF)
            pte = self._rd(pte_pa)
            if pte & PTE_V:
                if pte & (PTE_R | PTE_W | PTE_X):
                    raise ValueError(f"pmap walk of {va:#x}: a superpage leaf at level {lvl}")
                table = (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT
            elif create:
                new = self._new_table("page table")
                self._wr(pte_pa, ((new >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V)
                table = new
            else:
                return None
        if level == 0:
            self._leaf_tables[va >> 21] = table
        return table + 8 * ((va >> (12 + 9 * level)) & 0x1FF)

    def enter(self, va: int, pa: int, bits: int, level: int = 0, ad: int = PTE_A | PTE_D) -> int:
        """Map the page at ``va`` to frame ``pa`` with PTE bits ``bits`` (R/W/X/U/G); returns the old PTE.

        ``ad``: the A/D bits to start with. Kernel mappings start with both
        set (the hardware then never writes them); user pages start with A
        (the fault was an access) and D only for a write, so the pager can
        tell which pages were used and which were written since.
        """
        pte_pa = self.walk(va, create=True, level=level)
        old = self._rd(pte_pa)
        self._wr(pte_pa, ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | bits | PTE_V | ad)
        return old

    def update(self, va: int, set_bits: int = 0, clear_bits: int = 0) -> int:
        """Change bits of the valid leaf PTE of ``va``; returns the old PTE (0: none, nothing done).

        The caller flushes the TLB when it takes rights away (or clears A/D).
        """
        pte_pa = self.walk(va, create=False)
        if pte_pa is None:
            return 0
        pte = self._rd(pte_pa)
        if pte & PTE_V:
            self._wr(pte_pa, (pte | set_bits) & ~clear_bits)
            return pte
        return 0

    def clear(self, va: int) -> int:
        """Invalidate the 4 KiB leaf of ``va``; returns the old PTE (0 if there was none)."""
        pte_pa = self.walk(va, create=False)
        if pte_pa is None:
            return 0
        pte = self._rd(pte_pa)
        if pte & PTE_V:
            self._wr(pte_pa, 0)
            return pte
        return 0

    def remove(self, va: int) -> int | None:
        """Unmap the 4 KiB page at ``va``; returns the frame it mapped, or None."""
        pte = self.clear(va)
        return (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT if pte else None

    def lookup(self, va: int) -> int | None:
        """The leaf PTE value for ``va`` (4 KiB pages only), or None."""
        pte_pa = self.walk(va, create=False)
        if pte_pa is None:
            return None
        pte = self._rd(pte_pa)
        return pte if pte & PTE_V else None

    def mappings(self, user_only: bool = True):
        """Every valid leaf: yields (va, pa, pte) in address order (the user half by default)."""
        def rec(table, level, base):
            for i in range(512):
                if user_only and level == 2 and i >= 256:
                    return
                pte = self._rd(table + 8 * i)
                if not pte & PTE_V:
                    continue
                va = base | (i << (12 + 9 * level))
                if level == 2 and i >= 256:
                    va |= 0xFFFF_FF80_0000_0000       # sign-extend bit 38
                pa = (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT
                if pte & (PTE_R | PTE_W | PTE_X):
                    yield va, pa, pte
                else:
                    yield from rec(pa, level - 1, va)
        yield from rec(self.root, 2, 0)

    def destroy(self) -> None:
        """Free every page-table frame of the user half (the kernel half is shared and stays)."""
        for t in self.tables:
            self.pmem.free_frame(t)
        self.tables = []
        self._leaf_tables.clear()


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
        # WEAKNESS: weakness no_zero_on_reuse skips this too, so the last owner's bytes show.
        if not self.kernel.pmem.zero_frames and not weaknesses.active(self.kernel, "no_zero_on_reuse"):
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


# -- map entries ------------------------------------------------------------------------------
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
                if not keep & (PTE_R | PTE_X):
                    self._unmap_page(va)  # PROT_NONE (or no leaf encoding left): no PTE at all
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
        protected = 0
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
                    protected += 1
                    if old_pte & PTE_D:
                        page = self.kernel.vm_pages.get(pa)
                        if page is not None:
                            page.dirty = True
                child._map_page(va, pa, ro, write=False)
        if protected:
            tlb_shootdown(self.kernel, None, self.pmap.asid, self.pmap, why="fork")

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


class FaultError(Exception):
    """A page fault the VM cannot resolve: the process gets SIGSEGV (``va``, ``access``, ``why``)."""

    def __init__(self, va: int, access: str, why: str):
        self.va, self.access, self.why = va, access, why
        super().__init__(f"{access} fault at {va:#x}: {why}")


# -- the fault entry point and accounting -------------------------------------------------------
def vm_fault(kernel, td, va: int, access: str, from_kernel: bool = False) -> bool:
    """A page fault of ``td`` at ``va``: True if resolved (retry the access), False for SIGSEGV/EFAULT.

    Counts the fault (ru_minflt or ru_majflt, ru_maxrss, k.vmstats) and fires
    the "fault" probe (pid, va, access, how, kind, why, pa: the frame now
    mapped, hart, mtime). When no frame can be found for the page, the
    faulting process is killed (SIGKILL) with the reason in kernel.log and
    p.exit_reason; the kernel itself carries on.
    """
    p = td.proc
    stats = kernel.vmstats
    if p.vmspace is None or va >= (1 << 63):
        return False
    vs = p.vmspace
    rl = getattr(p, "rlimits", None)
    vs.stack_limit = min(MAXSSIZ, rl[3][0]) if rl else MAXSSIZ      # RLIMIT_STACK = 3
    # The hart that walks this page table now may cache it: the thread's, or hart 0 where
    # kernel.mmu_translate does copyin/copyout for a thread that is not running (spawn's exec).
    vs.pmap.active.add(td.hart.hartid if td.hart is not None else 0)
    stats.faults += 1
    mtime = kernel.machine.clint.mtime
    hartid = td.hart.hartid if td.hart is not None else None

    def probe(how, kind, why="", pa=None):
        kernel.probes.fire("fault", pid=p.pid, va=va, access=access, how=how, kind=kind, why=why,
                           pa=pa, hart=hartid, mtime=mtime)
    try:
        how = vs.fault(va, access)
    except FaultError as e:
        stats.segv += 1
        probe("SIGSEGV", "error", e.why)
        return False
    except OutOfMemory as e:
        stats.oom_kills += 1
        reason = (f"out of memory: pid {p.pid} ({p.comm}) faulted at {va:#x} and no page "
                  f"could be evicted ({e})")
        kernel.log.append(reason)
        probe("OOM", "error", reason)
        if from_kernel:
            return False
        from .signal import SIGKILL
        kernel.exit1(td, SIGKILL, reason=reason)
        return True
    kib = vs.maxrss * (PAGE_SIZE // 1024)
    if kib > getattr(p.rusage, "maxrss", 0):
        p.rusage.maxrss = kib                  # ru_maxrss: the resident set's peak, in KiB
    major = how in ("file", "swap")
    if major:
        p.rusage.majflt += 1
        td.rusage.majflt += 1
    else:
        p.rusage.minflt += 1
        td.rusage.minflt += 1
    probe(how, "major" if major else "minor", pa=vs.resident.get(page_floor(va)))
    return True


# -- TLB shootdown ------------------------------------------------------------------------------
CLINT_MSIP = 0x0200_0000          # msip[h] at CLINT_MSIP + 4*h


def tlb_shootdown(kernel, va: int | None, asid: int | None, pmap: Pmap | None = None,
                  why: str = "other") -> None:
    """Make every hart forget cached translations of (va, asid): the local hart now, others by IPI.

    The harts that may cache the mapping are those that ran this address
    space (``pmap.active``, kept by the scheduler through Pmap.activate);
    when that is not known, every other hart is sent one. Each one gets an
    inter-processor interrupt: what SBI firmware does for sbi_send_ipi --
    a store to its CLINT msip word, which the firmware's M-mode handler turns
    into a supervisor software interrupt (SSIP); that firmware lives in
    Python here, like the rest of boot's M-mode set-up. The target takes the
    interrupt before its next instruction, and its trap() runs
    ``ipi_received``: sfence.vma for each queued request.
    """
    m = kernel.machine
    me = m.bus.current_hart or 0
    stats = kernel.vmstats
    stats.shootdowns += 1
    stats.shootdowns_by[why] = stats.shootdowns_by.get(why, 0) + 1
    m.harts[me].mmu.flush(va, asid)
    if m.nharts == 1:
        return
    targets = sorted(pmap.active) if pmap is not None and pmap.tracked else range(m.nharts)
    for h in targets:
        if h == me:
            continue
        kernel.tlb_mailbox[h].append((va, asid))
        m.bus.store(CLINT_MSIP + 4 * h, 4, 1)          # the IPI
        stats.ipis += 1
        # Firmware's M-mode handler on hart h: acknowledge msip, raise SSIP for the kernel.
        m.clint.set_msip(h, 0)
        hart = m.harts[h]
        hart.csr.write("sip", hart.csr.read("sip") | (1 << 1))


def ipi_received(kernel, hart) -> None:
    """On a hart that took a software interrupt: carry out the queued shootdowns (sfence.vma each)."""
    box = kernel.tlb_mailbox[hart.hartid]
    while box:
        va, asid = box.pop(0)
        hart.mmu.flush(va, asid)
        kernel.vmstats.ipi_flushes += 1


__all__ = ["Pmap", "VMSpace", "VMEntry", "VMObject", "AnonObject", "VnodeObject", "Page", "VMStats",
           "FaultError", "OutOfMemory", "dmap", "page_floor", "page_ceil", "vm_fault", "vm_init",
           "tlb_shootdown", "ipi_received", "vnode_object"]
