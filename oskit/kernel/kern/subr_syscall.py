"""The machine-independent system-call path (as FreeBSD's kern/subr_syscall.c).

    user: ecall ──> trampoline ──> trap() ──> syscallenter(kernel, td)
                                               │ 1. fetch number + args   (riscv/machdep.fetch_syscall_args)
                                               │ 2. prologue: trace record, entry probes
                                               │ 3. handler(td, *args)    (k.sysent, else the @syscall registry)
                                               │ 4. set result / errno    (riscv/machdep.set_syscall_retval)
                                               │ 5. epilogue: trace return, return probes
                                               └─ signal delivery happens on the way out (riscv/trap.py)

The registry, the errors and ``Sleep`` are one layer down, in kern/syscall.py,
so that a handler module imports only that; this module is the top of the
path and may import anything it calls.
"""

from __future__ import annotations

from oskit.kernel import errno as _errno
from oskit.kernel.kern import signal, syscalls_table
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.kern.syscall import HANDLERS, Sleep, SyscallError
from oskit.kernel.riscv import machdep


def syscallenter(kernel, td) -> None:
    """Handle the ``ecall`` that trapped from user thread ``td`` (its registers are in td.frame)."""
    SYSCALLS = syscalls_table.SYSCALLS

    code, regs = machdep.fetch_syscall_args(td)
    td.scratch = {}                                   # a new call: fresh per-call state
    kernel.kclock.charge("syscall")
    td.proc.rusage.syscalls += 1
    td.rusage.syscalls += 1
    info = SYSCALLS.get(code)
    if info is None:
        rec = kernel.trace.enter(td, None, code, tuple(regs))
        _finish(kernel, td, rec, _errno.ENOSYS, None,
                f"system call number {code} is not in syscalls.master")
        return
    args = info.decode_args(regs)
    if kernel.breakpoints.syscalls and kernel.breakpoints.syscall_stops(td, info.name):
        machdep.set_syscall_retval(td, _errno.ERESTART, None)   # back on the ecall: it runs on resume
        kernel.breakpoints.stopped(td, "syscall", info.name)
        return
    rec = kernel.trace.enter(td, info, code, args)
    _run(kernel, td, info, args, rec)


def syscall_resume(kernel, td) -> None:
    """Run again a call that slept, now that ``td`` was woken (or end it with EINTR/ERESTART)."""
    info, args, rec, slept = td.pending
    td.pending = None
    if td.interrupted:
        td.interrupted = False
        _interrupted(kernel, td, rec, slept)
        return
    _run(kernel, td, info, args, rec)


def _run(kernel, td, info, args, rec) -> None:

    handler = kernel.sysent.get(info.name) or HANDLERS.get(info.name)   # this kernel's replacement first
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
    if slept.on_interrupt is not None:
        slept.on_interrupt(td)
    partial = getattr(slept, "partial", None)
    if partial:
        _finish(kernel, td, rec, 0, (partial, None), "a signal ended the sleep after a partial transfer")
        return
    error = _errno.EINTR if slept.always_eintr else signal.restart_error(td)
    _finish(kernel, td, rec, error, None, "a signal ended the sleep")


def _finish(kernel, td, rec, error: int, rv, message: str) -> None:
    machdep.set_syscall_retval(td, error, rv)
    kernel.trace.finish(rec, rv, error, message)
