/*
 * sched.h: give up the processor; scheduling policies and priorities.
 *
 * FreeBSD's numbers. sched_priority: bigger is more urgent (POSIX), 0..31 for
 * SCHED_FIFO and SCHED_RR; SCHED_OTHER threads have one level (0). libc turns
 * them into rtprio_thread(2) calls (<sys/rtprio.h>): rtprio = 31 - sched_priority.
 */
#ifndef _SCHED_H_
#define _SCHED_H_

#define SCHED_FIFO  1
#define SCHED_OTHER 2
#define SCHED_RR    3

struct sched_param {
    int sched_priority;
};

int sched_yield(void);          /* the caller goes to the back of its priority's queue */
int sched_get_priority_min(int policy);
int sched_get_priority_max(int policy);

#endif /* !_SCHED_H_ */
