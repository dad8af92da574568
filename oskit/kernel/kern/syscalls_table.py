# DO NOT EDIT: generated from syscalls.master by makesyscalls.py
"""The system-call table the kernel dispatches on (generated; see makesyscalls.py).

``SYSCALLS[number]`` is a :class:`SyscallInfo`: the call's name (the kernel's
handler is ``sys_<name>``), its audit event, its arguments with their C types
and how to decode each register, and its return type. ``BY_NAME[name]`` is the
same object. Numbers not in ``SYSCALLS`` are unimplemented here: ENOSYS.

Tracing: ``info.decode_args(regs)`` turns the raw a0..a7 values into Python
ints (sign-extending 32-bit ints, so an fd of -1 shows as -1);
``info.format_call(args, fetch_string)`` renders ``open("/tmp/x", O_WRONLY|O_CREAT, 0644)``
(``fetch_string(addr)`` is the tracer's copyinstr: it returns the string, or
None when the address is bad); ``info.format_return(value)`` renders the result.
"""

from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class ArgInfo:
    """One argument of a call: its name and C type, and how its register is decoded."""

    name: str
    ctype: str          # as in syscalls.master: "int", "const char *", "struct stat *"
    signed: bool        # decode: sign- or zero-extend ...
    bits: int           # ... from this many low bits of the register
    style: str = ""     # "": a number; else a key of FLAGS or ENUMS (how the tracer names it)

    @property
    def is_pointer(self) -> bool:
        return self.ctype.endswith("*")

    @property
    def is_string(self) -> bool:
        return self.ctype == "const char *"

    def decode(self, raw: int) -> int:
        """The argument's value from the 64-bit register contents."""
        value = raw & ((1 << self.bits) - 1)
        if self.signed and value >> (self.bits - 1):
            value -= 1 << self.bits
        return value

    def format(self, value: int, fetch_string: Optional[Callable[[int], Optional[str]]] = None) -> str:
        """One argument as a trace line shows it."""
        if self.is_string and fetch_string is not None and value != 0:
            text = fetch_string(value)
            if text is not None:
                return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
        if self.is_pointer:
            return "NULL" if value == 0 else f"{value:#x}"
        if self.ctype == "mode_t":
            return f"0{value:o}" if value else "0"
        if self.style == "oflags":
            access = ENUMS["accmode"].get(value & 3, str(value & 3))
            rest = value & ~3
            return access if rest == 0 else access + "|" + format_flags(rest, FLAGS["oflags"])
        if self.style in ENUMS:
            return ENUMS[self.style].get(value, str(value))
        if self.style in FLAGS:
            return format_flags(value, FLAGS[self.style])
        if self.name in ("flags", "flag", "com"):     # bit masks and ioctl commands read best in hex
            return f"{value:#x}"
        return str(value)


def format_flags(value: int, names) -> str:
    """A bit set as NAME|NAME, with bits that have no name in hex; 0 as the zero-valued name or 0."""
    if value == 0:
        return next((n for n, v in names if v == 0), "0")
    parts = []
    for name, bit in names:
        if bit and value & bit == bit:
            parts.append(name)
            value &= ~bit
    if value:
        parts.append(f"{value:#x}")
    return "|".join(parts)


@dataclass(frozen=True)
class SyscallInfo:
    """One system call: a row of syscalls.master."""

    number: int
    name: str
    audit: str
    ret: str
    args: tuple

    @property
    def handler_name(self) -> str:
        return "sys_" + self.name

    def decode_args(self, regs) -> tuple:
        """Decode a0.. (an iterable of raw 64-bit values) into this call's arguments."""
        regs = list(regs)
        return tuple(arg.decode(regs[i]) for i, arg in enumerate(self.args))

    def format_call(self, args, fetch_string: Optional[Callable[[int], Optional[str]]] = None) -> str:
        """``name(arg, ...)`` with decoded argument values."""
        pairs = list(zip(self.args, args))
        if len(pairs) >= 2 and pairs[-1][0].ctype == "mode_t" and pairs[-2][0].style == "oflags"                 and not pairs[-2][1] & dict(FLAGS["oflags"])["O_CREAT"]:
            pairs.pop()     # open's mode is a variadic argument, read only with O_CREAT: kdump hides it too
        shown = ", ".join(arg.format(v, fetch_string) for arg, v in pairs)
        return f"{self.name}({shown})"

    def format_return(self, value: int) -> str:
        """The successful result as a trace line shows it (pointers in hex)."""
        if self.ret.endswith("*"):
            return f"{value & (2**64 - 1):#x}"
        return str(value)


def _a(name, ctype, signed, bits, style=""):
    return ArgInfo(name, ctype, signed, bits, style)



# Named constants for the tracer, read from the C headers (see STYLES in makesyscalls.py).
FLAGS = {
    'oflags': (('O_NONBLOCK', 0x4), ('O_APPEND', 0x8), ('O_SHLOCK', 0x10), ('O_EXLOCK', 0x20),
        ('O_ASYNC', 0x40), ('O_FSYNC', 0x80), ('O_NOFOLLOW', 0x100), ('O_CREAT', 0x200),
        ('O_TRUNC', 0x400), ('O_EXCL', 0x800), ('O_NOCTTY', 0x8000), ('O_DIRECT', 0x10000),
        ('O_DIRECTORY', 0x20000), ('O_EXEC', 0x40000), ('O_TTY_INIT', 0x80000),
        ('O_CLOEXEC', 0x100000), ('O_VERIFY', 0x200000), ('O_PATH', 0x400000),
        ('O_RESOLVE_BENEATH', 0x800000), ('O_DSYNC', 0x1000000), ('O_EMPTY_PATH', 0x2000000),),
    'atflags': (('AT_EACCESS', 0x100), ('AT_SYMLINK_NOFOLLOW', 0x200), ('AT_SYMLINK_FOLLOW', 0x400),
        ('AT_REMOVEDIR', 0x800),),
    'pipeflags': (('O_NONBLOCK', 0x4), ('O_CLOEXEC', 0x100000),),
    'prot': (('PROT_NONE', 0x0), ('PROT_READ', 0x1), ('PROT_WRITE', 0x2), ('PROT_EXEC', 0x4),),
    'mapflags': (('MAP_SHARED', 0x1), ('MAP_PRIVATE', 0x2), ('MAP_FIXED', 0x10),
        ('MAP_STACK', 0x400), ('MAP_NOSYNC', 0x800), ('MAP_FILE', 0x0), ('MAP_ANON', 0x1000),
        ('MAP_GUARD', 0x2000), ('MAP_EXCL', 0x4000), ('MAP_NOCORE', 0x20000),
        ('MAP_PREFAULT_READ', 0x40000),),
    'msflags': (('MS_SYNC', 0x0), ('MS_ASYNC', 0x1), ('MS_INVALIDATE', 0x2),),
    'waitopts': (('WNOHANG', 0x1), ('WUNTRACED', 0x2), ('WCONTINUED', 0x4), ('WNOWAIT', 0x8),
        ('WEXITED', 0x10), ('WTRAPPED', 0x20),),
    'amode': (('F_OK', 0x0), ('X_OK', 0x1), ('W_OK', 0x2), ('R_OK', 0x4),),
}
ENUMS = {
    'accmode': {0: 'O_RDONLY', 1: 'O_WRONLY', 2: 'O_RDWR',},
    'atfd': {-100: 'AT_FDCWD',},
    'fcntlcmd': {0: 'F_DUPFD', 1: 'F_GETFD', 2: 'F_SETFD', 3: 'F_GETFL', 4: 'F_SETFL',
        5: 'F_GETOWN', 6: 'F_SETOWN', 11: 'F_GETLK', 12: 'F_SETLK', 13: 'F_SETLKW',
        17: 'F_DUPFD_CLOEXEC',},
    'madv': {0: 'MADV_NORMAL', 1: 'MADV_RANDOM', 2: 'MADV_SEQUENTIAL', 3: 'MADV_WILLNEED',
        4: 'MADV_DONTNEED', 5: 'MADV_FREE', 6: 'MADV_NOSYNC', 7: 'MADV_AUTOSYNC', 8: 'MADV_NOCORE',
        9: 'MADV_CORE', 10: 'MADV_PROTECT',},
    'signal': {1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT',
        7: 'SIGEMT', 8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGBUS', 11: 'SIGSEGV', 12: 'SIGSYS',
        13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGURG', 17: 'SIGSTOP', 18: 'SIGTSTP',
        19: 'SIGCONT', 20: 'SIGCHLD', 21: 'SIGTTIN', 22: 'SIGTTOU', 23: 'SIGIO', 24: 'SIGXCPU',
        25: 'SIGXFSZ', 26: 'SIGVTALRM', 27: 'SIGPROF', 28: 'SIGWINCH', 29: 'SIGINFO', 30: 'SIGUSR1',
        31: 'SIGUSR2', 32: 'SIGTHR',},
    'sighow': {1: 'SIG_BLOCK', 2: 'SIG_UNBLOCK', 3: 'SIG_SETMASK',},
    'whence': {0: 'SEEK_SET', 1: 'SEEK_CUR', 2: 'SEEK_END',},
    'clock': {0: 'CLOCK_REALTIME', 1: 'CLOCK_VIRTUAL', 2: 'CLOCK_PROF', 4: 'CLOCK_MONOTONIC',
        5: 'CLOCK_UPTIME', 7: 'CLOCK_UPTIME_PRECISE', 8: 'CLOCK_UPTIME_FAST',
        9: 'CLOCK_REALTIME_PRECISE', 10: 'CLOCK_REALTIME_FAST', 11: 'CLOCK_MONOTONIC_PRECISE',
        12: 'CLOCK_MONOTONIC_FAST', 13: 'CLOCK_SECOND', 14: 'CLOCK_THREAD_CPUTIME_ID',
        15: 'CLOCK_PROCESS_CPUTIME_ID',},
    'rusage': {0: 'RUSAGE_SELF', -1: 'RUSAGE_CHILDREN', 1: 'RUSAGE_THREAD',},
    'rlimit': {0: 'RLIMIT_CPU', 1: 'RLIMIT_FSIZE', 2: 'RLIMIT_DATA', 3: 'RLIMIT_STACK',
        4: 'RLIMIT_CORE', 5: 'RLIMIT_RSS', 6: 'RLIMIT_MEMLOCK', 7: 'RLIMIT_NPROC',
        8: 'RLIMIT_NOFILE', 9: 'RLIMIT_SBSIZE', 10: 'RLIMIT_VMEM', 11: 'RLIMIT_NPTS',
        12: 'RLIMIT_SWAP', 13: 'RLIMIT_KQUEUES', 14: 'RLIMIT_UMTXP',},
    'ioctl': {0x402c7413: 'TIOCGETA', 0x802c7414: 'TIOCSETA',},
    'umtxop': {2: 'UMTX_OP_WAIT', 3: 'UMTX_OP_WAKE', 4: 'UMTX_OP_MUTEX_TRYLOCK',
        5: 'UMTX_OP_MUTEX_LOCK', 6: 'UMTX_OP_MUTEX_UNLOCK', 11: 'UMTX_OP_WAIT_UINT',
        15: 'UMTX_OP_WAIT_UINT_PRIVATE', 16: 'UMTX_OP_WAKE_PRIVATE',},
    'rtpfunc': {0: 'RTP_LOOKUP', 1: 'RTP_SET',},
}

SYSCALLS = {
    1: SyscallInfo(1, 'exit', 'AUE_EXIT', 'void', (_a('rval', 'int', True, 32),)),  # 1 = exit
    2: SyscallInfo(2, 'fork', 'AUE_FORK', 'int', ()),  # 2 = fork
    3: SyscallInfo(3, 'read', 'AUE_READ', 'ssize_t', (_a('fd', 'int', True, 32), _a('buf', 'void *', False, 64), _a('nbyte', 'size_t', False, 64),)),  # 3 = read
    4: SyscallInfo(4, 'write', 'AUE_WRITE', 'ssize_t', (_a('fd', 'int', True, 32), _a('buf', 'const void *', False, 64), _a('nbyte', 'size_t', False, 64),)),  # 4 = write
    5: SyscallInfo(5, 'open', 'AUE_OPEN_RWTC', 'int', (_a('path', 'const char *', False, 64), _a('flags', 'int', True, 32, 'oflags'), _a('mode', 'mode_t', False, 16),)),  # 5 = open
    6: SyscallInfo(6, 'close', 'AUE_CLOSE', 'int', (_a('fd', 'int', True, 32),)),  # 6 = close
    7: SyscallInfo(7, 'wait4', 'AUE_WAIT4', 'int', (_a('pid', 'int', True, 32), _a('status', 'int *', False, 64), _a('options', 'int', True, 32, 'waitopts'), _a('rusage', 'struct rusage *', False, 64),)),  # 7 = wait4
    9: SyscallInfo(9, 'link', 'AUE_LINK', 'int', (_a('path', 'const char *', False, 64), _a('link', 'const char *', False, 64),)),  # 9 = link
    10: SyscallInfo(10, 'unlink', 'AUE_UNLINK', 'int', (_a('path', 'const char *', False, 64),)),  # 10 = unlink
    12: SyscallInfo(12, 'chdir', 'AUE_CHDIR', 'int', (_a('path', 'const char *', False, 64),)),  # 12 = chdir
    13: SyscallInfo(13, 'fchdir', 'AUE_FCHDIR', 'int', (_a('fd', 'int', True, 32),)),  # 13 = fchdir
    15: SyscallInfo(15, 'chmod', 'AUE_CHMOD', 'int', (_a('path', 'const char *', False, 64), _a('mode', 'mode_t', False, 16),)),  # 15 = chmod
    16: SyscallInfo(16, 'chown', 'AUE_CHOWN', 'int', (_a('path', 'const char *', False, 64), _a('uid', 'int', True, 32), _a('gid', 'int', True, 32),)),  # 16 = chown
    17: SyscallInfo(17, 'break', 'AUE_NULL', 'void *', (_a('nsize', 'char *', False, 64),)),  # 17 = break
    20: SyscallInfo(20, 'getpid', 'AUE_GETPID', 'pid_t', ()),  # 20 = getpid
    23: SyscallInfo(23, 'setuid', 'AUE_SETUID', 'int', (_a('uid', 'uid_t', False, 32),)),  # 23 = setuid
    24: SyscallInfo(24, 'getuid', 'AUE_GETUID', 'uid_t', ()),  # 24 = getuid
    25: SyscallInfo(25, 'geteuid', 'AUE_GETEUID', 'uid_t', ()),  # 25 = geteuid
    33: SyscallInfo(33, 'access', 'AUE_ACCESS', 'int', (_a('path', 'const char *', False, 64), _a('amode', 'int', True, 32, 'amode'),)),  # 33 = access
    37: SyscallInfo(37, 'kill', 'AUE_KILL', 'int', (_a('pid', 'int', True, 32), _a('signum', 'int', True, 32, 'signal'),)),  # 37 = kill
    39: SyscallInfo(39, 'getppid', 'AUE_GETPPID', 'pid_t', ()),  # 39 = getppid
    41: SyscallInfo(41, 'dup', 'AUE_DUP', 'int', (_a('fd', 'u_int', False, 32),)),  # 41 = dup
    43: SyscallInfo(43, 'getegid', 'AUE_GETEGID', 'gid_t', ()),  # 43 = getegid
    47: SyscallInfo(47, 'getgid', 'AUE_GETGID', 'gid_t', ()),  # 47 = getgid
    54: SyscallInfo(54, 'ioctl', 'AUE_IOCTL', 'int', (_a('fd', 'int', True, 32), _a('com', 'u_long', False, 64, 'ioctl'), _a('data', 'char *', False, 64),)),  # 54 = ioctl
    59: SyscallInfo(59, 'execve', 'AUE_EXECVE', 'int', (_a('fname', 'const char *', False, 64), _a('argv', 'char **', False, 64), _a('envv', 'char **', False, 64),)),  # 59 = execve
    60: SyscallInfo(60, 'umask', 'AUE_UMASK', 'mode_t', (_a('newmask', 'mode_t', False, 16),)),  # 60 = umask
    65: SyscallInfo(65, 'msync', 'AUE_MSYNC', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('flags', 'int', True, 32, 'msflags'),)),  # 65 = msync
    73: SyscallInfo(73, 'munmap', 'AUE_MUNMAP', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64),)),  # 73 = munmap
    74: SyscallInfo(74, 'mprotect', 'AUE_MPROTECT', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('prot', 'int', True, 32, 'prot'),)),  # 74 = mprotect
    75: SyscallInfo(75, 'madvise', 'AUE_MADVISE', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('behav', 'int', True, 32, 'madv'),)),  # 75 = madvise
    78: SyscallInfo(78, 'mincore', 'AUE_MINCORE', 'int', (_a('addr', 'const void *', False, 64), _a('len', 'size_t', False, 64), _a('vec', 'char *', False, 64),)),  # 78 = mincore
    79: SyscallInfo(79, 'getgroups', 'AUE_GETGROUPS', 'int', (_a('gidsetsize', 'int', True, 32), _a('gidset', 'gid_t *', False, 64),)),  # 79 = getgroups
    80: SyscallInfo(80, 'setgroups', 'AUE_SETGROUPS', 'int', (_a('gidsetsize', 'int', True, 32), _a('gidset', 'const gid_t *', False, 64),)),  # 80 = setgroups
    83: SyscallInfo(83, 'setitimer', 'AUE_SETITIMER', 'int', (_a('which', 'int', True, 32), _a('itv', 'const struct itimerval *', False, 64), _a('oitv', 'struct itimerval *', False, 64),)),  # 83 = setitimer
    86: SyscallInfo(86, 'getitimer', 'AUE_GETITIMER', 'int', (_a('which', 'int', True, 32), _a('itv', 'struct itimerval *', False, 64),)),  # 86 = getitimer
    90: SyscallInfo(90, 'dup2', 'AUE_DUP2', 'int', (_a('from', 'u_int', False, 32), _a('to', 'u_int', False, 32),)),  # 90 = dup2
    92: SyscallInfo(92, 'fcntl', 'AUE_FCNTL', 'int', (_a('fd', 'int', True, 32), _a('cmd', 'int', True, 32, 'fcntlcmd'), _a('arg', 'long', True, 64),)),  # 92 = fcntl
    116: SyscallInfo(116, 'gettimeofday', 'AUE_GETTIMEOFDAY', 'int', (_a('tp', 'struct timeval *', False, 64), _a('tzp', 'struct timezone *', False, 64),)),  # 116 = gettimeofday
    117: SyscallInfo(117, 'getrusage', 'AUE_GETRUSAGE', 'int', (_a('who', 'int', True, 32, 'rusage'), _a('rusage', 'struct rusage *', False, 64),)),  # 117 = getrusage
    122: SyscallInfo(122, 'settimeofday', 'AUE_SETTIMEOFDAY', 'int', (_a('tv', 'const struct timeval *', False, 64), _a('tzp', 'const struct timezone *', False, 64),)),  # 122 = settimeofday
    128: SyscallInfo(128, 'rename', 'AUE_RENAME', 'int', (_a('from', 'const char *', False, 64), _a('to', 'const char *', False, 64),)),  # 128 = rename
    136: SyscallInfo(136, 'mkdir', 'AUE_MKDIR', 'int', (_a('path', 'const char *', False, 64), _a('mode', 'mode_t', False, 16),)),  # 136 = mkdir
    137: SyscallInfo(137, 'rmdir', 'AUE_RMDIR', 'int', (_a('path', 'const char *', False, 64),)),  # 137 = rmdir
    181: SyscallInfo(181, 'setgid', 'AUE_SETGID', 'int', (_a('gid', 'gid_t', False, 32),)),  # 181 = setgid
    182: SyscallInfo(182, 'setegid', 'AUE_SETEGID', 'int', (_a('egid', 'gid_t', False, 32),)),  # 182 = setegid
    183: SyscallInfo(183, 'seteuid', 'AUE_SETEUID', 'int', (_a('euid', 'uid_t', False, 32),)),  # 183 = seteuid
    194: SyscallInfo(194, 'getrlimit', 'AUE_GETRLIMIT', 'int', (_a('which', 'u_int', False, 32, 'rlimit'), _a('rlp', 'struct rlimit *', False, 64),)),  # 194 = getrlimit
    195: SyscallInfo(195, 'setrlimit', 'AUE_SETRLIMIT', 'int', (_a('which', 'u_int', False, 32, 'rlimit'), _a('rlp', 'struct rlimit *', False, 64),)),  # 195 = setrlimit
    232: SyscallInfo(232, 'clock_gettime', 'AUE_NULL', 'int', (_a('clock_id', 'clockid_t', True, 32, 'clock'), _a('tp', 'struct timespec *', False, 64),)),  # 232 = clock_gettime
    233: SyscallInfo(233, 'clock_settime', 'AUE_CLOCK_SETTIME', 'int', (_a('clock_id', 'clockid_t', True, 32), _a('tp', 'const struct timespec *', False, 64),)),  # 233 = clock_settime
    240: SyscallInfo(240, 'nanosleep', 'AUE_NULL', 'int', (_a('rqtp', 'const struct timespec *', False, 64), _a('rmtp', 'struct timespec *', False, 64),)),  # 240 = nanosleep
    253: SyscallInfo(253, 'issetugid', 'AUE_ISSETUGID', 'int', ()),  # 253 = issetugid
    255: SyscallInfo(255, 'aio_read', 'AUE_AIO_READ', 'int', (_a('aiocbp', 'struct aiocb *', False, 64),)),  # 255 = aio_read
    256: SyscallInfo(256, 'aio_write', 'AUE_AIO_WRITE', 'int', (_a('aiocbp', 'struct aiocb *', False, 64),)),  # 256 = aio_write
    257: SyscallInfo(257, 'lio_listio', 'AUE_LIO_LISTIO', 'int', (_a('mode', 'int', True, 32), _a('acb_list', 'struct aiocb **', False, 64), _a('nent', 'int', True, 32), _a('sig', 'struct sigevent *', False, 64),)),  # 257 = lio_listio
    314: SyscallInfo(314, 'aio_return', 'AUE_AIO_RETURN', 'ssize_t', (_a('aiocbp', 'struct aiocb *', False, 64),)),  # 314 = aio_return
    315: SyscallInfo(315, 'aio_suspend', 'AUE_AIO_SUSPEND', 'int', (_a('aiocbp', 'struct aiocb **', False, 64), _a('nent', 'int', True, 32), _a('timeout', 'const struct timespec *', False, 64),)),  # 315 = aio_suspend
    316: SyscallInfo(316, 'aio_cancel', 'AUE_AIO_CANCEL', 'int', (_a('fd', 'int', True, 32), _a('aiocbp', 'struct aiocb *', False, 64),)),  # 316 = aio_cancel
    317: SyscallInfo(317, 'aio_error', 'AUE_AIO_ERROR', 'int', (_a('aiocbp', 'struct aiocb *', False, 64),)),  # 317 = aio_error
    326: SyscallInfo(326, '__getcwd', 'AUE_GETCWD', 'int', (_a('buf', 'char *', False, 64), _a('buflen', 'size_t', False, 64),)),  # 326 = __getcwd
    331: SyscallInfo(331, 'sched_yield', 'AUE_NULL', 'int', ()),  # 331 = sched_yield
    340: SyscallInfo(340, 'sigprocmask', 'AUE_SIGPROCMASK', 'int', (_a('how', 'int', True, 32, 'sighow'), _a('set', 'const sigset_t *', False, 64), _a('oset', 'sigset_t *', False, 64),)),  # 340 = sigprocmask
    341: SyscallInfo(341, 'sigsuspend', 'AUE_SIGSUSPEND', 'int', (_a('sigmask', 'const sigset_t *', False, 64),)),  # 341 = sigsuspend
    343: SyscallInfo(343, 'sigpending', 'AUE_SIGPENDING', 'int', (_a('set', 'sigset_t *', False, 64),)),  # 343 = sigpending
    416: SyscallInfo(416, 'sigaction', 'AUE_SIGACTION', 'int', (_a('sig', 'int', True, 32, 'signal'), _a('act', 'const struct sigaction *', False, 64), _a('oact', 'struct sigaction *', False, 64),)),  # 416 = sigaction
    417: SyscallInfo(417, 'sigreturn', 'AUE_SIGRETURN', 'int', (_a('sigcntxp', 'const struct __ucontext *', False, 64),)),  # 417 = sigreturn
    421: SyscallInfo(421, 'getcontext', 'AUE_NULL', 'int', (_a('ucp', 'struct __ucontext *', False, 64),)),  # 421 = getcontext
    422: SyscallInfo(422, 'setcontext', 'AUE_NULL', 'int', (_a('ucp', 'const struct __ucontext *', False, 64),)),  # 422 = setcontext
    423: SyscallInfo(423, 'swapcontext', 'AUE_NULL', 'int', (_a('oucp', 'struct __ucontext *', False, 64), _a('ucp', 'const struct __ucontext *', False, 64),)),  # 423 = swapcontext
    431: SyscallInfo(431, 'thr_exit', 'AUE_THR_EXIT', 'void', (_a('state', 'long *', False, 64),)),  # 431 = thr_exit
    432: SyscallInfo(432, 'thr_self', 'AUE_NULL', 'int', (_a('id', 'long *', False, 64),)),  # 432 = thr_self
    433: SyscallInfo(433, 'thr_kill', 'AUE_THR_KILL', 'int', (_a('id', 'long', True, 64), _a('sig', 'int', True, 32, 'signal'),)),  # 433 = thr_kill
    454: SyscallInfo(454, '_umtx_op', 'AUE_NULL', 'int', (_a('obj', 'void *', False, 64), _a('op', 'int', True, 32, 'umtxop'), _a('val', 'u_long', False, 64), _a('uaddr1', 'void *', False, 64), _a('uaddr2', 'void *', False, 64),)),  # 454 = _umtx_op
    455: SyscallInfo(455, 'thr_new', 'AUE_THR_NEW', 'int', (_a('param', 'struct thr_param *', False, 64), _a('param_size', 'int', True, 32),)),  # 455 = thr_new
    466: SyscallInfo(466, 'rtprio_thread', 'AUE_RTPRIO', 'int', (_a('function', 'int', True, 32, 'rtpfunc'), _a('lwpid', 'lwpid_t', True, 32), _a('rtp', 'struct rtprio *', False, 64),)),  # 466 = rtprio_thread
    477: SyscallInfo(477, 'mmap', 'AUE_MMAP', 'void *', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('prot', 'int', True, 32, 'prot'), _a('flags', 'int', True, 32, 'mapflags'), _a('fd', 'int', True, 32), _a('pos', 'off_t', True, 64),)),  # 477 = mmap
    478: SyscallInfo(478, 'lseek', 'AUE_LSEEK', 'off_t', (_a('fd', 'int', True, 32), _a('offset', 'off_t', True, 64), _a('whence', 'int', True, 32, 'whence'),)),  # 478 = lseek
    499: SyscallInfo(499, 'openat', 'AUE_OPENAT_RWTC', 'int', (_a('fd', 'int', True, 32, 'atfd'), _a('path', 'const char *', False, 64), _a('flag', 'int', True, 32, 'oflags'), _a('mode', 'mode_t', False, 16),)),  # 499 = openat
    542: SyscallInfo(542, 'pipe2', 'AUE_PIPE', 'int', (_a('fildes', 'int *', False, 64), _a('flags', 'int', True, 32, 'pipeflags'),)),  # 542 = pipe2
    551: SyscallInfo(551, 'fstat', 'AUE_FSTAT', 'int', (_a('fd', 'int', True, 32), _a('sb', 'struct stat *', False, 64),)),  # 551 = fstat
    552: SyscallInfo(552, 'fstatat', 'AUE_FSTATAT', 'int', (_a('fd', 'int', True, 32, 'atfd'), _a('path', 'const char *', False, 64), _a('buf', 'struct stat *', False, 64), _a('flag', 'int', True, 32, 'atflags'),)),  # 552 = fstatat
    554: SyscallInfo(554, 'getdirentries', 'AUE_GETDIRENTRIES', 'ssize_t', (_a('fd', 'int', True, 32), _a('buf', 'char *', False, 64), _a('count', 'size_t', False, 64), _a('basep', 'off_t *', False, 64),)),  # 554 = getdirentries
}

BY_NAME = {info.name: info for info in SYSCALLS.values()}
MAXSYSCALL = 555
