"""Snapshots of a whole kernel: the machine under it and every kernel object, restored in place.

    snap = k.snapshot()      # RAM, harts, devices, time, console; processes, threads, files,
                             # pipes, the VFS, the scheduler, the kernel clock, traces
    ...
    k.restore(snap)          # k (and k.machine, and every Proc a notebook holds) rewound
    k.state_hash()           # machine state + the process table: equal hashes, equal states
    k.step(); k.step_back()  # one instruction forward, one back (oskit/machine/history.py)
    k.preempt_at(n)          # a timer interrupt at hart 0's instret n that ends the time slice
    k.signal_at(p, signo, n) # a signal posted to p at that instret (an interrupt handler's)

How: oskit/machine/snapshot.py copies the graph of Python objects reachable
from the kernel once, and on restore copies the saved state back into the
same objects. What is shared rather than saved: the probes (who watches is
not what happened: a widget subscribed after a snapshot stays subscribed)
and the step history itself.
"""

from __future__ import annotations

from oskit.machine import snapshot as msnap
from oskit.machine.snapshot import Snapshot


def take(kernel) -> Snapshot:
    """Snapshot the kernel and its machine."""
    return msnap.take_snapshot(kernel.machine, root=kernel)  # (probes and history: machine.not_state)


def restore(kernel, snap: Snapshot) -> None:
    """Rewind the kernel and its machine to snap, in place."""
    msnap.restore_snapshot(kernel.machine, snap, root=kernel)


def process_table(kernel) -> list[tuple]:
    """The process table as plain values: (pid, ppid, state, argv, exit status, threads' states)."""
    rows = []
    for p in sorted(kernel.procs.values(), key=lambda p: p.pid):
        rows.append((p.pid, p.ppid, p.state.value, tuple(p.argv), p.exit_status,
                     tuple((td.tid, td.state.value) for td in p.threads)))
    return rows


def state_hash(kernel) -> str:
    """A hex digest of the machine's state and the process table."""
    h = msnap.hash_machine(kernel.machine)
    h.update(repr(process_table(kernel)).encode())
    return h.hexdigest()[:16]


def fingerprint(kernel) -> tuple:
    """A cheap summary that changes when the kernel ran or was changed from outside (a spawn, say)."""
    return (msnap.fingerprint(kernel.machine), kernel.next_pid, len(kernel.procs))


def preempt_at(kernel, at_instret: int, hart: int = 0):
    """A timer interrupt when hart's instret reaches at_instret, at which the running thread's slice is over.

    The kernel switches threads at a timer interrupt only when the running
    thread's time slice has run out (kern/sched.py): this ends the slice at
    that moment, so the interrupt preempts the thread, as if its quantum had
    ended exactly there.
    """
    def slice_over():
        td = kernel.percpu[hart].curthread
        td.slice_end = min(td.slice_end, kernel.machine.clint.mtime)

    return kernel.machine.schedule_interrupt("timer", hart=hart, at_instret=at_instret, before=slice_over)


def signal_at(kernel, proc, signo: int, at_instret: int | None = None, hart: int = 0):
    """Post signal signo to proc when hart's instret reaches at_instret (None: before its next instruction).

    The signal is posted the way an interrupt handler posts one (a tty driver
    sending SIGINT for ^C): at that instant, followed by a software interrupt
    on the hart so that the kernel looks at once. A thread of proc sleeping
    interruptibly (in read(), say) wakes with EINTR, or restarts under
    SA_RESTART, exactly as with kill(2). Note that a hart waiting in WFI does
    not retire instructions: for a moment when everything sleeps, use None.
    """
    return kernel.machine.schedule_interrupt("software", hart=hart, at_instret=at_instret,
                                             before=lambda: kernel.psignal(proc, signo))
