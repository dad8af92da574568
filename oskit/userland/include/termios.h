/* termios.h: terminal settings (FreeBSD's 44-byte struct termios). */
#ifndef _TERMIOS_H_
#define _TERMIOS_H_

#include <sys/ioctl.h>

typedef unsigned int    tcflag_t;
typedef unsigned char   cc_t;
typedef unsigned int    speed_t;
#define NCCS            20

struct termios {
    tcflag_t c_iflag;           /*  0: input flags */
    tcflag_t c_oflag;           /*  4: output flags */
    tcflag_t c_cflag;           /*  8: control flags */
    tcflag_t c_lflag;           /* 12: local flags (ECHO, ICANON, ...) */
    cc_t     c_cc[NCCS];        /* 16: control characters */
    speed_t  c_ispeed;          /* 36 */
    speed_t  c_ospeed;          /* 40 */
};

#define ECHO            0x00000008
#define ICANON          0x00000100
#define ISIG            0x00000080

int tcgetattr(int fd, struct termios *t);

#endif /* !_TERMIOS_H_ */
