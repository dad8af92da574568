"""File system calls called directly on a booted kernel: rules that differ between UNIXes (FreeBSD's here)."""

import pytest
from elftools.elf.elffile import ELFFile

from oskit.kernel.errno import Errno
from oskit.kernel.fs import sys_file  # noqa: F401  (registers the handlers)
from oskit.kernel.kern.syscall import HANDLERS, SyscallError
from oskit.kernel.kernel import boot
from oskit.toolchain import build

PROGRAM = r"""
char paths[2][32] = {"/tmp/f", "/tmp"};
int main(void) { return paths[0][0] == 0; }   /* uses paths, so the linker keeps it */
"""


def user_process(uid=1000, gid=1000):
    """A kernel, a process of uid/gid stopped before its first instruction, and the address of "/tmp/f" in it."""
    k = boot(programs=False)
    elf = build({"victim.c": PROGRAM}, mode="user")
    k.install_program("/bin/victim", elf.read_bytes())
    with open(elf, "rb") as f:
        paths = ELFFile(f).get_section_by_name(".symtab").get_symbol_by_name("paths")[0]["st_value"]
    p = k.spawn("/bin/victim", ["victim"], uid=uid, gid=gid)
    return k, p.main_thread, paths


def test_chmod_setid_rules():
    """A non-root owner gets EPERM for S_ISGID with a foreign group and EFTYPE for a sticky file (FreeBSD)."""
    k, td, tmp_f = user_process()
    k.vfs.install_file("/tmp/f", b"", mode=0o755, uid=1000, gid=0)
    chmod = HANDLERS["chmod"].fn
    with pytest.raises(SyscallError) as e:
        chmod(td, tmp_f, 0o2755)                 # group 0 is not one of ours
    assert e.value.errno == Errno.EPERM
    with pytest.raises(SyscallError) as e:
        chmod(td, tmp_f, 0o1755)
    assert e.value.errno == Errno.EFTYPE
    chmod(td, tmp_f, 0o4755)                     # set-user-id on our own file: fine
    assert k.vfs.lookup("/tmp/f").mode == 0o4755


def test_root_keeps_setid_bits_on_chown():
    """Root giving a set-user-id file to someone else keeps its bits (FreeBSD; Linux clears them)."""
    k, td, tmp_f = user_process(uid=0, gid=0)
    k.vfs.install_file("/tmp/f", b"", mode=0o6755, uid=0, gid=0)
    HANDLERS["chown"].fn(td, tmp_f, 1000, 1000)
    vp = k.vfs.lookup("/tmp/f")
    assert (vp.uid, vp.gid, vp.mode) == (1000, 1000, 0o6755)


def test_unlink_directory_is_eperm():
    """unlink(2) of a directory is EPERM on FreeBSD (Linux says EISDIR)."""
    k, td, tmp_f = user_process(uid=0, gid=0)
    with pytest.raises(SyscallError) as e:
        HANDLERS["unlink"].fn(td, tmp_f + 32)    # "/tmp"
    assert e.value.errno == Errno.EPERM
