"""Moving bytes between user memory and the kernel: copyin, copyout, copyinstr.

These are the only way a system call touches user memory. Each user address
is translated *as the user would see it*: through the hart's MMU with user
privilege, so a page without the U bit (every kernel page), an unmapped page,
or a read-only page for copyout, fails. sstatus.SUM (permit Supervisor User
Memory access) is set only for the duration of the copy, as a real kernel does.

A page that belongs to the process but is not present yet (demand paging) is
brought in by the VM fault handler, exactly as if the user had touched it.

They never raise anything but ``SyscallError(EFAULT)`` (or ENAMETOOLONG from
copyinstr), and never fault the kernel: a bad pointer from a program is the
program's problem.

    copyin(td, uaddr, n)            -> bytes
    copyout(td, uaddr, data)        -> None
    copyinstr(td, uaddr, maxlen)    -> str   (NUL excluded; maxlen counts the NUL)
    copyin_u64 / copyout_u64 / copyin_ptrs  small helpers built on the three
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import PAGE_SIZE
from oskit.machine.trap import Trap

SSTATUS_SUM = 1 << 18          # sstatus bit 18: S-mode may access U pages


def _trap_types():
    return Trap


def user_translate(td, uaddr: int, access: str) -> int:
    """Physical address of user virtual address ``uaddr`` for ``access`` ('r' or 'w').

    Runs the VM fault handler on a fault the process could have taken legally
    (a page not yet paged in, copy-on-write); raises SyscallError(EFAULT) otherwise.
    """
    if not 0 <= uaddr < (1 << 64):
        raise SyscallError(errno.EFAULT, f"address {uaddr:#x} is not a 64-bit value")
    kernel = td.proc.kernel
    Trap = _trap_types()
    for _attempt in range(3):
        try:
            return kernel.mmu_translate(td, uaddr, access)
        except Trap as fault:
            if not kernel.vm_fault(td, uaddr, access, from_kernel=True):
                raise SyscallError(errno.EFAULT,
                                   f"{access} of user address {uaddr:#x}: {type(fault).__name__}") from None
    raise SyscallError(errno.EFAULT, f"user address {uaddr:#x} still faults after paging in")


def _chunks(uaddr: int, n: int):
    """Split [uaddr, uaddr+n) at page boundaries: yields (va, length)."""
    while n > 0:
        length = min(n, PAGE_SIZE - (uaddr & (PAGE_SIZE - 1)))
        yield uaddr, length
        uaddr += length
        n -= length


class _SumWindow:
    """Hold sstatus.SUM for the duration of a copy on the hart running td (if any)."""

    def __init__(self, td):
        self.hart = td.hart

    def __enter__(self):
        if self.hart is not None:
            self.saved = self.hart.csr.read("sstatus")
            self.hart.csr.write("sstatus", self.saved | SSTATUS_SUM)

    def __exit__(self, *exc):
        if self.hart is not None:
            self.hart.csr.write("sstatus", self.saved)
        return False


def copyin(td, uaddr: int, n: int) -> bytes:
    """Copy ``n`` bytes from user address ``uaddr``; EFAULT if any byte is not readable by the user."""
    if n < 0:
        raise SyscallError(errno.EINVAL, f"copyin of a negative length {n}")
    if n == 0:
        return b""
    bus = td.proc.kernel.machine.bus
    out = bytearray()
    with _SumWindow(td):
        for va, length in _chunks(uaddr, n):
            pa = user_translate(td, va, "r")
            out += bus.read_bytes(pa, length)
    return bytes(out)


def copyout(td, uaddr: int, data: bytes) -> None:
    """Copy ``data`` to user address ``uaddr``; EFAULT if any byte is not writable by the user.

    Every page is checked before the first byte is written, so a copyout that
    fails leaves user memory unchanged.
    """
    if not data:
        return
    kernel = td.proc.kernel
    bus = kernel.machine.bus
    with _SumWindow(td):
        pieces = [(user_translate(td, va, "w"), length) for va, length in _chunks(uaddr, len(data))]
        pos = 0
        for pa, length in pieces:
            bus.write_bytes(pa, bytes(data[pos:pos + length]))
            pos += length
    kernel.code_written(pieces)


def copyinstr(td, uaddr: int, maxlen: int = 1024) -> str:
    """The NUL-terminated string at ``uaddr`` (at most ``maxlen`` bytes counting the NUL).

    ENAMETOOLONG if no NUL within maxlen bytes; EFAULT on a bad address.
    Bytes that are not UTF-8 survive as surrogate escapes.
    """
    bus = td.proc.kernel.machine.bus
    out = bytearray()
    va = uaddr
    with _SumWindow(td):
        while len(out) < maxlen:
            length = min(maxlen - len(out), PAGE_SIZE - (va & (PAGE_SIZE - 1)))
            pa = user_translate(td, va, "r")
            chunk = bus.read_bytes(pa, length)
            nul = chunk.find(0)
            if nul >= 0:
                out += chunk[:nul]
                return out.decode("utf-8", "surrogateescape")
            out += chunk
            va += length
    raise SyscallError(errno.ENAMETOOLONG, f"string at {uaddr:#x} longer than {maxlen - 1} bytes")


def copyin_u64(td, uaddr: int) -> int:
    """One unsigned 64-bit little-endian word from user memory."""
    return struct.unpack("<Q", copyin(td, uaddr, 8))[0]


def copyout_u64(td, uaddr: int, value: int) -> None:
    """Store one unsigned 64-bit little-endian word in user memory."""
    copyout(td, uaddr, struct.pack("<Q", value & (2**64 - 1)))


def copyin_ptrs(td, uaddr: int, limit: int = 4096) -> list[int]:
    """A NULL-terminated array of user pointers (argv, envp); E2BIG past ``limit`` entries."""
    ptrs = []
    while True:
        p = copyin_u64(td, uaddr + 8 * len(ptrs))
        if p == 0:
            return ptrs
        ptrs.append(p)
        if len(ptrs) > limit:
            raise SyscallError(errno.E2BIG, f"more than {limit} pointers at {uaddr:#x}")
