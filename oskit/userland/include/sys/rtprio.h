/*
 * sys/rtprio.h: a thread's scheduling class and level (FreeBSD's rtprio_thread(2)).
 *
 * type is RTP_PRIO_REALTIME, RTP_PRIO_FIFO, RTP_PRIO_NORMAL or RTP_PRIO_IDLE;
 * prio runs 0 (most urgent) .. 31. Realtime and idle need root.
 * lwpid 0 means the calling thread. The kernel's side: kern/sys_rtprio.py.
 */
#ifndef _SYS_RTPRIO_H_
#define _SYS_RTPRIO_H_

#include <sys/types.h>

#define RTP_PRIO_REALTIME   2
#define RTP_PRIO_NORMAL     3
#define RTP_PRIO_IDLE       4
#define RTP_PRIO_FIFO_BIT   8
#define RTP_PRIO_FIFO       (RTP_PRIO_REALTIME | RTP_PRIO_FIFO_BIT)
#define RTP_PRIO_MIN        0
#define RTP_PRIO_MAX        31

#define RTP_LOOKUP          0
#define RTP_SET             1

struct rtprio {
    unsigned short type;
    unsigned short prio;
};

int rtprio_thread(int function, int lwpid, struct rtprio *rtp);

#endif /* !_SYS_RTPRIO_H_ */
