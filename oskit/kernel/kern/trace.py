"""Tracing: every system call recorded, and probes that call Python on kernel events.

    kernel.trace.syscalls(pid=None, name=None) -> [SyscallRecord]
    kernel.trace.render(pid=None)              -> ktrace/kdump-like text, one line per call
    kernel.probes.subscribe(kind, fn)          -> fn(ProbeEvent) on each event of that kind

Probe kinds (payload fields in parentheses):

    syscall_entry   (record)                    a call starts (args decoded)
    syscall_return  (record)                    a call ends (result or errno)
    trap            (hart, cause, interrupt, tval, epc, pid)   trap() was entered
    switch          (hart, old, new, mtime)     step 4: the hart changes threads
    fault           (pid, va, access, how)      page fault resolved ("zero", "file", ...)
    signal          (pid, signo)                a signal was posted
    sigdeliver      (pid, signo, handler)       a handler frame was pushed
    psig            (record)                    a signal was taken (SignalRecord: its action)
    fork / exec / exit   (pid, ...)             process life cycle
    thread_new      (pid, tid, creator)         thr_new made a thread (sys_thread.py)
    thread_exit     (pid, tid)                  one thread ended with thr_exit (not the last)
    aio             (what, job, pid, op, mtime, ...)  an aio job's life: submitted, picked, copy,
                                                completed, cancelled, reaped (kern/vfs_aio.py)

A probe with no subscriber costs one dictionary look-up.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from oskit.kernel.errno import errno_name, strerror
from oskit.kernel.kern.signal import signame
from oskit.kernel.riscv.copyinout import peekstr


class ProbeEvent:
    """One probe firing: ``ev.probe`` is its kind ("fault", ...); its fields read as attributes."""

    __slots__ = ("probe", "data")

    def __init__(self, probe: str, data: dict):
        self.probe = probe
        self.data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(f"probe event {self.probe!r} has no field {name!r}") from None

    def __repr__(self) -> str:
        return f"<probe {self.probe} {self.data}>"


class Probes:
    """Python callbacks on kernel events (see the module docstring for the kinds)."""

    KINDS = ("syscall_entry", "syscall_return", "trap", "switch", "fault", "signal",
             "sigdeliver", "psig", "fork", "exec", "exit", "thread_new", "thread_exit", "aio")

    def __init__(self):
        self.subscribers: dict[str, list[Callable]] = {}

    def subscribe(self, kind: str, fn: Callable) -> Callable:
        if kind not in self.KINDS:
            raise ValueError(f"unknown probe kind {kind!r}; expected one of {', '.join(self.KINDS)}")
        self.subscribers.setdefault(kind, []).append(fn)
        return fn

    def unsubscribe(self, kind: str, fn: Callable) -> None:
        self.subscribers.get(kind, []).remove(fn)

    def fire(self, kind: str, /, **data) -> None:
        subs = self.subscribers.get(kind)
        if subs:
            ev = ProbeEvent(kind, data)
            for fn in list(subs):
                fn(ev)


@dataclass
class SyscallRecord:
    """One system call as the tracer saw it."""

    seq: int
    pid: int
    tid: int
    comm: str
    number: int
    name: str
    args: tuple
    call: str                    # 'write(1, 0x1f40, 6)'
    start: int                   # mtime at entry
    end: int | None = None       # mtime at return
    result: int | None = None    # a0 on success
    errno: int = 0               # 0, or the errno it failed with (ERESTART/EJUSTRETURN included)
    message: str = ""            # why it failed, in the kernel's words
    sleeps: int = 0              # how many times it slept before finishing
    info: Any = field(default=None, repr=False)
    reread: Any = field(default=None, repr=False)   # (td, vmspace): a string was unreadable at entry

    @property
    def done(self) -> bool:
        return self.end is not None

    @property
    def error_name(self) -> str:
        return errno_name(self.errno) if self.errno else ""

    def result_text(self) -> str:
        if not self.done:
            return "..."
        if self.errno:
            if self.errno < 0:
                return errno_name(self.errno)
            return f"-1 {errno_name(self.errno)} ({strerror(self.errno)})"
        if self.result is None:
            return "(no return)"
        if self.info is not None:
            return self.info.format_return(self.result)
        return str(self.result)

    def __str__(self) -> str:
        return self.line()

    def line(self, show_tid: bool = False) -> str:
        """One kdump-like line; ``show_tid``: "pid/tid" (for a process with several threads)."""
        who = f"{f'{self.pid}/{self.tid}':>13}" if show_tid else f"{self.pid:5d}"   # pid/tid up to 5/7 digits
        return f"{who} {self.comm:<10.10} {self.call} = {self.result_text()}"


@dataclass
class SignalRecord:
    """A signal taken by a process (kdump's PSIG line): what its action was."""

    seq: int
    pid: int
    comm: str
    signo: int
    action: str                  # "caught by handler 0x...", "killed", "stopped", "ignored"
    time: int

    def __str__(self) -> str:
        return f"{self.pid:5d} {self.comm:<10.10} PSIG {signame(self.signo)} {self.action}"


@dataclass
class AioRecord:
    """A step of an aio daemon's work (an AIO line): a kernel process acting for another one."""

    seq: int
    pid: int                     # the daemon's
    comm: str                    # "aiod1"
    for_pid: int                 # the process that submitted the request
    text: str                    # "job 1 picked: write of 7 bytes", ...
    time: int

    def __str__(self) -> str:
        return f"{self.pid:5d} {self.comm:<10.10} AIO  {self.text} (for pid {self.for_pid})"


class Trace:
    """The system-call recorder (on by default; ``enabled = False`` to skip recording).

    ``records`` holds the SyscallRecords, ``psigs`` the SignalRecords (PSIG lines),
    ``aios`` the AioRecords (what aio daemons did, kern/vfs_aio.py); all are numbered
    by one sequence, so render() can interleave them.
    """

    def __init__(self, kernel, maxlen: int = 200_000):
        self.kernel = kernel
        self.records: deque[SyscallRecord] = deque(maxlen=maxlen)
        self.psigs: deque[SignalRecord] = deque(maxlen=maxlen)
        self.aios: deque[AioRecord] = deque(maxlen=maxlen)
        self.enabled = True
        self.seq = 0

    def enter(self, td, info, number: int, args: tuple) -> SyscallRecord:
        self.seq += 1

        unread = []

        def fetch(addr: int):
            text = peekstr(td, addr, 256)      # side-effect free: the trace must not change the run
            if text is None:
                unread.append(addr)
            return text

        if info is None:
            name, call = f"#{number}", f"syscall#{number}({', '.join(hex(a) for a in args[:6])})"
        else:
            name = info.name
            call = info.format_call(args, fetch) if self.enabled else name
        rec = SyscallRecord(self.seq, td.proc.pid, td.tid, td.proc.comm, number, name, args, call,
                            self.kernel.machine.clint.mtime, info=info)
        if unread:
            # A string on a page that is not in memory yet (a literal in .rodata never touched):
            # the call itself will copy it in, so read it again when the call returns, as
            # ktrace records a path when namei copies it (never if the image was replaced).
            rec.reread = (td, td.proc.vmspace)
        if self.enabled:
            self.records.append(rec)
        self.kernel.probes.fire("syscall_entry", record=rec)
        return rec

    def finish(self, rec: SyscallRecord, rv, error: int, message: str) -> None:
        rec.end = self.kernel.machine.clint.mtime
        rec.result = None if rv is None else rv[0]
        rec.errno = int(error)
        rec.message = message
        if rec.reread is not None:
            td, vmspace = rec.reread
            rec.reread = None
            if td.proc.vmspace is vmspace:
                rec.call = rec.info.format_call(rec.args, lambda addr: peekstr(td, addr, 256))
        self.kernel.probes.fire("syscall_return", record=rec)

    def psig(self, td, signo: int, action: str) -> None:
        """Record that td's process took signal ``signo`` with this action."""
        self.seq += 1
        rec = SignalRecord(self.seq, td.proc.pid, td.proc.comm, signo, action,
                           self.kernel.machine.clint.mtime)
        if self.enabled:
            self.psigs.append(rec)
        self.kernel.probes.fire("psig", record=rec)

    def aio(self, daemon, for_pid: int, text: str) -> None:
        """Record a step of aio daemon ``daemon`` (a Proc) on a request of process ``for_pid``."""
        self.seq += 1
        if self.enabled:
            self.aios.append(AioRecord(self.seq, daemon.pid, daemon.comm, for_pid, text,
                                       self.kernel.machine.clint.mtime))

    def syscalls(self, pid: int | None = None, name: str | None = None) -> list[SyscallRecord]:
        """The recorded calls, oldest first, optionally only of one process or one call name."""
        return [r for r in self.records
                if (pid is None or r.pid == pid) and (name is None or r.name == name)]

    def signals(self, pid: int | None = None) -> list[SignalRecord]:
        """The recorded PSIG events, oldest first."""
        return [r for r in self.psigs if pid is None or r.pid == pid]

    def aio_steps(self, pid: int | None = None) -> list[AioRecord]:
        """The recorded AIO lines, oldest first: of a daemon, or done for a process (``pid``)."""
        return [r for r in self.aios if pid is None or pid in (r.pid, r.for_pid)]

    def render(self, pid: int | None = None) -> str:
        """ktrace/kdump-like text: one line per call, a PSIG line per signal taken, and an
        AIO line per step an aio daemon took for the process.

        A process that made calls from several threads shows "pid/tid" on each line.
        """
        calls = self.syscalls(pid)
        tids: dict[int, set] = {}
        for r in calls:
            tids.setdefault(r.pid, set()).add(r.tid)
        both = sorted([*calls, *self.signals(pid), *self.aio_steps(pid)], key=lambda r: r.seq)
        return "\n".join(r.line(len(tids[r.pid]) > 1) if isinstance(r, SyscallRecord) else str(r)
                         for r in both)

    def clear(self) -> None:
        self.records.clear()
        self.psigs.clear()
        self.aios.clear()
