"""Reading guest state without touching it: page walks and memory reads for the views.

A view must never change what it shows. The hart's own ``translate()`` would
fill the TLB, bump its lookup/miss counters and set the A/D bits of the PTEs
it walks: all visible to the guest and to the other views. So the views use
the machine's pure Sv39 walker (oskit/machine/sv39.py), the same function the
MMU builds on, with a reader of RAM bytes that writes nothing: a view sees a
walk fault exactly where the hardware would (reserved bits, misaligned
superpages, tables outside RAM, ...).

    walk(machine, satp, va) -> Walk     the PTEs a hardware walk would visit, and where it ends
    leaves(machine, satp, user_only)    every mapping of a tree (sv39.leaves), as Leaf values
    read_va(machine, hart, va, n)       n bytes at virtual address va as the hart would see them
                                        (M-mode or satp bare: va is physical), or None
    read_u64(machine, pa) / read_u32    one little-endian word of RAM, or None outside RAM

The PTE names (PTE_V ..., pte_flags, pte_ppn, is_leaf, satp_fields) are
sv39's, repeated here so a view needs one import.
"""

from __future__ import annotations

from oskit.machine import sv39
from oskit.machine.bus import BusError
from oskit.machine.sv39 import (  # noqa: F401  (re-exported for the views)
    MODE_SV39,
    PPN_MASK,
    PTE_A,
    PTE_BITS,
    PTE_D,
    PTE_G,
    PTE_R,
    PTE_U,
    PTE_V,
    PTE_W,
    PTE_X,
    Leaf,
    Walk,
    is_leaf,
    pte_flags,
    pte_ppn,
    satp_fields,
)

SATP_MODE_SV39 = MODE_SV39


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


def walk(machine, satp: int, va: int) -> Walk:
    """The Sv39 walk of va under satp, read-only: sv39.walk() over RAM (no A/D updates, no TLB).

    As in the hardware, a walk that ends on a leaf still needs the permission
    check of the access (step 5); .pa is where an allowed access would go.
    """
    return sv39.walk(sv39.ram_reader(machine.bus.ram), satp, va)


def leaves(machine, satp: int, user_only: bool = False) -> list[Leaf]:
    """Every mapping under satp's root that a walk would use, in address order (sv39.leaves over RAM)."""
    return list(sv39.leaves(sv39.ram_reader(machine.bus.ram), satp, user_only))


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
