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
                          │ stack (grows down, 8 MiB)  │ demand-zero
                          │         ...                │
                          │ heap (break)               │ demand-zero
                          │ bss, data, text            │ from the ELF file, on first touch
    0x0000_0000_0000_1000 │                            │ page 0: never mapped (NULL)
    0x0000_0000_0000_0000 ┴────────────────────────────┘

The pieces, as in BSD's VM (vm_map / vm_object / pmap):

- ``Pmap``: one Sv39 page table in guest memory, which the MMU walks. Python
  writes PTEs here; the hardware only ever sees this.
- ``VMObject``: where the contents of pages come from: ``AnonObject`` (zero
  fill), ``VnodeObject`` (a slice of a file: an executable's segment). An
  object keeps the frames it has filled, by page index.
- ``VMEntry``: a range [start, end) of one address space with a protection,
  backed by an object at an offset. A *private* entry over a file keeps its
  own modified pages in ``entry.private`` (an AnonObject): the file's page is
  mapped read-only until the first write copies it (copy-on-write from the
  file). Issue 4 extends this to copy-on-write between processes.
- ``VMSpace``: the entries of one process plus its Pmap; ``fault()`` is the
  page-fault handler: find the entry, check the protection, find or fill the
  page, enter the PTE. Page tables hold only what has been touched.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

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
USER_MIN = PAGE_SIZE                       # page 0 is never mapped

PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4


def page_floor(a: int) -> int:
    return a & ~PAGE_MASK


def page_ceil(a: int) -> int:
    return (a + PAGE_MASK) & ~PAGE_MASK


def prot_str(prot: int) -> str:
    return ("r" if prot & PROT_READ else "-") + ("w" if prot & PROT_WRITE else "-") + \
           ("x" if prot & PROT_EXEC else "-")


def pte_bits(prot: int) -> int:
    """PTE permission bits for a PROT_* combination."""
    return ((PTE_R if prot & PROT_READ else 0) | (PTE_W if prot & PROT_WRITE else 0)
            | (PTE_X if prot & PROT_EXEC else 0))


def dmap(pa: int) -> int:
    """The kernel virtual address of physical address pa (through the direct map)."""
    return DMAP_BASE + (pa - RAM_BASE)


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
        self.root = self.pmem.alloc_frame("page table (root)")
        self.tables = [self.root]                # every page-table frame we own
        if kernel_pmap is not None:
            # Share the kernel half: copy root entries 256..511 (they point at shared tables).
            src = kernel_pmap.root - self.ram.base + 256 * 8
            dst = self.root - self.ram.base + 256 * 8
            self.ram.data[dst:dst + 256 * 8] = self.ram.data[src:src + 256 * 8]

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
                new = self.pmem.alloc_frame("page table")
                self.tables.append(new)
                self._wr(pte_pa, ((new >> PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V)
                table = new
            else:
                return None
        return table + 8 * ((va >> (12 + 9 * level)) & 0x1FF)

    def enter(self, va: int, pa: int, bits: int, level: int = 0) -> int:
        """Map the page at ``va`` to frame ``pa`` with PTE bits ``bits`` (R/W/X/U/G); returns the old PTE.

        A and D are set at once (we do not use them for paging decisions yet), so
        the hardware never needs to update them for our mappings.
        """
        pte_pa = self.walk(va, create=True, level=level)
        old = self._rd(pte_pa)
        self._wr(pte_pa, ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | bits | PTE_V | PTE_A | PTE_D)
        return old

    def remove(self, va: int) -> int | None:
        """Unmap the 4 KiB page at ``va``; returns the frame it mapped, or None."""
        pte_pa = self.walk(va, create=False)
        if pte_pa is None:
            return None
        pte = self._rd(pte_pa)
        if not pte & PTE_V:
            return None
        self._wr(pte_pa, 0)
        return (pte >> PTE_PPN_SHIFT) << PAGE_SHIFT

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


class VMObject:
    """Where pages come from. ``pages``: page index -> frame, for pages already filled."""

    kind = "?"

    def __init__(self, kernel, size: int):
        self.kernel = kernel
        self.size = size                 # bytes (page multiple)
        self.pages: dict[int, int] = {}
        self.refs = 0

    def fill(self, pindex: int, pa: int) -> bool:
        """Put the contents of page ``pindex`` in frame ``pa``; True if that needed I/O (major)."""
        raise NotImplementedError

    def getpage(self, pindex: int) -> tuple[int, bool]:
        """The frame holding page ``pindex`` (filling it on first use) and whether it was a major fault."""
        pa = self.pages.get(pindex)
        if pa is not None:
            return pa, False
        pa = self.kernel.pmem.alloc_frame(f"{self.kind} page")
        major = self.fill(pindex, pa)
        self.pages[pindex] = pa
        return pa, major

    def release(self) -> None:
        self.refs -= 1
        if self.refs <= 0:
            for pa in self.pages.values():
                self.kernel.pmem.free_frame(pa)
            self.pages.clear()


class AnonObject(VMObject):
    """Anonymous memory: every page starts as zeros (bss, heap, stack, private copies)."""

    kind = "anon"

    def fill(self, pindex: int, pa: int) -> bool:
        if not self.kernel.pmem.zero_frames:
            # The allocator did not zero the frame; anonymous memory must still read as zeros.
            off = pa - RAM_BASE
            self.kernel.machine.bus.ram.data[off:off + PAGE_SIZE] = bytes(PAGE_SIZE)
        return False


class VnodeObject(VMObject):
    """A slice of a file: ``filesz`` bytes from ``offset``; the rest of the last page is zero."""

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

    def __repr__(self) -> str:
        return f"<vnode object {self.filesz} bytes at file offset {self.offset:#x}>"


@dataclass
class VMEntry:
    """One mapped range [start, end) of an address space."""

    start: int
    end: int
    prot: int                       # PROT_READ | PROT_WRITE | PROT_EXEC
    name: str                       # "text", "data", "bss", "heap", "stack", "sigcode", ...
    backing: VMObject | None = None  # file pages (read-only until written); None: zero-fill
    offset: int = 0                 # byte offset of ``start`` in ``backing``
    private: AnonObject | None = None  # this entry's own pages (zero-fill or copies of backing pages)
    shared: bool = False            # writes go to ``backing`` itself (the shared page)
    grows_down: bool = False

    def contains(self, va: int) -> bool:
        return self.start <= va < self.end

    def __repr__(self) -> str:
        return f"<{self.name} {self.start:#x}-{self.end:#x} {prot_str(self.prot)}>"


class VMSpace:
    """The address space of one process: its map entries and its page table."""

    def __init__(self, kernel, pmap: Pmap):
        self.kernel = kernel
        self.pmap = pmap
        self.entries: list[VMEntry] = []      # sorted by start, never overlapping

    # -- the map ------------------------------------------------------------------------
    def find(self, va: int) -> VMEntry | None:
        i = bisect.bisect_right([e.start for e in self.entries], va) - 1
        if i >= 0 and self.entries[i].contains(va):
            return self.entries[i]
        return None

    def map(self, start: int, end: int, prot: int, name: str, backing: VMObject | None = None,
            offset: int = 0, shared: bool = False, grows_down: bool = False) -> VMEntry:
        """Add an entry for [start, end) (page-aligned); it must not overlap another."""
        if start & PAGE_MASK or end & PAGE_MASK or start >= end:
            raise ValueError(f"vm map {name}: [{start:#x}, {end:#x}) is not a page-aligned range")
        for e in self.entries:
            if e.start < end and start < e.end:
                raise ValueError(f"vm map {name} [{start:#x}, {end:#x}) overlaps {e}")
        private = AnonObject(self.kernel, end - start)
        private.refs = 1
        if backing is not None:
            backing.refs += 1
        entry = VMEntry(start, end, prot, name, backing, offset, private, shared, grows_down)
        bisect.insort(self.entries, entry, key=lambda e: e.start)
        return entry

    def resize(self, entry: VMEntry, new_end: int) -> None:
        """Move an entry's end (the heap's break); pages beyond a shrunk end are freed."""
        if new_end < entry.end:
            for va in range(new_end, entry.end, PAGE_SIZE):
                self._drop_page(entry, va)
        else:
            for e in self.entries:
                if e is not entry and e.start < new_end and entry.start < e.end:
                    raise ValueError(f"growing {entry} to {new_end:#x} would overlap {e}")
        entry.end = new_end
        entry.private.size = new_end - entry.start

    def _drop_page(self, entry: VMEntry, va: int) -> None:
        self.pmap.remove(va)
        self.kernel.tlb_flush(va, self.pmap.asid)
        pindex = (va - entry.start) >> PAGE_SHIFT
        pa = entry.private.pages.pop(pindex, None)
        if pa is not None:
            self.kernel.pmem.free_frame(pa)

    def unmap_entry(self, entry: VMEntry) -> None:
        for va in range(entry.start, entry.end, PAGE_SIZE):
            self.pmap.remove(va)
        self.kernel.tlb_flush(None, self.pmap.asid)
        entry.private.release()
        if entry.backing is not None:
            entry.backing.release()
        self.entries.remove(entry)

    # -- page faults ----------------------------------------------------------------------
    def fault(self, va: int, access: str) -> str:
        """The page-fault handler. Returns how it was resolved, or raises FaultError.

        access: "r", "w" or "x". Resolutions: "zero" (a fresh zero page), "file" (read from
        the file: a major fault), "copy" (private copy of a file page on first write),
        "mapped" (the page was resident, only the PTE was missing).
        """
        entry = self.find(va)
        if entry is None:
            raise FaultError(va, access, "no mapping at this address")
        need = {"r": PROT_READ, "w": PROT_WRITE, "x": PROT_EXEC}[access]
        if not entry.prot & need:
            raise FaultError(va, access, f"{entry.name} is {prot_str(entry.prot)}")
        page = page_floor(va)
        pindex = (page - entry.start) >> PAGE_SHIFT
        bits = pte_bits(entry.prot) | PTE_U
        how = "mapped"
        pa = entry.private.pages.get(pindex)
        if pa is None:
            bpindex = (entry.offset + page - entry.start) >> PAGE_SHIFT
            in_backing = entry.backing is not None and bpindex * PAGE_SIZE < entry.backing.size
            if in_backing and (entry.shared or access != "w"):
                # Map the file's own page; read-only unless the mapping is shared.
                pa, major = entry.backing.getpage(bpindex)
                how = "file" if major else "mapped"
                if not entry.shared:
                    bits &= ~PTE_W
            elif in_backing:
                src, _ = entry.backing.getpage(bpindex)
                pa, _ = entry.private.getpage(pindex)
                self.kernel.copy_frame(src, pa)
                how = "copy"
            else:
                pa, _ = entry.private.getpage(pindex)
                how = "zero"
        if self.pmap.enter(page, pa, bits) & PTE_V:
            # A valid PTE changed (read-only file page -> private copy): cached translations are stale.
            # (Invalid -> valid needs no flush: neither the TLB nor the page caches keep faults.)
            self.kernel.tlb_flush(page, self.pmap.asid)
        return how

    # -- fork and exit ----------------------------------------------------------------------
    def copy_into(self, child: "VMSpace") -> None:
        """Give ``child`` the same entries and a copy of every page this space has filled.

        This is fork without copy-on-write: frames are copied now, and the child's
        page table starts empty (its first touch of each page maps the copy).
        """
        for e in self.entries:
            ce = child.map(e.start, e.end, e.prot, e.name, e.backing, e.offset, e.shared, e.grows_down)
            for pindex, src in e.private.pages.items():
                dst = self.kernel.pmem.alloc_frame("anon page")
                self.kernel.copy_frame(src, dst)
                ce.private.pages[pindex] = dst

    def destroy(self) -> None:
        """Free every page and page-table frame of this space."""
        for e in list(self.entries):
            e.private.release()
            if e.backing is not None:
                e.backing.release()
        self.entries.clear()
        self.kernel.tlb_flush(None, self.pmap.asid)
        self.pmap.destroy()

    def resident_pages(self) -> int:
        return sum(1 for _ in self.pmap.mappings())

    def describe(self) -> str:
        """The map as text, one entry a line (like procstat -v)."""
        lines = []
        for e in self.entries:
            src = "anon" if e.backing is None else repr(e.backing)
            lines.append(f"{e.start:#014x}-{e.end:#014x} {prot_str(e.prot)} {e.name:<8} "
                         f"{(e.end - e.start) // PAGE_SIZE:6d} pages  {len(e.private.pages):4d} private  {src}")
        return "\n".join(lines)


class FaultError(Exception):
    """A page fault the VM cannot resolve: the process gets SIGSEGV (``va``, ``access``, ``why``)."""

    def __init__(self, va: int, access: str, why: str):
        self.va, self.access, self.why = va, access, why
        super().__init__(f"{access} fault at {va:#x}: {why}")


__all__ = ["Pmap", "VMSpace", "VMEntry", "AnonObject", "VnodeObject", "FaultError", "OutOfMemory",
           "dmap", "page_floor", "page_ceil"]
