"""Open files and descriptor tables.

Three layers stand between a program's ``fd`` and the data, as in every UNIX:

    proc.fdtable.slots[fd]  ->  File (offset, flags)  ->  Vnode / Pipe / device
      one per process            shared by dup and fork     shared by every open

The map:

- ``File``        an open file: the access mode and status flags (O_APPEND,
                  O_NONBLOCK) and, for a vnode, the offset. ``dup`` and
                  ``fork`` share one File, so they share its offset;
                  two ``open`` calls of one path make two Files with two
                  offsets. Subclasses say what reading and writing mean:
    ``VnodeFile``   a regular file or a directory of the VFS,
    ``DeviceFile``  a character device of devfs (console, null, zero),
    ``PipeFile``    one end of a pipe (``pipe.py``).
- ``FileTable``   a process's descriptors: ``get``, ``alloc`` (lowest free
                  descriptor), ``close``, ``dup2``, ``fork``, ``close_all``
                  (at exit), ``close_on_exec`` (at execve). A File counts the
                  descriptors that point at it and is closed for real when the
                  last one goes: that is when a pipe's reader sees EOF.

Open flags are FreeBSD's (sys/sys/fcntl.h).
"""

from __future__ import annotations

from oskit.kernel.errno import Errno
from oskit.kernel.fs.vfs import S_ISGID, S_ISUID, Stat, Vnode, VType, pack_dirent
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import NOFILE

# open(2) flags, FreeBSD values:
O_RDONLY = 0x0000
O_WRONLY = 0x0001
O_RDWR = 0x0002
O_ACCMODE = 0x0003     # the two low bits are the access mode
O_NONBLOCK = 0x0004
O_APPEND = 0x0008
O_CREAT = 0x0200
O_TRUNC = 0x0400
O_EXCL = 0x0800
O_NOCTTY = 0x8000
O_DIRECTORY = 0x20000
O_CLOEXEC = 0x100000

# The flags F_GETFL reports and F_SETFL may change (the "status flags").
STATUS_FLAGS = O_NONBLOCK | O_APPEND
FD_CLOEXEC = 1

SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2
OFF_MAX = (1 << 63) - 1   # largest off_t



class File:
    """An open file. ``refs`` counts the descriptors that point at it."""

    kind = "file"

    def __init__(self, flags: int):
        self.flags = flags & (O_ACCMODE | STATUS_FLAGS)
        self.offset = 0
        self.refs = 0
        self.closed = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()} flags={self.flags:#x} refs={self.refs}>"

    def describe(self) -> str:
        """A short human-readable name for this file (for widgets and traces)."""
        return self.kind

    @property
    def readable(self) -> bool:
        """Opened for reading (O_RDONLY or O_RDWR)."""
        return self.flags & O_ACCMODE in (O_RDONLY, O_RDWR)

    @property
    def writable(self) -> bool:
        """Opened for writing (O_WRONLY or O_RDWR)."""
        return self.flags & O_ACCMODE in (O_WRONLY, O_RDWR)

    @property
    def nonblocking(self) -> bool:
        """O_NONBLOCK is set: EAGAIN instead of sleeping."""
        return bool(self.flags & O_NONBLOCK)

    # What a subclass implements. ``td`` is the calling thread; read and write
    # may raise Sleep(chan) before they change anything.
    def read(self, td, n: int) -> bytes:
        """Up to n bytes from the file (b"" at end of file)."""
        raise SyscallError(Errno.EINVAL)

    def write(self, td, data: bytes) -> int:
        """Write data; returns how many bytes were taken."""
        raise SyscallError(Errno.EINVAL)

    def seek(self, offset: int, whence: int) -> int:
        """Move the offset (lseek); returns the new one."""
        raise SyscallError(Errno.ESPIPE)

    def stat(self) -> Stat:
        """What fstat reports."""
        raise SyscallError(Errno.EBADF)

    def ioctl(self, td, cmd: int, arg: int) -> int:
        """A device-specific request: none by default."""
        raise SyscallError(Errno.ENOTTY)

    def release(self) -> None:
        """The last descriptor went away: let go of what the file holds."""

    # Reference counting, used by FileTable only.
    def hold(self) -> "File":
        """One more descriptor points at this file."""
        if self.closed:
            raise RuntimeError(f"File.hold: {self!r} is already closed")
        self.refs += 1
        return self

    def drop(self) -> None:
        """One descriptor fewer; the last one releases the file."""
        if self.refs <= 0:
            raise RuntimeError(f"File.drop: expected refs > 0, found {self.refs} for {self!r}")
        self.refs -= 1
        if self.refs == 0:
            self.closed = True
            self.release()


class VnodeFile(File):
    """An open regular file or directory: reads and writes at the offset."""

    kind = "vnode"

    def __init__(self, vnode: Vnode, flags: int, path: str = ""):
        super().__init__(flags)
        self.vnode = vnode
        self.path = path

    def describe(self) -> str:
        return self.path or f"ino {self.vnode.ino}"

    def read(self, td, n: int) -> bytes:
        if self.vnode.is_dir():
            raise SyscallError(Errno.EISDIR)
        data = self.vnode.vfs.read_at(self.vnode, self.offset, n)
        self.offset += len(data)
        return data

    def write(self, td, data: bytes) -> int:
        vp = self.vnode
        if data and vp.mode & (S_ISUID | S_ISGID) and td is not None and td.proc.cred.euid != 0:
            # Whoever may write a set-id program must not be able to plant code
            # that then runs as its owner: a write by anyone but root clears the bits.
            vp.mode &= ~(S_ISUID | S_ISGID)
        if self.flags & O_APPEND:
            # Appending moves to the end at each write, atomically: two
            # processes appending to one log never overwrite each other.
            self.offset = len(self.vnode.data)
        n = self.vnode.vfs.write_at(self.vnode, self.offset, data)
        self.offset += n
        return n

    def seek(self, offset: int, whence: int) -> int:
        if whence == SEEK_SET:
            base = 0
        elif whence == SEEK_CUR:
            base = self.offset
        elif whence == SEEK_END:
            base = self.vnode.size
        else:
            raise SyscallError(Errno.EINVAL)
        new = base + offset
        if new < 0:
            raise SyscallError(Errno.EINVAL)
        if new > OFF_MAX:                      # not representable in off_t
            raise SyscallError(Errno.EOVERFLOW)
        self.offset = new
        return new

    def stat(self) -> Stat:
        return self.vnode.stat()

    def dirents(self, nbytes: int) -> bytes:
        """getdirentries: whole struct dirent records that fit in nbytes.

        The offset counts entries: ".", "..", then the names in order.
        """
        if not self.vnode.is_dir():
            raise SyscallError(Errno.EINVAL)
        dvp = self.vnode
        listing = [(".", dvp), ("..", dvp.parent)] + list(dvp.entries.items())
        out = bytearray()
        while self.offset < len(listing):
            name, vp = listing[self.offset]
            rec = pack_dirent(vp.ino, self.offset + 1, vp.vtype.dtype, name)
            if len(out) + len(rec) > nbytes:
                if not out:
                    raise SyscallError(Errno.EINVAL)     # buffer too small for one entry
                break
            out += rec
            self.offset += 1
        return bytes(out)


class DeviceFile(File):
    """An open character device: the device decides what I/O means."""

    kind = "device"

    def __init__(self, vnode: Vnode, flags: int, path: str = ""):
        super().__init__(flags)
        self.vnode = vnode
        self.device = vnode.device
        self.path = path

    def describe(self) -> str:
        return self.path or self.device.name

    def read(self, td, n: int) -> bytes:
        return self.device.read(td, n, nonblock=self.nonblocking)

    def write(self, td, data: bytes) -> int:
        return self.device.write(td, data)

    def seek(self, offset: int, whence: int) -> int:
        if not self.device.seekable:
            raise SyscallError(Errno.ESPIPE)
        return 0

    def stat(self) -> Stat:
        return self.vnode.stat()

    def ioctl(self, td, cmd: int, arg: int) -> int:
        return self.device.ioctl(td, cmd, arg)


def open_vnode(vnode: Vnode, flags: int, path: str = "") -> File:
    """The File for an opened vnode: a device file for VCHR, else a VnodeFile."""
    if vnode.vtype is VType.VCHR:
        return DeviceFile(vnode, flags, path)
    return VnodeFile(vnode, flags, path)


class FileTable:
    """One process's descriptors: fd -> File, plus the close-on-exec flag.

    ``limit`` is RLIMIT_NOFILE's soft limit: new descriptors are always below
    it. Lowering it (``set_limit``) leaves descriptors already open above it
    usable, as FreeBSD does, so the table (``slots``) may be longer than it.
    """

    def __init__(self, limit: int = NOFILE):
        self.limit = limit
        self.slots: list[File | None] = [None] * limit
        self.cloexec: list[bool] = [False] * limit

    def set_limit(self, nofile: int) -> None:
        """A new RLIMIT_NOFILE soft limit (setrlimit): where new descriptors must stay below."""
        if nofile < 0:
            raise ValueError(f"FileTable.set_limit: expected a limit >= 0, found {nofile}")
        if nofile > len(self.slots):
            grow = nofile - len(self.slots)
            self.slots.extend([None] * grow)
            self.cloexec.extend([False] * grow)
        self.limit = nofile

    def __repr__(self) -> str:
        return f"<FileTable {dict(self.items())}>"

    def items(self) -> list[tuple[int, File]]:
        """(fd, File) for every open descriptor, in order."""
        return [(fd, f) for fd, f in enumerate(self.slots) if f is not None]

    def describe(self) -> str:
        """One line per open descriptor: fd, flags, what it is, its offset and sharing (for notebooks)."""
        lines = []
        labels: dict[int, str] = {}        # open files lettered A, B, ... in order of first descriptor
        for fd, f in self.items():
            label = labels.setdefault(id(f), chr(ord("A") + len(labels) % 26))
            access = ("O_RDONLY", "O_WRONLY", "O_RDWR", "?")[f.flags & O_ACCMODE]
            extra = "".join((" O_APPEND" if f.flags & O_APPEND else "",
                             " O_NONBLOCK" if f.flags & O_NONBLOCK else "",
                             " FD_CLOEXEC" if self.cloexec[fd] else ""))
            where = f" offset {f.offset}" if isinstance(f, VnodeFile) else ""
            lines.append(f"{fd:3}  {access}{extra}  {f.describe()}{where}  "
                         f"(open file {label}, {f.refs} descriptor{'s' if f.refs != 1 else ''})")
        return "\n".join(lines)

    def get(self, fd: int) -> File:
        """The File behind fd; EBADF if fd is not an open descriptor."""
        if not 0 <= fd < len(self.slots) or self.slots[fd] is None:
            raise SyscallError(Errno.EBADF)
        return self.slots[fd]

    def lowest_free(self, lowest: int = 0) -> int:
        """The lowest closed descriptor >= lowest; EMFILE if none."""
        for fd in range(max(lowest, 0), self.limit):
            if self.slots[fd] is None:
                return fd
        raise SyscallError(Errno.EMFILE)

    def alloc(self, file: File, lowest: int = 0, cloexec: bool = False) -> int:
        """Put file at the lowest free descriptor >= lowest and return it."""
        fd = self.lowest_free(lowest)
        self._install(fd, file, cloexec)
        return fd

    def _install(self, fd: int, file: File, cloexec: bool) -> None:
        self.slots[fd] = file.hold()
        self.cloexec[fd] = cloexec

    def close(self, fd: int) -> None:
        """Close fd (EBADF if it is not open)."""
        file = self.get(fd)
        self.slots[fd] = None
        self.cloexec[fd] = False
        file.drop()

    def dup2(self, old: int, new: int) -> int:
        """Make new refer to old's File, closing new first; returns new.

        dup2(fd, fd) is a no-op that only checks fd. The copy's close-on-exec
        flag is clear.
        """
        file = self.get(old)
        if not 0 <= new < self.limit:
            raise SyscallError(Errno.EBADF)
        if old == new:
            return new
        # Hold the file before closing new: new may be its last descriptor.
        previous = self.slots[new]
        self._install(new, file, False)
        if previous is not None:
            previous.drop()
        return new

    def fork(self) -> "FileTable":
        """The child's table: the same Files at the same descriptors, the same limit."""
        child = FileTable(len(self.slots))
        child.limit = self.limit
        for fd, file in self.items():
            child._install(fd, file, self.cloexec[fd])
        return child

    def close_all(self) -> None:
        """Close every descriptor (at process exit)."""
        for fd, _ in self.items():
            self.close(fd)

    def close_on_exec(self) -> None:
        """Close the descriptors marked FD_CLOEXEC (at a successful execve)."""
        for fd, _ in self.items():
            if self.cloexec[fd]:
                self.close(fd)
