/*
 * labdev.c: the lab driver's kernel code, in C. It runs in supervisor mode,
 * loaded into the kernel half by labdev.py (Kernel.load_guest_code) and called
 * through lab_ioctl() for the requests LABIOC_PEEK and LABIOC_FLUSH.
 *
 * It has two classic driver bugs, on purpose (chapters 9 and 10):
 *   - LABIOC_PEEK dereferences the caller's pointer directly instead of
 *     copying it in: it works only while sstatus.SUM is set (weakness smap_off);
 *   - LABIOC_FLUSH calls sc->ops->flush, a method nobody filled in: a NULL
 *     function pointer. The CPU jumps to address 0 in supervisor mode.
 *
 * Position-independent on purpose: no globals, no strings, no jump tables,
 * so the bytes can be copied to any kernel address.
 */
#include <stdint.h>

struct lab_softc;

struct lab_ops {                        /* a driver's method table, as in FreeBSD's cdevsw */
    long (*peek)(struct lab_softc *sc, long uaddr);
    long (*flush)(struct lab_softc *sc, long arg);   /* never set: NULL */
};

struct lab_softc {                      /* the driver's state, in kernel memory (kmalloc) */
    struct lab_ops *ops;
    uint64_t requests;                  /* ioctls served */
};

#define LABIOC_PEEK  0x20004c01         /* _IO('L', 1) */
#define LABIOC_FLUSH 0x20004c02         /* _IO('L', 2) */

long lab_peek(struct lab_softc *sc, long uaddr)
{
    (void)sc;
    /* BUG: uaddr is a user address. A correct driver would copyin() it. */
    return *(volatile long *)uaddr;
}

long lab_ioctl(struct lab_softc *sc, long cmd, long arg)
{
    sc->requests++;
    if (cmd == LABIOC_PEEK)
        return sc->ops->peek(sc, arg);
    if (cmd == LABIOC_FLUSH)
        return sc->ops->flush(sc, arg); /* BUG: flush is NULL */
    return -1;
}
