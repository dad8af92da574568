"""Memory-mapping system calls: mmap, munmap, mprotect, msync, madvise, mincore.

    mmap(addr, len, prot, flags, fd, pos)   a new entry in the map (vm.py): anonymous
                                            (MAP_ANON, zero-fill) or a file's pages;
                                            MAP_SHARED: writes reach the object (and the
                                            file); MAP_PRIVATE: copy-on-write;
                                            MAP_FIXED: exactly at addr, replacing what is there
    munmap(addr, len)                       remove mappings (entries split at the ends)
    mprotect(addr, len, prot)               change protection (split, then merge again)
    msync(addr, len, flags)                 write modified MAP_SHARED file pages back
    madvise(addr, len, behav)               MADV_DONTNEED: unmap (pages stay in memory);
                                            MADV_FREE: private anonymous pages may go
    mincore(addr, len, vec)                 one byte per page: MINCORE_INCORE if resident

Argument checks and errno values follow FreeBSD's sys/vm/vm_mmap.c:

    EINVAL  len 0 (mmap); addr not page-aligned (munmap, mprotect, msync, mincore,
            MAP_FIXED); both or neither of MAP_SHARED/MAP_PRIVATE; MAP_ANON with
            fd != -1 or pos != 0; unknown prot bits or flags; a range outside the
            user half; MAP_EXCL over an existing mapping; an unknown advice
    ENOMEM  no room for the mapping; the range has holes (mprotect, msync,
            madvise, mincore)
    EACCES  file not open for reading; MAP_SHARED + PROT_WRITE on a file not
            open for writing; mprotect beyond the entry's max protection
    EBADF   fd is not an open descriptor (without MAP_ANON)
    ENODEV  fd is not a regular file (a pipe, a directory, a device other than
            /dev/zero, which maps as anonymous memory)
"""

from __future__ import annotations

from oskit.kernel import errno
from oskit.kernel.fs.file import DeviceFile, VnodeFile
from oskit.kernel.fs.vfs import VType
from oskit.kernel.kern import resource
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.param import (
    PAGE_MASK,
    PAGE_SHIFT,
    PROT_ALL,
    PROT_EXEC,
    PROT_READ,
    PROT_WRITE,
    SHAREDPAGE,
    USER_MIN,
    VM_MAXUSER_ADDRESS,
    page_ceil,
)
from oskit.kernel.riscv.copyinout import copyout
from oskit.kernel.vm.object import AnonObject, VnodeObject, vnode_object
from oskit.machine.sv39 import PTE_A, PTE_D

MAP_SHARED, MAP_PRIVATE, MAP_FIXED = 0x1, 0x2, 0x10
MAP_STACK, MAP_NOSYNC, MAP_ANON, MAP_GUARD, MAP_EXCL = 0x400, 0x800, 0x1000, 0x2000, 0x4000
MAP_NOCORE, MAP_PREFAULT_READ = 0x20000, 0x40000
MAP_KNOWN = (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_STACK | MAP_NOSYNC | MAP_ANON | MAP_EXCL
             | MAP_NOCORE | MAP_PREFAULT_READ)
MS_ASYNC, MS_INVALIDATE = 0x1, 0x2
MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_FREE = 0, 1, 2, 3, 4, 5
MADV_PROTECT = 10
MINCORE_INCORE, MINCORE_REFERENCED, MINCORE_MODIFIED = 0x1, 0x2, 0x4

MAX_DATA = 512 << 20          # mmap places regions above the heap's largest size (sys_proc.MAXDSIZ)


def _einval(why: str) -> SyscallError:
    return SyscallError(errno.EINVAL, why)


def _range(addr: int, length: int, call: str) -> tuple[int, int]:
    """[start, end) for a call that takes an aligned address: EINVAL if unaligned or outside the user half."""
    if addr & PAGE_MASK:
        raise _einval(f"{call}: address {addr:#x} is not a multiple of the page size")
    end = page_ceil(addr + length)
    if end > VM_MAXUSER_ADDRESS:
        raise _einval(f"{call}: [{addr:#x}, +{length:#x}) is outside the user address space")
    return addr, end


@syscall
def sys_mmap(td, addr, len, prot, flags, fd, pos):  # noqa: A002 (FreeBSD's argument names)
    """Map ``len`` bytes of a file (at ``pos``) or of zeros; returns the address of the mapping."""
    p = td.proc
    vs = p.vmspace
    if len == 0:
        raise _einval("mmap: len is 0")
    if prot & ~PROT_ALL:
        raise _einval(f"mmap: unknown prot bits {prot & ~PROT_ALL:#x}")
    if flags & ~MAP_KNOWN:
        raise _einval(f"mmap: unknown flags {flags & ~MAP_KNOWN:#x}")
    kind = flags & (MAP_SHARED | MAP_PRIVATE)
    if kind not in (MAP_SHARED, MAP_PRIVATE):
        raise _einval("mmap: exactly one of MAP_SHARED and MAP_PRIVATE is needed")
    if flags & MAP_EXCL and not flags & MAP_FIXED:
        raise _einval("mmap: MAP_EXCL needs MAP_FIXED")
    shared = kind == MAP_SHARED
    pageoff = pos & PAGE_MASK
    pos -= pageoff
    size = page_ceil(len + pageoff)
    if size < len or size > (1 << 38):
        raise SyscallError(errno.ENOMEM, f"mmap: {len} bytes do not fit in the address space")

    # What to map: a new anonymous object, or the file's shared object.
    backing, max_prot, name = None, PROT_ALL, "mmap"
    if flags & MAP_ANON:
        if fd != -1:
            raise _einval(f"mmap: MAP_ANON needs fd -1, found {fd}")
        if pos or pageoff:
            raise _einval(f"mmap: MAP_ANON needs pos 0, found {pos + pageoff}")
    elif _is_dev_zero(p.fdtable.get(fd)):
        # /dev/zero maps as anonymous memory (MAP_SHARED: shared with children after fork).
        if not p.fdtable.get(fd).readable:
            raise SyscallError(errno.EACCES, f"mmap: fd {fd} is not open for reading")
    else:
        file = p.fdtable.get(fd)                       # EBADF
        if pos < 0:
            # No byte of a file lies before offset 0. (Unchecked, the page index went
            # negative, and Python's negative indexing mapped the end of the file instead.)
            raise _einval(f"mmap: negative file offset {pos + pageoff}")
        if not isinstance(file, VnodeFile) or file.vnode.vtype is not VType.VREG:
            raise SyscallError(errno.ENODEV, f"mmap: fd {fd} ({file.describe()}) is not a regular file")
        if not file.readable:
            raise SyscallError(errno.EACCES, f"mmap: fd {fd} is not open for reading")
        max_prot = PROT_READ | PROT_EXEC
        if not shared or file.writable:
            max_prot |= PROT_WRITE
        if shared and prot & PROT_WRITE and not file.writable:
            raise SyscallError(errno.EACCES, f"mmap: MAP_SHARED with PROT_WRITE needs fd {fd} open for writing")
        backing = vnode_object(td.kernel, file.vnode)
        name = "file"

    resource.check_as(p, size, "mmap")      # SECURITY (ch. 8): RLIMIT_AS -> ENOMEM, before anything changes
    if flags & MAP_FIXED:
        start = addr - pageoff
        if start & PAGE_MASK:
            raise _einval(f"mmap: MAP_FIXED address {addr:#x} and pos {pos + pageoff:#x} differ within a page")
        # Page 0 stays unmapped unless the kernel allows it (FreeBSD's security.bsd.map_at_zero;
        # the lab's weakness map_at_zero turns it on).
        lowest = 0 if td.kernel.map_at_zero else USER_MIN
        if start < lowest or start + size > SHAREDPAGE:
            raise _einval(f"mmap: MAP_FIXED range [{start:#x}, +{size:#x}) is outside the user address space")
        if vs.overlapping(start, start + size):
            if flags & MAP_EXCL:
                raise _einval(f"mmap: MAP_EXCL and [{start:#x}, +{size:#x}) is already mapped")
            vs.unmap(start, start + size)
    else:
        floor = p.brk_base + MAX_DATA
        start = vs.find_space(size, page_ceil(addr) if addr else 0, floor)
        if start is None:
            raise SyscallError(errno.ENOMEM, f"mmap: no free range of {size} bytes")
    if backing is None:
        vs.map(start, start + size, prot, "mmap", None, 0, shared=shared, max_prot=max_prot)
    else:
        vs.map(start, start + size, prot, name, backing, pos, shared=shared, max_prot=max_prot)
    return start + pageoff


def _is_dev_zero(file) -> bool:
    return isinstance(file, DeviceFile) and file.device.name == "zero"


@syscall
def sys_munmap(td, addr, len):  # noqa: A002
    """Remove the mappings of [addr, addr+len): later touches there are SIGSEGV."""
    if len == 0:
        raise _einval("munmap: len is 0")
    start, end = _range(addr, len, "munmap")
    td.proc.vmspace.unmap(start, end)
    return 0


@syscall
def sys_mprotect(td, addr, len, prot):  # noqa: A002
    """Set the protection of [addr, addr+len) to ``prot``."""
    if prot & ~PROT_ALL:
        raise _einval(f"mprotect: unknown prot bits {prot & ~PROT_ALL:#x}")
    start, end = _range(addr, len, "mprotect")
    if start == end:
        return 0
    try:
        td.proc.vmspace.protect(start, end, prot)
    except PermissionError as e:
        raise SyscallError(errno.EACCES, f"mprotect: {e}") from None
    except ValueError as e:
        raise SyscallError(errno.ENOMEM, f"mprotect: {e}") from None
    return 0


def _mapped(td, start: int, end: int, call: str):
    vs = td.proc.vmspace
    if not vs.is_mapped(start, end):
        raise SyscallError(errno.ENOMEM, f"{call}: [{start:#x}, {end:#x}) is not entirely mapped")
    return vs


@syscall
def sys_msync(td, addr, len, flags):  # noqa: A002
    """Write the modified pages of MAP_SHARED file mappings in the range back to their files."""
    if flags & ~(MS_ASYNC | MS_INVALIDATE) or (flags & MS_ASYNC and flags & MS_INVALIDATE):
        raise _einval(f"msync: bad flags {flags:#x}")
    start, end = _range(addr, len, "msync")
    vs = _mapped(td, start, end, "msync")
    for e in vs.overlapping(start, end):
        if e.shared and isinstance(e.object, VnodeObject):
            lo = e.pindex0 + ((max(start, e.start) - e.start) >> PAGE_SHIFT)
            hi = e.pindex0 + ((min(end, e.end) - e.start) >> PAGE_SHIFT)
            for pindex in [i for i in e.object.pages if lo <= i < hi]:
                e.object.writeback(pindex)
    return 0


@syscall
def sys_madvise(td, addr, len, behav):  # noqa: A002
    """Advice about future use: DONTNEED unmaps the range (contents kept), FREE lets private pages go."""
    if not 0 <= behav <= MADV_PROTECT:
        raise _einval(f"madvise: unknown advice {behav}")
    start, end = _range(addr, len, "madvise")
    vs = _mapped(td, start, end, "madvise")
    if behav in (MADV_DONTNEED, MADV_FREE):
        vs._unmap_resident(start, end)
    if behav == MADV_FREE:
        for e in vs.overlapping(start, end):
            obj = e.object
            if isinstance(obj, AnonObject) and not e.shared and obj.refs == 1 and obj.backing_object is None:
                lo = e.pindex0 + ((max(start, e.start) - e.start) >> PAGE_SHIFT)
                hi = e.pindex0 + ((min(end, e.end) - e.start) >> PAGE_SHIFT)
                obj.discard(lo, hi)
    return 0


@syscall
def sys_mincore(td, addr, len, vec):  # noqa: A002
    """One byte per page of [addr, addr+len) into ``vec``: INCORE if in RAM (+ REFERENCED/MODIFIED from the PTE)."""
    start, end = _range(addr, len, "mincore")
    vs = _mapped(td, start, end, "mincore")
    out = bytearray((end - start) >> PAGE_SHIFT)
    # Only pages held in RAM can be "in core": visit those (bounded by RAM), never the whole range.
    for e in vs.overlapping(start, end):
        lo, hi = max(start, e.start), min(end, e.end)
        obj, first, n = e.object, e.pindex0 + ((lo - e.start) >> PAGE_SHIFT), (hi - lo) >> PAGE_SHIFT
        delta = 0                                 # obj's index of the entry's page lo, minus first
        decided: set[int] = set()                 # pages an upper object holds (in RAM or in swap)
        while obj is not None:                    # the first object in the chain that has it wins
            for held, incore in ((obj.pages, True), (obj.swap, False)):
                for idx in held:
                    i = idx - delta - first
                    if 0 <= i < n and i not in decided:
                        decided.add(i)
                        if incore:
                            out[((lo - start) >> PAGE_SHIFT) + i] = MINCORE_INCORE
            delta += obj.backing_offset >> PAGE_SHIFT
            obj = obj.backing_object
    for va in vs.resident:
        if start <= va < end:
            pte = vs.pmap.lookup(va)
            out[(va - start) >> PAGE_SHIFT] = MINCORE_INCORE | (MINCORE_REFERENCED if pte & PTE_A else 0) \
                | (MINCORE_MODIFIED if pte & PTE_D else 0)
    copyout(td, vec, bytes(out))
    return 0
