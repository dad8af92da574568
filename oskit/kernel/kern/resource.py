"""Resource limits and accounting: how one process is kept from taking the machine.

Limits (``getrlimit``/``setrlimit``, FreeBSD's numbers; ``p.rlimits[which] = [soft, hard]``,
inherited by fork and kept across exec) and where each one is enforced:

    RLIMIT_CPU     0  seconds of CPU    trap(): each kernel entry adds the user time since the
                                        last one; past the soft limit SIGXCPU (once a second),
                                        past the hard limit SIGKILL            (cpu_check)
    RLIMIT_DATA    2  bytes of heap     break()                                (sys_proc)
    RLIMIT_STACK   3  bytes of stack    the page-fault handler: no stack page below it (vm.py)
    RLIMIT_NPROC   7  processes per     fork(): EAGAIN once the real uid has that many
                      real uid          processes (root is exempt, as in FreeBSD)  (fork_check);
                                        threads are not counted: a process has at most
                                        sys_thread.MAX_THREADS of them (thr_new: EAGAIN)
    RLIMIT_NOFILE  8  descriptors       the file table's size: EMFILE past it  (apply_limits)
    RLIMIT_AS     10  bytes of address  mmap()/break(): ENOMEM past it (= RLIMIT_VMEM)  (check_as)
                      space             (counted over every map entry, the 8 MiB stack included)

Two system-wide limits hold whatever a process sets, so that even root's fork
bomb stops (FreeBSD's kern.maxproc, its last few slots kept for root):

    MAXPROC        processes in all     fork(): EAGAIN
    KMEM_PER_PROC  bytes of kernel heap a process may hold (pipe buffers, ...): kmem_charge()
                   fails with ENOMEM past it, so no system call allocates without bound

RLIMIT_CPU counts seconds of the machine's clock: ``kernel.cpu_second`` ticks
(its timebase, 10 MHz: 100 million instructions). That is a long wait in a
notebook, so a chapter may shorten the second (``k.cpu_second = 100_000``: a
"second" of one million instructions); nothing else changes.

Accounting (``p.rusage``, read by getrusage and by the widgets): user time is
the emulated time between returning to user mode and the next trap (trap.py);
memory is the resident set (vm.py keeps maxrss); kernel heap bytes held are
``p.kmem``. Each is billed to the process that caused it, and user time, system
calls, faults and context switches also to the thread (``td.rusage``:
getrusage(RUSAGE_THREAD)); a process's figures are the sum over its threads. System time stays 0:
the kernel is Python code that runs between two instructions of the machine,
so no emulated time passes inside it (the trampoline's few dozen S-mode
instructions per trap are counted as the thread's user time).
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern import signal
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import MAXSSIZ, NOFILE
from oskit.kernel.vm.pmem import OutOfMemory

RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK = 0, 1, 2, 3
RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_VMEM = 7, 8, 10
RLIMIT_AS = RLIMIT_VMEM
RLIM_NLIMITS = 15
RLIM_INFINITY = (1 << 63) - 1
RLIMIT_NAMES = {RLIMIT_CPU: "RLIMIT_CPU", RLIMIT_FSIZE: "RLIMIT_FSIZE", RLIMIT_DATA: "RLIMIT_DATA",
                RLIMIT_STACK: "RLIMIT_STACK", RLIMIT_NPROC: "RLIMIT_NPROC",
                RLIMIT_NOFILE: "RLIMIT_NOFILE", RLIMIT_AS: "RLIMIT_AS"}
RLIMIT = struct.Struct("<qq")          # struct rlimit { rlim_t rlim_cur, rlim_max; }  (rlim_t: int64)

MAXDSIZ = 512 << 20                    # the largest heap (FreeBSD's maxdsiz)
NOFILE_MAX = 1024                      # the largest descriptor table (maxfilesperproc)
MAXPROC = 128                          # processes in the whole system (kern.maxproc)
MAXPROC_ROOT_RESERVE = 10              # ...the last ten of which only root may take
MAXPROCPERUID = 64                     # default RLIMIT_NPROC
KMEM_PER_PROC = 256 << 10              # kernel heap one process may hold


def default_rlimits() -> list[list[int]]:
    """The limits of init and of every spawned process: [soft, hard] for each RLIMIT_*."""
    lim = [[RLIM_INFINITY, RLIM_INFINITY] for _ in range(RLIM_NLIMITS)]
    lim[RLIMIT_DATA] = [MAXDSIZ, MAXDSIZ]
    lim[RLIMIT_STACK] = [MAXSSIZ, MAXSSIZ]
    lim[RLIMIT_NOFILE] = [NOFILE, NOFILE]
    lim[RLIMIT_NPROC] = [MAXPROCPERUID, MAXPROCPERUID]
    return lim


def rlimits(p) -> list[list[int]]:
    """The process's limits (made from the defaults on first use)."""
    if p.rlimits is None:
        p.rlimits = default_rlimits()
    return p.rlimits


def limit(p, which: int) -> int:
    """The soft limit of resource ``which`` for process ``p``."""
    return rlimits(p)[which][0]


def set_limit(p, which: int, soft: int, hard: int | None = None) -> None:
    """Set a limit of ``p`` from outside, as a shell's ``ulimit`` does before exec (no checks).

    For notebooks and tests: ``resource.set_limit(p, RLIMIT_NPROC, 8)`` before ``k.run``.
    """
    rlimits(p)[which] = [soft, soft if hard is None else hard]
    apply_limits(p)


# -- setrlimit's rules ------------------------------------------------------------------------
def setrlimit(td, which: int, soft: int, hard: int) -> None:
    """FreeBSD's kern_proc_setrlimit: negative means infinity; raising the hard limit (or a soft
    limit above the old hard one) needs root; a soft limit above the hard one is lowered to it;
    limits are clamped to what the system allows."""
    p = td.proc
    if not 0 <= which < RLIM_NLIMITS:
        raise SyscallError(errno.EINVAL, f"setrlimit: resource {which} is not in 0..{RLIM_NLIMITS - 1}")
    soft = RLIM_INFINITY if soft < 0 else soft
    hard = RLIM_INFINITY if hard < 0 else hard
    old = rlimits(p)[which]
    if (soft > old[1] or hard > old[1]) and p.cred.euid != 0:
        raise SyscallError(errno.EPERM, f"setrlimit({RLIMIT_NAMES.get(which, which)}): only root raises "
                                        f"a limit above the hard limit {old[1]}")
    soft = min(soft, hard)
    ceiling = {RLIMIT_DATA: MAXDSIZ, RLIMIT_NOFILE: NOFILE_MAX, RLIMIT_NPROC: MAXPROC}
    if which == RLIMIT_STACK:
        ceiling[RLIMIT_STACK] = MAXSSIZ
    if which in ceiling:
        soft, hard = min(soft, ceiling[which]), min(hard, ceiling[which])
    rlimits(p)[which] = [soft, hard]
    apply_limits(p)


def apply_limits(p) -> None:
    """Push the limits into the structures that enforce them (descriptor table, CPU warning)."""
    lim = rlimits(p)
    p.cpulimit = lim[RLIMIT_CPU][0]
    fdt = p.fdtable
    if fdt is not None:
        fdt.set_limit(min(lim[RLIMIT_NOFILE][0], NOFILE_MAX))   # new descriptors stay below it (file.py)


# -- address space ------------------------------------------------------------------------------
def mapped_bytes(p) -> int:
    """Bytes of address space ``p`` has mapped (every entry, resident or not)."""
    vs = p.vmspace
    return sum(e.end - e.start for e in vs.entries) if vs is not None else 0


def check_as(p, grow: int, what: str = "mmap") -> None:
    """Before the address space grows by ``grow`` bytes: ENOMEM past RLIMIT_AS."""
    lim = limit(p, RLIMIT_AS)
    if lim >= RLIM_INFINITY or grow <= 0:
        return
    have = mapped_bytes(p)
    if have + grow > lim:
        p.limit_hits += 1
        raise SyscallError(errno.ENOMEM, f"{what}: {have} bytes mapped + {grow} would pass "
                                         f"RLIMIT_AS ({lim} bytes)")


# -- processes --------------------------------------------------------------------------------
def live_procs(kernel) -> list:
    """Processes that count against the limits: everything but proc0 and reaped zombies."""
    return [q for q in kernel.procs.values() if q.pid != 0]


def fork_check(td) -> None:
    """Before fork makes a process: EAGAIN past MAXPROC or past the real uid's RLIMIT_NPROC."""
    p = td.proc
    kernel = td.kernel
    cred = p.cred
    procs = live_procs(kernel)
    n = len(procs)
    if n >= MAXPROC or (n >= MAXPROC - MAXPROC_ROOT_RESERVE and cred.uid != 0):
        _refuse(kernel, p, f"fork: {n} processes in the system (kern.maxproc {MAXPROC})")
    if cred.uid != 0:
        mine = sum(1 for q in procs if q.cred is not None and q.cred.uid == cred.uid)
        if mine >= limit(p, RLIMIT_NPROC):
            _refuse(kernel, p, f"fork: uid {cred.uid} has {mine} processes "
                               f"(RLIMIT_NPROC {limit(p, RLIMIT_NPROC)})")


def _refuse(kernel, p, why: str):
    kernel.log.append(f"pid {p.pid}: {why}")
    p.limit_hits += 1
    raise SyscallError(errno.EAGAIN, why)


# -- CPU time ----------------------------------------------------------------------------------
def cpu_ticks(p) -> int:
    return p.rusage.utime_ticks + p.rusage.stime_ticks


def cpu_check(kernel, td) -> None:
    """On every trap from user mode: enforce RLIMIT_CPU (SIGXCPU past soft, SIGKILL past hard).

    As in FreeBSD, the next warning comes 5 seconds after each SIGXCPU (``p.cpulimit``,
    the kernel's own copy of the soft limit, which setrlimit resets), so a program
    that catches the signal is warned again later, and killed at the hard limit.
    """
    p = td.proc
    lim = p.rlimits
    if lim is None or lim[RLIMIT_CPU][0] >= RLIM_INFINITY:
        return
    soft, hard = lim[RLIMIT_CPU]
    warn = soft if p.cpulimit is None else p.cpulimit
    used = cpu_ticks(p)
    hz = kernel.cpu_second
    if hard < RLIM_INFINITY and used >= hard * hz:
        if p.xstat is None and "cpu-killed" not in p.flags:
            p.flags.add("cpu-killed")
            kernel.log.append(f"pid {p.pid}: exceeded its CPU limit ({hard} s): SIGKILL")
            kernel.psignal(p, signal.SIGKILL)
    elif used >= warn * hz:
        kernel.psignal(p, signal.SIGXCPU)
        p.cpulimit = warn + 5


# -- kernel memory ------------------------------------------------------------------------------
def kmem_charge(p, nbytes: int, what: str = "") -> None:
    """Bill ``nbytes`` of kernel heap to ``p``; ENOMEM past KMEM_PER_PROC (nothing is billed then)."""
    if p is None:
        return
    held = p.kmem
    cap = p.kernel.kmem_per_proc
    if held + nbytes > cap and p.kernel.kmem_enforce:    # (kmem_enforce off: count, never refuse)
        p.limit_hits += 1
        raise SyscallError(errno.ENOMEM, f"{what or 'kmalloc'}: pid {p.pid} holds {held} bytes of kernel "
                                         f"memory; {nbytes} more would pass its limit of {cap}")
    p.kmem = held + nbytes


def kmem_release(p, nbytes: int) -> None:
    """Give back what kmem_charge billed."""
    if p is not None:
        p.kmem = max(0, p.kmem - nbytes)


def kmalloc_charged(td, size: int, what: str = "") -> int:
    """kmalloc on behalf of td's process, within its kernel-memory limit: returns the address.

    Free with ``kfree_charged(kernel, addr)`` (whoever frees, the owner gets the bytes back).
    """
    kernel = td.kernel
    p = td.proc
    kmem_charge(p, size, what)
    try:
        addr = kernel.pmem.kmalloc(size)
    except OutOfMemory:
        kmem_release(p, size)
        raise SyscallError(errno.ENOMEM, f"{what or 'kmalloc'}: the kernel heap is full") from None
    _owners(kernel)[addr] = (p, size)
    return addr


def kfree_charged(kernel, addr: int) -> None:
    """Free memory from kmalloc_charged and credit its owner."""
    owner = _owners(kernel).pop(addr, None)
    if owner is not None:
        kmem_release(*owner)
    kernel.pmem.kfree(addr)


def _owners(kernel) -> dict:
    """kmalloc address -> (process billed, bytes)."""
    return kernel.kmem_owner


def usage(p) -> dict:
    """What ``p`` has used, for notebooks and widgets (times in emulated seconds)."""
    hz = p.kernel.timebase_hz
    ru = p.rusage
    vs = p.vmspace
    return {"pid": p.pid, "user_s": ru.utime_ticks / hz, "system_s": ru.stime_ticks / hz,
            "syscalls": ru.syscalls, "minflt": ru.minflt, "majflt": ru.majflt,
            "rss_pages": vs.rss if vs is not None else 0,
            "maxrss_kib": ru.maxrss, "kmem_bytes": p.kmem,
            "nvcsw": ru.nvcsw, "nivcsw": ru.nivcsw}


def top(kernel) -> str:
    """What every process has used, one line each (like top(1)): for notebooks."""
    lines = [f"{'PID':>5} {'UID':>5} {'USER s':>9} {'SYS s':>9} {'SYSCALLS':>8} {'MINFLT':>7} {'RSS KiB':>8} "
             f"{'KMEM':>7} {'NPROC':>5}  COMMAND"]
    for p in sorted(kernel.procs.values(), key=lambda q: q.pid):
        if p.pid == 0 or p.cred is None:
            continue
        u = usage(p)
        nproc = limit(p, RLIMIT_NPROC)
        lines.append(f"{p.pid:>5} {p.cred.uid:>5} {u['user_s']:>9.6f} {u['system_s']:>9.6f} {u['syscalls']:>8} {u['minflt']:>7} "
                     f"{u['rss_pages'] * 4:>8} {u['kmem_bytes']:>7} "
                     f"{'inf' if nproc >= RLIM_INFINITY else nproc:>5}  {p.comm}")
    return "\n".join(lines)
