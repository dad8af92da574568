"""TLB shootdown: every hart forgets a translation that changed (FreeBSD's pmap_invalidate_*).

A hart caches translations in its TLB; when the kernel changes a PTE
(munmap, mprotect, copy-on-write, the pager), every hart that may hold the
old translation must drop it. The local hart runs sfence.vma; the others get
an inter-processor interrupt and flush in their trap handler (ipi_received).
"""

from __future__ import annotations

from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.pmap import Pmap

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
        stats.ipis += 1
        if kernel.ipi_via_sbi:                          # ipi="sbi": the firmware does the two steps below
            cpu.post_ssip(m.harts[h], sbi=kernel.sbi)
            continue
        m.bus.store(CLINT_MSIP + 4 * h, 4, 1)          # the IPI
        # Firmware's M-mode handler on hart h: acknowledge msip, raise SSIP for the kernel.
        m.clint.set_msip(h, 0)
        hart = m.harts[h]
        cpu.post_ssip(hart)


def ipi_received(kernel, hart) -> None:
    """On a hart that took a software interrupt: carry out the queued shootdowns (sfence.vma each)."""
    box = kernel.tlb_mailbox[hart.hartid]
    while box:
        va, asid = box.pop(0)
        hart.mmu.flush(va, asid)
        kernel.vmstats.ipi_flushes += 1
