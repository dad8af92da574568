/*
 * sys/ioctl.h: device control. A command word encodes its direction, the
 * size of its argument and a group letter (FreeBSD's encoding):
 *
 *   31..29 direction (IOC_OUT 0x40000000: the kernel writes the argument)
 *   28..16 argument size in bytes     15..8 group ('t' = tty)   7..0 number
 */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_

#define IOCPARM_MASK    0x1fff
#define IOC_VOID        0x20000000UL
#define IOC_OUT         0x40000000UL
#define IOC_IN          0x80000000UL
#define IOC_INOUT       (IOC_IN | IOC_OUT)
#define _IOC(inout, group, num, len) \
    ((unsigned long)((inout) | (((len) & IOCPARM_MASK) << 16) | ((group) << 8) | (num)))
#define _IO(g, n)       _IOC(IOC_VOID, (g), (n), 0)
#define _IOR(g, n, t)   _IOC(IOC_OUT, (g), (n), sizeof(t))
#define _IOW(g, n, t)   _IOC(IOC_IN, (g), (n), sizeof(t))
#define _IOWR(g, n, t)  _IOC(IOC_INOUT, (g), (n), sizeof(t))

#define TIOCGETA        0x402c7413UL    /* _IOR('t', 19, struct termios): get the tty's settings */
#define TIOCSETA        0x802c7414UL    /* _IOW('t', 20, struct termios) */

int ioctl(int fd, unsigned long request, ...);

#endif /* !_SYS_IOCTL_H_ */
