"""The system-wide VM counters, ``k.vmstats`` (FreeBSD's vmmeter: ``vmstat -s``)."""

from __future__ import annotations


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
