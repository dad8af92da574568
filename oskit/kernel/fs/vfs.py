"""The virtual file system: an in-memory tree of vnodes.

The map:

- ``Vnode``     one file: a directory, a regular file, a character device or a
                FIFO. It carries what ``stat`` reports: type and permission
                bits, owner and group, link count, size, four timestamps.
- ``VFS``       the tree and the operations on names:
    ``lookup``          path -> vnode (``namei`` in BSD): ".", "..", absolute
                        or relative to the caller's working directory;
    ``lookup_parent``   path -> (directory, last name), for calls that create
                        or remove a name;
    ``create``, ``mkdir``, ``unlink``, ``rmdir``: change the tree;
    ``access``          the DAC check of a credential against the mode bits;
    ``install_file``, ``mkdir_p``, ``read_file``, ``listdir``, ``tree``: the
                        host's side, used at boot to fill /bin and by notebooks to look.
- ``Stat``      the data of ``struct stat``, and ``pack()`` to FreeBSD's riscv64
                layout (224 bytes) for ``copyout``.

Errors are ``SyscallError(errno)`` with FreeBSD's values, so a system call can
let them through unchanged: ENOENT (no such name), ENOTDIR (a non-directory
used as one), EISDIR, EEXIST, ENOTEMPTY, ENAMETOOLONG, EACCES.

File data lives in Python (a ``bytearray`` per regular file); timestamps come
from the machine's deterministic clock, so two runs of a program give the
same ``stat`` results.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass, field
from typing import Callable

from oskit.kernel.errno import Errno
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.security.mac import mac_vnode_check_access

NAME_MAX = 255      # longest name in one directory entry
PATH_MAX = 1024     # longest path, including the terminating NUL
MAXFILESIZE = 64 << 20   # file data lives in host memory: no file grows past 64 MiB (EFBIG)

# Permission bits wanted by an access check (the same bits as in the mode
# word, shifted down to the "other" position).
R_OK = 4
W_OK = 2
X_OK = 1

# st_mode: file type in the top bits, permissions in the low twelve.
#   0o170000 S_IFMT   type of file
#   0o040000 S_IFDIR  0o100000 S_IFREG  0o020000 S_IFCHR  0o010000 S_IFIFO
#   0o004000 S_ISUID  0o002000 S_ISGID  0o001000 S_ISVTX
#   0o000700 owner rwx, 0o000070 group rwx, 0o000007 other rwx
S_IFMT = 0o170000
S_IFIFO = 0o010000
S_IFCHR = 0o020000
S_IFDIR = 0o040000
S_IFREG = 0o100000
S_ISUID = 0o004000      # set-user-id: exec runs the program as the file's owner
S_ISGID = 0o002000      # set-group-id: ... as the file's group
S_ISVTX = 0o001000      # sticky directory: only a file's owner may remove it (/tmp)
ALLPERMS = 0o7777

# d_type values in struct dirent.
DT_FIFO, DT_CHR, DT_DIR, DT_REG = 1, 2, 4, 8


class VType(enum.Enum):
    """What kind of file a vnode is; the value is its S_IF* type bits."""

    VREG = S_IFREG
    VDIR = S_IFDIR
    VCHR = S_IFCHR
    VFIFO = S_IFIFO

    @property
    def dtype(self) -> int:
        """The d_type of a directory entry naming a file of this type."""
        return {VType.VREG: DT_REG, VType.VDIR: DT_DIR,
                VType.VCHR: DT_CHR, VType.VFIFO: DT_FIFO}[self]


@dataclass(eq=False)
class Vnode:
    """One file in the tree. Times are nanoseconds on the machine's clock."""

    vfs: "VFS" = field(repr=False)
    vtype: VType
    ino: int
    mode: int                    # permission bits only (ALLPERMS)
    uid: int
    gid: int
    nlink: int = 0
    atime: int = 0
    mtime: int = 0
    ctime: int = 0
    birthtime: int = 0
    data: bytearray | None = field(default=None, repr=False)        # VREG
    entries: dict[str, "Vnode"] | None = field(default=None, repr=False)  # VDIR
    parent: "Vnode | None" = field(default=None, repr=False)        # VDIR: ".."
    device: object = field(default=None, repr=False)                # VCHR: a devfs device
    rdev: int = 0                                                   # VCHR: its number

    @property
    def size(self) -> int:
        """st_size: bytes of data for a file, a nominal size for a directory."""
        if self.vtype is VType.VREG:
            return len(self.data)
        if self.vtype is VType.VDIR:
            return 512 * (1 + len(self.entries) // 16)
        return 0

    @property
    def st_mode(self) -> int:
        """The full st_mode word: type bits | permission bits."""
        return self.vtype.value | self.mode

    def is_reg(self) -> bool:
        return self.vtype is VType.VREG

    def is_dir(self) -> bool:
        """True for a directory."""
        return self.vtype is VType.VDIR

    def touch(self, *, a: bool = False, m: bool = False, c: bool = False) -> None:
        """Set the access, modification and/or change time to now."""
        now = self.vfs.now()
        if a:
            self.atime = now
        if m:
            self.mtime = now
        if c:
            self.ctime = now

    def stat(self) -> "Stat":
        """What fstat/stat report for this vnode."""
        return Stat(dev=self.vfs.dev, ino=self.ino, nlink=self.nlink, mode=self.st_mode,
                    uid=self.uid, gid=self.gid, rdev=self.rdev, atime=self.atime,
                    mtime=self.mtime, ctime=self.ctime, birthtime=self.birthtime,
                    size=self.size, blksize=4096)


# struct stat on FreeBSD/riscv64 (sys/sys/stat.h, the ino64 layout of FreeBSD 12+):
#   off size field
#     0   8  st_dev        dev_t
#     8   8  st_ino        ino_t
#    16   8  st_nlink      nlink_t
#    24   2  st_mode       mode_t
#    26   2  st_bsdflags   int16
#    28   4  st_uid        uid_t
#    32   4  st_gid        gid_t
#    36   4  st_padding1
#    40   8  st_rdev       dev_t
#    48  16  st_atim       struct timespec {time_t tv_sec; long tv_nsec;}
#    64  16  st_mtim
#    80  16  st_ctim
#    96  16  st_birthtim
#   112   8  st_size       off_t
#   120   8  st_blocks     blkcnt_t (512-byte blocks)
#   128   4  st_blksize
#   132   4  st_flags
#   136   8  st_gen
#   144  80  st_spare[10]
STAT_FORMAT = "<QQQHhIIiQ" + "qq" * 4 + "qqiIQ" + "10Q"
STAT_SIZE = struct.calcsize(STAT_FORMAT)
assert STAT_SIZE == 224, STAT_SIZE


def mode_string(st_mode: int) -> str:
    """st_mode as ls shows it: "drwxr-xr-x", "-rw-r--r--", "crw-rw-rw-"."""
    kind = {S_IFDIR: "d", S_IFCHR: "c", S_IFIFO: "p"}.get(st_mode & S_IFMT, "-")
    bits = "".join(ch if st_mode & (0o400 >> i) else "-" for i, ch in enumerate("rwxrwxrwx"))
    if st_mode & S_ISVTX:
        bits = bits[:8] + ("t" if st_mode & 0o001 else "T")
    return kind + bits


def _raw(name: str) -> bytes:
    """A name's bytes. Names are kept as str; bytes that are not UTF-8 (a program
    may use any byte but NUL and '/') survive as surrogate escapes, as copyinstr makes them."""
    return name.encode("utf-8", "surrogateescape")


def _timespec(ns: int) -> tuple[int, int]:
    return ns // 1_000_000_000, ns % 1_000_000_000


@dataclass(frozen=True)
class Stat:
    """The fields of struct stat that our file system fills in."""

    dev: int
    ino: int
    nlink: int
    mode: int
    uid: int
    gid: int
    rdev: int
    atime: int
    mtime: int
    ctime: int
    birthtime: int
    size: int
    blksize: int

    @property
    def blocks(self) -> int:
        """st_blocks: 512-byte blocks in use."""
        return (self.size + 511) // 512

    def pack(self) -> bytes:
        """The 224 bytes of struct stat in FreeBSD's riscv64 layout."""
        return struct.pack(
            STAT_FORMAT, self.dev, self.ino, self.nlink, self.mode, 0, self.uid, self.gid, 0,
            self.rdev, *_timespec(self.atime), *_timespec(self.mtime), *_timespec(self.ctime),
            *_timespec(self.birthtime), self.size, self.blocks, self.blksize, 0, 0, *([0] * 10))

    @classmethod
    def unpack(cls, raw: bytes) -> "Stat":
        """Read back a packed struct stat (for tests and debuggers)."""
        f = struct.unpack(STAT_FORMAT, raw)
        ns = [f[9 + 2 * i] * 1_000_000_000 + f[10 + 2 * i] for i in range(4)]
        return cls(dev=f[0], ino=f[1], nlink=f[2], mode=f[3], uid=f[5], gid=f[6], rdev=f[8],
                   atime=ns[0], mtime=ns[1], ctime=ns[2], birthtime=ns[3], size=f[17],
                   blksize=f[19])


# struct dirent on FreeBSD (ino64), as getdirentries returns them:
#   off size field
#     0   8  d_fileno
#     8   8  d_off      (offset of the next entry, in our directory cookies)
#    16   2  d_reclen   (whole record, a multiple of 8)
#    18   1  d_type     (DT_*)
#    19   1  d_pad0
#    20   2  d_namlen
#    22   2  d_pad1
#    24   .  d_name     NUL-terminated, padded to d_reclen
DIRENT_HEADER = struct.Struct("<QQHBBHH")


def pack_dirent(ino: int, next_off: int, dtype: int, name: str) -> bytes:
    """One struct dirent record for getdirentries."""
    raw = _raw(name)
    reclen = (DIRENT_HEADER.size + len(raw) + 1 + 7) & ~7
    head = DIRENT_HEADER.pack(ino, next_off, reclen, dtype, 0, len(raw), 0)
    return (head + raw).ljust(reclen, b"\0")


class VFS:
    """The file tree of one kernel.

    ``kernel`` supplies the clock (its machine's mtime); tests may instead
    pass ``clock``, a function returning nanoseconds.
    """

    dev = 0x6F73   # st_dev of every file: one file system ("os")

    def __init__(self, kernel=None, clock: Callable[[], int] | None = None):
        self.kernel = kernel
        self._clock = clock
        self._next_ino = 2                       # ino 2 is the root, as on UFS (a plain int: snapshots copy it)
        self.root = self._new(VType.VDIR, 0o755, uid=0, gid=0)
        self.root.parent = self.root             # "/.." is "/"
        self.root.nlink = 2

    # -- time -------------------------------------------------------------

    def now(self) -> int:
        """Nanoseconds on the machine's deterministic clock (0 with no machine)."""
        if self._clock is not None:
            return self._clock()
        if self.kernel is not None:
            return self.kernel.nanotime()
        return 0

    # -- vnodes -------------------------------------------------------------

    def new_ino(self) -> int:
        """The next unused inode number (pipes take theirs from here too)."""
        ino, self._next_ino = self._next_ino, self._next_ino + 1
        return ino

    def _new(self, vtype: VType, mode: int, *, uid: int, gid: int) -> Vnode:
        now = self.now()
        vp = Vnode(self, vtype, self.new_ino(), mode & ALLPERMS, uid, gid,
                   atime=now, mtime=now, ctime=now, birthtime=now)
        if vtype is VType.VREG:
            vp.data = bytearray()
        elif vtype is VType.VDIR:
            vp.entries = {}
        return vp

    def _link(self, dvp: Vnode, name: str, vp: Vnode) -> None:
        """Enter vp under name in directory dvp (the name must be free).

        A removed directory (someone's cwd after rmdir) takes no new names: ENOENT.
        """
        if dvp.nlink == 0:
            raise SyscallError(Errno.ENOENT)
        dvp.entries[name] = vp
        vp.nlink += 1
        if vp.is_dir():
            vp.parent = dvp
            vp.nlink += 1          # its own "."
            dvp.nlink += 1         # its ".." points at dvp
        dvp.touch(m=True, c=True)
        vp.touch(c=True)

    # -- DAC ------------------------------------------------------------------

    @staticmethod
    def access(vp: Vnode, cred, want: int, *, real: bool = False) -> None:
        """Raise EACCES unless cred may access vp for ``want`` (R_OK|W_OK|X_OK).

        The owner's bits apply to the owner, the group's bits to a member of
        the file's group, the other bits to everyone else: only one class is
        checked, so an owner with 0o077 is refused even where others are not.
        Root (uid 0) passes every check, except that executing a regular file
        needs at least one x bit. ``real`` checks the real ids (access(2))
        instead of the effective ones (open(2)). ``cred`` None is the kernel.
        """
        mac_vnode_check_access(vp, cred, want)   # SECURITY (ch. 8): MAC policies decide first (mac.py)
        if cred is None or want == 0:
            return
        uid = cred.uid if real else cred.euid
        gid = cred.gid if real else cred.egid
        if uid == 0:
            if want & X_OK and not vp.is_dir() and not vp.mode & 0o111:
                raise SyscallError(Errno.EACCES)
            return
        if uid == vp.uid:
            granted = (vp.mode >> 6) & 7
        elif vp.gid == gid or vp.gid in tuple(getattr(cred, "groups", ()) or ()):
            granted = (vp.mode >> 3) & 7
        else:
            granted = vp.mode & 7
        if want & ~granted:
            raise SyscallError(Errno.EACCES)

    # -- names ----------------------------------------------------------------

    @staticmethod
    def _split(path: str) -> list[str]:
        if not isinstance(path, str):
            raise TypeError(f"path: expected str, found {type(path).__name__}")
        if path == "":
            raise SyscallError(Errno.ENOENT)          # POSIX: "" names nothing
        if len(_raw(path)) >= PATH_MAX:
            raise SyscallError(Errno.ENAMETOOLONG)
        parts = [p for p in path.split("/") if p]
        for p in parts:
            if len(_raw(p)) > NAME_MAX:
                raise SyscallError(Errno.ENAMETOOLONG)
        return parts

    def lookup_in(self, dvp: Vnode, name: str, cred=None) -> Vnode:
        """Look name up in directory dvp: needs search (x) permission on dvp."""
        if not dvp.is_dir():
            raise SyscallError(Errno.ENOTDIR)
        self.access(dvp, cred, X_OK)
        if name == ".":
            return dvp
        if name == "..":
            return dvp.parent
        vp = dvp.entries.get(name)
        if vp is None:
            raise SyscallError(Errno.ENOENT)
        return vp

    def lookup(self, path: str, cwd: Vnode | None = None, cred=None) -> Vnode:
        """The vnode that path names (namei).

        An absolute path starts at the root, a relative one at cwd (the root
        when None). Every directory on the way needs search permission for
        cred. A trailing slash requires a directory (ENOTDIR otherwise).
        """
        parts = self._split(path)
        vp = self.root if path.startswith("/") or cwd is None else cwd
        for name in parts:
            vp = self.lookup_in(vp, name, cred)
        if path.endswith("/") and not vp.is_dir():
            raise SyscallError(Errno.ENOTDIR)
        return vp

    def lookup_parent(self, path: str, cwd: Vnode | None = None, cred=None) -> tuple[Vnode, str]:
        """(directory, last name) for a call that creates or removes that name.

        The directory must exist and be searchable; the name itself need not
        exist. The root alone ("/") gives (root, ".").
        """
        parts = self._split(path)
        start = self.root if path.startswith("/") or cwd is None else cwd
        if not parts:
            return start, "."
        dvp = start
        for name in parts[:-1]:
            dvp = self.lookup_in(dvp, name, cred)
        if not dvp.is_dir():
            raise SyscallError(Errno.ENOTDIR)
        self.access(dvp, cred, X_OK)
        return dvp, parts[-1]

    # -- changing the tree ----------------------------------------------------

    def create(self, dvp: Vnode, name: str, mode: int, cred=None) -> Vnode:
        """A new empty regular file ``name`` in dvp, owned by cred.

        Needs write and search permission on dvp; EEXIST if the name is taken.
        The group is the directory's (BSD rule).
        """
        if name in (".", "..") or name in dvp.entries:
            raise SyscallError(Errno.EEXIST)
        self.access(dvp, cred, W_OK | X_OK)
        vp = self._new(VType.VREG, mode, uid=cred.euid if cred else 0, gid=dvp.gid)
        self._link(dvp, name, vp)
        return vp

    def mkdir(self, path: str, mode: int = 0o755, cwd: Vnode | None = None, cred=None) -> Vnode:
        """Make directory path (mode already masked by umask); EEXIST if taken."""
        dvp, name = self.lookup_parent(path, cwd, cred)
        if name in (".", "..") or name in dvp.entries:
            raise SyscallError(Errno.EEXIST)
        self.access(dvp, cred, W_OK | X_OK)
        vp = self._new(VType.VDIR, mode, uid=cred.euid if cred else 0, gid=dvp.gid)
        self._link(dvp, name, vp)
        return vp

    @staticmethod
    def _check_sticky(dvp: Vnode, vp: Vnode, cred) -> None:
        """In a sticky directory (/tmp) only the file's owner, the directory's owner
        or root may remove or rename a name: EPERM for anyone else."""
        if cred is not None and dvp.mode & S_ISVTX and cred.euid not in (0, vp.uid, dvp.uid):
            raise SyscallError(Errno.EPERM)

    def _remove_name(self, dvp: Vnode, name: str) -> Vnode:
        vp = dvp.entries.pop(name)
        vp.nlink -= 1
        if vp.is_dir():
            vp.nlink -= 1           # its "." goes too
            dvp.nlink -= 1          # and its ".." no longer points at dvp
        dvp.touch(m=True, c=True)
        vp.touch(c=True)
        return vp

    def unlink(self, path: str, cwd: Vnode | None = None, cred=None) -> Vnode:
        """Remove the name path of a non-directory.

        The file itself lives on while a descriptor refers to it (its link
        count is then 0). A directory gives EPERM, as on FreeBSD (Linux says
        EISDIR). Needs write and search permission on the parent.
        """
        dvp, name = self.lookup_parent(path, cwd, cred)
        vp = self.lookup_in(dvp, name, cred)
        if vp.is_dir():
            raise SyscallError(Errno.EPERM)
        self.access(dvp, cred, W_OK | X_OK)
        self._check_sticky(dvp, vp, cred)
        return self._remove_name(dvp, name)

    def rmdir(self, path: str, cwd: Vnode | None = None, cred=None) -> Vnode:
        """Remove the empty directory path (ENOTEMPTY if it has entries)."""
        dvp, name = self.lookup_parent(path, cwd, cred)
        if name == ".":
            raise SyscallError(Errno.EINVAL)
        if name == "..":
            raise SyscallError(Errno.ENOTEMPTY)
        vp = self.lookup_in(dvp, name, cred)
        if not vp.is_dir():
            raise SyscallError(Errno.ENOTDIR)
        if vp is self.root:
            raise SyscallError(Errno.EBUSY)
        if vp.entries:
            raise SyscallError(Errno.ENOTEMPTY)
        self.access(dvp, cred, W_OK | X_OK)
        self._check_sticky(dvp, vp, cred)
        return self._remove_name(dvp, name)

    def link(self, path: str, newpath: str, cwd: Vnode | None = None, cred=None) -> Vnode:
        """Give the file at path a second name newpath (a hard link).

        Directories cannot be linked (EPERM): the tree must stay a tree.
        """
        vp = self.lookup(path, cwd, cred)
        if vp.is_dir():
            raise SyscallError(Errno.EPERM)
        dvp, name = self.lookup_parent(newpath, cwd, cred)
        if name in (".", "..") or name in dvp.entries:
            raise SyscallError(Errno.EEXIST)
        self.access(dvp, cred, W_OK | X_OK)
        self._link(dvp, name, vp)
        return vp

    def rename(self, path: str, newpath: str, cwd: Vnode | None = None, cred=None) -> None:
        """Move the name path to newpath, replacing what newpath named.

        A file may replace a file, a directory an empty directory; a
        directory cannot move into itself (EINVAL).
        """
        fdvp, fname = self.lookup_parent(path, cwd, cred)
        if fname in (".", ".."):
            raise SyscallError(Errno.EINVAL)
        vp = self.lookup_in(fdvp, fname, cred)
        tdvp, tname = self.lookup_parent(newpath, cwd, cred)
        if tname in (".", ".."):
            raise SyscallError(Errno.EINVAL)
        self.access(fdvp, cred, W_OK | X_OK)
        self.access(tdvp, cred, W_OK | X_OK)
        self._check_sticky(fdvp, vp, cred)
        if tdvp.nlink == 0:                    # a removed directory takes no new names
            raise SyscallError(Errno.ENOENT)
        if vp.is_dir():
            up = tdvp
            while True:                        # is the target inside the moved directory?
                if up is vp:
                    raise SyscallError(Errno.EINVAL)
                if up is self.root:
                    break
                up = up.parent
        old = tdvp.entries.get(tname)
        if old is vp:
            return                             # two names of one file: nothing to do
        if old is not None:
            if old.is_dir() and not vp.is_dir():
                raise SyscallError(Errno.EISDIR)
            if vp.is_dir() and not old.is_dir():
                raise SyscallError(Errno.ENOTDIR)
            if old.is_dir() and old.entries:
                raise SyscallError(Errno.ENOTEMPTY)
            self._check_sticky(tdvp, old, cred)
            self._remove_name(tdvp, tname)
        self._remove_name(fdvp, fname)
        self._link(tdvp, tname, vp)

    def mknod(self, path: str, device, mode: int = 0o666, rdev: int = 0) -> Vnode:
        """Enter a character device at path (devfs uses this at boot)."""
        dvp, name = self.lookup_parent(path)
        if name in dvp.entries:
            raise SyscallError(Errno.EEXIST)
        vp = self._new(VType.VCHR, mode, uid=0, gid=0)
        vp.device = device
        vp.rdev = rdev
        self._link(dvp, name, vp)
        return vp

    # -- regular file data ----------------------------------------------------

    @staticmethod
    def read_at(vp: Vnode, offset: int, n: int) -> bytes:
        """Up to n bytes of vp's data from offset (b"" at or past the end)."""
        vp.touch(a=True)
        return bytes(vp.data[offset:offset + n])

    @staticmethod
    def write_at(vp: Vnode, offset: int, data: bytes) -> int:
        """Write data at offset, filling any hole with zeros; returns len(data).

        EFBIG if the file would grow past MAXFILESIZE.
        """
        if offset + len(data) > MAXFILESIZE:
            raise SyscallError(Errno.EFBIG)
        if offset > len(vp.data):
            vp.data.extend(bytes(offset - len(vp.data)))
        vp.data[offset:offset + len(data)] = data
        vp.touch(m=True, c=True)
        return len(data)

    @staticmethod
    def truncate(vp: Vnode, length: int = 0) -> None:
        """Cut (or zero-extend) vp's data to length bytes."""
        if length > MAXFILESIZE:
            raise SyscallError(Errno.EFBIG)
        if length < len(vp.data):
            del vp.data[length:]
        else:
            vp.data.extend(bytes(length - len(vp.data)))
        vp.touch(m=True, c=True)

    # -- the host's side: boot and notebooks ------------------------------------

    def mkdir_p(self, path: str, mode: int = 0o755) -> Vnode:
        """Make path and its missing parents (like ``mkdir -p``); returns it."""
        vp = self.root
        for name in self._split(path):
            nxt = vp.entries.get(name) if name not in (".", "..") else self.lookup_in(vp, name, None)
            if nxt is None:
                nxt = self._new(VType.VDIR, mode, uid=0, gid=0)
                self._link(vp, name, nxt)
            elif not nxt.is_dir():
                raise NotADirectoryError(f"mkdir_p({path!r}): {name!r} exists and is not a directory")
            vp = nxt
        return vp

    def install_file(self, path: str, data: bytes, mode: int = 0o755,
                     uid: int = 0, gid: int = 0) -> Vnode:
        """Put a regular file at absolute path with these contents (replacing one)."""
        if not path.startswith("/"):
            raise ValueError(f"install_file: expected an absolute path, found {path!r}")
        head, _, name = path.rstrip("/").rpartition("/")
        dvp = self.mkdir_p(head or "/")
        vp = dvp.entries.get(name)
        if vp is None:
            vp = self._new(VType.VREG, mode, uid=uid, gid=gid)
            self._link(dvp, name, vp)
        elif vp.vtype is not VType.VREG:
            raise IsADirectoryError(f"install_file({path!r}): exists and is not a regular file")
        vp.data[:] = bytes(data)
        vp.mode, vp.uid, vp.gid = mode & ALLPERMS, uid, gid
        vp.touch(m=True, c=True)
        return vp

    def read_file(self, path: str) -> bytes:
        """The contents of the regular file at path (for notebooks and tests)."""
        try:
            vp = self.lookup(path)
        except SyscallError as e:
            raise FileNotFoundError(f"read_file({path!r}): {e}") from None
        if vp.vtype is not VType.VREG:
            raise IsADirectoryError(f"read_file({path!r}): not a regular file ({vp.vtype.name})")
        return bytes(vp.data)

    def listdir(self, path: str = "/") -> list[str]:
        """The names in directory path, in the order they were made."""
        vp = self.lookup(path)
        if not vp.is_dir():
            raise NotADirectoryError(f"listdir({path!r}): not a directory")
        return list(vp.entries)

    def tree(self, path: str = "/") -> str:
        """An ``ls -lR``-like picture of the tree under path, one line per file (for notebooks)."""
        lines: list[str] = []

        def walk(vp: Vnode, name: str, depth: int) -> None:
            lines.append(f"{mode_string(vp.st_mode)} {vp.nlink:2} {vp.uid:4} {vp.gid:4} "
                         f"{vp.size:7}  {'    ' * depth}{name}")
            if vp.is_dir():
                for child_name, child in vp.entries.items():
                    walk(child, child_name + ("/" if child.is_dir() else ""), depth + 1)

        walk(self.lookup(path), path, 0)
        return "\n".join(lines)

    def path_of(self, vp: Vnode) -> str:
        """The absolute path of directory vp (for getcwd and for display)."""
        if not vp.is_dir():
            raise ValueError("path_of: only directories know their parent")
        names = []
        while vp is not self.root:
            parent = vp.parent
            name = next((n for n, v in parent.entries.items() if v is vp), None)
            if name is None:                   # removed while still someone's cwd
                raise SyscallError(Errno.ENOENT)
            names.append(name)
            vp = parent
        return "/" + "/".join(reversed(names))
