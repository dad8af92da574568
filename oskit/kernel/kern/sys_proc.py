"""Process system calls: fork, exit, wait4, the id getters, break, getrusage, sched_yield.

(Changing ids is in sys_cred.py and limits in sys_resource.py: see security.py.)

    fork()      a new process: a copy of the caller's address space, files, signal
                actions, credential and registers; returns twice (child pid / 0).
                The child has one thread, a copy of the calling one (POSIX).
    exit(rval)  never returns: every thread of the process ends; the process becomes
                a zombie until its parent's wait4 collects its status; its children
                go to init (pid 1). (One thread alone ends with thr_exit: sys_thread.py.)
    wait4(pid, &status, options, &rusage)
                collect a zombie child's status (WNOHANG: don't wait; ECHILD: no
                such child); the status word is FreeBSD's:
                    exited normally:   (code & 0xff) << 8     WIFEXITED, WEXITSTATUS
                    killed by signal:  signo (| 0x80 core)    WIFSIGNALED, WTERMSIG
                    stopped (WUNTRACED): signo << 8 | 0x7f    WIFSTOPPED, WSTOPSIG
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern import cred, resource, signal
from oskit.kernel.kern.proc import Proc, ProcState, ThreadState
from oskit.kernel.kern.syscall import Sleep, SyscallError, syscall
from oskit.kernel.param import PROT_READ, PROT_WRITE, page_ceil
from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.copyinout import copyout
from oskit.kernel.riscv.machdep import fork_child_frame
from oskit.kernel.vm.pmem import OutOfMemory

WNOHANG, WUNTRACED = 1, 2
RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD = 0, -1, 1


def W_EXITCODE(ret: int, sig: int) -> int:
    return ((ret & 0xFF) << 8) | sig


# -- fork ---------------------------------------------------------------------------------
def fork1(td) -> Proc:
    """Make a child of td's process: copies of everything that fork copies. Returns the child."""
    kernel = td.kernel
    parent = td.proc
    resource.fork_check(td)                  # SECURITY (ch. 8): RLIMIT_NPROC, kern.maxproc
    try:
        child = kernel.new_proc(parent, parent.comm)
    except OutOfMemory as e:                 # the kernel heap is full: the caller's problem, not a panic
        raise SyscallError(errno.ENOMEM, f"fork: {e}") from None
    child.argv = list(parent.argv)
    child.path = parent.path
    child.cred = cred.crhold(parent.cred)    # SECURITY (ch. 8): shared, copied on write
    child.umask = parent.umask
    child.cwd = parent.cwd
    child.fdtable = parent.fdtable.fork() if parent.fdtable is not None else None
    child.sigacts = parent.sigacts.copy()
    child.brk_base, child.brk = parent.brk_base, parent.brk
    child.rlimits = [list(x) for x in parent.rlimits] if parent.rlimits else None
    child.console_capture = parent.console_capture
    child.flags = set(parent.flags) - {"exec"}
    try:
        child.vmspace = kernel.new_vmspace()
        parent.vmspace.copy_into(child.vmspace)
        ctd = kernel.new_thread(child)
    except OutOfMemory as e:                 # no frame for a page table or a kernel stack:
        kernel.discard_proc(child)           # undo the half-made child, fail the call
        raise SyscallError(errno.ENOMEM, f"fork: {e}") from None
    ctd.sigmask = td.sigmask
    ctd.rtp_type, ctd.rtp_prio, ctd.pri_base = td.rtp_type, td.rtp_prio, td.pri_base  # inherited, as FreeBSD
    fork_child_frame(td, ctd)
    child.state = ProcState.ACTIVE
    kernel.probes.fire("fork", pid=parent.pid, child=child.pid)
    kernel.sched.setrunnable(ctd)
    return child


@syscall
def sys_fork(td):
    """Create a process: the parent gets the child's pid, the child 0 (set in its frame by fork1)."""
    return fork1(td).pid


# -- exit and wait --------------------------------------------------------------------------
@syscall
def sys_exit(td, rval):
    """End the process with exit status ``rval``; never returns."""
    td.kernel.exit1(td, W_EXITCODE(rval, 0), reason=f"exit({rval})")


def exit1(kernel, td, xstat: int, reason: str = "") -> None:
    """The process of ``td`` ends with wait status ``xstat``: release everything but the proc itself."""
    p = td.proc
    if p.xstat is not None:
        return
    if p.pid == 1:
        kernel.panic(f"init died: {reason or 'status %#x' % xstat}", td.hart)
        return
    p.xstat = xstat
    p.exit_reason = reason
    if p.itimer is not None:                        # a pending alarm dies with the process
        kernel.sched.callout_stop(p.itimer[0])
        p.itimer = None
    for t in p.threads:
        stop_thread(kernel, t, caller=td)
    kernel.aio.rundown(p)                           # its pending aio jobs die first (vfs_aio.py)
    if p.fdtable is not None:
        p.fdtable.close_all()
    # Stop using the address space before freeing it.
    for hs in kernel.percpu:
        if hs.curthread.proc is p:
            cpu.switch_address_space(kernel.machine.harts[hs.hartid], kernel.kpmap.satp)
    if p.vmspace is not None:
        p.vmspace.destroy()
        p.vmspace = None
    # Orphans go to init; init reaps zombies among them.
    init = kernel.procs.get(1)
    for c in list(p.children):
        c.parent = init
        c.sync_pstruct()
        init.children.append(c)
        if c.state is ProcState.ZOMBIE:
            kernel.psignal(init, signal.SIGCHLD)
            kernel.wakeup(("wait", init.pid))
    p.children = []
    p.state = ProcState.ZOMBIE
    p.sync_pstruct()
    p.end_time = kernel.machine.clint.mtime
    kernel.probes.fire("exit", pid=p.pid, status=xstat, reason=reason)
    parent = p.parent
    if parent is not None and parent is not init and parent.sigacts is not None and (
            parent.sigacts.handler[signal.SIGCHLD] == signal.SIG_IGN
            or parent.sigacts.flags[signal.SIGCHLD] & signal.SA_NOCLDWAIT):
        # The parent said it will never wait (SIGCHLD ignored, or SA_NOCLDWAIT): init reaps instead.
        parent.children.remove(p)
        p.parent = init
        init.children.append(p)
        p.sync_pstruct()
        kernel.wakeup(("wait", parent.pid))          # a waiting parent may now get ECHILD
    if p.parent is not None:
        kernel.psignal(p.parent, signal.SIGCHLD)
        kernel.wakeup(("wait", p.parent.pid))


def stop_thread(kernel, t, caller=None) -> None:
    """Thread ``t`` will never run again (its process exits, or exec or thr_exit ends it).

    If it is running user code on another hart at this moment, that hart gets
    a software interrupt, so it stops at its next instruction (trap.py's
    dead_thread_trap) instead of running on in an address space being freed.
    """
    kernel.sched.remove(t)
    running_elsewhere = t is not caller and t.state is ThreadState.RUNNING and t.hart is not None and any(
        hs.curthread is t and hs.hart is t.hart for hs in kernel.percpu)
    t.state = ThreadState.DEAD
    t.pending = None
    if running_elsewhere:
        kernel.sched.kick(t.hart)


def _rusage_bytes(kernel, ru) -> bytes:
    """struct rusage (FreeBSD): two timevals then 14 longs (144 bytes)."""
    def tv(ticks):
        us = ticks * 1_000_000 // kernel.timebase_hz
        return us // 1_000_000, us % 1_000_000
    return struct.pack("<qqqq14q", *tv(ru.utime_ticks), *tv(ru.stime_ticks),
                       ru.maxrss, 0, 0, 0, ru.minflt, ru.majflt, 0, 0, 0, 0, 0, 0,
                       ru.nvcsw, ru.nivcsw)


@syscall
def sys_wait4(td, pid, status, options, rusage):
    """Wait for a child to exit and collect its status (see the module docstring)."""
    kernel = td.kernel
    p = td.proc
    if options & ~(WNOHANG | WUNTRACED | 4 | 8 | 0x10 | 0x20):
        raise SyscallError(errno.EINVAL, f"wait4: unknown option bits {options:#x}")

    def matches(c):
        if pid == -1:
            return True
        if pid > 0:
            return c.pid == pid
        if pid == 0:
            return c.pgid == p.pgid
        return c.pgid == -pid

    kids = [c for c in p.children if matches(c)]
    if not kids:
        raise SyscallError(errno.ECHILD, f"wait4: no child matches pid {pid}")
    for c in kids:
        if options & WUNTRACED and c.stopped and not c.stop_reported:
            c.stop_reported = True                      # reported once per stop
            if status:
                copyout(td, status, struct.pack("<i", (c.stopped << 8) | 0x7F))   # WIFSTOPPED
            return c.pid
        if c.state is ProcState.ZOMBIE:
            if status:
                copyout(td, status, struct.pack("<i", c.xstat))
            if rusage:
                copyout(td, rusage, _rusage_bytes(kernel, c.rusage))
            kernel.reap(c)
            return c.pid
    if options & WNOHANG:
        return 0
    raise Sleep(("wait", p.pid))


# -- ids and credentials ------------------------------------------------------------------
@syscall
def sys_getpid(td):
    """The caller's process id."""
    return td.proc.pid


@syscall
def sys_getppid(td):
    """The parent's process id (1 once the parent has exited: orphans belong to init)."""
    return td.proc.ppid


@syscall
def sys_getuid(td):
    return td.proc.cred.uid


@syscall
def sys_geteuid(td):
    return td.proc.cred.euid


@syscall
def sys_getgid(td):
    return td.proc.cred.gid


@syscall
def sys_getegid(td):
    return td.proc.cred.egid


@syscall
def sys_getgroups(td, gidsetsize, gidset):
    groups = td.proc.cred.groups
    if gidsetsize == 0:
        return len(groups)
    if gidsetsize < len(groups):
        raise SyscallError(errno.EINVAL, f"getgroups: {len(groups)} groups do not fit in {gidsetsize}")
    copyout(td, gidset, struct.pack(f"<{len(groups)}I", *groups))
    return len(groups)


# -- memory, resources, scheduling ----------------------------------------------------------
@syscall
def sys_break(td, nsize):
    """Move the program break to ``nsize`` (NULL: just report it); returns the new break."""
    p = td.proc
    if nsize == 0:
        return p.brk
    maxdata = resource.limit(p, resource.RLIMIT_DATA)     # SECURITY (ch. 8): RLIMIT_DATA
    if nsize < p.brk_base or nsize - p.brk_base > maxdata:
        raise SyscallError(errno.ENOMEM, f"break({nsize:#x}) outside [{p.brk_base:#x}, "
                                         f"{p.brk_base + maxdata:#x}]")
    vs = p.vmspace
    heap = next((e for e in vs.entries if e.name == "heap"), None)
    new_end = page_ceil(nsize)
    old_end = heap.end if heap is not None else p.brk_base
    resource.check_as(p, new_end - old_end, "break")   # SECURITY (ch. 8): RLIMIT_AS
    try:
        if heap is None and new_end > p.brk_base:
            vs.map(p.brk_base, new_end, PROT_READ | PROT_WRITE, "heap")
        elif heap is not None and new_end == heap.start:
            vs.unmap_entry(heap)
        elif heap is not None and new_end != heap.end:
            vs.resize(heap, new_end)
    except ValueError as e:
        raise SyscallError(errno.ENOMEM, str(e)) from None
    p.brk = nsize
    return nsize


@syscall
def sys_getrusage(td, who, rusage):
    """Resource usage of the caller (RUSAGE_SELF/THREAD) or of its reaped children."""
    if who == RUSAGE_SELF:
        ru = td.proc.rusage                     # every thread's, the exited ones' included
    elif who == RUSAGE_THREAD:
        ru = td.rusage
    elif who == RUSAGE_CHILDREN:
        ru = td.proc.crusage
    else:
        raise SyscallError(errno.EINVAL, f"getrusage: who must be 0, -1 or 1, found {who}")
    copyout(td, rusage, _rusage_bytes(td.kernel, ru))
    return 0


@syscall
def sys_sched_yield(td):
    """Give the hart to the next runnable thread (if any)."""
    td.kernel.sched.setrunnable(td)
    td.proc.rusage.nvcsw += 1
    td.rusage.nvcsw += 1
    return 0
