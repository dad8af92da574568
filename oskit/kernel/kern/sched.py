"""The scheduler: priorities, a round-robin run queue per level, time slices, sleep and wakeup.

    RUNNABLE ──pick()──> RUNNING ──slice ends (timer)──> RUNNABLE (back of the queue)
        ▲                   │
        │                   └──sleep(chan)──> SLEEPING ──wakeup(chan) / deadline / signal──┘

Every hart runs one thread at a time: a user thread, or its own idle thread
(the ``idle`` loop of trampoline.S: wfi in S-mode with interrupts on). A hart
enters the kernel only through a trap, so scheduling happens in trap():

- the timer (Sstc: stimecmp <= mtime raises STIP) ends a time slice: the
  running thread goes to the back of the queue, the next one runs;
- a thread that must wait (``raise Sleep(chan)`` in a system call) sleeps on a
  channel; ``wakeup(chan)`` makes every sleeper on it runnable again and
  kicks an idle hart with a software interrupt (SSIP) so it looks at once;
- a sleep can carry a deadline (nanosleep), and a callout runs a function at a
  given time (setitimer's SIGALRM): each hart's stimecmp is set to the end of
  its slice or the earliest deadline, whichever comes first.

Priorities (kern/priority.py): ``pick()`` takes the runnable thread with the
best (smallest) effective priority, the longest-queued among equals, so
threads of one level share a hart round robin. A thread that becomes runnable
with a better priority than a running one kicks that hart (SSIP), and trap()
gives the hart up at once (``outranked``), like FreeBSD's preemption on
wakeup. Ordinary threads all have one level, so without rtprio_thread
nothing changes. FreeBSD's ULE differs: it keeps a run queue per CPU (with
load balancing) instead of one shared queue, lets timesharing priorities
move with interactivity and nice, and lets an RTP_PRIO_FIFO thread run until
it blocks; oskit slices FIFO and REALTIME threads alike.

``switch_to(hs, td)`` is step 4 of a context switch: the new thread's satp
(address space, with its ASID), sscratch (its trap frame), sstatus.SPP (user
or idle) and timer; trap() then hands its trap frame to the trampoline.
"""

from __future__ import annotations

from collections import deque

from oskit.kernel.kern.priority import effective
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.param import dmap
from oskit.kernel.riscv import cpu

NEVER = 2**64 - 1


class HartState:
    """Per-hart kernel state (FreeBSD's struct pcpu): what runs here, and its idle thread."""

    def __init__(self, hart, idle):
        self.hart = hart
        self.hartid = hart.hartid
        self.idle = idle              # this hart's idle Thread (runs trampoline's idle loop)
        self.curthread = idle
        self.user_since = 0           # mtime when curthread last returned to user mode
        self.switches = 0

    def __repr__(self) -> str:
        return f"<hart {self.hartid}: {self.curthread}>"


class Scheduler:
    """Run queue, sleep queues and the context switch."""

    def __init__(self, kernel, quantum_ticks: int):
        self.kernel = kernel
        self.quantum = quantum_ticks              # length of a time slice, in mtime ticks
        self.runq: deque = deque()
        self.sleepers: dict = {}                  # chan -> [threads]
        self.harts: list[HartState] = []
        self.switches = 0
        self.callouts: dict[int, tuple[int, object]] = {}   # id -> (deadline, fn): timers (setitimer)
        self.next_callout = 1

    # -- run queue ----------------------------------------------------------------------
    def setrunnable(self, td) -> None:
        """Put ``td`` at the back of the run queue (it must not be running or queued)."""
        if td.state not in (ThreadState.SLEEPING, ThreadState.RUNNABLE, ThreadState.RUNNING,
                            ThreadState.STOPPED):
            raise RuntimeError(f"setrunnable: {td}: expected SLEEPING, RUNNING or STOPPED, "
                               f"found {td.state.value}")
        td.state = ThreadState.RUNNABLE
        if td not in self.runq:
            self.runq.append(td)
        if not self.kick_idle():
            self.kick_worse_than(td)

    def kick_idle(self) -> bool:
        """Interrupt an idle hart (SSIP) so it picks up newly runnable work; False if none is idle."""
        for hs in self.harts:
            if hs.curthread is hs.idle:
                self.kick(hs.hart)
                return True
        return False

    def kick_worse_than(self, td) -> None:
        """Kick the hart running the least urgent thread, if ``td`` outranks it (preemption)."""
        running = [hs for hs in self.harts if hs.curthread is not hs.idle and hs.curthread is not td]
        if running:
            worst = max(running, key=lambda hs: effective(hs.curthread))
            if effective(worst.curthread) > effective(td):
                self.kick(worst.hart)

    def outranked(self, td) -> bool:
        """True if a runnable thread has a better priority than ``td`` (td must give up its hart)."""
        pri = effective(td)
        return any(effective(t) < pri for t in self.runq)

    def kick(self, hart) -> None:
        """A software interrupt (SSIP) for ``hart``: it enters trap() at its next instruction.

        (Set directly, or through the SBI firmware with ipi="sbi": riscv/cpu.py post_ssip.)
        """
        cpu.post_ssip(hart, sbi=self.kernel.sbi if self.kernel.ipi_via_sbi else None)

    # -- sleep and wakeup ----------------------------------------------------------------
    def sleep(self, td, chan, deadline: int | None = None, interruptible: bool = True) -> None:
        """Make ``td`` wait on ``chan`` (until wakeup, its deadline, or a signal if interruptible)."""
        if td.state is not ThreadState.RUNNING:
            raise RuntimeError(f"sleep: {td}: expected RUNNING, found {td.state.value}")
        td.state = ThreadState.SLEEPING
        td.wchan = chan
        td.wdeadline = deadline
        td.winterruptible = interruptible
        td.interrupted = td.timed_out = False
        td.proc.rusage.nvcsw += 1
        td.rusage.nvcsw += 1
        self.sleepers.setdefault(chan, []).append(td)

    def _unsleep(self, td) -> None:
        q = self.sleepers.get(td.wchan)
        if q is not None:
            q.remove(td)
            if not q:
                del self.sleepers[td.wchan]
        td.wchan = None
        td.wdeadline = None
        self.setrunnable(td)

    def wakeup(self, chan, limit: int | None = None) -> int:
        """Wake every thread sleeping on ``chan`` (or the ``limit`` oldest: umtx wake-n); returns how many."""
        q = self.sleepers.get(chan)
        if not q:
            return 0
        woken = list(q) if limit is None else list(q)[:max(0, limit)]
        for td in woken:
            self._unsleep(td)
        return len(woken)

    def wakeup_highest(self, chan):
        """Wake the most urgent thread sleeping on ``chan`` (the oldest among equals); returns it or None."""
        q = self.sleepers.get(chan)
        if not q:
            return None
        td = min(q, key=effective)               # min() keeps the first of equals: the oldest
        self._unsleep(td)
        return td

    def interrupt_sleep(self, td) -> bool:
        """A signal arrived for a sleeping thread: end an interruptible sleep (True if it did)."""
        if td.state is ThreadState.SLEEPING and td.winterruptible:
            td.interrupted = True
            self._unsleep(td)
            return True
        return False

    def next_deadline(self) -> int | None:
        """The earliest mtime at which a sleep ends or a callout is due (None: nothing timed)."""
        ds = [td.wdeadline for q in self.sleepers.values() for td in q if td.wdeadline is not None]
        ds += [d for d, _ in self.callouts.values()]
        return min(ds) if ds else None

    # -- callouts: run a function at a given time (FreeBSD's callout(9)) ----------------------
    def callout(self, deadline: int, fn) -> int:
        """Call ``fn()`` from the timer interrupt once mtime reaches ``deadline``; returns a handle."""
        handle = self.next_callout
        self.next_callout += 1
        self.callouts[handle] = (deadline, fn)
        self.kick_idle()                 # an idle hart must re-arm its stimecmp for it
        return handle

    def callout_stop(self, handle: int | None) -> int | None:
        """Cancel a callout; returns its deadline if it was still pending."""
        entry = self.callouts.pop(handle, None) if handle is not None else None
        return entry[0] if entry else None

    def expire(self, now: int) -> None:
        """Run the callouts that are due and wake the sleepers whose deadline has passed."""
        for handle, (deadline, fn) in sorted(self.callouts.items(), key=lambda kv: kv[1][0]):
            if deadline <= now and self.callouts.pop(handle, None) is not None:
                fn()
        for q in list(self.sleepers.values()):
            for td in list(q):
                if td.wdeadline is not None and td.wdeadline <= now:
                    td.timed_out = True
                    self._unsleep(td)

    def remove(self, td) -> None:
        """Take a thread out of every queue (it is exiting)."""
        if td in self.runq:
            self.runq.remove(td)
        if td.state is ThreadState.SLEEPING:
            q = self.sleepers.get(td.wchan, [])
            if td in q:
                q.remove(td)
                if not q:
                    del self.sleepers[td.wchan]
        td.wchan = None

    # -- choosing and switching -----------------------------------------------------------
    def pick(self):
        """The runnable thread with the best priority (longest queued among equals), or None."""
        if not self.runq:
            return None
        best = min(self.runq, key=effective)     # the first of equals: round robin within a level
        self.runq.remove(best)
        return best

    def switch_to(self, hs: HartState, td) -> None:
        """Step 4 of a context switch: make ``td`` the thread hart ``hs`` returns to."""
        hart = self.kernel.machine.harts[hs.hartid]
        old = hs.curthread
        now = self.kernel.machine.clint.mtime
        if old is not td:
            self.switches += 1
            hs.switches += 1
            self.kernel.kclock.charge("switch")
            if old is not hs.idle and old.hart is hart:
                old.hart = None
            self.kernel.probes.fire("switch", hart=hs.hartid, old=old, new=td, mtime=now)
        hs.curthread = td
        td.hart = hart
        deadline = self.next_deadline() if self.sleepers or self.callouts else None
        if td is hs.idle:
            # The idle loop runs in S-mode with interrupts on; it needs only the kernel's page table.
            satp = self.kernel.kpmap.satp
            # stimecmp has 64 bits: a deadline past them (nanosleep of LONG_MAX seconds) is "never".
            # Written as it is, it would wrap to some earlier time: the idle machine would jump its
            # clock there and then take timer interrupts for ever, finding nothing due.
            timer = NEVER if deadline is None else min(deadline, NEVER)
        else:
            td.state = ThreadState.RUNNING
            satp = td.proc.vmspace.pmap.satp
            if old is not td or now >= td.slice_end:
                td.slice_end = now + self.quantum
            timer = td.slice_end if deadline is None else min(td.slice_end, deadline)
        cpu.load_thread(hart, satp, to_user=td is not hs.idle, timer=timer, sscratch=dmap(td.frame_addr),
                        sbi=self.kernel.sbi if self.kernel.timer_via_sbi else None)
        if td is not hs.idle:
            td.proc.vmspace.pmap.activate(hs.hartid)   # VM (ch. 7): this hart may now cache the ASID
        hs.user_since = now
