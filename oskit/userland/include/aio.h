/*
 * aio.h: POSIX asynchronous I/O, as on FreeBSD (sys/aio.h; the kernel side is
 * oskit/kernel/kern/vfs_aio.py, which declares the same layout as AIOCB).
 *
 * aio_read(cb) and aio_write(cb) queue a request and return 0 at once; an
 * aiod kernel process does the transfer later, reading or filling cb->aio_buf
 * *when it runs*: the buffer must stay valid (and unchanged, for a write)
 * until aio_error(cb) stops saying EINPROGRESS. aio_return(cb) then gives the
 * result, exactly once. Every call here is a system call (libc/syscalls.S).
 *
 *     offset  field
 *       0     aio_fildes
 *       8     aio_offset           where in a regular file (a pipe ignores it)
 *      16     aio_buf
 *      24     aio_nbytes
 *      48     aio_lio_opcode       for lio_listio: LIO_READ, LIO_WRITE, LIO_NOP
 *      56     _aiocb_private       the kernel's: status, error, job number
 *      80     aio_sigevent         SIGEV_SIGNAL: sigev_signo is posted at completion
 *     160     (size)
 */
#ifndef _AIO_H_
#define _AIO_H_

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define AIO_CANCELED    0x1     /* aio_cancel: every request named was cancelled */
#define AIO_NOTCANCELED 0x2     /* ... at least one is under way and will finish */
#define AIO_ALLDONE     0x3     /* ... they had all finished already */

#define LIO_NOP         0x0
#define LIO_WRITE       0x1
#define LIO_READ        0x2
#define LIO_NOWAIT      0x0
#define LIO_WAIT        0x1
#define AIO_LISTIO_MAX  16

#ifndef _SIGEVENT_DECLARED
#define _SIGEVENT_DECLARED
#define SIGEV_NONE      0       /* no notification */
#define SIGEV_SIGNAL    1       /* post sigev_signo to the process */
struct sigevent {               /* 80 bytes */
    int          sigev_notify;
    int          sigev_signo;
    union sigval sigev_value;
    long         __sigev_spare[8];
};
#endif

struct __aiocb_private {
    long    status;
    long    error;
    void   *kernelinfo;
};

typedef struct aiocb {
    int              aio_fildes;        /* the descriptor */
    off_t            aio_offset;        /* where in the file */
    volatile void   *aio_buf;           /* the buffer, read or filled when the request runs */
    size_t           aio_nbytes;        /* how many bytes */
    int              __spare__[2];
    void            *__spare2__;
    int              aio_lio_opcode;    /* lio_listio's LIO_* */
    int              aio_reqprio;       /* ignored */
    struct __aiocb_private _aiocb_private;
    struct sigevent  aio_sigevent;      /* how to tell of completion */
} aiocb_t;

int     aio_read(struct aiocb *aiocbp);
int     aio_write(struct aiocb *aiocbp);
int     aio_error(const struct aiocb *aiocbp);
ssize_t aio_return(struct aiocb *aiocbp);
int     aio_cancel(int fd, struct aiocb *aiocbp);
int     aio_suspend(const struct aiocb *const list[], int nent, const struct timespec *timeout);
int     lio_listio(int mode, struct aiocb *const list[], int nent, struct sigevent *sig);

#endif
