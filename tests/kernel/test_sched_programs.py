"""Thread priorities (rtprio_thread 466), the scheduler that honours them, PI mutexes (_umtx_op 5/6).

tests/programs/sched/: NAME.expected is what the same source printed on Linux
compiled with gcc, run as root (SCHED_FIFO needs it) on one CPU
(`taskset -c 0 ./NAME`): the staged inversion of inversion.h, once with a
default mutex and once with PTHREAD_PRIO_INHERIT. On one hart the order of
events is fixed; on two, Linux gives no fixed order for when medium starts
(it was seen on either side of low's unlock), so the two-hart test checks the
one thing both systems guarantee there: with a second processor, high gets
the lock before medium's work is done, whatever the protocol.
"""

from pathlib import Path

import pytest
from golden import run_golden

HERE = Path(__file__).resolve().parents[1] / "programs" / "sched"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.c"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_one_hart_matches_linux(name):
    """On one hart the program prints exactly what it printed on Linux pinned to one CPU."""
    out, p, k = run_golden(HERE / f"{name}.c", harts=1)
    assert out == (HERE / f"{name}.expected").read_text()


@pytest.mark.parametrize("name", PROGRAMS)
def test_two_harts_no_inversion(name):
    """On two harts medium computes beside low: high has the lock before medium is done."""
    out, p, k = run_golden(HERE / f"{name}.c", harts=2)
    lines = out.splitlines()
    assert lines.index("high: has the lock") < lines.index("medium: done"), out
    assert lines.index("low: unlocks") < lines.index("high: has the lock"), out
    assert p.exit_status == 0


RTPRIO = r"""
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/rtprio.h>
#include <unistd.h>
static const char *name(int e) { return e == 0 ? "0" : e == EPERM ? "EPERM" : e == EINVAL ? "EINVAL"
                                      : e == ESRCH ? "ESRCH" : strerror(e); }
int main(void) {
    struct rtprio rtp;
    struct sched_param sp;
    int policy, r;
    rtprio_thread(RTP_LOOKUP, 0, &rtp);
    printf("start: type %d prio %d\n", rtp.type, rtp.prio);
    sp.sched_priority = 20;
    printf("setschedparam FIFO 20: %s\n", name(pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp)));
    pthread_getschedparam(pthread_self(), &policy, &sp);
    rtprio_thread(RTP_LOOKUP, 0, &rtp);
    printf("now: policy %s priority %d = rtprio type %d prio %d\n",
           policy == SCHED_FIFO ? "SCHED_FIFO" : "other", sp.sched_priority, rtp.type, rtp.prio);
    rtp.type = RTP_PRIO_REALTIME; rtp.prio = 32;
    errno = 0; r = rtprio_thread(RTP_SET, 0, &rtp);
    printf("prio 32: %d %s\n", r, name(errno));
    rtp.prio = 1;
    errno = 0; r = rtprio_thread(RTP_SET, 999, &rtp);
    printf("lwpid 999: %d %s\n", r, name(errno));
    errno = 0; r = rtprio_thread(RTP_SET, 0, (struct rtprio *)8);
    printf("bad pointer: %d %s\n", r, errno == EFAULT ? "EFAULT" : name(errno));
    setuid(1000);
    sp.sched_priority = 5;
    printf("as uid 1000, FIFO 5: %s\n", name(pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp)));
    sp.sched_priority = 0;
    printf("as uid 1000, SCHED_OTHER: %s\n", name(pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp)));
    return 0;
}
"""


def test_rtprio_thread_checks_its_arguments(tmp_path):
    """rtprio_thread sets and reports a priority; bad levels, threads and pointers fail; only root goes realtime."""
    src = tmp_path / "rtprio.c"
    src.write_text(RTPRIO)
    out, p, k = run_golden(src)
    assert out.splitlines() == [
        "start: type 3 prio 0",
        "setschedparam FIFO 20: 0",
        "now: policy SCHED_FIFO priority 20 = rtprio type 10 prio 11",
        "prio 32: -1 EINVAL",
        "lwpid 999: -1 ESRCH",
        "bad pointer: -1 EFAULT",
        "as uid 1000, FIFO 5: EPERM",
        "as uid 1000, SCHED_OTHER: 0",
    ]
