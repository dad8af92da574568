/*
 * sys/umtx.h: _umtx_op, sleeping on a word of memory (FreeBSD's futex).
 * See oskit/kernel/kern/umtx.py for what each op does.
 */
#ifndef _SYS_UMTX_H_
#define _SYS_UMTX_H_

#include <stdint.h>
#include <time.h>

#define UMTX_OP_WAIT                2   /* sleep while the long at obj == val */
#define UMTX_OP_WAKE                3   /* wake up to val sleepers on obj */
#define UMTX_OP_MUTEX_TRYLOCK       4   /* take the struct umutex at obj, or EBUSY */
#define UMTX_OP_MUTEX_LOCK          5   /* take it, sleeping while it is held */
#define UMTX_OP_MUTEX_UNLOCK        6   /* give it up, waking the most urgent waiter */
#define UMTX_OP_WAIT_UINT           11  /* sleep while the unsigned int at obj == val */
#define UMTX_OP_WAIT_UINT_PRIVATE   15
#define UMTX_OP_WAKE_PRIVATE        16

#define UMUTEX_CONTESTED            0x80000000u /* m_owner: a thread waits; unlock through the kernel */
#define UMUTEX_PRIO_INHERIT         0x0004      /* m_flags: the owner inherits its waiters' priority */

#define UMTX_ABSTIME                0x01 /* _umtx_time: _timeout is an absolute time */

/* A timeout: pass its size as uaddr and its address as uaddr2
 * (or uaddr = NULL and uaddr2 = a struct timespec *: a relative time). */
struct _umtx_time {
    struct timespec _timeout;
    uint32_t        _flags;
    uint32_t        _clockid;
};

int     _umtx_op(void *obj, int op, unsigned long val, void *uaddr, void *uaddr2);

#endif /* !_SYS_UMTX_H_ */
