# DO NOT EDIT: generated from syscalls.master by makesyscalls.py
"""The system-call table the kernel dispatches on (generated; see makesyscalls.py).

``SYSCALLS[number]`` is a :class:`SyscallInfo`: the call's name (the kernel's
handler is ``sys_<name>``), its audit event, its arguments with their C types
and how to decode each register, and its return type. ``BY_NAME[name]`` is the
same object. Numbers not in ``SYSCALLS`` are unimplemented here: ENOSYS.

Tracing: ``info.decode_args(regs)`` turns the raw a0..a7 values into Python
ints (sign-extending 32-bit ints, so an fd of -1 shows as -1);
``info.format_call(args, fetch_string)`` renders ``open("/etc/motd", 0x0, 0644)``
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
            return f"0{value:o}"
        if self.name in ("flags", "flag", "com"):     # bit masks and ioctl commands read best in hex
            return f"{value:#x}"
        return str(value)


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
        shown = ", ".join(arg.format(v, fetch_string) for arg, v in zip(self.args, args))
        return f"{self.name}({shown})"

    def format_return(self, value: int) -> str:
        """The successful result as a trace line shows it (pointers in hex)."""
        if self.ret.endswith("*"):
            return f"{value & (2**64 - 1):#x}"
        return str(value)


def _a(name, ctype, signed, bits):
    return ArgInfo(name, ctype, signed, bits)



SYSCALLS = {
    1: SyscallInfo(1, 'exit', 'AUE_EXIT', 'void', (_a('rval', 'int', True, 32),)),  # 1 = exit
    2: SyscallInfo(2, 'fork', 'AUE_FORK', 'int', ()),  # 2 = fork
    3: SyscallInfo(3, 'read', 'AUE_READ', 'ssize_t', (_a('fd', 'int', True, 32), _a('buf', 'void *', False, 64), _a('nbyte', 'size_t', False, 64),)),  # 3 = read
    4: SyscallInfo(4, 'write', 'AUE_WRITE', 'ssize_t', (_a('fd', 'int', True, 32), _a('buf', 'const void *', False, 64), _a('nbyte', 'size_t', False, 64),)),  # 4 = write
    5: SyscallInfo(5, 'open', 'AUE_OPEN_RWTC', 'int', (_a('path', 'const char *', False, 64), _a('flags', 'int', True, 32), _a('mode', 'mode_t', False, 16),)),  # 5 = open
    6: SyscallInfo(6, 'close', 'AUE_CLOSE', 'int', (_a('fd', 'int', True, 32),)),  # 6 = close
    7: SyscallInfo(7, 'wait4', 'AUE_WAIT4', 'int', (_a('pid', 'int', True, 32), _a('status', 'int *', False, 64), _a('options', 'int', True, 32), _a('rusage', 'struct rusage *', False, 64),)),  # 7 = wait4
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
    33: SyscallInfo(33, 'access', 'AUE_ACCESS', 'int', (_a('path', 'const char *', False, 64), _a('amode', 'int', True, 32),)),  # 33 = access
    37: SyscallInfo(37, 'kill', 'AUE_KILL', 'int', (_a('pid', 'int', True, 32), _a('signum', 'int', True, 32),)),  # 37 = kill
    39: SyscallInfo(39, 'getppid', 'AUE_GETPPID', 'pid_t', ()),  # 39 = getppid
    41: SyscallInfo(41, 'dup', 'AUE_DUP', 'int', (_a('fd', 'u_int', False, 32),)),  # 41 = dup
    43: SyscallInfo(43, 'getegid', 'AUE_GETEGID', 'gid_t', ()),  # 43 = getegid
    47: SyscallInfo(47, 'getgid', 'AUE_GETGID', 'gid_t', ()),  # 47 = getgid
    54: SyscallInfo(54, 'ioctl', 'AUE_IOCTL', 'int', (_a('fd', 'int', True, 32), _a('com', 'u_long', False, 64), _a('data', 'char *', False, 64),)),  # 54 = ioctl
    59: SyscallInfo(59, 'execve', 'AUE_EXECVE', 'int', (_a('fname', 'const char *', False, 64), _a('argv', 'char **', False, 64), _a('envv', 'char **', False, 64),)),  # 59 = execve
    60: SyscallInfo(60, 'umask', 'AUE_UMASK', 'mode_t', (_a('newmask', 'mode_t', False, 16),)),  # 60 = umask
    65: SyscallInfo(65, 'msync', 'AUE_MSYNC', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('flags', 'int', True, 32),)),  # 65 = msync
    73: SyscallInfo(73, 'munmap', 'AUE_MUNMAP', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64),)),  # 73 = munmap
    74: SyscallInfo(74, 'mprotect', 'AUE_MPROTECT', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('prot', 'int', True, 32),)),  # 74 = mprotect
    75: SyscallInfo(75, 'madvise', 'AUE_MADVISE', 'int', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('behav', 'int', True, 32),)),  # 75 = madvise
    78: SyscallInfo(78, 'mincore', 'AUE_MINCORE', 'int', (_a('addr', 'const void *', False, 64), _a('len', 'size_t', False, 64), _a('vec', 'char *', False, 64),)),  # 78 = mincore
    79: SyscallInfo(79, 'getgroups', 'AUE_GETGROUPS', 'int', (_a('gidsetsize', 'int', True, 32), _a('gidset', 'gid_t *', False, 64),)),  # 79 = getgroups
    80: SyscallInfo(80, 'setgroups', 'AUE_SETGROUPS', 'int', (_a('gidsetsize', 'int', True, 32), _a('gidset', 'const gid_t *', False, 64),)),  # 80 = setgroups
    90: SyscallInfo(90, 'dup2', 'AUE_DUP2', 'int', (_a('from', 'u_int', False, 32), _a('to', 'u_int', False, 32),)),  # 90 = dup2
    92: SyscallInfo(92, 'fcntl', 'AUE_FCNTL', 'int', (_a('fd', 'int', True, 32), _a('cmd', 'int', True, 32), _a('arg', 'long', True, 64),)),  # 92 = fcntl
    116: SyscallInfo(116, 'gettimeofday', 'AUE_GETTIMEOFDAY', 'int', (_a('tp', 'struct timeval *', False, 64), _a('tzp', 'struct timezone *', False, 64),)),  # 116 = gettimeofday
    117: SyscallInfo(117, 'getrusage', 'AUE_GETRUSAGE', 'int', (_a('who', 'int', True, 32), _a('rusage', 'struct rusage *', False, 64),)),  # 117 = getrusage
    128: SyscallInfo(128, 'rename', 'AUE_RENAME', 'int', (_a('from', 'const char *', False, 64), _a('to', 'const char *', False, 64),)),  # 128 = rename
    136: SyscallInfo(136, 'mkdir', 'AUE_MKDIR', 'int', (_a('path', 'const char *', False, 64), _a('mode', 'mode_t', False, 16),)),  # 136 = mkdir
    137: SyscallInfo(137, 'rmdir', 'AUE_RMDIR', 'int', (_a('path', 'const char *', False, 64),)),  # 137 = rmdir
    181: SyscallInfo(181, 'setgid', 'AUE_SETGID', 'int', (_a('gid', 'gid_t', False, 32),)),  # 181 = setgid
    182: SyscallInfo(182, 'setegid', 'AUE_SETEGID', 'int', (_a('egid', 'gid_t', False, 32),)),  # 182 = setegid
    183: SyscallInfo(183, 'seteuid', 'AUE_SETEUID', 'int', (_a('euid', 'uid_t', False, 32),)),  # 183 = seteuid
    194: SyscallInfo(194, 'getrlimit', 'AUE_GETRLIMIT', 'int', (_a('which', 'u_int', False, 32), _a('rlp', 'struct rlimit *', False, 64),)),  # 194 = getrlimit
    195: SyscallInfo(195, 'setrlimit', 'AUE_SETRLIMIT', 'int', (_a('which', 'u_int', False, 32), _a('rlp', 'struct rlimit *', False, 64),)),  # 195 = setrlimit
    232: SyscallInfo(232, 'clock_gettime', 'AUE_NULL', 'int', (_a('clock_id', 'clockid_t', True, 32), _a('tp', 'struct timespec *', False, 64),)),  # 232 = clock_gettime
    240: SyscallInfo(240, 'nanosleep', 'AUE_NULL', 'int', (_a('rqtp', 'const struct timespec *', False, 64), _a('rmtp', 'struct timespec *', False, 64),)),  # 240 = nanosleep
    253: SyscallInfo(253, 'issetugid', 'AUE_ISSETUGID', 'int', ()),  # 253 = issetugid
    326: SyscallInfo(326, '__getcwd', 'AUE_GETCWD', 'int', (_a('buf', 'char *', False, 64), _a('buflen', 'size_t', False, 64),)),  # 326 = __getcwd
    331: SyscallInfo(331, 'sched_yield', 'AUE_NULL', 'int', ()),  # 331 = sched_yield
    340: SyscallInfo(340, 'sigprocmask', 'AUE_SIGPROCMASK', 'int', (_a('how', 'int', True, 32), _a('set', 'const sigset_t *', False, 64), _a('oset', 'sigset_t *', False, 64),)),  # 340 = sigprocmask
    341: SyscallInfo(341, 'sigsuspend', 'AUE_SIGSUSPEND', 'int', (_a('sigmask', 'const sigset_t *', False, 64),)),  # 341 = sigsuspend
    343: SyscallInfo(343, 'sigpending', 'AUE_SIGPENDING', 'int', (_a('set', 'sigset_t *', False, 64),)),  # 343 = sigpending
    416: SyscallInfo(416, 'sigaction', 'AUE_SIGACTION', 'int', (_a('sig', 'int', True, 32), _a('act', 'const struct sigaction *', False, 64), _a('oact', 'struct sigaction *', False, 64),)),  # 416 = sigaction
    417: SyscallInfo(417, 'sigreturn', 'AUE_SIGRETURN', 'int', (_a('sigcntxp', 'const struct __ucontext *', False, 64),)),  # 417 = sigreturn
    477: SyscallInfo(477, 'mmap', 'AUE_MMAP', 'void *', (_a('addr', 'void *', False, 64), _a('len', 'size_t', False, 64), _a('prot', 'int', True, 32), _a('flags', 'int', True, 32), _a('fd', 'int', True, 32), _a('pos', 'off_t', True, 64),)),  # 477 = mmap
    478: SyscallInfo(478, 'lseek', 'AUE_LSEEK', 'off_t', (_a('fd', 'int', True, 32), _a('offset', 'off_t', True, 64), _a('whence', 'int', True, 32),)),  # 478 = lseek
    499: SyscallInfo(499, 'openat', 'AUE_OPENAT_RWTC', 'int', (_a('fd', 'int', True, 32), _a('path', 'const char *', False, 64), _a('flag', 'int', True, 32), _a('mode', 'mode_t', False, 16),)),  # 499 = openat
    542: SyscallInfo(542, 'pipe2', 'AUE_PIPE', 'int', (_a('fildes', 'int *', False, 64), _a('flags', 'int', True, 32),)),  # 542 = pipe2
    551: SyscallInfo(551, 'fstat', 'AUE_FSTAT', 'int', (_a('fd', 'int', True, 32), _a('sb', 'struct stat *', False, 64),)),  # 551 = fstat
    552: SyscallInfo(552, 'fstatat', 'AUE_FSTATAT', 'int', (_a('fd', 'int', True, 32), _a('path', 'const char *', False, 64), _a('buf', 'struct stat *', False, 64), _a('flag', 'int', True, 32),)),  # 552 = fstatat
    554: SyscallInfo(554, 'getdirentries', 'AUE_GETDIRENTRIES', 'ssize_t', (_a('fd', 'int', True, 32), _a('buf', 'char *', False, 64), _a('count', 'size_t', False, 64), _a('basep', 'off_t *', False, 64),)),  # 554 = getdirentries
}

BY_NAME = {info.name: info for info in SYSCALLS.values()}
MAXSYSCALL = 555
