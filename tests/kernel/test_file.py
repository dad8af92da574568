"""Unit tests of open files and descriptor tables (oskit/kernel/fs/file.py)."""

import itertools

import pytest

from oskit.kernel.errno import Errno
from oskit.kernel.fs.file import (
    O_APPEND,
    O_RDONLY,
    O_RDWR,
    O_WRONLY,
    SEEK_CUR,
    SEEK_END,
    SEEK_SET,
    File,
    FileTable,
    VnodeFile,
    open_vnode,
)
from oskit.kernel.fs.vfs import VFS
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import NOFILE


class Probe(File):
    """A File that records when it is released (to watch reference counting)."""

    def __init__(self):
        super().__init__(O_RDWR)
        self.released = 0

    def release(self):
        self.released += 1


@pytest.fixture
def vfs():
    ticks = itertools.count(0, 1000)
    return VFS(clock=lambda: next(ticks))


def errno_of(fn, *args, **kw):
    with pytest.raises(SyscallError) as info:
        fn(*args, **kw)
    return info.value.errno


def test_alloc_takes_lowest_free():
    """alloc returns the lowest closed descriptor, reusing a hole left by close."""
    fdt = FileTable()
    assert [fdt.alloc(Probe()) for _ in range(4)] == [0, 1, 2, 3]
    fdt.close(1)
    assert fdt.alloc(Probe()) == 1
    assert fdt.alloc(Probe(), lowest=10) == 10
    assert fdt.alloc(Probe()) == 4


def test_get_bad_descriptor():
    """get of a closed, negative or too-large descriptor is EBADF."""
    fdt = FileTable()
    fdt.alloc(Probe())
    for fd in (1, -1, NOFILE, 1 << 40):
        assert errno_of(fdt.get, fd) == Errno.EBADF
    assert errno_of(fdt.close, 5) == Errno.EBADF


def test_emfile_at_limit():
    """Once every descriptor is taken, alloc fails with EMFILE."""
    fdt = FileTable(limit=3)
    for _ in range(3):
        fdt.alloc(Probe())
    assert errno_of(fdt.alloc, Probe()) == Errno.EMFILE


def test_release_on_last_close():
    """A file shared by dup is released only when its last descriptor closes."""
    fdt = FileTable()
    f = Probe()
    fd = fdt.alloc(f)
    fd2 = fdt.alloc(fdt.get(fd))
    assert f.refs == 2
    fdt.close(fd)
    assert f.released == 0
    fdt.close(fd2)
    assert f.released == 1 and f.closed


def test_dup2_replaces_and_closes_target():
    """dup2 closes what new held and points it at old's file; dup2(fd, fd) is a no-op."""
    fdt = FileTable()
    a, b = Probe(), Probe()
    fa, fb = fdt.alloc(a), fdt.alloc(b)
    assert fdt.dup2(fa, fb) == fb
    assert fdt.get(fb) is a and b.released == 1 and a.refs == 2
    assert fdt.dup2(fa, fa) == fa and a.refs == 2
    assert errno_of(fdt.dup2, fa, NOFILE) == Errno.EBADF
    assert errno_of(fdt.dup2, 7, 3) == Errno.EBADF
    assert fdt.dup2(fa, 9) == 9 and fdt.get(9) is a


def test_dup2_onto_last_reference_of_same_file():
    """dup2 of a descriptor onto another of the same file keeps the file open."""
    fdt = FileTable()
    a = Probe()
    fa = fdt.alloc(a)
    fb = fdt.alloc(a)
    fdt.dup2(fa, fb)
    assert a.released == 0 and a.refs == 2


def test_fork_shares_files_and_offsets(vfs):
    """A forked table points at the same Files: one offset moves for both."""
    vp = vfs.install_file("/f", b"abcdef", mode=0o644)
    parent = FileTable()
    fd = parent.alloc(open_vnode(vp, O_RDONLY))
    child = parent.fork()
    assert child.get(fd).read(None, 2) == b"ab"
    assert parent.get(fd).read(None, 2) == b"cd"
    assert parent.get(fd).refs == 2


def test_separate_opens_have_separate_offsets(vfs):
    """Two opens of one file keep two offsets."""
    vp = vfs.install_file("/f", b"abcdef", mode=0o644)
    f1, f2 = open_vnode(vp, O_RDONLY), open_vnode(vp, O_RDONLY)
    assert f1.read(None, 3) == b"abc"
    assert f2.read(None, 3) == b"abc"


def test_close_all_and_close_on_exec():
    """close_on_exec closes only FD_CLOEXEC descriptors; close_all closes the rest."""
    fdt = FileTable()
    keep, drop = Probe(), Probe()
    fdt.alloc(keep)
    fdt.alloc(drop, cloexec=True)
    fdt.close_on_exec()
    assert [fd for fd, _ in fdt.items()] == [0] and drop.released == 1
    fdt.close_all()
    assert fdt.items() == [] and keep.released == 1


def test_fork_keeps_cloexec_and_dup2_clears_it():
    """The child inherits FD_CLOEXEC; a dup2 copy starts without it."""
    fdt = FileTable()
    fd = fdt.alloc(Probe(), cloexec=True)
    assert fdt.fork().cloexec[fd]
    fdt.dup2(fd, 5)
    assert not fdt.cloexec[5]


def test_seek_whence(vfs):
    """lseek's SEEK_SET, SEEK_CUR and SEEK_END; a negative result is EINVAL."""
    vp = vfs.install_file("/f", b"0123456789", mode=0o644)
    f = open_vnode(vp, O_RDONLY)
    assert f.seek(3, SEEK_SET) == 3
    assert f.seek(2, SEEK_CUR) == 5
    assert f.read(None, 2) == b"56"
    assert f.seek(-1, SEEK_END) == 9
    assert errno_of(f.seek, -11, SEEK_END) == Errno.EINVAL
    assert errno_of(f.seek, 0, 7) == Errno.EINVAL
    assert f.seek(20, SEEK_SET) == 20 and f.read(None, 5) == b""


def test_append_writes_at_end(vfs):
    """With O_APPEND every write lands at the current end, whatever the offset."""
    vp = vfs.install_file("/log", b"one\n", mode=0o644)
    f = VnodeFile(vp, O_WRONLY | O_APPEND)
    other = VnodeFile(vp, O_WRONLY)
    other.seek(0, SEEK_END)
    other.write(None, b"two\n")
    f.write(None, b"three\n")
    assert vfs.read_file("/log") == b"one\ntwo\nthree\n"


def test_directory_read_is_eisdir(vfs):
    """read() on a directory fails with EISDIR; dirents lists '.', '..' and names."""
    d = vfs.mkdir_p("/d")
    vfs.install_file("/d/x", b"")
    f = open_vnode(d, O_RDONLY)
    assert errno_of(f.read, None, 10) == Errno.EISDIR
    raw = f.dirents(4096)
    names = []
    while raw:
        reclen = int.from_bytes(raw[16:18], "little")
        namlen = int.from_bytes(raw[20:22], "little")
        names.append(raw[24:24 + namlen].decode())
        raw = raw[reclen:]
    assert names == [".", "..", "x"]
    assert f.dirents(4096) == b""


def test_access_mode_properties():
    """O_RDONLY files are readable only, O_WRONLY writable only, O_RDWR both."""
    assert (Probe().readable, Probe().writable) == (True, True)
    f = File(O_WRONLY)
    assert (f.readable, f.writable) == (False, True)
    f = File(O_RDONLY)
    assert (f.readable, f.writable) == (True, False)


def test_dev_null_and_zero(vfs):
    """/dev/null reads end at once and swallows writes; /dev/zero reads zeros."""
    from oskit.kernel.fs.devfs import populate
    from oskit.kernel.fs.vfs import S_IFCHR
    populate(vfs, kernel=None)
    null = open_vnode(vfs.lookup("/dev/null"), O_RDWR, "/dev/null")
    zero = open_vnode(vfs.lookup("/dev/zero"), O_RDWR, "/dev/zero")
    assert null.read(None, 100) == b"" and null.write(None, b"gone") == 4
    assert zero.read(None, 5) == b"\0" * 5 and zero.write(None, b"x") == 1
    assert null.seek(10, SEEK_SET) == 0
    assert null.stat().mode & 0o170000 == S_IFCHR
    assert errno_of(null.ioctl, None, 0x402C7413, 0) == Errno.ENOTTY
    assert vfs.listdir("/dev") == ["console", "null", "zero"]


def test_describe_shows_sharing(vfs):
    """describe() letters open files so descriptors sharing one show the same letter."""
    vp = vfs.install_file("/f", b"abc", mode=0o644)
    fdt = FileTable()
    f = open_vnode(vp, O_RDONLY, "/f")
    fdt.alloc(f)
    fdt.alloc(f)
    fdt.alloc(open_vnode(vp, O_WRONLY | O_APPEND, "/f"), cloexec=True)
    f.read(None, 2)
    assert fdt.describe().splitlines() == [
        "  0  O_RDONLY  /f offset 2  (open file A, 2 descriptors)",
        "  1  O_RDONLY  /f offset 2  (open file A, 2 descriptors)",
        "  2  O_WRONLY O_APPEND FD_CLOEXEC  /f offset 0  (open file B, 1 descriptor)",
    ]


def test_seek_past_off_max(vfs):
    """An offset beyond the largest off_t is EOVERFLOW, and the offset stays put."""
    f = open_vnode(vfs.install_file("/f", b"abc"), O_RDONLY)
    f.seek(1 << 62, SEEK_SET)
    assert errno_of(f.seek, 1 << 62, SEEK_CUR) == Errno.EOVERFLOW
    assert f.offset == 1 << 62


def test_set_limit_like_rlimit_nofile():
    """Lowering the limit stops new descriptors at it but keeps open ones above it; raising grows the table."""
    fdt = FileTable(limit=8)
    f = Probe()
    for _ in range(6):
        fdt.alloc(f)
    fdt.set_limit(4)
    assert errno_of(fdt.alloc, f) == Errno.EMFILE
    assert fdt.get(5) is f                           # still open, still usable
    assert errno_of(fdt.dup2, 0, 4) == Errno.EBADF   # but nothing new at or above the limit
    fdt.close(3)
    assert fdt.alloc(f) == 3
    child = fdt.fork()
    assert child.limit == 4 and child.get(5) is f
    fdt.set_limit(100)
    assert fdt.alloc(f, lowest=90) == 90
