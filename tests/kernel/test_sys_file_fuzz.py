"""Robustness of the file system calls: garbage arguments never break the kernel.

A program may pass anything in a0..a7. Every handler of sys_file.py is
called, many times, with random mixes of awkward values (negative and huge
numbers, NULL, unmapped, kernel and valid user pointers): each call must
return a result or fail with an errno (or ask to sleep). Any other Python
exception would be a kernel panic.
"""

import random

import pytest

from oskit.kernel.fs import sys_file  # noqa: F401  (registers the handlers)
from oskit.kernel.kern.syscall import HANDLERS, Sleep, SyscallError
from oskit.kernel.kernel import boot
from oskit.toolchain import build

# A program whose data page holds a few valid strings for path arguments.
PROGRAM = r"""
char paths[4][32] = {"/tmp", "/tmp/f", "/dev/null", "."};
int main(void) { return paths[0][0] == 0; }   /* uses paths, so the linker keeps it */
"""

CALLS = ["read", "write", "open", "openat", "close", "unlink", "rmdir", "mkdir", "link", "rename",
         "chdir", "fchdir", "__getcwd", "access", "fstatat", "chmod", "chown", "umask", "dup",
         "dup2", "fcntl", "lseek", "fstat", "ioctl", "getdirentries", "pipe2"]


@pytest.fixture(scope="module")
def victim():
    """A process stopped before its first instruction, with paths in its data."""
    k = boot(programs=False)
    elf = build({"victim.c": PROGRAM}, mode="user")
    k.install_program("/bin/victim", elf.read_bytes())
    k.vfs.install_file("/tmp/f", b"some data", mode=0o666)
    from elftools.elf.elffile import ELFFile
    with open(elf, "rb") as f:
        paths = ELFFile(f).get_section_by_name(".symtab").get_symbol_by_name("paths")[0]["st_value"]
    p = k.spawn("/bin/victim", ["victim"])
    return k, p.main_thread, paths


def test_handlers_exist():
    """Every call this test throws garbage at has a registered handler."""
    assert [c for c in CALLS if c not in HANDLERS] == []


def test_garbage_arguments_only_give_errnos(victim):
    """3000 calls with random awkward arguments each end in a result, an errno or a sleep."""
    k, td, paths = victim
    stack = (td.frame.sp - 8192) & ~4095   # a page of the user stack, below the initial sp
    numbers = [0, 1, 2, 3, 4, 5, 63, 64, 1000, -1, -100, 2**31 - 1, 2**32 - 1, 2**63 - 1, 2**64 - 1,
               0x402C7413, 0x200 | 0x400 | 1, 0x100000, 0o777, 0o7777]
    pointers = [0, 1, 0x1000, 0xFFFF_FFC0_0000_0000, stack, stack - 4096,
                paths, paths + 32, paths + 64, paths + 96]
    from oskit.kernel.kern import syscalls_table
    rng = random.Random(1234)
    outcomes = {"ok": 0, "errno": 0, "sleep": 0}
    for _ in range(3000):
        name = rng.choice(CALLS)
        info = syscalls_table.BY_NAME[name]
        # Registers hold anything; pointer arguments come mostly from the pointer pool.
        raw = [rng.choice(pointers if a.is_pointer else numbers) & (2**64 - 1) for a in info.args]
        try:
            HANDLERS[name].fn(td, *info.decode_args(raw))
            outcomes["ok"] += 1
        except SyscallError:
            outcomes["errno"] += 1
        except Sleep:
            outcomes["sleep"] += 1
        td.scratch = {}
        _check_invariants(k, td.proc)
    # Then look at everything the garbage may have left behind: stat every
    # path and every descriptor, list every directory.
    for i in range(4):
        _tolerant(HANDLERS["fstatat"].fn, td, -100, paths + 32 * i, stack, 0)
    for fd in range(64):
        _tolerant(HANDLERS["fstat"].fn, td, fd, stack)
        _tolerant(HANDLERS["getdirentries"].fn, td, fd, stack - 4096, 4096, 0)
    k.vfs.tree("/")
    assert outcomes["ok"] > 100 and outcomes["errno"] > 100
    assert k.panic_report is None


def _tolerant(fn, *args):
    """Call a handler, letting only the outcomes a system call may have pass."""
    try:
        fn(*args)
    except (SyscallError, Sleep):
        pass


def _check_invariants(k, proc):
    """What must hold after any call: every file's stat packs into struct stat, link
    counts match the tree, each open file counts the descriptors that point at it."""
    names = {}                       # id -> (vnode, how many names it has)
    todo = [k.vfs.root]
    while todo:
        d = todo.pop()
        for vp in d.entries.values():
            names[id(vp)] = (vp, names.get(id(vp), (vp, 0))[1] + 1)
            vp.stat().pack()
            if vp.is_dir():
                todo.append(vp)
                assert vp.nlink == 2 + sum(c.is_dir() for c in vp.entries.values())
    for vp, count in names.values():
        if not vp.is_dir():
            assert vp.nlink == count, vp
    refs = {}
    for _, f in proc.fdtable.items():
        refs[id(f)] = refs.get(id(f), 0) + 1
        assert not f.closed
    for _, f in proc.fdtable.items():
        assert f.refs == refs[id(f)], f

