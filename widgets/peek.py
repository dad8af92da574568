"""Reading guest state without touching it: the views' side-effect-free page walk and memory reads.

A view must never change what it shows. The hart's own ``translate()`` would
fill the TLB, bump its hit/miss counters and set the A/D bits of the PTEs it
walks: all visible to the guest and to the other views. So the views walk
the Sv39 tree themselves, reading RAM bytes and writing nothing.

    walk(machine, satp, va) -> Walk     the PTEs a hardware walk would visit, and where it ends
    read_va(machine, hart, va, n)       n bytes at virtual address va as the hart would see them
                                        (M-mode or satp bare: va is physical), or None
    read_u64(machine, pa) / read_u32    one little-endian word of RAM, or None outside RAM

Sv39 virtual address and PTE (the layout the walk decodes; see oskit/machine/mmu.py):

    va:  [63..39 sign] [38..30 VPN2] [29..21 VPN1] [20..12 VPN0] [11..0 offset]
    pte: [53..28 PPN2] [27..19 PPN1] [18..10 PPN0] [9..8 RSW] D A G U X W R V
"""

from __future__ import annotations

from dataclasses import dataclass

from oskit.machine.bus import BusError

PTE_V, PTE_R, PTE_W, PTE_X, PTE_U, PTE_G, PTE_A, PTE_D = (1 << i for i in range(8))
PTE_FLAGS = "VRWXUGAD"  # bit i of a PTE is PTE_FLAGS[i]
PPN_MASK = (1 << 44) - 1
SATP_MODE_SV39 = 8


def pte_flags(pte: int) -> str:
    """The flag letters of a PTE, high to low as the spec draws them ("DAGUXWRV", '-' for clear)."""
    return "".join(PTE_FLAGS[i] if pte >> i & 1 else "-" for i in range(7, -1, -1))


def pte_ppn(pte: int) -> int:
    """The physical page number in a PTE (bits 53:10)."""
    return (pte >> 10) & PPN_MASK


def is_leaf(pte: int) -> bool:
    """A valid PTE with R or X set maps a page; with R = X = 0 it points to the next level."""
    return bool(pte & PTE_V and pte & (PTE_R | PTE_X))


def satp_fields(satp: int) -> tuple[int, int, int]:
    """(MODE, ASID, PPN) of satp: MODE[63:60] ASID[59:44] PPN[43:0]."""
    return satp >> 60, (satp >> 44) & 0xFFFF, satp & PPN_MASK


def read_u64(machine, pa: int) -> int | None:
    """The 8 bytes of RAM at pa as a little-endian integer, or None outside RAM."""
    try:
        return int.from_bytes(machine.bus.read_bytes(pa, 8), "little")
    except BusError:
        return None


def read_u32(machine, pa: int) -> int | None:
    """The 4 bytes of RAM at pa as a little-endian integer, or None outside RAM."""
    try:
        return int.from_bytes(machine.bus.read_bytes(pa, 4), "little")
    except BusError:
        return None


@dataclass(frozen=True)
class Walk:
    """What a hardware walk of va would visit: ptes[i] = (level, pte_pa, pte), top level first."""

    va: int
    ptes: tuple
    pa: int | None  # None: the walk would fault
    level: int | None  # the leaf's level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB), None on a fault


def walk(machine, satp: int, va: int) -> Walk:
    """The Sv39 walk of va under satp, read-only (no A/D updates, no TLB, no permission check)."""
    ptes = []
    top = va >> 38
    if top not in (0, (1 << 26) - 1):
        return Walk(va, (), None, None)
    table = (satp & PPN_MASK) << 12
    for level in (2, 1, 0):
        pte_pa = table + ((va >> (12 + 9 * level)) & 0x1FF) * 8
        pte = read_u64(machine, pte_pa)
        if pte is None:
            break
        ptes.append((level, pte_pa, pte))
        if not pte & PTE_V or (pte & (PTE_R | PTE_W)) == PTE_W:
            break
        if is_leaf(pte):
            low = (1 << (12 + 9 * level)) - 1
            return Walk(va, tuple(ptes), ((pte_ppn(pte) << 12) & ~low) | (va & low), level)
        table = pte_ppn(pte) << 12
    return Walk(va, tuple(ptes), None, None)


def translates(hart) -> bool:
    """Whether the hart's fetches go through Sv39 now (satp MODE Sv39 and not in M-mode)."""
    return int(hart.priv) != 3 and hart.csr.read("satp") >> 60 == SATP_MODE_SV39


def read_va(machine, hart, va: int, n: int) -> bytes | None:
    """n bytes at virtual address va (within one page) as the hart sees them now, or None."""
    pa = va
    if translates(hart):
        pa = walk(machine, hart.csr.read("satp"), va).pa
        if pa is None:
            return None
    try:
        return machine.bus.read_bytes(pa, n)
    except BusError:
        return None
