"""Kernel time: what the kernel's work costs, in cycles of the machine it runs on.

The kernel is Python: its work retires no RISC-V instruction, so on its own it
would take no emulated time, and every program would report a system time
(``ru_stime``) of zero. A real kernel's work is instructions, and takes time.
So each trap adds up what the kernel did, with the costs below, and at the
end of the trap the hart *spends* that many cycles (``Hart.spend``): the
machine's clock moves on by them (timers, ``clock_gettime`` and RLIMIT_CPU
see them), mcycle counts them, and the thread that trapped is charged them
as system time. The model is deterministic: the same program gets the same
system time on every run.

The costs, in cycles (one instruction per cycle on this machine), and where
each comes from:

    what                 cycles        source
    ───────────────────  ────────────  ────────────────────────────────────────────────────
    page_zero            2,152         measured: oskit libc's memset of 4 KiB on this machine
    page_copy            3,170         measured: oskit libc's memcpy of 4 KiB (aligned)
    copy_byte            3,170/4,096   the same memcpy, per byte (copyin/copyout/copyinstr)
    copy_call            40            estimate: the range check, the SUM window, one
                                       translation per page (FreeBSD riscv copyin is ~30
                                       instructions before its copy loop)
    trap                 150           estimate: trap dispatch and the return path (FreeBSD
                                       riscv do_trap_user + ast + the checks on the way out);
                                       the trampoline's own ~70 instructions really run
    syscall              120           estimate: syscallenter: fetch the arguments, look up
                                       sysent, audit/trace hooks, set the return value
    pte                  40            estimate: one PTE written or changed (pmap_enter's
                                       core: compute, store, bookkeeping)
    switch               300           estimate: choosing the next thread and switching
                                       (FreeBSD sched_choose + cpu_switch: ~60 of assembly)

"measured" figures come from a guest program reading instret around the
call (tests/kernel/test_ktime.py repeats the measurement, so a libc change
that makes them wrong fails a test). "estimate" figures are orders of
magnitude read from a real kernel's code, not measurements: the book says
so where it shows system time. Everything else the kernel does (path
lookups, the VM's bookkeeping, the scheduler's lists) is covered by the
per-trap and per-call terms.
"""

from __future__ import annotations

from collections import Counter

from oskit.machine.choices import INSTRUCTIONS_PER_TICK

COSTS = {
    "trap": 150,
    "syscall": 120,
    "copy_call": 40,
    "page_zero": 2152,
    "page_copy": 3170,
    "pte": 40,
    "switch": 300,
}
COPY_CYCLES_PER_PAGE = 3170          # copy_byte = this / 4096: the cost of memcpy(4 KiB)
MEASURED = ("page_zero", "page_copy", "copy_byte")


class KernelClock:
    """Adds up the kernel's work during one trap, and spends it on the hart at the end (``k.kclock``).

    The kernel is not preemptible and harts take their traps one at a time
    (one Python thread runs the machine), so one running total serves all harts.
    """

    def __init__(self):
        self.pending: Counter = Counter()  # cycles of the trap in progress, by kind of work
        self.total: Counter = Counter()    # cycles spent since boot, by kind of work
        self.enabled = True                # off: kernel work takes no time (as before this model)
        self.others: list = []             # (thread, cycles): work in this trap done for someone else

    def begin(self) -> None:
        """A trap starts: work done outside any trap (boot, a notebook's spawn) is nobody's and costs nothing."""
        self.pending.clear()
        self.others = []

    def charge(self, kind: str, count: int = 1) -> None:
        """The kernel did ``count`` units of ``kind`` (a key of COSTS)."""
        self.pending[kind] += COSTS[kind] * count

    def charge_copy(self, nbytes: int) -> None:
        """copyin/copyout/copyinstr moved ``nbytes`` bytes (one call)."""
        self.pending["copy"] += COSTS["copy_call"] + nbytes * COPY_CYCLES_PER_PAGE // 4096

    def start_work(self) -> Counter:
        """Work for another thread than the one that trapped begins (an aio job, kern/vfs_aio.py).

        Returns a mark for end_work(); what the kernel charges until then is that work's cost.
        """
        mark, self.pending = self.pending, Counter()
        return mark

    def end_work(self, mark: Counter, td) -> int:
        """That work ends: its cycles are billed to ``td`` at settle(), not to the trapping thread.

        Returns the cycles it cost.
        """
        work, self.pending = self.pending, mark
        cycles = sum(work.values())
        self.pending.update(work)          # the hart spends them in this trap all the same
        if cycles:
            self.others.append((td, cycles))
        return cycles

    def settle(self, hart, td) -> int:
        """End of a trap: the hart spends the cycles; ``td`` (None for an idle hart) is billed them,
        except the work done for other threads (start_work/end_work), billed to those.

        Returns the ticks of the machine's clock they take.
        """
        cycles = sum(self.pending.values())
        if self.enabled:
            self.total.update(self.pending)
        self.pending.clear()
        others, self.others = self.others, []
        if not self.enabled or cycles == 0:
            return 0
        hart.spend(cycles)
        own = cycles - sum(c for _, c in others)
        for t, c in [(td, own), *others]:
            if t is not None and c > 0:
                t.stime_cycles += c
                ticks, t.stime_cycles = divmod(t.stime_cycles, INSTRUCTIONS_PER_TICK)
                t.rusage.stime_ticks += ticks
                t.proc.rusage.stime_ticks += ticks
        return cycles // INSTRUCTIONS_PER_TICK

    def __repr__(self) -> str:
        return "KernelClock(" + ", ".join(f"{k}={v}" for k, v in self.total.most_common()) + ")"
