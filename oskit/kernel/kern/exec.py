"""execve: replace a process's image with a program from the file system.

    execve(path, argv, envp)
      1. copy in path, argv and envp (the old address space is still there)
      2. namei the path (ENOENT, ENOTDIR), check it is a regular file the
         caller may execute (EACCES), check the ELF header (ENOEXEC)
      3. build a new address space: an entry per PT_LOAD segment backed by the
         file (text R-X, data RW- copy-on-write from the file, bss zero-fill),
         the stack (demand-zero, 8 MiB), the shared page with sigcode
      4. write argc/argv/envp/auxv on the new stack (layout below)
      5. point of no return: the process's other threads end (sys_thread.py);
         switch to the new space and free the old one;
         close-on-exec descriptors close; caught signals go back to SIG_DFL
         (their handlers are gone), ignored ones stay ignored, the mask stays
      6. registers: all zero, sp = a0 = &argc, pc = the ELF entry; the call
         returns EJUSTRETURN so the path leaves this fresh frame alone.

Nothing of the program is copied at exec time: its pages come in from the
file on first touch (demand paging, vm.py).

The new stack, from USRSTACK down (what crt0 reads; sp 16-byte aligned):

    USRSTACK ─> strings: argv[0]\\0 argv[1]\\0 ... envp[0]\\0 ...
                (padding to 16)
                auxv: AT_PAGESZ 4096, AT_ENTRY entry, AT_TIMEKEEP &timekeep, AT_NULL 0
                NULL, envp[n-1] ... envp[0]
                NULL, argv[argc-1] ... argv[0]
    sp, a0 ──>  argc
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.fs.vfs import X_OK, VType
from oskit.kernel.kern.cred import exec_setid
from oskit.kernel.kern.signal import SIGABRT
from oskit.kernel.kern.sys_proc import stop_thread
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.param import (
    MAXSSIZ,
    PAGE_SIZE,
    PROT_EXEC,
    PROT_READ,
    PROT_WRITE,
    SHAREDPAGE,
    USER_MIN,
    USRSTACK,
    VM_MAXUSER_ADDRESS,
    page_ceil,
    page_floor,
)
from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.copyinout import copyin_ptrs, copyinstr, copyout
from oskit.kernel.riscv.machdep import exec_setregs
from oskit.kernel.structs import VDSO_TIMEKEEP_OFFSET
from oskit.kernel.vm.map import VMSpace
from oskit.kernel.vm.object import VnodeObject
from oskit.kernel.vm.pmem import OutOfMemory

ARG_MAX = 256 * 1024            # bytes of argv + envp strings
PT_LOAD = 1
EM_RISCV = 243
ET_EXEC = 2
AT_NULL, AT_PAGESZ, AT_ENTRY, AT_TIMEKEEP = 0, 6, 9, 22
S_ISUID, S_ISGID = 0o4000, 0o2000

ELF_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")   # Elf64_Ehdr
PROGRAM_HEADER = struct.Struct("<IIQQQQQQ")      # Elf64_Phdr


class Segment:
    def __init__(self, vaddr, offset, filesz, memsz, flags):
        self.vaddr, self.offset, self.filesz, self.memsz, self.flags = vaddr, offset, filesz, memsz, flags

    @property
    def prot(self) -> int:
        # p_flags: PF_X=1, PF_W=2, PF_R=4
        return ((PROT_EXEC if self.flags & 1 else 0) | (PROT_WRITE if self.flags & 2 else 0)
                | (PROT_READ if self.flags & 4 else 0))


def parse_elf(image: bytes, path: str) -> tuple[int, list[Segment]]:
    """The entry point and PT_LOAD segments of a RISC-V ELF executable; ENOEXEC with the reason."""
    def bad(why: str):
        return SyscallError(errno.ENOEXEC, f"{path}: {why}")

    if len(image) < ELF_HEADER.size or image[:4] != b"\x7fELF":
        raise bad("not an ELF file (no \\x7fELF magic)")
    (ident, etype, machine, _version, entry, phoff, _shoff, _flags, _ehsize,
     phentsize, phnum, _she, _shn, _shs) = ELF_HEADER.unpack_from(image)
    if ident[4] != 2 or ident[5] != 1:
        raise bad("expected a 64-bit little-endian ELF file")
    if machine != EM_RISCV:
        raise bad(f"built for machine {machine}, expected RISC-V ({EM_RISCV})")
    if etype != ET_EXEC:
        raise bad(f"ELF type {etype}, expected an executable (ET_EXEC = 2)")
    if phentsize != PROGRAM_HEADER.size or phoff + phnum * phentsize > len(image):
        raise bad("program headers are missing or truncated")
    segs = []
    for i in range(phnum):
        ptype, flags, offset, vaddr, _paddr, filesz, memsz, _align = \
            PROGRAM_HEADER.unpack_from(image, phoff + i * phentsize)
        if ptype != PT_LOAD or memsz == 0:
            continue
        if filesz > memsz or offset + filesz > len(image):
            raise bad(f"segment {i} has filesz {filesz:#x} > memsz {memsz:#x} or runs past the file")
        if vaddr % PAGE_SIZE != offset % PAGE_SIZE:
            raise bad(f"segment {i}: vaddr {vaddr:#x} and offset {offset:#x} differ within a page")
        if vaddr < USER_MIN or vaddr + memsz > SHAREDPAGE - MAXSSIZ:
            raise bad(f"segment {i} at {vaddr:#x} is outside the user address space")
        segs.append(Segment(vaddr, offset, filesz, memsz, flags))
    if not segs:
        raise bad("no loadable segment")
    return entry, segs


def build_stack(argv: list[bytes], envp: list[bytes], entry: int) -> tuple[int, bytes]:
    """The initial stack contents: returns (sp, bytes that go at [sp, USRSTACK))."""
    strings = b"".join(s + b"\0" for s in argv + envp)
    str_base = (USRSTACK - len(strings)) & ~0xF
    addrs, pos = [], str_base
    for s in argv + envp:
        addrs.append(pos)
        pos += len(s) + 1
    argv_addrs, envp_addrs = addrs[:len(argv)], addrs[len(argv):]
    words = [len(argv), *argv_addrs, 0, *envp_addrs, 0, AT_PAGESZ, PAGE_SIZE, AT_ENTRY, entry,
             AT_TIMEKEEP, SHAREDPAGE + VDSO_TIMEKEEP_OFFSET, AT_NULL, 0]
    if len(words) % 2:
        words.append(0)                       # keep sp 16-byte aligned
    sp = str_base - 8 * len(words)
    table = struct.pack(f"<{len(words)}Q", *words)
    blob = table + strings.ljust(USRSTACK - str_base, b"\0")
    return sp, blob


def end_other_threads(kernel, td) -> None:
    """execve: every thread of td's process but td ends (FreeBSD's thread_single(SINGLE_EXIT)).

    FreeBSD ends them when execve starts, even if it then fails; oskit waits for
    the point of no return, so a failed execve leaves them running (as Linux does).
    """
    p = td.proc
    for t in [t for t in p.threads if t is not td]:
        stop_thread(kernel, t, caller=td)
        p.threads.remove(t)
        kernel.free_thread(t)


def exec_image(td, path: str, argv: list[bytes], envp: list[bytes]) -> None:
    """Replace td's process image with the program at ``path`` (the steps in the module docstring).

    Raises SyscallError before the point of no return; after it, cannot fail.
    """
    kernel = td.kernel
    p = td.proc
    size = sum(len(s) + 1 for s in argv + envp)
    if size > ARG_MAX:
        raise SyscallError(errno.E2BIG, f"argv and envp take {size} bytes, more than ARG_MAX {ARG_MAX}")
    vp = kernel.vfs.lookup(path, p.cwd, p.cred)
    if vp.vtype is not VType.VREG:
        raise SyscallError(errno.EACCES, f"{path}: not a regular file")
    kernel.vfs.access(vp, p.cred, X_OK)
    if not vp.mode & 0o111:
        raise SyscallError(errno.EACCES, f"{path}: no execute permission bit is set")
    header = kernel.vfs.read_at(vp, 0, PAGE_SIZE)
    if header[:2] == b"#!":
        raise SyscallError(errno.ENOEXEC, f"{path}: interpreter scripts (#!) are not supported")
    image = header if vp.size <= PAGE_SIZE else kernel.vfs.read_at(vp, 0, vp.size)
    entry, segs = parse_elf(image, path)

    # Build the new address space next to the old one.
    try:
        vs = VMSpace(kernel, kernel.new_pmap())
    except OutOfMemory as e:                 # no frame for the new page table's root
        raise SyscallError(errno.ENOMEM, f"{path}: {e}") from None
    end = 0
    try:
        for i, s in enumerate(segs):
            start, stop = page_floor(s.vaddr), page_ceil(s.vaddr + s.memsz)
            delta = s.vaddr - start
            backing = VnodeObject(kernel, vp, s.offset - delta, delta + s.filesz) if s.filesz else None
            name = "text" if s.prot & PROT_EXEC else "data"
            vs.map(start, stop, s.prot, name, backing, 0)
            end = max(end, stop)
        vs.map(USRSTACK - MAXSSIZ, USRSTACK, PROT_READ | PROT_WRITE, "stack", grows_down=True)
        # One frame serves every process (sigcode, the vDSO clock): no process may ever
        # write it, so mprotect may not add PROT_WRITE either (FreeBSD's shared page: max R|X).
        vs.map(SHAREDPAGE, VM_MAXUSER_ADDRESS, PROT_READ | PROT_EXEC, "sigcode",
               kernel.sigcode_object, 0, shared=True, max_prot=PROT_READ | PROT_EXEC)
    except ValueError as e:
        vs.destroy()
        raise SyscallError(errno.ENOEXEC, f"{path}: {e}") from None
    sp, blob = build_stack(argv, envp, entry)

    # Point of no return. The other threads end first: none may run in the old image.
    end_other_threads(kernel, td)
    kernel.aio.rundown(p)                # no pending aio job may copy into the new image (vfs_aio.py)
    old = p.vmspace
    p.vmspace = vs
    if td.hart is not None:
        cpu.switch_address_space(td.hart, vs.pmap.satp)
    if old is not None:
        old.destroy()
    try:
        copyout(td, sp, blob)                # the stack's pages need frames: EFAULT if none is left
    except SyscallError as e:
        lost_image(kernel, td, path, e)
        return
    p.brk_base = p.brk = end
    p.path = path
    p.argv = [a.decode("utf-8", "surrogateescape") for a in argv]
    p.comm = (p.argv[0] if p.argv else path).rsplit("/", 1)[-1][:19] or path
    if p.fdtable is not None:
        p.fdtable.close_on_exec()
    p.sigacts.exec_reset()
    try:
        exec_setid(td, vp)               # SECURITY (ch. 8): set-id bits, MAC label
    except SyscallError as e:            # no kernel memory for the new credential
        lost_image(kernel, td, path, e)
        return
    p.sync_pstruct()
    exec_setregs(td, entry, sp)
    kernel.probes.fire("exec", pid=p.pid, path=path, argv=list(p.argv))


def lost_image(kernel, td, path: str, err: SyscallError) -> None:
    """execve failed after the point of no return: the old image is gone, so the process ends.

    FreeBSD's execve ends it with SIGABRT in the same case (its vmspace_destroyed).
    """
    kernel.exit1(td, SIGABRT, reason=f"execve of {path} failed after the point of no return: {err}")


def copyin_strings(td, uaddr: int, budget: int) -> tuple[list[bytes], int]:
    """The strings of the NULL-terminated array at ``uaddr`` (argv, envp) and what is left of ``budget``.

    ``budget`` is the bytes the strings may still take, NULs included (ARG_MAX in
    all, for argv and envp together): E2BIG as soon as they pass it. The budget
    bounds the copying itself, as FreeBSD's exec_copyin_args does; checking only the
    total afterwards let one call copy 4096 pointers to one 256 KiB string: 1 GiB.
    """
    strings = []
    for ptr in copyin_ptrs(td, uaddr):
        try:
            s = copyinstr(td, ptr, budget).encode("utf-8", "surrogateescape")
        except SyscallError as e:
            if e.errno == errno.ENAMETOOLONG:
                raise SyscallError(errno.E2BIG, f"argv and envp take more than ARG_MAX ({ARG_MAX}) bytes") from None
            raise
        budget -= len(s) + 1
        strings.append(s)
    return strings, budget


@syscall
def sys_execve(td, fname, argv, envv):
    """Execute the program at ``fname`` with ``argv`` and ``envv`` (never returns on success)."""
    path = copyinstr(td, fname, 1024)
    args, left = copyin_strings(td, argv, ARG_MAX) if argv else ([], ARG_MAX)
    env, _ = copyin_strings(td, envv, left) if envv else ([], left)
    exec_image(td, path, args, env)
    raise SyscallError(errno.EJUSTRETURN)
