"""The file system calls: what a program reaches through a descriptor or a path.

Each handler checks its arguments, does the work with the VFS (vfs.py), the
open-file layer (file.py), pipes (pipe.py) and devices (devfs.py), and
returns the result or raises ``SyscallError(errno)``. User memory is touched
only through copyin/copyout/copyinstr (uio.py).

    descriptors     read write close dup dup2 fcntl lseek fstat ioctl
                    getdirentries pipe2
    names           open openat unlink rmdir mkdir link rename chdir fchdir
                    __getcwd access fstatat chmod chown umask

A handler that may block (read of an empty pipe or of the console, write to
a full pipe) raises ``Sleep`` from inside ``File.read``/``File.write`` before
it changes anything, and runs again from the top when woken.
"""

from __future__ import annotations

from oskit.kernel.errno import Errno
from oskit.kernel.fs.file import (
    FD_CLOEXEC,
    O_ACCMODE,
    O_CLOEXEC,
    O_CREAT,
    O_DIRECTORY,
    O_EXCL,
    O_NONBLOCK,
    O_TRUNC,
    STATUS_FLAGS,
    VnodeFile,
    open_vnode,
)
from oskit.kernel.fs.pipe import make_pipe
from oskit.kernel.fs.vfs import ALLPERMS, PATH_MAX, R_OK, S_ISGID, S_ISUID, S_ISVTX, W_OK, X_OK, Vnode, VType
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.riscv.copyinout import copyin, copyinstr, copyout, copyout_u64

AT_FDCWD = -100             # "relative to the working directory" for the *at calls
AT_EACCESS = 0x100          # faccessat: check the effective ids
AT_SYMLINK_NOFOLLOW = 0x200
AT_REMOVEDIR = 0x800

F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL = 0, 1, 2, 3, 4
F_DUPFD_CLOEXEC = 17

IOSIZE_MAX = (1 << 63) - 1  # larger read/write sizes are EINVAL
MAXIO = 1 << 20             # one read or write moves at most 1 MiB (a short count beyond)


# -- helpers ----------------------------------------------------------------------

def _path(td, upath: int) -> str:
    """The path string at user address upath (EFAULT, ENAMETOOLONG)."""
    return copyinstr(td, upath, PATH_MAX)


def _start_dir(td, dirfd: int, path: str) -> Vnode:
    """Where a relative path starts for an *at call: cwd for AT_FDCWD, else dirfd's directory."""
    if path.startswith("/") or dirfd == AT_FDCWD:
        return td.proc.cwd
    file = td.proc.fdtable.get(dirfd)
    if not isinstance(file, VnodeFile) or not file.vnode.is_dir():
        raise SyscallError(Errno.ENOTDIR)
    return file.vnode


def _vfs(td):
    return td.proc.kernel.vfs


# -- descriptors ------------------------------------------------------------------

@syscall
def sys_read(td, fd, buf, nbyte):
    """Read up to nbyte bytes from fd into buf; 0 at end of file."""
    return read_into(td, fd, buf, nbyte, copyout)


def read_into(td, fd, buf, nbyte, copy) -> int:
    """read(2)'s work, with ``copy(td, buf, data)`` moving the bytes to the user (copyout)."""
    file = td.proc.fdtable.get(fd)
    if not file.readable:
        raise SyscallError(Errno.EBADF)
    if nbyte > IOSIZE_MAX:
        raise SyscallError(Errno.EINVAL)
    offset = file.offset
    data = file.read(td, min(nbyte, MAXIO))       # may Sleep: nothing changed yet
    try:
        copy(td, buf, data)
    except SyscallError:
        file.offset = offset                       # a bad buffer does not move the offset
        raise
    return len(data)


@syscall
def sys_write(td, fd, buf, nbyte):
    """Write nbyte bytes from buf to fd; returns how many were written."""
    file = td.proc.fdtable.get(fd)
    if not file.writable:
        raise SyscallError(Errno.EBADF)
    if nbyte > IOSIZE_MAX:
        raise SyscallError(Errno.EINVAL)
    # The bytes are copied now: changing buf after write returns changes nothing.
    data = copyin(td, buf, min(nbyte, MAXIO))
    return file.write(td, data)


@syscall
def sys_close(td, fd):
    """Close descriptor fd."""
    td.proc.fdtable.close(fd)


@syscall
def sys_dup(td, fd):
    """A new descriptor, the lowest free one, for the same open file as fd."""
    fdt = td.proc.fdtable
    return fdt.alloc(fdt.get(fd))


@syscall
def sys_dup2(td, from_fd, to_fd):
    """Make to_fd refer to from_fd's open file (closing to_fd first)."""
    return td.proc.fdtable.dup2(from_fd, to_fd)


@syscall
def sys_fcntl(td, fd, cmd, arg):
    """Descriptor flags (FD_CLOEXEC), status flags (O_APPEND, O_NONBLOCK), F_DUPFD."""
    fdt = td.proc.fdtable
    file = fdt.get(fd)
    if cmd in (F_DUPFD, F_DUPFD_CLOEXEC):
        if not 0 <= arg < fdt.limit:
            raise SyscallError(Errno.EINVAL)
        return fdt.alloc(file, lowest=arg, cloexec=cmd == F_DUPFD_CLOEXEC)
    if cmd == F_GETFD:
        return FD_CLOEXEC if fdt.cloexec[fd] else 0
    if cmd == F_SETFD:
        fdt.cloexec[fd] = bool(arg & FD_CLOEXEC)
        return 0
    if cmd == F_GETFL:
        return file.flags
    if cmd == F_SETFL:
        file.flags = file.flags & ~STATUS_FLAGS | arg & STATUS_FLAGS
        return 0
    raise SyscallError(Errno.EINVAL)


@syscall
def sys_lseek(td, fd, offset, whence):
    """Move fd's offset; ESPIPE on a pipe or a tty."""
    return td.proc.fdtable.get(fd).seek(offset, whence)


@syscall
def sys_fstat(td, fd, sb):
    """Copy out the struct stat of fd's file."""
    st = td.proc.fdtable.get(fd).stat()
    copyout(td, sb, st.pack())


@syscall
def sys_ioctl(td, fd, com, data):
    """A device request; only the console answers one (TIOCGETA, for isatty)."""
    return td.proc.fdtable.get(fd).ioctl(td, com, data)


@syscall
def sys_getdirentries(td, fd, buf, count, basep):
    """Fill buf with struct dirent records of directory fd; 0 after the last."""
    file = td.proc.fdtable.get(fd)
    if not isinstance(file, VnodeFile):
        raise SyscallError(Errno.EINVAL)
    base = file.offset
    data = file.dirents(min(count, MAXIO))
    try:
        copyout(td, buf, data)
        if basep:
            copyout_u64(td, basep, base)
    except SyscallError:
        file.offset = base
        raise
    return len(data)


@syscall
def sys_pipe2(td, fildes, flags):
    """Make a pipe; fildes[0] is its read end, fildes[1] its write end."""
    if flags & ~(O_NONBLOCK | O_CLOEXEC):
        raise SyscallError(Errno.EINVAL)
    fdt = td.proc.fdtable
    cred = td.proc.cred
    fdt.lowest_free(fdt.lowest_free() + 1)         # EMFILE unless two descriptors are free
    rfile, wfile = make_pipe(td.proc.kernel, flags & O_NONBLOCK, owner=(cred.euid, cred.egid), td=td)
    cloexec = bool(flags & O_CLOEXEC)
    rfd = fdt.alloc(rfile, cloexec=cloexec)
    wfd = fdt.alloc(wfile, cloexec=cloexec)
    try:
        copyout(td, fildes, rfd.to_bytes(4, "little") + wfd.to_bytes(4, "little"))
    except SyscallError:
        fdt.close(rfd)
        fdt.close(wfd)
        raise


# -- names ------------------------------------------------------------------------

@syscall
def sys_open(td, path, flags, mode):
    """open(path, flags, mode) is openat(AT_FDCWD, path, flags, mode)."""
    return sys_openat(td, AT_FDCWD, path, flags, mode)


@syscall
def sys_openat(td, fd, path, flag, mode):
    """Open (and with O_CREAT maybe create) path; returns the lowest free descriptor.

    Permission: read access needs r, write access (or O_TRUNC) needs w on the
    file; a file this call creates is opened whatever its new mode says.
    """
    name = _path(td, path)
    proc = td.proc
    vfs = _vfs(td)
    cred = proc.cred
    start = _start_dir(td, fd, name)
    access = flag & O_ACCMODE
    if access == O_ACCMODE:
        raise SyscallError(Errno.EINVAL)
    proc.fdtable.lowest_free()                     # EMFILE before creating anything
    created = False
    if flag & O_CREAT:
        dvp, last = vfs.lookup_parent(name, start, cred)
        try:
            vp = vfs.lookup_in(dvp, last, cred)
        except SyscallError as e:
            if e.errno != Errno.ENOENT:
                raise
            vp = None
        if vp is not None and flag & O_EXCL:
            raise SyscallError(Errno.EEXIST)
        if vp is None:
            if name.endswith("/"):
                raise SyscallError(Errno.EISDIR)
            vp = vfs.create(dvp, last, mode & ~proc.umask & ALLPERMS, cred)
            created = True
    else:
        vp = vfs.lookup(name, start, cred)
    if flag & O_DIRECTORY and not vp.is_dir():
        raise SyscallError(Errno.ENOTDIR)
    if vp.is_dir() and (access != 0 or flag & (O_CREAT | O_TRUNC)):
        raise SyscallError(Errno.EISDIR)
    if not created:
        want = 0
        if access in (0, 2):
            want |= R_OK
        if access in (1, 2) or flag & O_TRUNC:
            want |= W_OK
        vfs.access(vp, cred, want)
    if flag & O_TRUNC and vp.vtype is VType.VREG and access != 0:
        vfs.truncate(vp, 0)
    file = open_vnode(vp, flag, name)
    return proc.fdtable.alloc(file, cloexec=bool(flag & O_CLOEXEC))


@syscall
def sys_unlink(td, path):
    """Remove the name path (a directory is EPERM: use rmdir)."""
    _vfs(td).unlink(_path(td, path), td.proc.cwd, td.proc.cred)


@syscall
def sys_rmdir(td, path):
    """Remove the empty directory path."""
    _vfs(td).rmdir(_path(td, path), td.proc.cwd, td.proc.cred)


@syscall
def sys_mkdir(td, path, mode):
    """Make directory path with mode & ~umask."""
    _vfs(td).mkdir(_path(td, path), mode & ~td.proc.umask & ALLPERMS, td.proc.cwd, td.proc.cred)


@syscall
def sys_link(td, path, link):
    """Make link a second name of the file at path."""
    _vfs(td).link(_path(td, path), _path(td, link), td.proc.cwd, td.proc.cred)


@syscall
def sys_rename(td, from_path, to_path):
    """Move a name (replacing the target, as POSIX allows)."""
    _vfs(td).rename(_path(td, from_path), _path(td, to_path), td.proc.cwd, td.proc.cred)


def _enter_dir(td, vp: Vnode) -> None:
    if not vp.is_dir():
        raise SyscallError(Errno.ENOTDIR)
    _vfs(td).access(vp, td.proc.cred, X_OK)
    td.proc.cwd = vp


@syscall
def sys_chdir(td, path):
    """Make path the working directory (needs search permission)."""
    _enter_dir(td, _vfs(td).lookup(_path(td, path), td.proc.cwd, td.proc.cred))


@syscall
def sys_fchdir(td, fd):
    """Make the directory open at fd the working directory."""
    file = td.proc.fdtable.get(fd)
    if not isinstance(file, VnodeFile):
        raise SyscallError(Errno.ENOTDIR)
    _enter_dir(td, file.vnode)


@syscall(name="__getcwd")
def sys___getcwd(td, buf, buflen):
    """Copy the working directory's absolute path (NUL-terminated) to buf; ERANGE if too small."""
    raw = _vfs(td).path_of(td.proc.cwd).encode("utf-8", "surrogateescape") + b"\0"
    if len(raw) > buflen:
        raise SyscallError(Errno.ERANGE)
    copyout(td, buf, raw)


@syscall
def sys_access(td, path, amode):
    """Check path against the real uid and gid: F_OK (0) or R_OK|W_OK|X_OK."""
    if amode & ~(R_OK | W_OK | X_OK):
        raise SyscallError(Errno.EINVAL)
    vfs = _vfs(td)
    cred = td.proc.cred
    vp = vfs.lookup(_path(td, path), td.proc.cwd, cred)
    vfs.access(vp, cred, amode, real=True)


@syscall
def sys_fstatat(td, fd, path, buf, flag):
    """stat(path) relative to fd (AT_FDCWD: the working directory)."""
    if flag & ~AT_SYMLINK_NOFOLLOW:
        raise SyscallError(Errno.EINVAL)
    name = _path(td, path)
    vp = _vfs(td).lookup(name, _start_dir(td, fd, name), td.proc.cred)
    copyout(td, buf, vp.stat().pack())


@syscall
def sys_chmod(td, path, mode):
    """Change path's permission bits: only its owner or root may.

    An owner who is not root may not make a file set-group-id for a group it
    is not in (EPERM), nor make a non-directory sticky (EFTYPE), as on FreeBSD.
    """
    cred = td.proc.cred
    vp = _vfs(td).lookup(_path(td, path), td.proc.cwd, cred)
    if cred.euid not in (0, vp.uid):
        raise SyscallError(Errno.EPERM)
    if cred.euid != 0:
        if mode & S_ISVTX and not vp.is_dir():
            raise SyscallError(Errno.EFTYPE)
        if mode & S_ISGID and vp.gid not in (cred.egid, *cred.groups):
            raise SyscallError(Errno.EPERM)
    vp.mode = mode & ALLPERMS
    vp.touch(c=True)


@syscall
def sys_chown(td, path, uid, gid):
    """Change path's owner and group (-1 keeps one): only root may give files away."""
    cred = td.proc.cred
    vp = _vfs(td).lookup(_path(td, path), td.proc.cwd, cred)
    if cred.euid != 0:
        # An owner may only change the group to one of its own groups.
        if uid not in (-1, vp.uid) or cred.euid != vp.uid or \
                gid not in (-1, *cred.groups, cred.egid):
            raise SyscallError(Errno.EPERM)
    # uid_t and gid_t are unsigned 32-bit: (uid_t)-1 means "leave it".
    new_uid = vp.uid if uid == -1 else uid & 0xFFFFFFFF
    new_gid = vp.gid if gid == -1 else gid & 0xFFFFFFFF
    if (new_uid, new_gid) != (vp.uid, vp.gid) and cred.euid != 0:
        # A set-id program given to another owner or group must not keep
        # running as them: the set-id bits go (root may keep them).
        vp.mode &= ~(S_ISUID | S_ISGID)
    vp.uid, vp.gid = new_uid, new_gid
    vp.touch(c=True)


@syscall
def sys_umask(td, newmask):
    """Set the file-creation mask; returns the old one (it cannot fail)."""
    old = td.proc.umask
    td.proc.umask = newmask & 0o777
    return old
