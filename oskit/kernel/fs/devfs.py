"""Devices in the file system: /dev/console, /dev/null, /dev/zero.

A device is a vnode of type VCHR whose ``device`` field points at one of the
objects below; opening it gives a ``DeviceFile`` (file.py) that hands every
read, write and ioctl to the device:

    /dev/console  ConsoleDevice  the kernel's console tty over the UART
                                 (``kernel.console``, console.py): writes go
                                 out of the UART and into the writing process's
                                 captured output (``p.stdout``); reads take
                                 typed input a line at a time and sleep while
                                 there is none. ioctl TIOCGETA answers, so
                                 ``isatty()`` is true for it alone.
    /dev/null     NullDevice     reads end at once, writes vanish.
    /dev/zero     ZeroDevice     reads give zero bytes, writes vanish.

``populate(vfs, kernel)`` creates /dev and the three nodes at boot.
"""

from __future__ import annotations

import struct

from oskit.kernel.errno import Errno
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.riscv.copyinout import copyout

# ioctl request numbers encode direction, size and group (sys/sys/ioccom.h):
#   bits 31..29 direction (0x40000000 = IOC_OUT: the kernel copies out)
#   bits 28..16 size of the argument, bits 15..8 group ('t' for ttys), 7..0 number
IOC_OUT = 0x40000000


def _IOR(group: str, num: int, size: int) -> int:
    return IOC_OUT | (size & 0x1FFF) << 16 | ord(group) << 8 | num


# struct termios (sys/sys/_termios.h): four tcflag_t (u32) flags, c_cc[20],
# c_ispeed, c_ospeed (u32): 44 bytes.
TERMIOS = struct.Struct("<IIII20sII")
TIOCGETA = _IOR("t", 19, TERMIOS.size)          # 0x402c7413: tcgetattr, isatty
assert TIOCGETA == 0x402C7413

# A sane cooked-mode terminal: ICRNL|IXON, OPOST|ONLCR, CS8|CREAD, ICANON|ECHO|ISIG...,
# ^D for EOF, ^? erase, ^U kill, ^C intr, ^\ quit, ^Z susp; 9600 baud.
_CC = bytes([4, 255, 255, 127, 23, 21, 18, 255, 3, 28, 26, 25, 17, 19, 22, 15, 1, 0, 20, 255])
CONSOLE_TERMIOS = TERMIOS.pack(0x2B02, 0x3, 0x4B00, 0x5CB, _CC, 9600, 9600)


class Device:
    """A character device: what its file's read, write and ioctl do."""

    name = "device"
    rdev = 0
    seekable = False

    def read(self, td, n: int, nonblock: bool = False) -> bytes:
        raise SyscallError(Errno.ENODEV)

    def write(self, td, data: bytes) -> int:
        raise SyscallError(Errno.ENODEV)

    def ioctl(self, td, cmd: int, arg: int) -> int:
        raise SyscallError(Errno.ENOTTY)

    def __repr__(self) -> str:
        return f"<device {self.name}>"


class ConsoleDevice(Device):
    """/dev/console: the kernel's console tty (console.py) behind a file."""

    name = "console"
    rdev = 0x0500

    def __init__(self, kernel):
        self.kernel = kernel

    def read(self, td, n: int, nonblock: bool = False) -> bytes:
        # The tty sleeps (raises Sleep) while no line has been typed yet.
        return self.kernel.console.read(td, n)

    def write(self, td, data: bytes) -> int:
        return self.kernel.console.write(td, data)

    def ioctl(self, td, cmd: int, arg: int) -> int:
        if cmd == TIOCGETA:
            copyout(td, arg, CONSOLE_TERMIOS)
            return 0
        raise SyscallError(Errno.ENOTTY)


class NullDevice(Device):
    """/dev/null: reads give end of file, writes are accepted and dropped."""

    name = "null"
    rdev = 0x0102
    seekable = True

    def read(self, td, n: int, nonblock: bool = False) -> bytes:
        return b""

    def write(self, td, data: bytes) -> int:
        return len(data)


class ZeroDevice(Device):
    """/dev/zero: an endless source of zero bytes; writes are dropped."""

    name = "zero"
    rdev = 0x0103
    seekable = True

    def read(self, td, n: int, nonblock: bool = False) -> bytes:
        return bytes(n)

    def write(self, td, data: bytes) -> int:
        return len(data)


def populate(vfs, kernel) -> None:
    """Create /dev with console, null and zero (called once at boot)."""
    vfs.mkdir_p("/dev")
    # Everyone may use the console (FreeBSD gives it to the logged-in user;
    # we have one user at a keyboard and programs running as any uid).
    vfs.mknod("/dev/console", ConsoleDevice(kernel), mode=0o666, rdev=ConsoleDevice.rdev)
    vfs.mknod("/dev/null", NullDevice(), mode=0o666, rdev=NullDevice.rdev)
    vfs.mknod("/dev/zero", ZeroDevice(), mode=0o666, rdev=ZeroDevice.rdev)
