"""_umtx_op: sleep on a word of user memory, and wake sleepers on it (FreeBSD's umtx, a futex).

A user-space lock is a word in memory changed with atomic instructions; the
kernel is needed only when a thread must wait. The wait and the check of the
word are one step inside the kernel, so no wakeup is lost between them:

    waiter                                   waker
    ──────                                   ─────
    sees the lock taken (word == 2)
    _umtx_op(&word, WAIT, 2)  ──> kernel:    unlock: word = 0
        word still 2? sleep on (vmspace, &word)  _umtx_op(&word, WAKE, 1) ──> kernel:
        (word changed: return 0 at once)            wake one sleeper on (vmspace, &word)

    op                              what                                        returns
    UMTX_OP_WAIT (2)                sleep while the u_long at obj == val        0 (woken, or the
    UMTX_OP_WAIT_UINT (11)          ... the u_int at obj == val                   value differed),
    UMTX_OP_WAIT_UINT_PRIVATE (15)  same (every wait here is process-private)     ETIMEDOUT, EINTR
    UMTX_OP_WAKE (3)                wake up to val sleepers on obj               0
    UMTX_OP_WAKE_PRIVATE (16)       same

A wait may carry a timeout: uaddr2 points at a struct timespec (relative) when
uaddr is 0 (NULL), or at a struct _umtx_time {timespec; u_int flags; u_int
clockid} when uaddr holds its size (flags & UMTX_ABSTIME: an absolute time of
that clock). A caught signal ends the wait: EINTR, or, with SA_RESTART and no
timeout, the wait runs again (it re-reads the word first).

Like FreeBSD's "private" umtx, a wait is keyed by (address space, virtual
address): threads of one process meet there. (FreeBSD keys a shared wait by
the backing object and offset, so that processes sharing a MAP_SHARED page
meet; oskit does not, and says so here.) A woken waiter returns 0 whether or
not the word changed, as a futex does: callers loop.
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern.sys_time import BOOT_EPOCH, CLOCK_MONOTONIC, CLOCK_REALTIME, NSEC, TIMESPEC, ns_to_ticks
from oskit.kernel.kern.syscall import Sleep, SyscallError, syscall
from oskit.kernel.riscv.copyinout import copyin

UMTX_OP_WAIT, UMTX_OP_WAKE = 2, 3
UMTX_OP_WAIT_UINT, UMTX_OP_WAIT_UINT_PRIVATE, UMTX_OP_WAKE_PRIVATE = 11, 15, 16
UMTX_ABSTIME = 1
INT_MAX = 2**31 - 1

UMTX_TIME = struct.Struct("<qqII")     # struct _umtx_time { struct timespec _timeout; u_int _flags, _clockid; }

OP_NAMES = {UMTX_OP_WAIT: "UMTX_OP_WAIT", UMTX_OP_WAKE: "UMTX_OP_WAKE",
            UMTX_OP_WAIT_UINT: "UMTX_OP_WAIT_UINT", UMTX_OP_WAIT_UINT_PRIVATE: "UMTX_OP_WAIT_UINT_PRIVATE",
            UMTX_OP_WAKE_PRIVATE: "UMTX_OP_WAKE_PRIVATE"}


def umtx_key(td, uaddr: int) -> tuple:
    """The wait channel of the word at ``uaddr`` in td's address space."""
    return ("umtx", id(td.proc.vmspace), uaddr)


def umtx_wake(td, uaddr: int, n: int = INT_MAX) -> int:
    """Wake up to ``n`` threads of td's process waiting on ``uaddr`` (oldest first); returns how many."""
    return td.kernel.sched.wakeup(umtx_key(td, uaddr), limit=n)


def _deadline(td, size: int, uaddr2: int) -> int | None:
    """The mtime at which a wait ends by itself (None: no timeout); EINVAL for a bad time."""
    if not uaddr2:
        return None
    k = td.kernel
    flags, clock = 0, CLOCK_MONOTONIC
    if size > TIMESPEC.size:
        sec, nsec, flags, clock = UMTX_TIME.unpack(copyin(td, uaddr2, UMTX_TIME.size))
    else:
        sec, nsec = TIMESPEC.unpack(copyin(td, uaddr2, TIMESPEC.size))
    if sec < 0 or not 0 <= nsec < NSEC:
        raise SyscallError(errno.EINVAL, f"_umtx_op: bad timeout {{{sec}, {nsec}}}")
    ns = sec * NSEC + nsec
    now = k.machine.clint.mtime
    if flags & UMTX_ABSTIME:
        if clock == CLOCK_REALTIME:
            ns -= BOOT_EPOCH * NSEC
        return max(now, ns_to_ticks(k, max(0, ns)))
    return now + ns_to_ticks(k, ns)


def umtx_wait(td, obj: int, val: int, size: int, uaddr2: int, width: int) -> int:
    """Sleep while the ``width``-byte word at ``obj`` equals ``val`` (see the module docstring).

    The call re-runs from the start after the sleep (syscall.py); td.scratch
    remembers that it already slept, so a woken waiter returns instead of
    checking the word and sleeping again.
    """
    if "umtx_slept" in td.scratch:
        if td.timed_out:
            raise SyscallError(errno.ETIMEDOUT, "_umtx_op: the timeout passed")
        return 0
    if obj % width:
        raise SyscallError(errno.EINVAL, f"_umtx_op: {obj:#x} is not aligned to {width} bytes")
    word = int.from_bytes(copyin(td, obj, width), "little")
    if word != val & ((1 << (8 * width)) - 1):
        return 0                                    # it changed already: no sleep (FreeBSD returns 0)
    deadline = _deadline(td, size, uaddr2)
    if deadline is not None and deadline <= td.kernel.machine.clint.mtime:
        raise SyscallError(errno.ETIMEDOUT, "_umtx_op: the timeout passed")
    td.scratch["umtx_slept"] = True
    # A timed wait interrupted by a signal gives EINTR, never a restart (as FreeBSD).
    raise Sleep(umtx_key(td, obj), deadline=deadline, always_eintr=deadline is not None)


@syscall
def sys__umtx_op(td, obj, op, val, uaddr, uaddr2):
    """Wait on or wake a word of user memory (the module docstring lists the ops)."""
    if op == UMTX_OP_WAIT:
        return umtx_wait(td, obj, val, uaddr, uaddr2, 8)
    if op in (UMTX_OP_WAIT_UINT, UMTX_OP_WAIT_UINT_PRIVATE):
        return umtx_wait(td, obj, val, uaddr, uaddr2, 4)
    if op in (UMTX_OP_WAKE, UMTX_OP_WAKE_PRIVATE):
        umtx_wake(td, obj, min(val, INT_MAX))
        return 0
    raise SyscallError(errno.EINVAL, f"_umtx_op: op {op} is not implemented here; oskit has "
                                     f"{', '.join(f'{n} ({v})' for v, n in OP_NAMES.items())}")
