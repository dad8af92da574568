"""Security auditing: a trail of what each process asked the kernel to do, and with what authority.

Every system call can leave an audit record (FreeBSD's audit(4), BSM records
in spirit): it is built at the call's entry, when the subject's credential
and the objects it names are what the call will act on, and completed at its
return::

    AuditRecord
      time, end        mtime at entry and at return
      event            the audit event from syscalls.master's audit column (AUE_SETUID, ...);
                       open/openat: by its flags (AUE_OPEN_R, AUE_OPEN_WTC, ...)
      call             the system-call name
      subject          pid, comm, auid (the uid the process tree was started as), ruid, euid,
                       rgid, egid: who asked, as the kernel saw it at entry
      args             (name, value) for every argument
      paths            the path names the call was given (its objects)
      result, errno    what happened (errno 0: success)

The trail hooks the system-call path through the kernel's probes
(syscall_entry / syscall_return, fired by trace.py from syscall.py's
prologue and epilogue), so it needs no code in the handlers.

    k.audit.records(pid=None, event=None, call=None, uid=None, failed=None)
    k.audit.render(...)            one praudit-like line per record
    k.audit.enabled = False        stop recording (on by default)
    k.audit.select = {"AUE_OPEN_R", "AUE_SETUID"}    preselection: only these events
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from oskit.kernel.errno import errno_name
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.riscv.copyinout import copyinstr


@dataclass
class AuditRecord:
    """One audited system call."""

    seq: int
    time: int                       # mtime at entry
    event: str                      # AUE_...
    call: str                       # system-call name
    subject: dict                   # pid, comm, auid, ruid, euid, rgid, egid
    values: tuple                   # the argument values, in order
    paths: list = field(default_factory=list)
    end: int | None = None          # mtime at return (None: still running, or it never returned)
    result: int | None = None
    errno: int = 0
    info: object = field(default=None, repr=False)

    @property
    def args(self) -> tuple:
        """((name, value), ...) for every argument."""
        names = [a.name for a in self.info.args] if self.info is not None else []
        return tuple(zip(names, self.values))

    @property
    def pid(self) -> int:
        return self.subject["pid"]

    @property
    def success(self) -> bool:
        return self.end is not None and self.errno == 0

    def __str__(self) -> str:
        s = self.subject
        outcome = ("..." if self.end is None else
                   f"success,{self.result}" if self.errno == 0 else f"failure,{errno_name(self.errno)}")
        paths = "".join(f",path:{p}" for p in self.paths)
        return (f"{self.time},{self.event},{self.call},pid:{s['pid']},auid:{s['auid']},"
                f"ruid:{s['ruid']},euid:{s['euid']},rgid:{s['rgid']},egid:{s['egid']}{paths},{outcome}")


def open_event(table_event: str, args: tuple) -> str:
    """open/openat: the event its flags make it, as FreeBSD's audit_flags_and_error_to_openevent.

    syscalls.master names the widest event (AUE_OPEN_RWTC); the record says what
    this call asked for: R, W or RW, then T for O_TRUNC and C for O_CREAT
    (a read-only open is AUE_OPEN_R, O_WRONLY|O_CREAT|O_TRUNC is AUE_OPEN_WTC).
    """
    at = table_event.startswith("AUE_OPENAT")
    flags = args[2] if at else args[1]
    access = {0: "R", 1: "W", 2: "RW"}.get(flags & 3, "RW")
    return ("AUE_OPENAT_" if at else "AUE_OPEN_") + access + ("T" if flags & 0x400 else "") + \
        ("C" if flags & 0x200 else "")


class Audit:
    """The audit trail of one kernel (``kernel.audit``)."""

    def __init__(self, kernel, maxlen: int = 100_000):
        self.kernel = kernel
        self.trail: deque[AuditRecord] = deque(maxlen=maxlen)
        self.select: set[str] | None = None       # None: every event
        self._open: dict[int, AuditRecord] = {}   # trace record seq -> audit record in progress
        self._path_args: dict[int, list[int]] = {}   # syscall number -> which arguments are path names
        self.seq = 0
        self._enabled = False
        self.enabled = True

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        """Start or stop recording. Stopped, the trail is off the system-call path altogether:
        it unsubscribes from the entry probe, so a call pays nothing for an audit nobody runs
        (calls already recorded are still completed at their return)."""
        on = bool(on)
        if on == self._enabled:
            return
        probes = self.kernel.probes
        self._enabled = on
        if on:
            probes.subscribe("syscall_entry", self._entry)
            if self._return not in probes.subscribers.get("syscall_return", ()):
                probes.subscribe("syscall_return", self._return)
        else:
            probes.unsubscribe("syscall_entry", self._entry)
            self._unsubscribe_return_when_idle()

    def _unsubscribe_return_when_idle(self) -> None:
        if not self._enabled and not self._open:
            self.kernel.probes.unsubscribe("syscall_return", self._return)

    # -- the hooks ---------------------------------------------------------------------
    def _entry(self, ev) -> None:
        rec = ev.record
        info = rec.info
        if info is None:
            return
        event = open_event(info.audit, rec.args) if info.name in ("open", "openat") else info.audit or "AUE_NULL"
        if self.select is not None and event not in self.select:
            return
        p = self.kernel.procs.get(rec.pid)
        cred = p.cred if p is not None else None
        if cred is None:
            return
        v = cred.view
        ruid, euid, rgid = v.cr_ruid, v.cr_uid, v.cr_rgid
        subject = {"pid": p.pid, "comm": p.comm, "auid": ruid if p.auid is None else p.auid,
                   "ruid": ruid, "euid": euid, "rgid": rgid, "egid": v.get("cr_groups", 0)}
        paths = []
        where = self._path_args.get(info.number)
        if where is None:
            where = self._path_args[info.number] = [i for i, a in enumerate(info.args)
                                                    if a.ctype == "const char *"]
        if where:
            td = next((t for t in p.threads if t.tid == rec.tid), None)
            if td is not None:
                paths = [self._string(td, rec.args[i]) for i in where if rec.args[i]]
        self.seq += 1
        ar = AuditRecord(self.seq, rec.start, event, info.name, subject, rec.args, paths, info=info)
        self.trail.append(ar)
        self._open[rec.seq] = ar

    def _return(self, ev) -> None:
        rec = ev.record
        ar = self._open.pop(rec.seq, None)
        if not self._enabled:
            self._unsubscribe_return_when_idle()
        if ar is None:
            return
        ar.end = rec.end
        ar.result = rec.result
        ar.errno = rec.errno

    @staticmethod
    def _string(td, addr: int) -> str:
        try:
            return copyinstr(td, addr, 1024)
        except SyscallError as e:
            return f"<{e.errno.name} at {addr:#x}>"

    # -- reading the trail ---------------------------------------------------------------
    def records(self, pid: int | None = None, event: str | None = None, call: str | None = None,
                uid: int | None = None, failed: bool | None = None) -> list[AuditRecord]:
        """The records, oldest first, filtered by pid, event, call name, effective uid, outcome."""
        out = []
        for r in self.trail:
            if pid is not None and r.pid != pid:
                continue
            if event is not None and r.event != event:
                continue
            if call is not None and r.call != call:
                continue
            if uid is not None and r.subject["euid"] != uid:
                continue
            if failed is not None and (r.end is not None and r.errno != 0) != failed:
                continue
            out.append(r)
        return out

    def render(self, **filters) -> str:
        """praudit-like text, one comma-separated line per record."""
        return "\n".join(str(r) for r in self.records(**filters))

    def clear(self) -> None:
        self.trail.clear()
        self._open.clear()
