"""Thread priorities: the numbers the scheduler compares (FreeBSD's sys/priority.h, sys/rtprio.h).

A smaller number is a more urgent thread. Each thread has a *base* priority,
set with rtprio_thread(2) (kern/sys_rtprio.py), and may be *lent* a better one
by the threads waiting for a priority-inheritance mutex it holds (kern/umtx.py);
the scheduler runs the thread whose effective priority, min(base, lent), is the
smallest.

    0 ..  47   (FreeBSD: interrupt threads and the kernel's own sleeps; unused here)
    48 .. 79   PRI_MIN_REALTIME + rtprio   realtime (RTP_PRIO_REALTIME, RTP_PRIO_FIFO)
    120        PRI_TIMESHARE                every ordinary thread (RTP_PRIO_NORMAL)
    224 .. 255 PRI_MIN_IDLE + rtprio       idle (RTP_PRIO_IDLE): runs when nothing else can

FreeBSD's ULE spreads timesharing threads over 88..223 by how interactive they
look (sleep vs run time) and nice; oskit gives them all one level, so ordinary
threads share the processor round robin, as they always did here.
"""

# struct rtprio's types (sys/rtprio.h)
RTP_PRIO_REALTIME = 2
RTP_PRIO_NORMAL = 3
RTP_PRIO_IDLE = 4
RTP_PRIO_FIFO_BIT = 8
RTP_PRIO_FIFO = RTP_PRIO_REALTIME | RTP_PRIO_FIFO_BIT
RTP_PRIO_MIN, RTP_PRIO_MAX = 0, 31          # rtprio levels: 0 is the most urgent

PRI_MIN_REALTIME = 48
PRI_TIMESHARE = 120
PRI_MIN_IDLE = 224


def rtp_to_pri(rtp_type: int, rtp_prio: int) -> int:
    """The scheduler's priority for a struct rtprio (assumed valid: see sys_rtprio.py)."""
    base = rtp_type & ~RTP_PRIO_FIFO_BIT
    if base == RTP_PRIO_REALTIME:
        return PRI_MIN_REALTIME + rtp_prio
    if base == RTP_PRIO_IDLE:
        return PRI_MIN_IDLE + rtp_prio
    return PRI_TIMESHARE


def effective(td) -> int:
    """The priority td runs at: its base, or a better one lent by its waiters."""
    lent = td.pri_lent
    return td.pri_base if lent is None or lent > td.pri_base else lent
