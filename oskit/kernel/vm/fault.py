"""The page-fault handler's entry: resolve, count, probe, or kill (FreeBSD's vm_fault.c).

trap() (riscv/trap.py) and the copy routines (riscv/copyinout.py) call
``vm_fault``; the resolution itself (find the entry, the page, copy on write)
is ``VMSpace.fault`` in vm/map.py.
"""

from __future__ import annotations

from oskit.kernel.kern.signal import SIGKILL
from oskit.kernel.param import MAXSSIZ, PAGE_SIZE, page_floor
from oskit.kernel.vm.pmem import OutOfMemory


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
    rl = p.rlimits
    vs.stack_limit = min(MAXSSIZ, rl[3][0]) if rl else MAXSSIZ      # RLIMIT_STACK = 3
    # The hart that walks this page table now may cache it: the thread's, or hart 0 where
    # the copy routines (riscv/copyinout.py) borrow for a thread that is not running (spawn's exec).
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
        kernel.exit1(td, SIGKILL, reason=reason)
        return True
    kib = vs.maxrss * (PAGE_SIZE // 1024)
    if kib > p.rusage.maxrss:
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
