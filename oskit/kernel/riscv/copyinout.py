"""Moving bytes between user memory and the kernel: copyin, copyout, copyinstr.

These are the only way a system call touches user memory, and they do it as
a RISC-V kernel does (FreeBSD's riscv copyinout.S):

1. check the range: every byte must lie below VM_MAXUSER_ADDRESS, the top of
   the user half. This check is what keeps a kernel address out: with SUM
   set, the supervisor may touch any page, its own included;
2. set sstatus.SUM (permit Supervisor User Memory access) for the copy only,
   and translate with the *supervisor's* privilege through the process's page
   table: the MMU allows loads and stores to U pages because SUM is set, and
   still enforces W (a read-only page fails copyout). Everywhere else SUM is
   clear, so a stray kernel access to a user page faults (SMAP's lesson,
   chapter 10);
3. a page that belongs to the process but is not present yet (demand paging,
   copy-on-write) is brought in by the VM fault handler, as if the user had
   touched it; anything else is EFAULT.

They never raise anything but ``SyscallError(EFAULT)`` (or ENAMETOOLONG from
copyinstr), and never fault the kernel: a bad pointer from a program is the
program's problem. Each copy costs kernel time (kern/ktime.py).

    copyin(td, uaddr, n)            -> bytes
    copyout(td, uaddr, data)        -> None
    copyinstr(td, uaddr, maxlen)    -> str   (NUL excluded; maxlen counts the NUL)
    copyin_u64 / copyout_u64 / copyin_ptrs  small helpers built on the three
"""

from __future__ import annotations

import struct
from contextlib import contextmanager

from oskit.kernel import errno
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import PAGE_SIZE, VM_MAXUSER_ADDRESS
from oskit.kernel.riscv import cpu
from oskit.machine import sv39
from oskit.machine.trap import Trap

S_MODE = 1                     # the privilege the copy translates with


def check_user_range(uaddr: int, n: int) -> None:
    """EFAULT unless [uaddr, uaddr + n) lies in the user half (below VM_MAXUSER_ADDRESS)."""
    if not 0 <= uaddr or uaddr + n > VM_MAXUSER_ADDRESS:
        raise SyscallError(errno.EFAULT, f"[{uaddr:#x}, +{n:#x}) is not in the user address space "
                                         f"(below {VM_MAXUSER_ADDRESS:#x})")


@contextmanager
def user_access(td):
    """The copy window: td's address space on the hart, SUM set; the hart, for translate().

    A thread that is not running (spawn's exec, before it ever ran) borrows hart 0.
    """
    kernel = td.proc.kernel
    vs = td.proc.vmspace
    if vs is None:
        raise SyscallError(errno.EFAULT, "the process has no address space")
    hart = td.hart if td.hart is not None else kernel.machine.harts[0]
    vs.pmap.activate(hart.hartid)           # VM (ch. 7): this hart may now cache this ASID
    with cpu.user_address_space(hart, vs.pmap.satp, sum_on=True):
        yield hart


def user_translate(td, hart, uaddr: int, access: str) -> int:
    """Physical address of user virtual address ``uaddr`` for ``access`` ('r' or 'w'), inside user_access.

    Runs the VM fault handler on a fault the process could have taken legally
    (a page not yet paged in, copy-on-write); raises SyscallError(EFAULT) otherwise.
    """
    kernel = td.proc.kernel
    for _attempt in range(3):
        try:
            return hart.translate(uaddr, access, priv=S_MODE)
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


def copyin(td, uaddr: int, n: int) -> bytes:
    """Copy ``n`` bytes from user address ``uaddr``; EFAULT if any byte is not readable by the user."""
    if n < 0:
        raise SyscallError(errno.EINVAL, f"copyin of a negative length {n}")
    if n == 0:
        return b""
    check_user_range(uaddr, n)
    kernel = td.proc.kernel
    kernel.kclock.charge_copy(n)
    bus = kernel.machine.bus
    out = bytearray()
    with user_access(td) as hart:
        for va, length in _chunks(uaddr, n):
            pa = user_translate(td, hart, va, "r")
            out += bus.read_bytes(pa, length)
    return bytes(out)


def copyout(td, uaddr: int, data: bytes) -> None:
    """Copy ``data`` to user address ``uaddr``; EFAULT if any byte is not writable by the user.

    Every page is checked before the first byte is written, so a copyout that
    fails leaves user memory unchanged.
    """
    if not data:
        return
    check_user_range(uaddr, len(data))
    kernel = td.proc.kernel
    kernel.kclock.charge_copy(len(data))
    bus = kernel.machine.bus
    with user_access(td) as hart:
        pieces = [(user_translate(td, hart, va, "w"), length) for va, length in _chunks(uaddr, len(data))]
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
    kernel = td.proc.kernel
    bus = kernel.machine.bus
    out = bytearray()
    va = uaddr
    try:
        with user_access(td) as hart:
            while len(out) < maxlen:
                length = min(maxlen - len(out), PAGE_SIZE - (va & (PAGE_SIZE - 1)))
                check_user_range(va, length)
                pa = user_translate(td, hart, va, "r")
                chunk = bus.read_bytes(pa, length)
                nul = chunk.find(0)
                if nul >= 0:
                    out += chunk[:nul + 1]
                    return out[:-1].decode("utf-8", "surrogateescape")
                out += chunk
                va += length
    finally:
        kernel.kclock.charge_copy(len(out))      # what was read costs time, whether the copy succeeds or not
    raise SyscallError(errno.ENAMETOOLONG, f"string at {uaddr:#x} longer than {maxlen - 1} bytes")


def peekstr(td, uaddr: int, maxlen: int = 256) -> str | None:
    """The string at user address ``uaddr`` as a debugger reads it: None if it cannot be read as it is.

    For the tracer: it walks the process's page table with the machine's own
    walker (sv39.walk: the hardware's checks, no side effects) and reads RAM
    directly, so it changes nothing the traced program could see: no page is
    faulted in, no A or D bit is set, no TLB entry is filled, no probe fires,
    no time is charged. A string on a page that is not resident (or not mapped,
    or not readable by the user, or above the user half) is None; one longer
    than ``maxlen`` is cut.
    """
    vs = td.proc.vmspace
    if vs is None or not 0 <= uaddr < VM_MAXUSER_ADDRESS:
        return None
    ram = td.proc.kernel.machine.bus.ram
    read_pte = sv39.ram_reader(ram)
    out = bytearray()
    va = uaddr
    while len(out) < maxlen and va < VM_MAXUSER_ADDRESS:
        w = sv39.walk(read_pte, vs.pmap.satp, va)
        if w.fault or not w.pte & sv39.PTE_R or not w.pte & sv39.PTE_U:
            return None
        pa = w.pa
        length = min(maxlen - len(out), PAGE_SIZE - (va & (PAGE_SIZE - 1)))
        chunk = bytes(ram.data[pa - ram.base:pa - ram.base + length])
        nul = chunk.find(0)
        if nul >= 0:
            return (out + chunk[:nul]).decode("utf-8", "surrogateescape")
        out += chunk
        va += length
    return out.decode("utf-8", "surrogateescape")


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
