"""Unit tests of the in-memory file system (oskit/kernel/fs/vfs.py)."""

import itertools
from dataclasses import dataclass

import pytest

from oskit.kernel.errno import Errno
from oskit.kernel.fs.vfs import R_OK, S_IFDIR, S_IFREG, STAT_SIZE, VFS, W_OK, X_OK, Stat, VType, pack_dirent
from oskit.kernel.kern.syscall import SyscallError


@dataclass
class Cred:
    """The credential fields the VFS reads (the kernel's ucred has the same names)."""

    uid: int
    gid: int
    euid: int | None = None
    egid: int | None = None
    groups: tuple = ()

    def __post_init__(self):
        self.euid = self.uid if self.euid is None else self.euid
        self.egid = self.gid if self.egid is None else self.egid


ROOT = Cred(0, 0)
ALICE = Cred(1001, 100)
BOB = Cred(1002, 200)


@pytest.fixture
def vfs():
    ticks = itertools.count(1_000_000_000, 1000)
    return VFS(clock=lambda: next(ticks))


def errno_of(fn, *args, **kw):
    with pytest.raises(SyscallError) as info:
        fn(*args, **kw)
    return info.value.errno


def test_root_is_its_own_parent(vfs):
    """'/..' and '/.' both name the root, as on every UNIX."""
    assert vfs.lookup("/..") is vfs.root
    assert vfs.lookup("/./../.") is vfs.root
    assert vfs.path_of(vfs.root) == "/"


def test_relative_lookup_starts_at_cwd(vfs):
    """A relative path is resolved from the given working directory, '..' climbs up."""
    home = vfs.mkdir_p("/home/alice")
    f = vfs.install_file("/home/alice/notes", b"hi")
    assert vfs.lookup("notes", cwd=home) is f
    assert vfs.lookup("../alice/./notes", cwd=home) is f
    assert vfs.lookup("/home", cwd=home) is home.parent


def test_lookup_errors(vfs):
    """Missing names give ENOENT, a file used as a directory ENOTDIR, '' ENOENT."""
    vfs.install_file("/etc/motd", b"welcome")
    assert errno_of(vfs.lookup, "/etc/nope") == Errno.ENOENT
    assert errno_of(vfs.lookup, "/etc/motd/x") == Errno.ENOTDIR
    assert errno_of(vfs.lookup, "/etc/motd/") == Errno.ENOTDIR
    assert errno_of(vfs.lookup, "") == Errno.ENOENT
    assert vfs.lookup("/etc/") is vfs.lookup("/etc")


def test_name_too_long(vfs):
    """A component over 255 bytes or a path of 1024 bytes or more is ENAMETOOLONG."""
    assert errno_of(vfs.lookup, "/" + "a" * 256) == Errno.ENAMETOOLONG
    assert errno_of(vfs.lookup, "/a" * 512) == Errno.ENAMETOOLONG
    assert errno_of(vfs.lookup, "/" + "a" * 255) == Errno.ENOENT


def test_mkdir_link_counts(vfs):
    """A new directory has 2 links ('name' and '.') and adds one to its parent ('..')."""
    before = vfs.root.nlink
    d = vfs.mkdir("/d", 0o755)
    assert d.nlink == 2 and vfs.root.nlink == before + 1
    vfs.mkdir("/d/e", 0o700)
    assert d.nlink == 3
    assert vfs.lookup("/d/e").stat().mode == S_IFDIR | 0o700
    assert errno_of(vfs.mkdir, "/d") == Errno.EEXIST
    assert errno_of(vfs.mkdir, "/") == Errno.EEXIST
    assert errno_of(vfs.mkdir, "/nope/x") == Errno.ENOENT


def test_unlink_keeps_open_vnode(vfs):
    """Unlinking removes the name; the vnode still holds its data with nlink 0."""
    f = vfs.install_file("/tmp/f", b"data", mode=0o644)
    assert f.nlink == 1
    assert vfs.unlink("/tmp/f") is f
    assert f.nlink == 0 and bytes(f.data) == b"data"
    assert errno_of(vfs.lookup, "/tmp/f") == Errno.ENOENT
    assert errno_of(vfs.unlink, "/tmp/f") == Errno.ENOENT


def test_unlink_directory_is_eperm(vfs):
    """unlink on a directory fails with EPERM, FreeBSD's answer."""
    vfs.mkdir_p("/tmp/d")
    assert errno_of(vfs.unlink, "/tmp/d") == Errno.EPERM


def test_rmdir(vfs):
    """rmdir removes an empty directory; ENOTEMPTY, ENOTDIR and EINVAL otherwise."""
    vfs.mkdir_p("/a/b")
    vfs.install_file("/a/f", b"")
    assert errno_of(vfs.rmdir, "/a") == Errno.ENOTEMPTY
    assert errno_of(vfs.rmdir, "/a/f") == Errno.ENOTDIR
    assert errno_of(vfs.rmdir, "/a/b/.") == Errno.EINVAL
    links = vfs.lookup("/a").nlink
    vfs.rmdir("/a/b")
    assert vfs.lookup("/a").nlink == links - 1
    assert vfs.listdir("/a") == ["f"]


def test_create_owner_and_group(vfs):
    """A created file belongs to the creator's euid and the directory's group."""
    d = vfs.mkdir("/shared", 0o777)
    d.gid = 42
    f = vfs.create(d, "mine", 0o640, ALICE)
    assert (f.uid, f.gid, f.stat().mode) == (1001, 42, S_IFREG | 0o640)
    assert errno_of(vfs.create, d, "mine", 0o640, ALICE) == Errno.EEXIST


def test_access_owner_group_other(vfs):
    """Only the matching class of bits counts: an owner with ---rwxrwx is refused."""
    f = vfs.install_file("/f", b"", mode=0o077, uid=1001, gid=100)
    assert errno_of(vfs.access, f, ALICE, R_OK) == Errno.EACCES
    vfs.access(f, Cred(1003, 100), R_OK | W_OK | X_OK)      # group member
    vfs.access(f, BOB, R_OK | W_OK | X_OK)                  # other
    f.mode = 0o640
    vfs.access(f, ALICE, R_OK | W_OK)
    vfs.access(f, Cred(1003, 5, groups=(100,)), R_OK)       # supplementary group
    assert errno_of(vfs.access, f, Cred(1003, 5, groups=(100,)), W_OK) == Errno.EACCES
    assert errno_of(vfs.access, f, BOB, R_OK) == Errno.EACCES


def test_root_bypass_except_exec(vfs):
    """Root may read and write anything, but executes only files with an x bit."""
    f = vfs.install_file("/secret", b"", mode=0o000, uid=1001)
    vfs.access(f, ROOT, R_OK | W_OK)
    assert errno_of(vfs.access, f, ROOT, X_OK) == Errno.EACCES
    f.mode = 0o001
    vfs.access(f, ROOT, X_OK)


def test_access_real_vs_effective(vfs):
    """access(2) checks the real uid, open(2) the effective one."""
    f = vfs.install_file("/f", b"", mode=0o600, uid=0)
    setuid = Cred(1001, 100, euid=0)
    vfs.access(f, setuid, R_OK)
    assert errno_of(vfs.access, f, setuid, R_OK, real=True) == Errno.EACCES


def test_search_permission_on_path(vfs):
    """Every directory on a path needs x for the caller, else EACCES."""
    vfs.mkdir_p("/private")
    vfs.install_file("/private/f", b"x", mode=0o644)
    vfs.lookup("/private").mode = 0o700
    assert errno_of(vfs.lookup, "/private/f", cred=ALICE) == Errno.EACCES
    assert vfs.lookup("/private/f", cred=ROOT) is not None


def test_create_needs_write_on_directory(vfs):
    """Creating or removing a name needs write permission on the directory."""
    d = vfs.mkdir_p("/ro")
    vfs.install_file("/ro/f", b"")
    assert errno_of(vfs.create, d, "g", 0o644, ALICE) == Errno.EACCES
    assert errno_of(vfs.unlink, "/ro/f", cred=ALICE) == Errno.EACCES
    assert errno_of(vfs.mkdir, "/ro/x", cred=ALICE) == Errno.EACCES


def test_timestamps_from_clock(vfs):
    """Writing advances mtime and ctime; reading advances atime only."""
    f = vfs.install_file("/t", b"")
    t0 = f.stat()
    vfs.write_at(f, 0, b"abc")
    t1 = f.stat()
    assert t1.mtime > t0.mtime and t1.ctime > t0.ctime and t1.atime == t0.atime
    vfs.read_at(f, 0, 3)
    t2 = f.stat()
    assert t2.atime > t1.atime and t2.mtime == t1.mtime


def test_write_past_end_fills_zeros(vfs):
    """A write beyond the end leaves a hole that reads as zeros."""
    f = vfs.install_file("/h", b"ab")
    vfs.write_at(f, 5, b"z")
    assert vfs.read_file("/h") == b"ab\0\0\0z"
    vfs.truncate(f, 1)
    assert vfs.read_file("/h") == b"a"


def test_stat_pack_layout(vfs):
    """struct stat packs to 224 bytes with st_mode at offset 24 and st_size at 112."""
    f = vfs.install_file("/s", b"12345", mode=0o751, uid=7, gid=8)
    raw = f.stat().pack()
    assert len(raw) == STAT_SIZE == 224
    assert int.from_bytes(raw[24:26], "little") == S_IFREG | 0o751
    assert int.from_bytes(raw[28:32], "little") == 7
    assert int.from_bytes(raw[32:36], "little") == 8
    assert int.from_bytes(raw[112:120], "little") == 5
    assert Stat.unpack(raw) == f.stat()


def test_install_and_read_file(vfs):
    """install_file makes parents, replaces contents; read_file gives them back."""
    vfs.install_file("/bin/hello", b"\x7fELF...", mode=0o755)
    vfs.install_file("/bin/hello", b"v2")
    assert vfs.read_file("/bin/hello") == b"v2"
    assert vfs.lookup("/bin").vtype is VType.VDIR
    with pytest.raises(FileNotFoundError, match="/bin/nope"):
        vfs.read_file("/bin/nope")
    with pytest.raises(IsADirectoryError, match="not a regular file"):
        vfs.read_file("/bin")
    with pytest.raises(ValueError, match="absolute path"):
        vfs.install_file("bin/x", b"")


def test_path_of(vfs):
    """path_of walks '..' back to the root to name a directory."""
    d = vfs.mkdir_p("/usr/local/bin")
    assert vfs.path_of(d) == "/usr/local/bin"


def test_dirent_record():
    """A dirent record is 8-byte aligned with the name NUL-terminated at offset 24."""
    rec = pack_dirent(5, 1, 8, "hello")
    assert len(rec) == 32
    assert rec[24:30] == b"hello\0"
    assert int.from_bytes(rec[16:18], "little") == 32


def test_tree_picture(vfs):
    """tree() draws each file with its mode string, links, owner, size, indented by depth."""
    vfs.install_file("/bin/sh", b"x" * 100, mode=0o755)
    assert vfs.tree("/bin").splitlines() == [
        "drwxr-xr-x  2    0    0     512  /bin",
        "-rwxr-xr-x  1    0    0     100      sh",
    ]


def test_sticky_directory(vfs):
    """In a sticky directory like /tmp only a file's owner (or root) may remove or rename it."""
    tmp = vfs.mkdir_p("/tmp")
    tmp.mode = 0o1777
    d = vfs.lookup("/tmp")
    vfs.create(d, "alices", 0o666, ALICE)
    assert errno_of(vfs.unlink, "/tmp/alices", cred=BOB) == Errno.EPERM
    assert errno_of(vfs.rename, "/tmp/alices", "/tmp/bobs", cred=BOB) == Errno.EPERM
    vfs.rename("/tmp/alices", "/tmp/still_alices", cred=ALICE)
    vfs.unlink("/tmp/still_alices", cred=ALICE)
    assert vfs.tree("/tmp").startswith("drwxrwxrwt")


def test_file_size_limit(vfs):
    """A write or truncate past MAXFILESIZE fails with EFBIG instead of exhausting host memory."""
    from oskit.kernel.fs.vfs import MAXFILESIZE
    f = vfs.install_file("/big", b"")
    assert errno_of(vfs.write_at, f, 1 << 62, b"x") == Errno.EFBIG
    assert errno_of(vfs.truncate, f, MAXFILESIZE + 1) == Errno.EFBIG
    assert len(f.data) == 0


def test_removed_directory_takes_no_names(vfs):
    """Once a directory is removed, even through a process's cwd, nothing can be created in it."""
    gone = vfs.mkdir("/gone")
    vfs.install_file("/f", b"")
    vfs.rmdir("/gone")
    assert gone.nlink == 0
    assert errno_of(vfs.create, gone, "x", 0o644) == Errno.ENOENT
    assert errno_of(vfs.mkdir, "x", cwd=gone) == Errno.ENOENT
    assert errno_of(vfs.link, "/f", "x", cwd=gone) == Errno.ENOENT
    assert errno_of(vfs.rename, "/f", "x", cwd=gone) == Errno.ENOENT
    assert vfs.listdir("/") == ["f"] and gone.entries == {}
