"""The pmap: Sv39 page tables in guest memory, which the MMU walks (FreeBSD's riscv/pmap.c).

Machine-dependent: the VM (vm/) decides what is mapped where; this module
writes the PTEs that say so, in the format the RISC-V privileged
specification fixes. Python writes PTEs here; the hardware only ever sees
this, and sets A and D in it.

    Sv39 PTE (64 bits):
      63..54 reserved | 53..10 PPN | 9..8 RSW | 7 D | 6 A | 5 G | 4 U | 3 X | 2 W | 1 R | 0 V
    satp (Sv39):
      63..60 MODE=8 | 59..44 ASID | 43..0 PPN of the root table
"""

from __future__ import annotations

from oskit.kernel.param import PAGE_SHIFT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE
from oskit.machine import sv39
from oskit.machine.sv39 import PTE_A, PTE_D, PTE_PPN_SHIFT, PTE_R, PTE_V, PTE_W, PTE_X

# The PTE bits are the machine's (oskit/machine/sv39.py: PTE_BITS names them): one table for all.


def pte_bits(prot: int) -> int:
    """PTE permission bits for a PROT_* combination.

    PROT_WRITE brings read with it: a PTE with W but not R is reserved in
    Sv39 (the walk faults on it), and on RISC-V, as on most machines, a
    writable page is readable.
    """
    return ((PTE_R if prot & (PROT_READ | PROT_WRITE) else 0) | (PTE_W if prot & PROT_WRITE else 0)
            | (PTE_X if prot & PROT_EXEC else 0))


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
        return sv39.make_satp(self.root, self.asid)

    # raw PTE access (physical addresses)
    def _rd(self, pa: int) -> int:
        return int.from_bytes(self.ram.data[pa - self.ram.base:pa - self.ram.base + 8], "little")

    def _wr(self, pa: int, value: int) -> None:
        self.kernel.kclock.charge("pte")           # kernel time (kern/ktime.py)
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
        """Every leaf a walk would use: yields (va, pa, pte) in address order (the user half by default).

        The machine's walker enumerates them (sv39.leaves): what this says is mapped
        is what the MMU would translate, superpages and faulting entries included.
        """
        for leaf in sv39.leaves(sv39.ram_reader(self.ram), self.satp, user_only):
            yield leaf.va, leaf.pa, leaf.pte

    def destroy(self) -> None:
        """Free every page-table frame of the user half (the kernel half is shared and stays)."""
        for t in self.tables:
            self.pmem.free_frame(t)
        self.tables = []
        self._leaf_tables.clear()
