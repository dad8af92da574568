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
    UMTX_OP_MUTEX_TRYLOCK (4)       take the struct umutex at obj, or EBUSY      0, EBUSY, EDEADLK
    UMTX_OP_MUTEX_LOCK (5)          take it, sleeping while another thread has it 0, EDEADLK, EINTR
    UMTX_OP_MUTEX_UNLOCK (6)        give it up, waking its most urgent waiter    0, EPERM

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
from oskit.kernel.kern.priority import effective
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.kern.sys_time import BOOT_EPOCH, CLOCK_MONOTONIC, CLOCK_REALTIME, NSEC, TIMESPEC, ns_to_ticks
from oskit.kernel.kern.syscall import Sleep, SyscallError, syscall
from oskit.kernel.riscv.copyinout import copyin, copyout

UMTX_OP_WAIT, UMTX_OP_WAKE = 2, 3
UMTX_OP_WAIT_UINT, UMTX_OP_WAIT_UINT_PRIVATE, UMTX_OP_WAKE_PRIVATE = 11, 15, 16
UMTX_OP_MUTEX_TRYLOCK, UMTX_OP_MUTEX_LOCK, UMTX_OP_MUTEX_UNLOCK = 4, 5, 6
UMTX_ABSTIME = 1
INT_MAX = 2**31 - 1

UMTX_TIME = struct.Struct("<qqII")     # struct _umtx_time { struct timespec _timeout; u_int _flags, _clockid; }

OP_NAMES = {UMTX_OP_WAIT: "UMTX_OP_WAIT", UMTX_OP_WAKE: "UMTX_OP_WAKE",
            UMTX_OP_WAIT_UINT: "UMTX_OP_WAIT_UINT", UMTX_OP_WAIT_UINT_PRIVATE: "UMTX_OP_WAIT_UINT_PRIVATE",
            UMTX_OP_WAKE_PRIVATE: "UMTX_OP_WAKE_PRIVATE", UMTX_OP_MUTEX_TRYLOCK: "UMTX_OP_MUTEX_TRYLOCK",
            UMTX_OP_MUTEX_LOCK: "UMTX_OP_MUTEX_LOCK", UMTX_OP_MUTEX_UNLOCK: "UMTX_OP_MUTEX_UNLOCK"}


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


# -- mutexes with priority inheritance (FreeBSD's do_lock_pi / do_unlock_pi in kern_umtx.c) ------------
#
# struct umutex starts {u_int m_owner; u_int m_flags; ...}: m_owner is 0 when free, else the
# owner's thread id, with UMUTEX_CONTESTED set once a thread waits. Locking and unlocking a free
# or uncontested mutex is one compare-and-swap in libc; the kernel is called when that fails.
# The kernel is what knows who waits for whom: while a thread sleeps for a mutex with
# UMUTEX_PRIO_INHERIT, its owner runs at the waiter's priority if that is better (and the owner's
# owner, if the owner itself waits for a PI mutex). Without it a medium-priority thread that
# never touches the mutex can keep the owner, and so the urgent waiter, off the processor for
# as long as it likes: priority inversion.
UMUTEX_CONTESTED = 0x8000_0000
UMUTEX_PRIO_INHERIT = 0x0004
PI_CHAIN_MAX = 16             # how far lending follows owner -> waited-for mutex -> its owner


def umutex_waiters(td, key) -> list:
    """The threads of td's process asleep waiting for the umutex ``key``."""
    return [t for t in td.proc.threads if t.state is ThreadState.SLEEPING and t.wchan == key]


def pi_owner(td, key):
    """The thread holding the contested PI mutex ``key`` in td's process, or None."""
    for t in td.proc.threads:
        if key in t.pi_owned and t.state is not ThreadState.DEAD:
            return t
    return None


def pi_lend(owner, pri: int) -> None:
    """A thread of priority ``pri`` now waits for ``owner``: lend it, and on to whom owner waits for."""
    for _ in range(PI_CHAIN_MAX):
        if pri >= effective(owner):
            return                                   # owner runs at least that urgently already
        owner.pri_lent = pri
        if owner.state is ThreadState.RUNNABLE:
            owner.kernel.sched.kick_worse_than(owner)   # boosted while queued: it may outrank a runner
            return
        if owner.pi_blocked_on is None or owner.state is not ThreadState.SLEEPING:
            return
        owner = pi_owner(owner, owner.pi_blocked_on)
        if owner is None:
            return


def pi_recompute(td) -> None:
    """A waiter left (woken, interrupted) or td let a mutex go: td keeps only what its waiters still lend.

    Passed on along the chain while td itself waits for a PI mutex, since its
    owner may have been running at td's old priority.
    """
    for _ in range(PI_CHAIN_MAX):
        lent = [effective(w) for key in td.pi_owned for w in umutex_waiters(td, key)]
        td.pri_lent = min(lent) if lent else None
        if td.pi_blocked_on is None or td.state is not ThreadState.SLEEPING:
            return
        td = pi_owner(td, td.pi_blocked_on)
        if td is None:
            return


def pi_stop_waiting(td) -> None:
    """td no longer waits for its PI mutex (woken, or a signal ended the wait): take back what it lent."""
    owner = pi_owner(td, td.pi_blocked_on)
    td.pi_blocked_on = None
    if owner is not None:
        pi_recompute(owner)


def _read_umutex(td, obj: int) -> tuple[int, int]:
    """(m_owner, m_flags) of the struct umutex at ``obj``; EINVAL if misaligned, EFAULT if unreadable."""
    if obj % 4:
        raise SyscallError(errno.EINVAL, f"_umtx_op: umutex at {obj:#x} is not aligned to 4 bytes")
    return struct.unpack("<II", copyin(td, obj, 8))


def umtx_mutex_lock(td, obj: int, try_only: bool) -> int:
    """Take the umutex at ``obj`` for td, or sleep until its owner unlocks it and try again.

    The call re-runs from the start after the sleep (syscall.py), so a woken
    waiter comes back here and competes for the mutex again.
    """
    key = umtx_key(td, obj)
    if td.pi_blocked_on is not None:                 # woken: no longer waiting
        pi_stop_waiting(td)
    word, flags = _read_umutex(td, obj)
    pi = bool(flags & UMUTEX_PRIO_INHERIT)
    holder = word & ~UMUTEX_CONTESTED
    if holder == 0:
        # Free (perhaps marked contested by the last unlock): take it, keeping the mark if others wait.
        others = umutex_waiters(td, key)
        copyout(td, obj, struct.pack("<I", td.tid | (UMUTEX_CONTESTED if others else 0)))
        if others and pi:
            td.pi_owned.add(key)
            pi_recompute(td)                         # the waiters now lend to td
        return 0
    if holder == td.tid:
        raise SyscallError(errno.EDEADLK, f"_umtx_op: thread {td.tid} already holds the mutex at {obj:#x}")
    if try_only:
        raise SyscallError(errno.EBUSY, f"_umtx_op: the mutex at {obj:#x} is held by thread {holder}")
    copyout(td, obj, struct.pack("<I", word | UMUTEX_CONTESTED))  # the owner must unlock through us
    if not pi:
        raise Sleep(key)
    td.pi_blocked_on = key
    owner = next((t for t in td.proc.threads if t.tid == holder and t.state is not ThreadState.DEAD), None)
    if owner is not None:                            # (an owner that exited holding it: nobody to boost)
        owner.pi_owned.add(key)
        pi_lend(owner, effective(td))
    raise Sleep(key, on_interrupt=pi_stop_waiting)


def umtx_mutex_unlock(td, obj: int) -> int:
    """Give up the umutex at ``obj`` (td must hold it) and wake its most urgent waiter."""
    key = umtx_key(td, obj)
    word, _ = _read_umutex(td, obj)
    if word & ~UMUTEX_CONTESTED != td.tid:
        raise SyscallError(errno.EPERM, f"_umtx_op: thread {td.tid} does not hold the mutex at {obj:#x} "
                                        f"(owner word {word:#x})")
    td.pi_owned.discard(key)
    waiters = umutex_waiters(td, key)
    # Still contested if more than the one we wake wait: the next owner must unlock through us too.
    copyout(td, obj, struct.pack("<I", UMUTEX_CONTESTED if len(waiters) > 1 else 0))
    td.kernel.sched.wakeup_highest(key)
    pi_recompute(td)                                 # td loses what those waiters lent it
    return 0


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
    if op in (UMTX_OP_MUTEX_LOCK, UMTX_OP_MUTEX_TRYLOCK):
        return umtx_mutex_lock(td, obj, op == UMTX_OP_MUTEX_TRYLOCK)
    if op == UMTX_OP_MUTEX_UNLOCK:
        return umtx_mutex_unlock(td, obj)
    raise SyscallError(errno.EINVAL, f"_umtx_op: op {op} is not implemented here; oskit has "
                                     f"{', '.join(f'{n} ({v})' for v, n in OP_NAMES.items())}")
