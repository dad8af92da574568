"""Sv39: the address layout, the page-table entry, and the page-table walk, as pure functions.

The map of this module:

    PTE_V ... PTE_D, PTE_BITS   the bits of a page-table entry; PTE_BITS names them (for views)
    pte_ppn(), pte_flags()      the physical page number / the flag letters of a PTE
    is_leaf(), leaf_fault()     what a valid PTE is; why a leaf cannot be used (None: it can)
    canonical(), sign_extend()  Sv39 addresses: bits 63:39 copy bit 38
    satp_fields(), make_satp()  satp's MODE, ASID and root PPN
    walk(read_pte, satp, va)    the privileged spec's translation algorithm -> Walk (or its fault)
    leaves(read_pte, satp)      every usable leaf of a page-table tree, in address order -> Leaf
    ram_reader(ram)             the read_pte of page tables in a machine's RAM

Nothing here has a side effect: no A/D bit is set, no TLB is filled, no event
is published. The caller passes ``read_pte(pa) -> int | None``, which reads
the 8-byte PTE at a physical address (None: no memory answers there), usually
``ram_reader(machine.bus.ram)``. The MMU
(mmu.py) builds the hardware on top of walk(): the permission check (its one
``allowed()`` rule), the A/D updates, the TLB and the events. Views and
tracers call walk() and leaves() directly, so they see exactly what the
hardware would, and change nothing.

Sv39 virtual address (bits 63:39 must all equal bit 38, or the access page-faults):

    63        39 38      30 29      21 20      12 11         0
    [ sign ext ][ VPN[2]  ][ VPN[1]  ][ VPN[0]  ][ page offset ]
                  9 bits     9 bits     9 bits      12 bits

Sv39 page-table entry (8 bytes; a page table is 512 of them, one 4 KiB page):

    63  62 61  60    54 53     28 27     19 18     10 9  8 7 6 5 4 3 2 1 0
    [N][PBMT ][reserved][ PPN[2] ][ PPN[1] ][ PPN[0] ][RSW][D A G U X W R V]

A valid PTE with R or X set is a leaf; a valid PTE with R = W = X = 0 points
to the next level. Physical address = PPN << 12 | page offset, where a leaf
at level 1 (2 MiB) or level 2 (1 GiB) takes the low VPN fields from the
virtual address ("superpage"). N and PBMT (Svnapot, Svpbmt) are not
implemented, so they count as reserved bits: set, they make the PTE fault.

satp (Sv39): MODE[63:60] = 8, ASID[59:44], PPN[43:0] of the root table.
"""

from __future__ import annotations

from typing import Callable, Iterator, NamedTuple


class PteBit(NamedTuple):
    """One flag bit of a PTE, as the privileged spec names it (4.3.1)."""

    bit: int
    letter: str
    name: str
    meaning: str


PTE_BITS = (
    PteBit(0, "V", "valid", "the entry is in use; every other bit means nothing when V = 0"),
    PteBit(1, "R", "readable", "loads may use the page (with X and mstatus.MXR: X pages too)"),
    PteBit(2, "W", "writable", "stores and AMOs may use the page (W without R is reserved)"),
    PteBit(3, "X", "executable", "instructions may be fetched from the page"),
    PteBit(4, "U", "user", "U-mode may use the page; S-mode only loads and stores it, with SUM"),
    PteBit(5, "G", "global", "the mapping is in every address space (the TLB ignores the ASID)"),
    PteBit(6, "A", "accessed", "set when the page was read, written or fetched from"),
    PteBit(7, "D", "dirty", "set when the page was written"),
)
"""The eight flag bits, low to high: bit i of a PTE is PTE_BITS[i]."""

PTE_V, PTE_R, PTE_W, PTE_X, PTE_U, PTE_G, PTE_A, PTE_D = (1 << b.bit for b in PTE_BITS)
PTE_RESERVED = 0x3FF << 54  # N, PBMT and bits 60:54
PTE_PPN_SHIFT = 10  # the PPN starts at bit 10
PPN_MASK = (1 << 44) - 1  # PPN[2..0]: 44 bits

LEVELS = 3  # Sv39: three levels of 512-entry tables
PAGE_SHIFT = 12  # 4 KiB pages
VPN_BITS = 9  # each level is indexed by 9 bits of the virtual address
PTE_SIZE = 8
MODE_SV39 = 8  # satp.MODE for Sv39 (0 is Bare: no translation)
PAGE_SIZES = {0: "4 KiB", 1: "2 MiB", 2: "1 GiB"}  # by leaf level


def pte_ppn(pte: int) -> int:
    """The physical page number in a PTE (bits 53:10)."""
    return (pte >> PTE_PPN_SHIFT) & PPN_MASK


def pte_flags(pte: int) -> str:
    """The flag letters of a PTE, high to low as the spec draws them ("DAGUXWRV", '-' for clear)."""
    return "".join(b.letter if pte >> b.bit & 1 else "-" for b in reversed(PTE_BITS))


def is_leaf(pte: int) -> bool:
    """A valid PTE with R or X set maps a page; with R = W = X = 0 it points to the next level."""
    return bool(pte & PTE_V and pte & (PTE_R | PTE_X))


def leaf_fault(pte: int, level: int) -> str | None:
    """Why a walk that reaches the leaf `pte` at `level` faults whatever the access, or None.

    These are the checks of steps 3 and 6 that depend on the leaf alone (the
    permission check of step 5 also depends on the access and the mode).
    """
    if pte & PTE_RESERVED:
        return "reserved bits set"
    if (pte & (PTE_R | PTE_W)) == PTE_W:
        return "W without R"
    if level > 0 and pte_ppn(pte) & ((1 << (VPN_BITS * level)) - 1):
        return "misaligned superpage"
    return None


def canonical(va: int) -> bool:
    """Sv39 addresses are canonical when bits 63:39 all equal bit 38."""
    top = va >> 38
    return top == 0 or top == (1 << 26) - 1


def sign_extend(va: int) -> int:
    """The canonical form of a 39-bit address: bit 38 copied into bits 63:39."""
    va &= (1 << 39) - 1
    return va | 0xFFFF_FF80_0000_0000 if va >> 38 else va


def satp_fields(satp: int) -> tuple[int, int, int]:
    """(MODE, ASID, PPN) of satp: MODE[63:60] ASID[59:44] PPN[43:0]."""
    return satp >> 60, (satp >> 44) & 0xFFFF, satp & PPN_MASK


def make_satp(root: int, asid: int = 0) -> int:
    """The Sv39 satp value for the root table at physical address `root` and address space `asid`."""
    return (MODE_SV39 << 60) | ((asid & 0xFFFF) << 44) | ((root >> PAGE_SHIFT) & PPN_MASK)


class Walk(NamedTuple):
    """What a walk of va found: the PTEs it read and the page, or why it faults.

    fault is None (translated), "page" (a page fault) or "access" (a PTE
    address where no memory answers: the access fault of the access). why
    says which check failed, in words.
    """

    va: int
    ptes: tuple  # ((level, pte_pa, pte), ...) in the order read, root table first
    fault: str | None
    why: str
    level: int | None = None  # the leaf's level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB)
    pa: int | None = None  # the physical address of va
    glob: bool = False  # G was set on some PTE of the path: the mapping is global (4.3.1)

    @property
    def pte(self) -> int | None:
        """The leaf PTE (None when the walk faulted)."""
        return None if self.fault else self.ptes[-1][2]

    @property
    def pte_pa(self) -> int | None:
        """Where the leaf PTE lives (None when the walk faulted)."""
        return None if self.fault else self.ptes[-1][1]

    @property
    def ppn(self) -> int | None:
        """The first physical page number of the page (None when the walk faulted)."""
        return None if self.fault else pte_ppn(self.ptes[-1][2])


def walk(read_pte: Callable[[int], int | None], satp: int, va: int) -> Walk:
    """The privileged spec's translation algorithm (4.3.2) for Sv39, without permission check or A/D.

    satp must be an Sv39 satp (the caller decided that translation applies).
    Steps 5 (may this mode make this access?) and 7 (set A and D) are the
    MMU's: they depend on the access and change memory. Step 5 comes before
    step 6 in the spec; both give the same page fault, so checking 6 here
    first changes nothing a program can see.
    """
    ptes: list[tuple[int, int, int]] = []
    # (0) Sv39: bits 63:39 of va must equal bit 38, else a page fault.
    if not canonical(va):
        return Walk(va, (), "page", "address not canonical (bits 63:39 differ from bit 38)")
    # (1) a = satp.ppn * PAGESIZE, i = LEVELS - 1.
    a = (satp & PPN_MASK) << PAGE_SHIFT
    i = LEVELS - 1
    glob = False  # G on any PTE of the path makes the mapping global
    while True:
        # (2) pte = the 8 bytes at a + va.vpn[i] * PTESIZE; where no memory answers, an access fault.
        pte_pa = a + ((va >> (PAGE_SHIFT + VPN_BITS * i)) & 0x1FF) * PTE_SIZE
        pte = read_pte(pte_pa)
        if pte is None:
            return Walk(va, tuple(ptes), "access", f"no memory at PTE address {pte_pa:#x}")
        ptes.append((i, pte_pa, pte))
        glob = glob or bool(pte & PTE_G)
        # (3) not valid, or W without R, or a reserved bit set: page fault.
        if not pte & PTE_V:
            return Walk(va, tuple(ptes), "page", f"invalid PTE at level {i}")
        if (pte & (PTE_R | PTE_W)) == PTE_W or pte & PTE_RESERVED:
            return Walk(va, tuple(ptes), "page", f"{leaf_fault(pte, 0)} at level {i}")
        # (4) R or X set: a leaf, go on below. Otherwise descend; past level 0 is a page fault.
        if pte & (PTE_R | PTE_X):
            break
        i -= 1
        if i < 0:
            return Walk(va, tuple(ptes), "page", "pointer PTE at level 0")
        a = pte_ppn(pte) << PAGE_SHIFT
    # (6) a superpage's low PPN fields must be zero, else it is misaligned: page fault.
    why = leaf_fault(pte, i)
    if why is not None:
        return Walk(va, tuple(ptes), "page", f"{why} at level {i}")
    # (8) pa = ppn << 12 | offset, where a superpage takes vpn[i-1:0] from va as well.
    low = (1 << (PAGE_SHIFT + VPN_BITS * i)) - 1
    pa = ((pte_ppn(pte) << PAGE_SHIFT) & ~low) | (va & low)
    return Walk(va, tuple(ptes), None, f"{PAGE_SIZES[i]} page at level {i}", i, pa, glob)


class Leaf(NamedTuple):
    """One mapping of a page-table tree: the page at va (of the leaf's level) -> pa."""

    va: int  # canonical (sign-extended) first virtual address of the page
    pa: int  # first physical address of the page
    pte: int
    level: int  # 0: 4 KiB, 1: 2 MiB, 2: 1 GiB


def leaves(read_pte: Callable[[int], int | None], satp: int, user_only: bool = False) -> Iterator[Leaf]:
    """Every leaf under satp's root that a walk would use, in address order.

    A leaf counts when walk() of an address in its page would end there
    without a fault (the permission check aside): PTEs that are invalid,
    reserved (W without R, reserved bits), misaligned superpages, or below
    a faulting pointer, map nothing and are skipped. user_only: only the
    lower half of the address space (root entries 0..255).
    """

    def tables(table: int, level: int, base: int) -> Iterator[Leaf]:
        for index in range(512):
            if user_only and level == LEVELS - 1 and index >= 256:
                return
            pte = read_pte(table + PTE_SIZE * index)
            if pte is None or not pte & PTE_V or pte & PTE_RESERVED or (pte & (PTE_R | PTE_W)) == PTE_W:
                continue
            va = base | index << (PAGE_SHIFT + VPN_BITS * level)
            if pte & (PTE_R | PTE_X):
                if leaf_fault(pte, level) is None:
                    yield Leaf(sign_extend(va), pte_ppn(pte) << PAGE_SHIFT, pte, level)
            elif level > 0:
                yield from tables(pte_ppn(pte) << PAGE_SHIFT, level - 1, va)

    yield from tables((satp & PPN_MASK) << PAGE_SHIFT, LEVELS - 1, 0)


def ram_reader(ram) -> Callable[[int], int | None]:
    """read_pte for page tables in RAM (an object with .base, .size, .data): None outside it.

    Walks read PTEs from RAM only (choices.PAGE_TABLES_IN_RAM_ONLY): a table
    address in a device, or where nothing answers, makes the walk fault.
    """
    base, size, data = ram.base, ram.size, ram.data

    def read_pte(pa: int) -> int | None:
        off = pa - base
        if not 0 <= off <= size - PTE_SIZE:
            return None
        return int.from_bytes(data[off : off + PTE_SIZE], "little")

    return read_pte
