"""Checks for the exercises of chapter 5, Asynchrony (notebooks/05-asynchrony.ipynb).

As everywhere in the book (``checks.py``'s ``Verdict``), a check finds the truth by
running a real program on the reader's kernel, compares, and never raises on a
bad answer.

    5.1  check_changed_buffer(answer, k)   what the file holds when the buffer of a pending
                                           aio_write changed before the daemon ran
    5.2  check_request_uid(answer, k)      the uid a pending request runs as after setuid()
    5.3  check_second_return(answer, k)    what a second aio_return of one request gives
"""

from __future__ import annotations

from oskit.book.checks import Verdict, _as_int, _not_answered
from oskit.book.checks_kernel import _choice, run_program

CHANGED_BUFFER_PROGRAM = r"""
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    int fd = open("/tmp/fruit", O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char buf[] = "apple";
    struct aiocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd; cb.aio_buf = buf; cb.aio_nbytes = 5;
    aio_write(&cb);
    memcpy(buf, "melon", 5);                 /* at once, before anything else */
    const struct aiocb *list[1] = { &cb };
    while (aio_error(&cb) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
    aio_return(&cb);
    char got[6] = {0};
    lseek(fd, 0, SEEK_SET);
    read(fd, got, 5);
    printf("%s\n", got);
    return 0;
}
"""


def check_changed_buffer(answer, kernel) -> Verdict:
    """Exercise 5.1: "apple" or "melon": what a pending aio_write wrote after its buffer changed."""
    if answer is None:
        return _not_answered('set answer to "apple" or "melon"')
    choice, why = _choice(answer, {"apple": 1, "melon": 1}, "answer")
    if why:
        return Verdict(False, why)
    p, why = run_program(kernel, "fruit", CHANGED_BUFFER_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    truth = p.stdout.strip()
    jobs = [j for j in kernel.aio.history if j.proc is p]
    when = ""
    if jobs:
        ev = dict(jobs[0].events)
        when = (f"the request was submitted at tick {ev['submitted']:,} and its bytes were copied "
                f"at tick {ev['copy']:,}, after the program had changed the buffer")
    details = [d for d in [when, f"the file holds {truth!r}"] if d]
    if choice == truth:
        return Verdict(True, f"{truth!r}: the daemon reads the buffer when it runs, not at aio_write.", details)
    return Verdict(False, f"you said {choice!r}; the file holds {truth!r}", details + [
        "aio_write copies nothing: it queues a request that points at your buffer"])


SETUID_PROGRAM = r"""
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    int fd = open("/tmp/owned", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct aiocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd; cb.aio_buf = "x"; cb.aio_nbytes = 1;
    aio_write(&cb);
    setuid(1000);
    const struct aiocb *list[1] = { &cb };
    while (aio_error(&cb) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
    printf("%ld\n", (long)aio_return(&cb));
    return 0;
}
"""


def check_request_uid(answer, kernel) -> Verdict:
    """Exercise 5.2: a root program submits aio_write, then setuid(1000): as which euid does the write run?"""
    if answer is None:
        return _not_answered("set answer to a uid (an int)")
    value, why = _as_int(answer, "answer")
    if why:
        return Verdict(False, why)
    p, why = run_program(kernel, "owned", SETUID_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    jobs = [j for j in kernel.aio.history if j.proc is p]
    if not jobs:
        return Verdict(False, "the program submitted no request", [p.stdout])
    job = jobs[0]
    ran_as = job.cred.euid
    ev = dict(job.events)
    setuid = kernel.trace.syscalls(pid=p.pid, name="setuid")
    details = [f"aio_write at tick {ev['submitted']:,}; setuid(1000) returned at tick "
               f"{setuid[0].end:,}; the daemon copied at tick {ev['copy']:,}" if setuid else "",
               f"the request ran as euid {ran_as}: the credential it captured at submission"]
    details = [d for d in details if d]
    if value == ran_as:
        return Verdict(True, f"euid {ran_as}: a request keeps the credential it was submitted with.", details)
    return Verdict(False, f"you said {value}; the request ran as euid {ran_as}", details)


SECOND_RETURN_PROGRAM = r"""
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    int fd = open("/tmp/twice", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct aiocb cb;
    memset(&cb, 0, sizeof cb);
    cb.aio_fildes = fd; cb.aio_buf = "abc"; cb.aio_nbytes = 3;
    aio_write(&cb);
    const struct aiocb *list[1] = { &cb };
    while (aio_error(&cb) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
    long first = aio_return(&cb);
    errno = 0;
    long second = aio_return(&cb);
    printf("%ld %ld %d\n", first, second, errno);
    return 0;
}
"""
ERRNO_NAMES = {"einval": 22, "eagain": 35, "einprogress": 36, "ebadf": 9, "ecanceled": 85}


def check_second_return(answer, kernel) -> Verdict:
    """Exercise 5.3: the errno of a second aio_return on the same aiocb (a name such as "EBADF")."""
    if answer is None:
        return _not_answered('set answer to an errno name, e.g. "EBADF"')
    choice, why = _choice(answer, ERRNO_NAMES, "answer")
    if why:
        return Verdict(False, why)
    p, why = run_program(kernel, "twice", SECOND_RETURN_PROGRAM)
    if p is None:
        return Verdict(False, "the check could not run its program", [why])
    try:
        first, second, err = (int(x) for x in p.stdout.split())
    except ValueError:
        return Verdict(False, "the check's program printed something unexpected", [p.stdout])
    truth = next((n for n, v in ERRNO_NAMES.items() if v == err), str(err))
    details = [f"first aio_return: {first}; second: {second} with errno {truth.upper()}"]
    if choice == truth:
        return Verdict(True, f"{truth.upper()}: after the first aio_return the kernel has forgotten the request.",
                       details)
    return Verdict(False, f"you said {choice.upper()}; the second call failed with {truth.upper()}", details)
