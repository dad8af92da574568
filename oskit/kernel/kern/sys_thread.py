"""Thread system calls (FreeBSD's numbers and meaning): thr_new, thr_self, thr_exit, thr_kill.

A thread is a trap frame, a kernel stack, a signal mask and a place in the
scheduler (proc.Thread); everything else belongs to its process and is shared:
the address space, the files, the credential, the signal actions. libc's
pthreads (oskit/userland/libc/pthread.c) is built on these four calls and on
_umtx_op (umtx.py), which lets a thread sleep until a word in memory changes.

    thr_new(&param, sizeof param)   a new thread runs param.start_func(param.arg)
                                    on [stack_base, stack_base + stack_size) with
                                    tp = tls_base; its id goes to *child_tid and
                                    *parent_tid before it runs. Its signal mask is
                                    the creator's; EAGAIN past MAX_THREADS threads.
    thr_self(&id)                   the caller's thread id (a long)
    thr_exit(&state)                the caller ends: *state = 1 and the threads
                                    waiting on it (_umtx_op WAIT) wake: that is how
                                    pthread_join waits. The last thread's thr_exit
                                    ends the process, as exit(0) would.
    thr_kill(id, sig)               a signal for one thread of the caller's process
                                    (id -1: every thread of it)

struct thr_param (FreeBSD's sys/thr.h, 104 bytes on riscv64):

    0  start_func   8  arg         16 stack_base   24 stack_size
    32 tls_base     40 tls_size    48 child_tid    56 parent_tid
    64 int flags    72 rtp         80 spare[3]

How threads meet the rest of the process:

- exit/_exit and a fatal signal end every thread (sys_proc.exit1); a thread
  running on another hart at that moment is stopped at once (stop_thread);
- fork copies the calling thread only; execve ends the others (exec.py);
- wait4 sees a zombie only when the whole process has ended;
- kill(pid) is taken by one thread that does not block the signal (signal.py);
- getrusage(RUSAGE_THREAD) is the caller's share, RUSAGE_SELF the whole sum;
- threads are not charged to RLIMIT_NPROC (it counts processes), but a process
  holds at most MAX_THREADS of them, so a thread bomb stops with EAGAIN after
  MAX_THREADS kernel stacks (4 KiB each) and trap frames;
- an exited thread's trap frame and kernel stack go back to the kernel at
  once (kernel.free_thread); a process's last ones when its parent reaps it;
- thread ids: a process's first thread has 100000 + 16 * pid, the ones
  thr_new makes the next free id from 1,000,000 (kernel.alloc_tid).
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern import signal
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.kern.sys_proc import W_EXITCODE, stop_thread
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.kern.umtx import umtx_wake
from oskit.kernel.riscv.copyinout import copyin, copyout
from oskit.kernel.riscv.machdep import thread_upcall_frame
from oskit.kernel.vm.pmem import OutOfMemory

MAX_THREADS = 64                 # threads per process (FreeBSD: kern.threads.max_threads_per_proc)

THR_PARAM = struct.Struct("<QQQQQQQQi4xQ24x")
THR_PARAM_FIELDS = ("start_func", "arg", "stack_base", "stack_size", "tls_base", "tls_size",
                    "child_tid", "parent_tid", "flags", "rtp")


def live_threads(p) -> list:
    """The threads of ``p`` that have not exited."""
    return [t for t in p.threads if t.state is not ThreadState.DEAD]


@syscall
def sys_thr_new(td, param, param_size):
    """Create a thread in the caller's process (see the module docstring)."""
    kernel = td.kernel
    p = td.proc
    if not 0 < param_size <= THR_PARAM.size:
        raise SyscallError(errno.EINVAL, f"thr_new: param_size must be 1..{THR_PARAM.size}, "
                                         f"found {param_size}")
    raw = copyin(td, param, param_size).ljust(THR_PARAM.size, b"\0")   # a shorter struct: the rest is 0
    prm = dict(zip(THR_PARAM_FIELDS, THR_PARAM.unpack(raw)))
    if len(live_threads(p)) >= MAX_THREADS:
        p.limit_hits += 1
        raise SyscallError(errno.EAGAIN, f"thr_new: pid {p.pid} already has {MAX_THREADS} threads "
                                         f"(MAX_THREADS)")
    try:
        ntd = kernel.new_thread(p)
    except OutOfMemory as e:
        raise SyscallError(errno.ENOMEM, f"thr_new: {e}") from None
    thread_upcall_frame(td, ntd, prm["start_func"], prm["arg"],
                        prm["stack_base"] + prm["stack_size"], prm["tls_base"])
    ntd.tls = prm["tls_base"]
    ntd.sigmask = td.sigmask
    ntd.rtp_type, ntd.rtp_prio, ntd.pri_base = td.rtp_type, td.rtp_prio, td.pri_base  # as FreeBSD: inherited
    # The new id goes out before the thread can run, so both sides see it at once.
    try:
        for where in (prm["child_tid"], prm["parent_tid"]):
            if where:
                copyout(td, where, struct.pack("<q", ntd.tid))
    except SyscallError:
        p.threads.remove(ntd)
        ntd.state = ThreadState.DEAD
        kernel.free_thread(ntd)
        raise
    kernel.probes.fire("thread_new", pid=p.pid, tid=ntd.tid, creator=td.tid)
    kernel.sched.setrunnable(ntd)
    return 0


@syscall
def sys_thr_self(td, id):
    """Store the caller's thread id (a long) at ``id``."""
    copyout(td, id, struct.pack("<q", td.tid))
    return 0


def thread_exit(kernel, td) -> None:
    """End ``td`` alone (not the last thread of its process): out of the scheduler and the process."""
    p = td.proc
    stop_thread(kernel, td, caller=td)
    p.threads.remove(td)
    kernel.free_thread(td)                        # after this trap has switched away from it
    kernel.probes.fire("thread_exit", pid=p.pid, tid=td.tid)


@syscall
def sys_thr_exit(td, state):
    """End the calling thread; *state = 1 and its waiters wake. The last thread ends the process."""
    kernel = td.kernel
    if state:
        try:
            copyout(td, state, struct.pack("<q", 1))
            umtx_wake(td, state)
        except SyscallError:
            pass                                  # a bad pointer does not keep a thread alive (FreeBSD)
    if len(live_threads(td.proc)) == 1:
        kernel.exit1(td, W_EXITCODE(0, 0), reason="thr_exit of the last thread")
        return
    thread_exit(kernel, td)


@syscall
def sys_thr_kill(td, id, sig):
    """Send ``sig`` to thread ``id`` of the caller's process (-1: to each of its threads)."""
    if not 0 <= sig <= signal.NSIG:
        raise SyscallError(errno.EINVAL, f"thr_kill: signal {sig} is not in 0..{signal.NSIG}")
    threads = live_threads(td.proc)
    targets = threads if id == -1 else [t for t in threads if t.tid == id]
    if not targets:
        raise SyscallError(errno.ESRCH, f"thr_kill: no thread {id} in pid {td.proc.pid}")
    if sig:
        for t in targets:
            signal.tdsignal(td.kernel, t, sig, sender=td.proc)
    return 0
