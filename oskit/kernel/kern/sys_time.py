"""Time: clock_gettime, gettimeofday, nanosleep, on the machine's deterministic clock.

The clock is the CLINT's mtime: TIMEBASE_HZ ticks per emulated second (10 MHz),
advancing with executed instructions, so a program sees the same times on
every run. CLOCK_REALTIME is mtime plus the boot time, BOOT_EPOCH until root sets the
clock (settimeofday, clock_settime): the kernel keeps it in the shared page
(kern/sharedpage.py), where libc's clock_gettime reads it without a system call.

nanosleep sleeps on its own channel with a deadline: each hart's stimecmp is
programmed for the earliest deadline, its timer interrupt wakes the sleeper,
and the call runs again and finds the time has come. A caught signal ends
the sleep early: EINTR, with the time left written to ``rmtp``.

setitimer(ITIMER_REAL) arms a callout (sched.py) that posts SIGALRM when the
time comes, and re-arms itself with the interval; alarm(3) is built on it.
Only ITIMER_REAL is implemented (ITIMER_VIRTUAL/PROF: EINVAL).
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern.signal import SIGALRM
from oskit.kernel.kern.syscall import Sleep, SyscallError, syscall
from oskit.kernel.riscv.copyinout import copyin, copyout

CLOCK_REALTIME, CLOCK_VIRTUAL, CLOCK_PROF, CLOCK_MONOTONIC = 0, 1, 2, 4
CLOCK_UPTIME, CLOCK_UPTIME_PRECISE, CLOCK_UPTIME_FAST = 5, 7, 8
CLOCK_REALTIME_PRECISE, CLOCK_REALTIME_FAST = 9, 10
CLOCK_MONOTONIC_PRECISE, CLOCK_MONOTONIC_FAST = 11, 12
CLOCK_SECOND, CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID = 13, 14, 15
BOOT_EPOCH = 1_767_225_600          # 2026-01-01 00:00:00 UTC: the machine's boot time
TIMESPEC = struct.Struct("<qq")
NSEC = 1_000_000_000


def ticks_to_ns(kernel, ticks: int) -> int:
    return ticks * NSEC // kernel.timebase_hz


def ns_to_ticks(kernel, ns: int) -> int:
    return -(-ns * kernel.timebase_hz // NSEC)       # round up: never wake early


@syscall
def sys_clock_gettime(td, clock_id, tp):
    """The time of clock ``clock_id`` as a struct timespec."""
    k = td.kernel
    now = ticks_to_ns(k, k.machine.clint.mtime)
    if clock_id in (CLOCK_REALTIME, CLOCK_REALTIME_PRECISE, CLOCK_REALTIME_FAST, CLOCK_SECOND):
        ns = k.sharedpage.boottime_ns + now
    elif clock_id in (CLOCK_MONOTONIC, CLOCK_MONOTONIC_PRECISE, CLOCK_MONOTONIC_FAST,
                      CLOCK_UPTIME, CLOCK_UPTIME_PRECISE, CLOCK_UPTIME_FAST):
        ns = now
    elif clock_id == CLOCK_THREAD_CPUTIME_ID:          # this thread's user time only
        ns = ticks_to_ns(k, td.rusage.utime_ticks + k.machine.clint.mtime
                         - k.percpu[td.hart.hartid].user_since if td.hart else td.rusage.utime_ticks)
    elif clock_id in (CLOCK_PROCESS_CPUTIME_ID, CLOCK_VIRTUAL, CLOCK_PROF):
        ns = ticks_to_ns(k, td.proc.rusage.utime_ticks + k.machine.clint.mtime
                         - k.percpu[td.hart.hartid].user_since if td.hart else td.proc.rusage.utime_ticks)
    else:
        raise SyscallError(errno.EINVAL, f"clock_gettime: unknown clock {clock_id}")
    if clock_id == CLOCK_SECOND:
        ns -= ns % NSEC
    copyout(td, tp, TIMESPEC.pack(ns // NSEC, ns % NSEC))
    return 0


@syscall
def sys_gettimeofday(td, tp, tzp):
    """The real time as a struct timeval (seconds, microseconds); tzp is ignored (zeroed)."""
    k = td.kernel
    ns = k.sharedpage.boottime_ns + ticks_to_ns(k, k.machine.clint.mtime)
    if tp:
        copyout(td, tp, struct.pack("<qq", ns // NSEC, (ns % NSEC) // 1000))
    if tzp:
        copyout(td, tzp, bytes(8))
    return 0


def _settime(td, who: str, realtime_ns: int) -> None:
    """Set CLOCK_REALTIME (root only, as FreeBSD's priv_check(PRIV_CLOCK_SETTIME)); readers see it at once."""
    if td.proc.cred.euid != 0:
        raise SyscallError(errno.EPERM, f"{who}: setting the clock needs root, euid is {td.proc.cred.euid}")
    if realtime_ns < 0:
        raise SyscallError(errno.EINVAL, f"{who}: a time before 1970 ({realtime_ns} ns)")
    k = td.kernel
    k.sharedpage.set_realtime(realtime_ns, ticks_to_ns(k, k.machine.clint.mtime))


@syscall
def sys_clock_settime(td, clock_id, tp):
    """Set clock ``clock_id`` (only CLOCK_REALTIME can be set) from a struct timespec."""
    if clock_id != CLOCK_REALTIME:
        raise SyscallError(errno.EINVAL, f"clock_settime: only CLOCK_REALTIME (0) can be set, found {clock_id}")
    sec, nsec = TIMESPEC.unpack(copyin(td, tp, TIMESPEC.size))
    if not 0 <= nsec < NSEC:
        raise SyscallError(errno.EINVAL, f"clock_settime: tv_nsec {nsec} is not in [0, 999999999]")
    _settime(td, "clock_settime", sec * NSEC + nsec)
    return 0


@syscall
def sys_settimeofday(td, tv, tzp):
    """Set CLOCK_REALTIME from a struct timeval (tzp, obsolete, is ignored)."""
    if not tv:
        return 0
    sec, usec = struct.unpack("<qq", copyin(td, tv, 16))
    if not 0 <= usec < 1_000_000:
        raise SyscallError(errno.EINVAL, f"settimeofday: tv_usec {usec} is not in [0, 999999]")
    _settime(td, "settimeofday", sec * NSEC + usec * 1000)
    return 0


@syscall
def sys_nanosleep(td, rqtp, rmtp):
    """Sleep for the time in *rqtp; EINTR (time left in *rmtp) if a signal handler runs first."""
    k = td.kernel
    deadline = td.scratch.get("deadline")
    if deadline is None:
        sec, nsec = TIMESPEC.unpack(copyin(td, rqtp, TIMESPEC.size))
        if sec < 0 or not 0 <= nsec < NSEC:
            raise SyscallError(errno.EINVAL, f"nanosleep: bad time {{{sec}, {nsec}}}")
        deadline = k.machine.clint.mtime + ns_to_ticks(k, sec * NSEC + nsec)
        td.scratch["deadline"] = deadline
    now = k.machine.clint.mtime
    if now >= deadline:
        return 0

    def left(td):
        if rmtp:
            ns = ticks_to_ns(k, max(0, deadline - k.machine.clint.mtime))
            try:
                copyout(td, rmtp, TIMESPEC.pack(ns // NSEC, ns % NSEC))
            except SyscallError:
                pass

    raise Sleep(("nanosleep", td.proc.pid, td.tid), deadline=deadline, always_eintr=True, on_interrupt=left)


# struct itimerval { struct timeval it_interval, it_value; }: four 64-bit words
ITIMERVAL = struct.Struct("<qqqq")
ITIMER_REAL = 0
USEC = 1_000_000


def _tv_ticks(kernel, sec: int, usec: int) -> int:
    return ns_to_ticks(kernel, sec * NSEC + usec * 1000)


def _ticks_tv(kernel, ticks: int) -> tuple[int, int]:
    us = -(-ticks_to_ns(kernel, ticks) // 1000)
    return us // USEC, us % USEC


def _arm(kernel, p, value_ticks: int, interval_ticks: int) -> None:
    """(Re)arm p's real-time timer: SIGALRM after value_ticks, then every interval_ticks."""

    def fire():
        p.itimer = None
        if p.exited():
            return
        kernel.psignal(p, SIGALRM)
        if interval_ticks:
            _arm(kernel, p, interval_ticks, interval_ticks)

    deadline = kernel.machine.clint.mtime + value_ticks
    p.itimer = (kernel.sched.callout(deadline, fire), interval_ticks)


def _current(kernel, p) -> tuple[int, int]:
    """(ticks left, interval ticks) of p's real-time timer; (0, 0) when disarmed."""
    it = p.itimer
    if it is None:
        return 0, 0
    deadline = kernel.sched.callouts.get(it[0], (None,))[0]
    if deadline is None:
        return 0, 0
    return max(1, deadline - kernel.machine.clint.mtime), it[1]


@syscall
def sys_getitimer(td, which, itv):
    """The time left on the process's ITIMER_REAL timer and its interval."""
    if which != ITIMER_REAL:
        raise SyscallError(errno.EINVAL, f"getitimer: only ITIMER_REAL (0) is implemented, found {which}")
    left, interval = _current(td.kernel, td.proc)
    copyout(td, itv, ITIMERVAL.pack(*_ticks_tv(td.kernel, interval), *_ticks_tv(td.kernel, left)))
    return 0


@syscall
def sys_setitimer(td, which, itv, oitv):
    """Arm (or with a zero value, disarm) ITIMER_REAL: SIGALRM when it expires, then every interval."""
    k = td.kernel
    p = td.proc
    if which != ITIMER_REAL:
        raise SyscallError(errno.EINVAL, f"setitimer: only ITIMER_REAL (0) is implemented, found {which}")
    isec, iusec, vsec, vusec = ITIMERVAL.unpack(copyin(td, itv, ITIMERVAL.size)) if itv else (0, 0, 0, 0)
    for sec, usec in ((isec, iusec), (vsec, vusec)):
        if sec < 0 or not 0 <= usec < USEC:
            raise SyscallError(errno.EINVAL, f"setitimer: bad time {{{sec}, {usec}}}")
    left, interval = _current(k, p)
    if oitv:
        copyout(td, oitv, ITIMERVAL.pack(*_ticks_tv(k, interval), *_ticks_tv(k, left)))
    if itv:
        it = p.itimer
        if it is not None:
            k.sched.callout_stop(it[0])
            p.itimer = None
        if vsec or vusec:
            _arm(k, p, _tv_ticks(k, vsec, vusec), _tv_ticks(k, isec, iusec))
    return 0
