"""The machine-independent system-call path (as FreeBSD's kern/subr_syscall.c).

    user: ecall ──> trampoline ──> trap() ──> syscall(kernel, td)
                                               │ 1. fetch number + args   (machdep.fetch_syscall_args)
                                               │ 2. prologue: trace record, entry probes
                                               │ 3. handler(td, *args)    (the @syscall registry)
                                               │ 4. set result / errno    (machdep.set_syscall_retval)
                                               │ 5. epilogue: trace return, return probes
                                               └─ signal delivery happens on the way out (trap.py)

A handler is a plain Python function registered under its name in
``syscalls.master`` (``sys_`` stripped)::

    @syscall
    def sys_getpid(td):
        return td.proc.pid

It returns an int (a0), a pair (a0, a1) or None (0). It fails with
``raise SyscallError(errno.EBADF)``. It blocks with ``raise Sleep(chan)``: the
thread sleeps on ``chan`` and the *whole call runs again from the start* after
``kernel.wakeup(chan)``, so a handler must decide to sleep before it changes
anything. State that must survive those re-runs (a pipe write half done) goes
in ``td.scratch``, a dict that is emptied when a new call starts.

A signal caught while the thread sleeps ends the sleep: the call returns EINTR,
or, if the handler was installed with SA_RESTART, ERESTART (the ``ecall`` runs
again after the handler returns).

Exceptions (nothing else may escape a handler; anything else is a kernel bug,
which panics the machine with a report):

    Exception
     ├── SyscallError(errno)   the call fails with errno (ERESTART/EJUSTRETURN: see errno.py)
     └── Sleep(chan, deadline) the thread must wait; the call re-runs when woken
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, Hashable

from . import errno as _errno
from .errno import Errno


class SyscallError(Exception):
    """A system call fails with this errno (``raise SyscallError(errno.ENOENT)``)."""

    def __init__(self, errno: int, message: str = ""):
        self.errno = Errno(errno)
        self.message = message
        super().__init__(f"{self.errno.name}" + (f": {message}" if message else ""))


class Sleep(Exception):
    """The calling thread must sleep on ``chan``; its call re-runs from the start when woken.

    ``deadline``: an mtime value after which the thread wakes by itself (nanosleep).
    ``interruptible``: whether a caught signal ends the sleep (EINTR / restart).
    ``always_eintr``: a signal gives EINTR even under SA_RESTART (sigsuspend, nanosleep).
    ``on_interrupt``: called with the thread when a signal ends the sleep (nanosleep
    writes the time left there).
    ``partial``: bytes the call already transferred before sleeping (a big pipe write):
    if a signal ends the sleep, the call succeeds with that count instead of EINTR
    (a partial transfer is not an error, and restarting would repeat it).
    """

    def __init__(self, chan: Hashable, deadline: int | None = None, interruptible: bool = True,
                 always_eintr: bool = False, on_interrupt: Callable | None = None,
                 partial: int | None = None):
        self.chan = chan
        self.deadline = deadline
        self.interruptible = interruptible
        self.always_eintr = always_eintr
        self.on_interrupt = on_interrupt
        self.partial = partial
        super().__init__(f"sleep on {chan!r}")


@dataclass(frozen=True)
class Handler:
    """One registered system-call implementation."""

    name: str                       # as in syscalls.master, e.g. "read"
    fn: Callable                    # fn(td, *args)
    nargs: int                      # arguments after td

    def __repr__(self) -> str:
        return f"<syscall {self.name} ({self.fn.__module__}.{self.fn.__name__})>"


#: name -> Handler for every function decorated with @syscall (filled when modules import).
HANDLERS: dict[str, Handler] = {}


def syscall(fn: Callable | None = None, *, name: str | None = None):
    """Register ``fn`` as the handler of the system call ``name`` (default: fn's name minus ``sys_``).

    Usable bare (``@syscall``) or with a name (``@syscall(name="__getcwd")``).
    """

    def register(f: Callable) -> Callable:
        call = name or (f.__name__[4:] if f.__name__.startswith("sys_") else f.__name__)
        if call in HANDLERS and HANDLERS[call].fn is not f:
            old = HANDLERS[call].fn
            raise ValueError(
                f"system call {call!r} registered twice: {old.__module__}.{old.__name__} "
                f"and {f.__module__}.{f.__name__}")
        params = list(inspect.signature(f).parameters.values())
        if not params or params[0].name != "td":
            raise TypeError(f"syscall handler {f.__name__}: first parameter must be 'td', "
                            f"found {[p.name for p in params]}")
        HANDLERS[call] = Handler(call, f, len(params) - 1)
        return f

    if fn is not None:
        return register(fn)
    return register


def handler_for(name: str) -> Handler | None:
    """The registered handler for a system-call name, or None."""
    return HANDLERS.get(name)


__all__ = ["SyscallError", "Sleep", "Handler", "HANDLERS", "syscall", "handler_for", "Errno", "_errno"]


# -- the path itself (FreeBSD's syscallenter / syscallret) --------------------------------

def syscallenter(kernel, td) -> None:
    """Handle the ``ecall`` that trapped from user thread ``td`` (its registers are in td.frame)."""
    from . import machdep, syscalls_table         # (the table module can be reloaded: look it up each time)
    SYSCALLS = syscalls_table.SYSCALLS

    code, regs = machdep.fetch_syscall_args(td)
    td.scratch = {}                                   # a new call: fresh per-call state
    td.proc.rusage.syscalls += 1
    td.rusage.syscalls += 1
    info = SYSCALLS.get(code)
    if info is None:
        rec = kernel.trace.enter(td, None, code, tuple(regs))
        _finish(kernel, td, rec, _errno.ENOSYS, None,
                f"system call number {code} is not in syscalls.master")
        return
    args = info.decode_args(regs)
    rec = kernel.trace.enter(td, info, code, args)
    _run(kernel, td, info, args, rec)


def syscall_resume(kernel, td) -> None:
    """Run again a call that slept, now that ``td`` was woken (or end it with EINTR/ERESTART)."""
    from . import signal
    info, args, rec, slept = td.pending
    td.pending = None
    if td.interrupted:
        td.interrupted = False
        _interrupted(kernel, td, rec, slept)
        return
    _run(kernel, td, info, args, rec)


def _run(kernel, td, info, args, rec) -> None:
    from . import signal
    from .proc import ThreadState

    handler = HANDLERS.get(info.name)
    if handler is None:
        _finish(kernel, td, rec, _errno.ENOSYS, None,
                f"no handler registered for system call {info.name!r} ({info.number}): "
                f"write `@syscall def sys_{info.name}(td, ...)` in oskit/kernel/")
        return
    try:
        rv = handler.fn(td, *args)
    except SyscallError as e:
        if td.state is ThreadState.DEAD:
            kernel.trace.finish(rec, None, 0, "the process exited")
            return
        _finish(kernel, td, rec, int(e.errno), None, e.message)
        return
    except Sleep as s:
        if s.interruptible and signal.issignal(td):
            # A signal is already deliverable: the sleep ends before it starts.
            _interrupted(kernel, td, rec, s)
            return
        td.pending = (info, args, rec, s)
        rec.sleeps += 1
        kernel.sched.sleep(td, s.chan, s.deadline, s.interruptible)
        return
    if td.state is ThreadState.DEAD:                  # exit, or killed inside the call
        kernel.trace.finish(rec, None, 0, "the process exited")
        return
    if rv is None:
        rv = (0, None)
    elif isinstance(rv, tuple):
        rv = (rv[0], rv[1])
    else:
        rv = (rv, None)
    _finish(kernel, td, rec, 0, rv, "")


def _interrupted(kernel, td, rec, slept: Sleep) -> None:
    """A caught signal ended (or prevented) the sleep: EINTR, ERESTART, or a partial success."""
    from . import signal
    if slept.on_interrupt is not None:
        slept.on_interrupt(td)
    partial = getattr(slept, "partial", None)
    if partial:
        _finish(kernel, td, rec, 0, (partial, None), "a signal ended the sleep after a partial transfer")
        return
    error = _errno.EINTR if slept.always_eintr else signal.restart_error(td)
    _finish(kernel, td, rec, error, None, "a signal ended the sleep")


def _finish(kernel, td, rec, error: int, rv, message: str) -> None:
    from . import machdep
    machdep.set_syscall_retval(td, error, rv)
    kernel.trace.finish(rec, rv, error, message)
