"""rtprio_thread(2): read or set one thread's scheduling priority (FreeBSD's kern_resource.c).

    rtprio_thread(RTP_LOOKUP, lwpid, &rtp)   *rtp = the thread's {type, prio}
    rtprio_thread(RTP_SET, lwpid, &rtp)      the thread's priority becomes *rtp

``lwpid`` 0 is the caller; otherwise a thread of the caller's process (ESRCH
if there is none). struct rtprio is {u_short type; u_short prio;}: type is
RTP_PRIO_REALTIME, RTP_PRIO_FIFO, RTP_PRIO_NORMAL or RTP_PRIO_IDLE, and prio
0..31, 0 the most urgent (EINVAL otherwise). A realtime or idle class needs
root (EPERM), as FreeBSD's priv_check(PRIV_SCHED_RTPRIO / PRIV_SCHED_IDPRIO).

Why this call: it is what FreeBSD's own libthr builds pthread_setschedparam
on, and it names a *thread*, where sched_setparam(2) names a process; the
priority-inversion demonstration needs threads of one process at different
priorities. libc's pthread_setschedparam maps POSIX's "bigger is more urgent"
sched_priority onto it as libthr does: rtprio = RTP_PRIO_MAX - sched_priority.
RTP_LOOKUP reports the base priority, never one lent by a PI mutex.
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern.priority import (RTP_PRIO_FIFO, RTP_PRIO_IDLE, RTP_PRIO_MAX, RTP_PRIO_NORMAL,
                                        RTP_PRIO_REALTIME, rtp_to_pri)
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.riscv.copyinout import copyin, copyout

RTP_LOOKUP, RTP_SET = 0, 1
RTPRIO = struct.Struct("<HH")             # struct rtprio { u_short type; u_short prio; }
TYPES = (RTP_PRIO_REALTIME, RTP_PRIO_FIFO, RTP_PRIO_NORMAL, RTP_PRIO_IDLE)


def find_thread(td, lwpid: int):
    """The thread ``lwpid`` of td's process (0: td itself); ESRCH if it has none such."""
    if lwpid in (0, -1):
        return td
    for t in td.proc.threads:
        if t.tid == lwpid and t.state is not ThreadState.DEAD:
            return t
    raise SyscallError(errno.ESRCH, f"rtprio_thread: pid {td.proc.pid} has no thread {lwpid}")


def set_priority(td, rtp_type: int, rtp_prio: int) -> None:
    """Give ``td`` a new base priority and let the scheduler act on it at once.

    Raised while queued, it may preempt a running thread; lowered while running
    on another hart, that hart is kicked so it can give way. (The caller's own
    hart looks again at the end of this trap.)
    """
    sched = td.kernel.sched
    td.rtp_type, td.rtp_prio = rtp_type, rtp_prio
    td.pri_base = rtp_to_pri(rtp_type, rtp_prio)
    if td.state is ThreadState.RUNNABLE:
        sched.kick_worse_than(td)
    elif td.state is ThreadState.RUNNING and td.hart is not None and sched.outranked(td):
        sched.kick(td.hart)


@syscall
def sys_rtprio_thread(td, function, lwpid, rtp):
    """Look up or set the priority of thread ``lwpid`` (see the module docstring)."""
    target = find_thread(td, lwpid)
    if function == RTP_LOOKUP:
        copyout(td, rtp, RTPRIO.pack(target.rtp_type, target.rtp_prio))
        return 0
    if function != RTP_SET:
        raise SyscallError(errno.EINVAL, f"rtprio_thread: function {function} is neither "
                                         f"RTP_LOOKUP (0) nor RTP_SET (1)")
    typ, prio = RTPRIO.unpack(copyin(td, rtp, RTPRIO.size))
    if typ not in TYPES or prio > RTP_PRIO_MAX:
        raise SyscallError(errno.EINVAL, f"rtprio_thread: type {typ} prio {prio}: expected a type of "
                                         f"{TYPES} and prio 0..{RTP_PRIO_MAX}")
    if typ != RTP_PRIO_NORMAL and td.proc.cred.euid != 0:
        raise SyscallError(errno.EPERM, "rtprio_thread: only root may choose a realtime or idle priority")
    set_priority(target, typ, 0 if typ == RTP_PRIO_NORMAL else prio)
    return 0
