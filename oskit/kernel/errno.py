"""Error numbers, as FreeBSD defines them (sys/sys/errno.h).

A system call that fails returns one of these to user space: the kernel puts
the number in a0 and sets t0 = 1 (see ``machdep.py``); the libc stub stores it
in the calling thread's ``errno`` and returns -1.

Two values never reach user space: they are instructions from a handler to
the system-call path.

- ``ERESTART`` (-1): back sepc up to the ``ecall`` so the call runs again
  (a restarted call after a signal handler under SA_RESTART).
- ``EJUSTRETURN`` (-2): leave the trap frame exactly as the handler left it
  (sigreturn and a successful execve rewrite every register).

Usage: ``from oskit.kernel import errno; raise SyscallError(errno.EBADF)``.
"""

from enum import IntEnum


class Errno(IntEnum):
    """FreeBSD errno values (the numbers differ from Linux: EAGAIN is 35 here, 11 there)."""

    EPERM = 1            # Operation not permitted
    ENOENT = 2           # No such file or directory
    ESRCH = 3            # No such process
    EINTR = 4            # Interrupted system call
    EIO = 5              # Input/output error
    ENXIO = 6            # Device not configured
    E2BIG = 7            # Argument list too long
    ENOEXEC = 8          # Exec format error
    EBADF = 9            # Bad file descriptor
    ECHILD = 10          # No child processes
    EDEADLK = 11         # Resource deadlock avoided
    ENOMEM = 12          # Cannot allocate memory
    EACCES = 13          # Permission denied
    EFAULT = 14          # Bad address
    ENOTBLK = 15         # Block device required
    EBUSY = 16           # Device busy
    EEXIST = 17          # File exists
    EXDEV = 18           # Cross-device link
    ENODEV = 19          # Operation not supported by device
    ENOTDIR = 20         # Not a directory
    EISDIR = 21          # Is a directory
    EINVAL = 22          # Invalid argument
    ENFILE = 23          # Too many open files in system
    EMFILE = 24          # Too many open files
    ENOTTY = 25          # Inappropriate ioctl for device
    ETXTBSY = 26         # Text file busy
    EFBIG = 27           # File too large
    ENOSPC = 28          # No space left on device
    ESPIPE = 29          # Illegal seek
    EROFS = 30           # Read-only file system
    EMLINK = 31          # Too many links
    EPIPE = 32           # Broken pipe
    EDOM = 33            # Numerical argument out of domain
    ERANGE = 34          # Result too large
    EAGAIN = 35          # Resource temporarily unavailable (also EWOULDBLOCK)
    EINPROGRESS = 36     # Operation now in progress
    EALREADY = 37        # Operation already in progress
    ENOTSOCK = 38        # Socket operation on non-socket
    EDESTADDRREQ = 39    # Destination address required
    EMSGSIZE = 40        # Message too long
    EPROTOTYPE = 41      # Protocol wrong type for socket
    ENOPROTOOPT = 42     # Protocol not available
    EPROTONOSUPPORT = 43  # Protocol not supported
    ESOCKTNOSUPPORT = 44  # Socket type not supported
    EOPNOTSUPP = 45      # Operation not supported (also ENOTSUP)
    EPFNOSUPPORT = 46    # Protocol family not supported
    EAFNOSUPPORT = 47    # Address family not supported by protocol family
    EADDRINUSE = 48      # Address already in use
    EADDRNOTAVAIL = 49   # Can't assign requested address
    ENETDOWN = 50        # Network is down
    ENETUNREACH = 51     # Network is unreachable
    ENETRESET = 52       # Network dropped connection on reset
    ECONNABORTED = 53    # Software caused connection abort
    ECONNRESET = 54      # Connection reset by peer
    ENOBUFS = 55         # No buffer space available
    EISCONN = 56         # Socket is already connected
    ENOTCONN = 57        # Socket is not connected
    ESHUTDOWN = 58       # Can't send after socket shutdown
    ETOOMANYREFS = 59    # Too many references: can't splice
    ETIMEDOUT = 60       # Operation timed out
    ECONNREFUSED = 61    # Connection refused
    ELOOP = 62           # Too many levels of symbolic links
    ENAMETOOLONG = 63    # File name too long
    EHOSTDOWN = 64       # Host is down
    EHOSTUNREACH = 65    # No route to host
    ENOTEMPTY = 66       # Directory not empty
    EPROCLIM = 67        # Too many processes
    EUSERS = 68          # Too many users
    EDQUOT = 69          # Disc quota exceeded
    ESTALE = 70          # Stale NFS file handle
    EREMOTE = 71         # Too many levels of remote in path
    EBADRPC = 72         # RPC struct is bad
    ERPCMISMATCH = 73    # RPC version wrong
    EPROGUNAVAIL = 74    # RPC prog. not avail
    EPROGMISMATCH = 75   # Program version wrong
    EPROCUNAVAIL = 76    # Bad procedure for program
    ENOLCK = 77          # No locks available
    ENOSYS = 78          # Function not implemented
    EFTYPE = 79          # Inappropriate file type or format
    EAUTH = 80           # Authentication error
    ENEEDAUTH = 81       # Need authenticator
    EIDRM = 82           # Identifier removed
    ENOMSG = 83          # No message of desired type
    EOVERFLOW = 84       # Value too large to be stored in data type
    ECANCELED = 85       # Operation canceled
    EILSEQ = 86          # Illegal byte sequence
    ENOATTR = 87         # Attribute not found
    EDOOFUS = 88         # Programming error
    EBADMSG = 89         # Bad message
    EMULTIHOP = 90       # Multihop attempted
    ENOLINK = 91         # Link has been severed
    EPROTO = 92          # Protocol error
    ENOTCAPABLE = 93     # Capabilities insufficient
    ECAPMODE = 94        # Not permitted in capability mode
    ENOTRECOVERABLE = 95  # State not recoverable
    EOWNERDEAD = 96      # Previous owner died
    EINTEGRITY = 97      # Integrity check failed

    # Kernel-internal: never returned to user space.
    ERESTART = -1        # restart the system call (sepc backed up to the ecall)
    EJUSTRETURN = -2     # don't modify the trap frame on the way back


EWOULDBLOCK = Errno.EAGAIN
ENOTSUP = Errno.EOPNOTSUPP

# Every name as a module constant: errno.EBADF, errno.ERESTART, ...
globals().update({e.name: e for e in Errno})

_MESSAGES = {
    Errno.EPERM: "Operation not permitted", Errno.ENOENT: "No such file or directory",
    Errno.ESRCH: "No such process", Errno.EINTR: "Interrupted system call",
    Errno.EIO: "Input/output error", Errno.ENXIO: "Device not configured",
    Errno.E2BIG: "Argument list too long", Errno.ENOEXEC: "Exec format error",
    Errno.EBADF: "Bad file descriptor", Errno.ECHILD: "No child processes",
    Errno.EDEADLK: "Resource deadlock avoided", Errno.ENOMEM: "Cannot allocate memory",
    Errno.EACCES: "Permission denied", Errno.EFAULT: "Bad address",
    Errno.EBUSY: "Device busy", Errno.EEXIST: "File exists",
    Errno.EXDEV: "Cross-device link", Errno.ENODEV: "Operation not supported by device",
    Errno.ENOTDIR: "Not a directory", Errno.EISDIR: "Is a directory",
    Errno.EINVAL: "Invalid argument", Errno.ENFILE: "Too many open files in system",
    Errno.EMFILE: "Too many open files", Errno.ENOTTY: "Inappropriate ioctl for device",
    Errno.ETXTBSY: "Text file busy", Errno.EFBIG: "File too large",
    Errno.ENOSPC: "No space left on device", Errno.ESPIPE: "Illegal seek",
    Errno.EROFS: "Read-only file system", Errno.EMLINK: "Too many links",
    Errno.EPIPE: "Broken pipe", Errno.EDOM: "Numerical argument out of domain",
    Errno.ERANGE: "Result too large", Errno.EAGAIN: "Resource temporarily unavailable",
    Errno.ELOOP: "Too many levels of symbolic links", Errno.ENAMETOOLONG: "File name too long",
    Errno.ENOTEMPTY: "Directory not empty", Errno.ETIMEDOUT: "Operation timed out",
    Errno.ENOSYS: "Function not implemented", Errno.EOVERFLOW: "Value too large to be stored in data type",
    Errno.EOPNOTSUPP: "Operation not supported",
    Errno.ERESTART: "(kernel) restart system call", Errno.EJUSTRETURN: "(kernel) just return",
}


def strerror(value: int) -> str:
    """The message for an errno value, as FreeBSD's strerror(3) words it."""
    try:
        e = Errno(value)
    except ValueError:
        return f"Unknown error: {value}"
    return _MESSAGES.get(e, e.name)


def errno_name(value: int) -> str:
    """'EBADF' for 9; 'E?123' for a number that is not an errno."""
    try:
        return Errno(value).name
    except ValueError:
        return f"E?{value}"
