/* sched.h: give up the processor. */
#ifndef _SCHED_H_
#define _SCHED_H_
int sched_yield(void);          /* the caller goes to the back of the run queue */
#endif /* !_SCHED_H_ */
