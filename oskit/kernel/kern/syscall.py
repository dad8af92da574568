"""System calls: the @syscall registry, SyscallError and Sleep (FreeBSD's sys/sysent.h).

The bottom of the system-call layer: every handler module imports this, and
it imports nothing of the kernel but errno. The path that calls the handlers
(syscallenter) is kern/subr_syscall.py.

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

from oskit.kernel import errno as _errno
from oskit.kernel.errno import Errno


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
