"""Signals: actions, masks, pending sets, delivery on the user stack, default actions.

    kill(pid, sig) ──> psignal(proc, sig): mark pending for the process; wake one thread
                       that does not block it (an interruptible sleeper, or kick its hart)
    thr_kill(tid, sig) ──> tdsignal(td, sig): pending for that thread only
    synchronous fault ──> trapsignal(td, sig, addr): deliver now (or die if blocked/ignored)
    every return to user mode ──> ast(td): for each deliverable pending signal, postsig():
         SIG_IGN           drop it
         SIG_DFL           its default action: terminate, ignore (SIGCHLD, SIGURG, ...)
         a handler         sendsig(): push a signal frame on the user stack, run the handler
                           with the mask | sa_mask | the signal; it returns into sigcode,
                           which calls sigreturn(frame) to restore registers and mask.

Sets are 128-bit masks (sigset_t: 4 x u32): bit ``signo - 1``. SIGKILL and
SIGSTOP can be neither caught, ignored nor blocked.

Numbers, flags and the default actions are FreeBSD's (sys/sys/signal.h,
kern_sig.c's sigproptbl). Stop signals (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU)
stop the process when it next returns to user mode (a sleeping process
stops when its call ends); SIGCONT makes it runnable again; the parent sees
the stop through wait4(WUNTRACED) and a SIGCHLD (unless SA_NOCLDSTOP).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from oskit.kernel import errno
from oskit.kernel.kern.proc import ProcState, ThreadState
from oskit.kernel.kern.syscall import Sleep, SyscallError, syscall
from oskit.kernel.riscv import machdep
from oskit.kernel.riscv.copyinout import copyin, copyout
from oskit.kernel.security.mac import mac_proc_check_signal

NSIG = 128
SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGEMT, SIGFPE = 1, 2, 3, 4, 5, 6, 7, 8
SIGKILL, SIGBUS, SIGSEGV, SIGSYS, SIGPIPE, SIGALRM, SIGTERM, SIGURG = 9, 10, 11, 12, 13, 14, 15, 16
SIGSTOP, SIGTSTP, SIGCONT, SIGCHLD, SIGTTIN, SIGTTOU, SIGIO, SIGXCPU = 17, 18, 19, 20, 21, 22, 23, 24
SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGINFO, SIGUSR1, SIGUSR2, SIGTHR = 25, 26, 27, 28, 29, 30, 31, 32

NAMES = {v: k for k, v in list(globals().items()) if k.startswith("SIG") and isinstance(v, int)
         and k not in ("SIG_DFL", "SIG_IGN")}

SIG_DFL, SIG_IGN = 0, 1
SA_ONSTACK, SA_RESTART, SA_RESETHAND, SA_NOCLDSTOP = 0x1, 0x2, 0x4, 0x8
SA_NODEFER, SA_NOCLDWAIT, SA_SIGINFO = 0x10, 0x20, 0x40
SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK = 1, 2, 3

# Default actions (FreeBSD's sigproptbl): everything else terminates.
CORE = {SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGEMT, SIGFPE, SIGBUS, SIGSEGV, SIGSYS, SIGXCPU, SIGXFSZ}
DEFAULT_IGNORE = {SIGURG, SIGCONT, SIGCHLD, SIGIO, SIGWINCH, SIGINFO, SIGTHR}
STOP = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}      # default action: stop the process
CANTMASK = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1))
ALLMASK = (1 << NSIG) - 1

# struct sigaction (FreeBSD riscv64): sa_handler @0 (8), sa_flags int @8, sa_mask sigset_t @12; size 32
SIGACTION = struct.Struct("<Qi4I4x")


def sigbit(signo: int) -> int:
    return 1 << (signo - 1)


def signame(signo: int) -> str:
    return NAMES.get(signo, f"SIG{signo}")


def default_ignored(signo: int) -> bool:
    return signo in DEFAULT_IGNORE


@dataclass
class SigActs:
    """Per-process signal actions: handler address (or SIG_DFL/SIG_IGN), mask and flags per signal."""

    handler: list = field(default_factory=lambda: [SIG_DFL] * (NSIG + 1))
    mask: list = field(default_factory=lambda: [0] * (NSIG + 1))
    flags: list = field(default_factory=lambda: [0] * (NSIG + 1))

    def copy(self) -> "SigActs":
        return SigActs(list(self.handler), list(self.mask), list(self.flags))

    def exec_reset(self) -> None:
        """execve: caught signals go back to SIG_DFL (the handler's code is gone); ignored stay ignored."""
        for s in range(1, NSIG + 1):
            if self.handler[s] not in (SIG_DFL, SIG_IGN):
                self.handler[s] = SIG_DFL
                self.mask[s] = 0
                self.flags[s] = 0

    def ignored(self, signo: int) -> bool:
        h = self.handler[signo]
        return h == SIG_IGN or (h == SIG_DFL and default_ignored(signo))


def _valid(signo: int) -> None:
    if not 1 <= signo <= NSIG:
        raise SyscallError(errno.EINVAL, f"signal number {signo} is not in 1..{NSIG}")


# -- posting ---------------------------------------------------------------------------
SI_USER = 0x10001          # si_code: sent by kill()


def psignal(kernel, proc, signo: int, sender=None) -> None:
    """Post ``signo`` to ``proc``: make it pending and wake a thread that can take it.

    ``sender``: the sending Proc for kill() (its pid and uid go into siginfo).
    """
    if proc.state is ProcState.ZOMBIE or proc.sigacts is None:
        return
    if signo in (SIGCONT, SIGKILL) and proc.stopped:
        continue_process(kernel, proc)          # SIGCONT continues whatever its action; SIGKILL too
    if signo == SIGCONT:
        proc.siglist &= ~sum(sigbit(s) for s in STOP)
    elif signo in STOP:
        proc.siglist &= ~sigbit(SIGCONT)
    if signo != SIGKILL and proc.sigacts.ignored(signo):
        return                                  # discarded at once, never pending
    if proc.pid == 1 and proc.sigacts.handler[signo] == SIG_DFL:
        # init takes only the signals it catches: a default action (SIGKILL's included) would
        # end it or stop it, and the system with it (FreeBSD's issignal: "Don't take default
        # actions on system processes"). Its own faults still end it (trapsignal): a panic.
        return
    proc.siglist |= sigbit(signo)
    proc.siginfo[signo] = (SI_USER, sender.pid, sender.cred.uid) if sender is not None else (0, 0, 0)
    kernel.probes.fire("signal", pid=proc.pid, signo=signo)
    stop = signo in STOP and proc.sigacts.handler[signo] == SIG_DFL
    live = [td for td in proc.threads if td.state is not ThreadState.DEAD]
    if stop:
        # Any running thread takes it at its next trap and stops them all; a sleeper when it wakes.
        for td in live:
            if td.state is ThreadState.RUNNING and td.hart is not None and not td.in_syscall:
                kernel.sched.kick(td.hart)
                break
        return
    # One thread that does not block the signal takes it (FreeBSD's sigtd + tdsigwakeup):
    # a thread that runs or is about to run (interrupt it if it is in user mode on a hart),
    # else an interruptible sleeper, woken. It stays pending for the process: whichever thread
    # that does not block it returns to user mode first takes it, once.
    takers = [td for td in live if signo == SIGKILL or not td.sigmask & sigbit(signo)]
    for td in takers:
        if td.state is ThreadState.RUNNING:
            if td.hart is not None and not td.in_syscall:
                kernel.sched.kick(td.hart)
            return
        if td.state is ThreadState.RUNNABLE:
            return
    for td in takers:
        if kernel.sched.interrupt_sleep(td):
            return


def tdsignal(kernel, td, signo: int, sender=None) -> None:
    """Post ``signo`` to one thread (thr_kill): pending for ``td`` alone, which takes it.

    Signals that act on the whole process (SIGKILL, stop and continue) go to
    the process instead, as FreeBSD's tdsendsignal does for them.
    """
    proc = td.proc
    if proc.state is ProcState.ZOMBIE or proc.sigacts is None or td.state is ThreadState.DEAD:
        return
    if signo in (SIGKILL, SIGCONT) or (signo in STOP and proc.sigacts.handler[signo] == SIG_DFL):
        psignal(kernel, proc, signo, sender)
        return
    if proc.sigacts.ignored(signo):
        return
    td.siglist |= sigbit(signo)
    proc.siginfo[signo] = (SI_USER, sender.pid, sender.cred.uid) if sender is not None else (0, 0, 0)
    kernel.probes.fire("signal", pid=proc.pid, signo=signo)
    if not td.sigmask & sigbit(signo):
        if not kernel.sched.interrupt_sleep(td) and td.hart is not None and not td.in_syscall:
            kernel.sched.kick(td.hart)


def pending(td) -> int:
    """Signals pending for ``td`` that are not blocked."""
    return (td.proc.siglist | td.siglist) & ~(td.sigmask & ~CANTMASK)


def issignal(td) -> int:
    """The lowest-numbered deliverable signal for ``td`` (0 if none), dropping ignored ones."""
    while True:
        bits = pending(td)
        if not bits:
            return 0
        signo = (bits & -bits).bit_length()
        if signo != SIGKILL and td.proc.sigacts.ignored(signo):
            td.proc.siglist &= ~sigbit(signo)
            td.siglist &= ~sigbit(signo)
            continue
        return signo


def postsig(kernel, td, signo: int, code: int = 0, addr: int = 0) -> None:
    """Take one signal: run its action (may end the process)."""
    p = td.proc
    p.siglist &= ~sigbit(signo)
    td.siglist &= ~sigbit(signo)
    acts = p.sigacts
    handler = acts.handler[signo]
    if signo == SIGKILL or handler == SIG_DFL:
        if default_ignored(signo) and signo != SIGKILL:
            return
        if signo in STOP:
            kernel.trace.psig(td, signo, "SIG_DFL: stopped")
            stop_process(kernel, p, signo)
            return
        kernel.trace.psig(td, signo, "SIG_DFL: killed" + (f" (address {addr:#x})" if addr else ""))
        kernel.exit1(td, signo, reason=f"killed by {signame(signo)}"
                     + (f" (address {addr:#x})" if signo in (SIGSEGV, SIGBUS) and addr else ""))
        return
    if handler == SIG_IGN:
        return
    oldmask = td.oldmask if td.oldmask is not None else td.sigmask
    td.oldmask = None
    pid = uid = 0
    if not code:
        code, pid, uid = p.siginfo.pop(signo, (0, 0, 0))
    if not machdep.sendsig(td, signo, handler, oldmask, code, addr, pid, uid):
        kernel.exit1(td, SIGILL, reason=f"could not push a frame for {signame(signo)} on the user stack")
        return
    kernel.probes.fire("sigdeliver", pid=p.pid, signo=signo, handler=handler)
    kernel.trace.psig(td, signo, f"caught by handler {handler:#x}")
    newmask = td.sigmask | acts.mask[signo]
    if not acts.flags[signo] & SA_NODEFER:
        newmask |= sigbit(signo)
    td.sigmask = newmask & ~CANTMASK
    if acts.flags[signo] & SA_RESETHAND:
        acts.handler[signo] = SIG_DFL
        acts.flags[signo] = 0


def stop_process(kernel, p, signo: int) -> None:
    """Default action of a stop signal: every thread stops; the parent is told."""
    p.stopped = signo
    p.stop_reported = False
    for td in p.threads:
        if td.state in (ThreadState.RUNNING, ThreadState.RUNNABLE):
            running_elsewhere = td.state is ThreadState.RUNNING and td.hart is not None \
                and not td.in_syscall
            kernel.sched.remove(td)
            td.state = ThreadState.STOPPED
            if running_elsewhere:
                kernel.sched.kick(td.hart)      # a thread in user mode on another hart: stop it now
    kernel.probes.fire("signal", pid=p.pid, signo=signo)
    parent = p.parent
    if parent is not None:
        if not parent.sigacts.flags[SIGCHLD] & SA_NOCLDSTOP:
            psignal(kernel, parent, SIGCHLD)
        kernel.wakeup(("wait", parent.pid))


def continue_process(kernel, p) -> None:
    """SIGCONT (or SIGKILL) for a stopped process: its threads run again."""
    p.stopped = 0
    p.stop_reported = True
    for td in p.threads:
        if td.state is ThreadState.STOPPED:
            kernel.sched.setrunnable(td)


def trapsignal(kernel, td, signo: int, addr: int = 0, code: int = 0) -> None:
    """A fault in user code: deliver ``signo`` now. Blocked or ignored, it still kills (as FreeBSD)."""
    acts = td.proc.sigacts
    if acts.handler[signo] in (SIG_DFL, SIG_IGN) or td.sigmask & sigbit(signo):
        acts.handler[signo] = SIG_DFL
        td.sigmask &= ~sigbit(signo)
    postsig(kernel, td, signo, code, addr)


def ast(kernel, td) -> None:
    """On the way back to user mode: deliver every deliverable signal (FreeBSD's ast/postsig loop)."""
    while not td.proc.exited() and td.state is ThreadState.RUNNING:
        signo = issignal(td)
        if not signo:
            if td.oldmask is not None:
                # sigsuspend ended but no handler ran to carry its saved mask: restore it here.
                td.sigmask, td.oldmask = td.oldmask, None
            return
        postsig(kernel, td, signo)
        if td.proc.sigacts.handler[signo] not in (SIG_DFL, SIG_IGN):
            return          # one handler frame at a time; the rest after it returns


def restart_error(td) -> int:
    """A signal ended a sleep: EINTR, or ERESTART if the signal's handler has SA_RESTART."""
    signo = issignal(td)
    if signo and td.proc.sigacts.flags[signo] & SA_RESTART:
        return errno.ERESTART
    return errno.EINTR


# -- system calls -------------------------------------------------------------------------
def _read_sigset(td, uaddr: int) -> int:
    w = struct.unpack("<4I", copyin(td, uaddr, 16))
    return w[0] | (w[1] << 32) | (w[2] << 64) | (w[3] << 96)


def _write_sigset(td, uaddr: int, mask: int) -> None:
    copyout(td, uaddr, struct.pack("<4I", *[(mask >> (32 * i)) & 0xFFFF_FFFF for i in range(4)]))


@syscall
def sys_sigaction(td, sig, act, oact):
    """Examine and change the action for ``sig``."""
    _valid(sig)
    acts = td.proc.sigacts
    new = None
    if act:
        handler, flags, m0, m1, m2, m3 = SIGACTION.unpack(copyin(td, act, SIGACTION.size))
        if sig in (SIGKILL, SIGSTOP) and handler != SIG_DFL:
            raise SyscallError(errno.EINVAL, f"{signame(sig)} cannot be caught or ignored")
        new = (handler, flags, (m0 | (m1 << 32) | (m2 << 64) | (m3 << 96)) & ~CANTMASK)
    if oact:
        m = acts.mask[sig]
        copyout(td, oact, SIGACTION.pack(acts.handler[sig], acts.flags[sig],
                                         *[(m >> (32 * i)) & 0xFFFF_FFFF for i in range(4)]))
    if new is not None:
        acts.handler[sig], acts.flags[sig], acts.mask[sig] = new
        if acts.ignored(sig):
            # Setting SIG_IGN (or SIG_DFL for a default-ignored signal) discards it if pending.
            td.proc.siglist &= ~sigbit(sig)
            for t in td.proc.threads:
                t.siglist &= ~sigbit(sig)
    return 0


@syscall
def sys_sigprocmask(td, how, set, oset):
    """Examine and change the calling thread's mask of blocked signals."""
    old = td.sigmask
    if set:
        m = _read_sigset(td, set)
        if how == SIG_BLOCK:
            td.sigmask |= m
        elif how == SIG_UNBLOCK:
            td.sigmask &= ~m
        elif how == SIG_SETMASK:
            td.sigmask = m
        else:
            raise SyscallError(errno.EINVAL, f"sigprocmask: how must be 1, 2 or 3, found {how}")
        td.sigmask &= ~CANTMASK
    if oset:
        _write_sigset(td, oset, old)
    return 0


@syscall
def sys_sigpending(td, set):
    """The signals pending for the caller (blocked ones included)."""
    _write_sigset(td, set, (td.proc.siglist | td.siglist) & td.sigmask)
    return 0


@syscall
def sys_sigsuspend(td, sigmask):
    """Replace the mask and sleep until a signal is delivered; always returns EINTR."""
    if "sigsuspend" not in td.scratch:
        td.scratch["sigsuspend"] = td.sigmask
        td.oldmask = td.sigmask              # the handler's frame restores this mask
        td.sigmask = _read_sigset(td, sigmask) & ~CANTMASK
    raise Sleep(("sigsuspend", td), always_eintr=True)


@syscall
def sys_sigreturn(td, sigcntxp):
    """Return from a signal handler: registers and mask from the signal frame."""
    mask = machdep.sigreturn(td, sigcntxp)
    td.sigmask = mask & ~CANTMASK
    raise SyscallError(errno.EJUSTRETURN)     # every register comes from the frame


@syscall
def sys_kill(td, pid, signum):
    """Send ``signum`` to process ``pid`` (0: none sent, only the permission check)."""
    kernel = td.kernel
    if not 0 <= signum <= NSIG:
        raise SyscallError(errno.EINVAL, f"kill: signal {signum} is not in 0..{NSIG}")
    if pid > 0:
        targets = [p for p in kernel.procs.values() if p.pid == pid]
    elif pid == -1:
        targets = [p for p in kernel.procs.values() if p.pid > 1 and p is not td.proc]
    else:
        pgid = td.proc.pgid if pid == 0 else -pid
        targets = [p for p in kernel.procs.values() if p.pgid == pgid]
    targets = [p for p in targets if p.state is not ProcState.NEW]
    if pid > 0 and targets and "system" in targets[0].flags:
        raise SyscallError(errno.EPERM, f"kill: process {pid} is a kernel process")
    targets = [p for p in targets if "system" not in p.flags]   # kernel processes take no signals
    if not targets:
        raise SyscallError(errno.ESRCH, f"kill: no process {pid}")
    cred = td.proc.cred
    sent = 0
    for p in targets:
        if cred.euid != 0 and cred.uid != p.cred.uid and cred.euid != p.cred.uid \
                and cred.uid != p.cred.svuid and cred.euid != p.cred.svuid:
            continue
        if mac_proc_check_signal(cred, p, signum):      # SECURITY (ch. 8): a MAC policy may refuse (mac.py)
            continue
        sent += 1
        if signum:
            psignal(kernel, p, signum, sender=td.proc)
    if not sent:
        raise SyscallError(errno.EPERM, f"kill: not allowed to signal process {pid}")
    return 0
