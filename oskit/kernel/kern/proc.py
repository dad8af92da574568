"""Processes and threads: what the kernel knows about each running program.

    Proc                                   Thread
    ────                                   ──────
    pid, parent, children                  tid, proc
    cred      (Ucred, in guest memory)     state: RUNNABLE / RUNNING / SLEEPING / DEAD
    vmspace   (vm.VMSpace: map + pmap)     frame  (struct trapframe, in guest memory)
    fdtable, cwd, umask   (FILES)          kstack (a kernel stack page, in guest memory)
    sigacts, siglist (pending)             sigmask, siglist (pending for this thread)
    state: NEW / ACTIVE / ZOMBIE           wchan, wdeadline (what it sleeps on)
    xstat  (wait status once a zombie)     hart (the hart running it, or None)
    rusage, comm, argv, console capture    pending (a slept system call to re-run)
    (the sum over its threads, live and      rusage (what this thread used), tls
     dead: each charge goes to both)

Fields are grouped by who touches them: the scheduler (state, hart, wchan),
the system-call path (pending, scratch), signals (sigmask, siglist) and
exit/wait (xstat, children). A process has one thread after exec and fork
and more after thr_new (sys_thread.py); every thread has its own trap frame,
kernel stack, signal mask and TLS pointer, and shares everything on the left.
``Proc.exited()`` is a ready-made condition for
``kernel.run(until=p.exited)``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from oskit.kernel.kern.priority import PRI_TIMESHARE, RTP_PRIO_NORMAL
from oskit.kernel.param import DMAP_BASE, RAM_BASE, dmap
from oskit.kernel.structs import NGROUPS, TRAPFRAME, UCRED


class ProcState(enum.Enum):
    NEW = "new"             # being built by fork/spawn
    ACTIVE = "active"       # has at least one live thread
    ZOMBIE = "zombie"       # exited; waits for its parent's wait4


class ThreadState(enum.Enum):
    RUNNABLE = "runnable"   # on the run queue
    RUNNING = "running"     # on a hart right now
    SLEEPING = "sleeping"   # waiting on td.wchan
    STOPPED = "stopped"     # by SIGSTOP/SIGTSTP/...; runnable again after SIGCONT
    DEAD = "dead"           # exited


class Ucred:
    """A credential in guest memory (``struct ucred``), with the names FILES' DAC checks use.

    uid/gid are the *real* ids, euid/egid the effective ones (cr_groups[0]).
    """

    def __init__(self, kernel, addr: int):
        self.kernel = kernel
        self.addr = addr                        # physical address of the struct
        self.view = UCRED.view(kernel.machine.bus.ram, addr)

    @property
    def uid(self) -> int:
        return self.view.cr_ruid

    @property
    def euid(self) -> int:
        return self.view.cr_uid

    @property
    def svuid(self) -> int:
        return self.view.cr_svuid

    @property
    def gid(self) -> int:
        return self.view.cr_rgid

    @property
    def egid(self) -> int:
        return self.view.get("cr_groups", 0)

    @property
    def svgid(self) -> int:
        return self.view.cr_svgid

    @property
    def groups(self) -> list[int]:
        """Every group the credential is in (the effective gid first)."""
        return [self.view.get("cr_groups", i) for i in range(min(self.view.cr_ngroups, NGROUPS))]

    def set_ids(self, *, uid=None, euid=None, svuid=None, gid=None, egid=None, svgid=None) -> None:
        v = self.view
        if uid is not None:
            v.cr_ruid = uid
        if euid is not None:
            v.cr_uid = euid
        if svuid is not None:
            v.cr_svuid = svuid
        if gid is not None:
            v.cr_rgid = gid
        if egid is not None:
            v.set("cr_groups", egid, 0)
            v.cr_ngroups = max(1, v.cr_ngroups)
        if svgid is not None:
            v.cr_svgid = svgid

    def __repr__(self) -> str:
        return (f"<ucred uid={self.uid} euid={self.euid} gid={self.gid} egid={self.egid} "
                f"groups={self.groups} at {self.addr:#x}>")


@dataclass
class Rusage:
    """Resource usage, accumulated in Python (copied out as struct rusage by getrusage)."""

    utime_ticks: int = 0        # mtime ticks spent in user mode
    stime_ticks: int = 0        # mtime ticks spent in the kernel (trap handling)
    minflt: int = 0             # page faults served without I/O
    majflt: int = 0             # page faults that needed I/O
    nvcsw: int = 0              # voluntary context switches (slept)
    nivcsw: int = 0             # involuntary context switches (preempted)
    syscalls: int = 0
    maxrss: int = 0             # the resident set's peak, in KiB (a maximum, not a sum)

    def add(self, other: "Rusage") -> None:
        """Add ``other``'s usage to this one (a reaped child's, a dead thread's): maxrss is the larger."""
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, max(mine, theirs) if name == "maxrss" else mine + theirs)


class Thread:
    """A thread of control: a trap frame, a kernel stack, a signal mask, a scheduling state."""

    def __init__(self, proc: "Proc", tid: int, frame_addr: int, kstack_top: int):
        self.proc = proc
        self.tid = tid
        self.frame_addr = frame_addr            # physical address of struct trapframe
        self.frame = TRAPFRAME.view(proc.kernel.machine.bus.ram, frame_addr)
        self.kstack_top = kstack_top            # kernel virtual address (DMAP)
        # scheduler
        self.state = ThreadState.RUNNABLE
        self.hart = None                        # Hart it runs on, when RUNNING (or in a syscall)
        self.wchan = None                       # what it sleeps on
        self.wdeadline: int | None = None       # mtime at which the sleep ends by itself
        self.winterruptible = True
        self.interrupted = False                # a signal ended the sleep
        self.timed_out = False                  # the deadline ended the sleep
        self.slice_end = 0                      # mtime at which its time slice ends
        # system-call path
        self.pending = None                     # a slept call to re-run: (entry, args, record)
        self.scratch: dict = {}                 # per-call state surviving re-runs (emptied per new call)
        self.in_syscall = False
        # signals
        self.sigmask = 0                        # blocked signals (bit signo-1)
        self.siglist = 0                        # pending for this thread (synchronous faults)
        self.oldmask: int | None = None         # sigsuspend's saved mask
        self.tls = 0
        # priority (kern/priority.py): set by rtprio_thread, lent through PI mutexes (umtx.py)
        self.rtp_type, self.rtp_prio = RTP_PRIO_NORMAL, 0
        self.pri_base = PRI_TIMESHARE
        self.pri_lent: int | None = None        # best priority of the threads waiting on its PI mutexes
        self.pi_owned: set = set()              # umtx keys of the contested PI mutexes it holds
        self.pi_blocked_on = None               # the umtx key of the PI mutex it waits for
        # a kernel thread (kern/vfs_aio.py's aiod) never enters user mode: when the scheduler
        # picks it, trap.py's choose() calls kthread(hart), which works and then sleeps or yields
        self.kthread = None
        # accounting: what this thread used (also added to proc.rusage, the process's total)
        self.rusage = Rusage()
        self.stime_cycles = 0                   # kernel cycles billed, not yet a whole tick (kern/ktime.py)

    @property
    def kernel(self):
        return self.proc.kernel

    def __repr__(self) -> str:
        return f"<thread {self.proc.pid}.{self.tid} {self.state.value} {self.proc.comm}>"


class Proc:
    """A process: an address space, a credential, files, signal actions, children."""

    def __init__(self, kernel, pid: int, parent: "Proc | None", comm: str):
        self.kernel = kernel
        self.pid = pid
        self.pgid = parent.pgid if parent is not None else pid   # process group (kill(0, sig))
        self.parent = parent
        self.children: list[Proc] = []
        self.comm = comm                        # command name (argv[0]'s last component)
        self.argv: list[str] = []
        self.path = ""                          # path it was executed from
        self.state = ProcState.NEW
        self.threads: list[Thread] = []
        self.pstruct = None                     # View of struct proc in guest memory (kernel.new_proc)
        self._creds: dict[int, Ucred] = {}
        self.cred_alloc = 0
        self.vmspace = None                     # vm.VMSpace
        self.fdtable = None                     # FILES' FileTable
        self.cwd = None                         # FILES' vnode
        self.umask = 0o022
        self.sigacts = None                     # signal.SigActs
        self.siglist = 0                        # pending for the process (kill)
        self.siginfo: dict = {}                 # signo -> (si_code, sender pid, sender uid)
        self.xstat: int | None = None           # wait status, set when it becomes a zombie
        self.stopped = 0                        # the signal that stopped it (0: not stopped)
        self.stop_reported = True               # wait4(WUNTRACED) has seen this stop
        self.exit_reason = ""                   # a human explanation ("killed by SIGSEGV at 0x0 ...")
        self.rusage = Rusage()
        self.crusage = Rusage()                 # of reaped children
        self.start_time = 0
        self.console_capture: bytearray | None = None   # console output of this process tree
        self.input_capture = None
        self.rlimits = None                     # [[soft, hard]] per RLIMIT_*; None: the defaults
        self.cpulimit = None                    # seconds of CPU at which the next SIGXCPU comes (resource.py)
        self.limit_hits = 0                     # how often a limit refused this process something
        self.kmem = 0                           # bytes of kernel heap billed to it (resource.kmem_charge)
        self.auid = None                        # audit user id: the uid it logged in as (None: its uid)
        self.itimer = None                      # (callout handle, interval ticks) of ITIMER_REAL
        self.brk_base = 0
        self.brk = 0
        self.flags: set[str] = set()            # e.g. {"traced", "exec"}

    # -- the guest-memory part ---------------------------------------------------------
    @property
    def cred(self) -> "Ucred | None":
        """The credential p_ucred points at (read from guest memory every time)."""
        if self.pstruct is None or not self.pstruct.p_ucred:
            return None
        pa = self.pstruct.p_ucred - DMAP_BASE + RAM_BASE
        cred = self._creds.get(pa)
        if cred is None:
            cred = self._creds[pa] = Ucred(self.kernel, pa)
        return cred

    @cred.setter
    def cred(self, cred: "Ucred") -> None:
        self._creds = {cred.addr: cred}
        self.cred_alloc = cred.addr             # what reaping frees, whatever p_ucred says by then
        self.pstruct.p_ucred = dmap(cred.addr)

    def sync_pstruct(self) -> None:
        """Copy pid, ppid, comm and the wait status into struct proc (after they change)."""
        ps = self.pstruct
        if ps is None:
            return
        ps.p_pid = self.pid
        ps.p_ppid = self.ppid
        ps.p_xstat = self.xstat or 0
        ps.p_flag = 0x100 if "sugid" in self.flags else 0
        name = self.comm.encode("utf-8", "replace")[:19]
        for i in range(20):
            ps.set("p_comm", name[i] if i < len(name) else 0, i)

    # -- conditions and results, for notebooks -------------------------------------
    def exited(self) -> bool:
        """True once the process has exited (a zombie or reaped): ``k.run(until=p.exited)``."""
        return self.xstat is not None

    @property
    def ppid(self) -> int:
        return self.parent.pid if self.parent is not None else 0

    @property
    def exit_status(self) -> int | None:
        """The exit code if it exited normally, -signo if a signal killed it, None while running."""
        if self.xstat is None:
            return None
        if self.xstat & 0x7F:
            return -(self.xstat & 0x7F)
        return (self.xstat >> 8) & 0xFF

    @property
    def signaled(self) -> int | None:
        """The signal that killed it (WTERMSIG), or None."""
        if self.xstat is None or not self.xstat & 0x7F:
            return None
        return self.xstat & 0x7F

    @property
    def stdout(self) -> str:
        """Everything this process (and the children it forked) wrote to the console."""
        data = bytes(self.console_capture or b"")
        return data.decode("utf-8", "replace")

    @property
    def main_thread(self) -> Thread:
        return self.threads[0]

    def __repr__(self) -> str:
        return f"<proc {self.pid} {self.comm!r} {self.state.value}>"
