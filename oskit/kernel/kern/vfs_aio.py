"""POSIX asynchronous I/O, done FreeBSD's way (sys/kern/vfs_aio.c): requests that outlive their call.

    aio_read(cb) / aio_write(cb) / lio_listio   queue a job and return at once (0)
    aio_error(cb)    EINPROGRESS while the job waits or runs; then its errno (0: success)
    aio_return(cb)   the job's result (a byte count, or -1), once: the job is then forgotten,
                     and a second aio_return is EINVAL
    aio_suspend(list, n, timeout)  sleep until one of the jobs is done (EAGAIN at the timeout)
    aio_cancel(fd, cb)  AIO_CANCELED (the job had not started), AIO_NOTCANCELED, AIO_ALLDONE

A job's life, with the probe ("aio") fired at each step, which the chapter plots:

    submitted ──> picked ──> copy ──> completed ──> reaped
    (aio_write)   (an aiod   (bytes   (result      (aio_return)
                   runs it)   move)    stored)

What the submission keeps (FreeBSD's struct kaiocb): a copy of the user's aiocb
in kernel memory billed to the submitter, a reference to the open file, and a
reference to the submitting thread's **credential** (``crhold``). The worker
does the transfer *with that credential* and bills its kernel time to the
submitting thread: a setuid() after aio_write does not change what the pending
write may do, and the CPU it costs counts in the submitter's getrusage.

The user's buffer is *not* copied at submission: the worker copies from (or
to) it when it runs, through the submitter's address space. A program that
changes its buffer before the job runs writes the changed bytes.

Kernel threads. The rest of this kernel is Python that runs inside a trap on
behalf of the thread that trapped; it has no thread of its own. aio needs one:
work that happens after the call returned, on nobody's behalf at that moment.
An ``aiod`` here is the smallest honest kernel process: a Proc in the process
table (pid, comm "aiodN", parent the kernel, ppid 0, as FreeBSD's kprocs) with
one Thread that the scheduler queues, picks and puts to sleep like any other.
It never enters user mode: when the scheduler picks it (trap.py's choose()),
its ``kthread`` function runs right there, in that trap, does one job, and
either sleeps (no work, or its job waits for a pipe) or goes to the back of
the run queue. Its work costs kernel time (kern/ktime.py), billed to the job's
submitter. Like FreeBSD, the daemons are made on demand, at most MAX_AIO_PROCS,
and take no signals (kill() says EPERM).

While it runs a job, the daemon borrows the submitter's address space and the
job's credential (FreeBSD's vmspace_switch_aio and ``td->td_ucred = job->cred``),
and gives both back before it sleeps.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from oskit.kernel import errno
from oskit.kernel.fs.file import VnodeFile
from oskit.kernel.kern.cred import crfree, crhold
from oskit.kernel.kern.proc import Proc, ProcState, ThreadState
from oskit.kernel.kern.resource import kfree_charged, kmalloc_charged
from oskit.kernel.kern.signal import NSIG
from oskit.kernel.kern.syscall import Sleep, SyscallError, syscall
from oskit.kernel.param import dmap
from oskit.kernel.riscv.copyinout import copyin, copyout
from oskit.kernel.structs import Struct
from oskit.kernel.vm.pmem import OutOfMemory

# struct aiocb, FreeBSD's sys/aio.h on a 64-bit target (160 bytes); <aio.h> declares the same.
AIOCB = Struct("aiocb", [
    ("aio_fildes", "i32"),          #   0
    ("aio_offset", "i64"),          #   8  where in the file (regular files; a pipe ignores it)
    ("aio_buf", "u64"),             #  16  the user's buffer
    ("aio_nbytes", "u64"),          #  24
    ("spare", "i32", 2),            #  32
    ("spare2", "u64"),              #  40
    ("aio_lio_opcode", "i32"),      #  48  LIO_READ / LIO_WRITE / LIO_NOP (lio_listio)
    ("aio_reqprio", "i32"),         #  52  ignored, as on FreeBSD
    ("status", "i64"),              #  56  _aiocb_private: what aio_return will give
    ("error", "i64"),               #  64  _aiocb_private: what aio_error gives
    ("kernelinfo", "u64"),          #  72  _aiocb_private: the job's number here
    ("sigev_notify", "i32"),        #  80  struct sigevent aio_sigevent (80 bytes)
    ("sigev_signo", "i32"),         #  84
    ("sigev_value", "u64"),         #  88
    ("sigev_un", "u64", 8),         #  96
], comment="FreeBSD's struct aiocb on LP64")

SI_ASYNCIO = 0x10004                # si_code of a completion signal (FreeBSD's sys/signal.h)
LIO_NOP, LIO_WRITE, LIO_READ = 0, 1, 2
LIO_NOWAIT, LIO_WAIT = 0, 1
AIO_CANCELED, AIO_NOTCANCELED, AIO_ALLDONE = 1, 2, 3
SIGEV_NONE, SIGEV_SIGNAL = 0, 1
AIO_LISTIO_MAX = 16
MAX_AIO_PROCS = 4                   # FreeBSD's vfs.aio.max_aio_procs is 32; 4 is plenty here
MAX_AIO_QUEUE_PER_PROC = 64         # vfs.aio.max_aio_queue_per_proc (FreeBSD: 256): EAGAIN past it
MAXIO = 1 << 20                     # as read(2): one transfer moves at most 1 MiB
IOSIZE_MAX = (1 << 63) - 1          # as read(2): a larger aio_nbytes is EINVAL
AIOD_IDLE = ("aiod", "idle")        # the channel an aiod with nothing to do sleeps on


@dataclass
class Job:
    """One request (FreeBSD's struct kaiocb): what aio_read/aio_write captured at submission."""

    jid: int
    op: str                         # "read" or "write"
    proc: Proc                      # the submitter's process ...
    td: object                      # ... and thread, billed for the work
    uaiocb: int                     # the user's aiocb (the job's name in aio_error/aio_return)
    kaiocb: int                     # the kernel's copy of it (kmalloc, billed to the submitter)
    file: object                    # the open file, held
    cred: object                    # the submitter's credential, held (crhold)
    offset: int
    buf: int
    nbytes: int
    signo: int = 0                  # SIGEV_SIGNAL: posted to the submitter at completion
    state: str = "queued"           # queued -> running (-> waiting) -> done; or cancelled
    status: int = -1                # aio_return's value
    error: int = errno.EINPROGRESS  # aio_error's value
    daemon: object = None           # the aiod working on it
    cycles: int = 0                 # kernel cycles its work cost (billed to td)
    events: list = field(default_factory=list)   # (what, mtime): its life, for the timeline

    @property
    def done(self) -> bool:
        return self.state in ("done", "cancelled")

    def __repr__(self) -> str:
        return (f"<aio job {self.jid} {self.op} of {self.nbytes} bytes for pid {self.proc.pid} "
                f"as euid {self.cred.euid}: {self.state}>")


class Aiod:
    """One aio daemon: a kernel process with one thread that runs jobs (see the module docstring)."""

    def __init__(self, aio: "AsyncIO", proc: Proc):
        self.aio = aio
        self.proc = proc
        self.td = proc.threads[0]
        self.job: Job | None = None         # the job it works on (kept while it sleeps for a pipe)
        self.jobs_done = 0

    def run(self, hart) -> None:
        """The scheduler picked this daemon (trap.py's choose()) on ``hart``: do one job, then sleep or yield.

        Its thread is RUNNING on ``hart`` (td.hart) for the duration, so the copies
        go through that hart's MMU, with the borrowed address space.
        """
        aio = self.aio
        kernel = aio.kernel
        td = self.td
        job = self.job
        if job is not None and job.state == "cancelled":
            self.job = job = None                       # cancelled while we slept on its pipe
        if job is None:
            job = aio.next_job()
            if job is None:
                kernel.sched.sleep(td, AIOD_IDLE, interruptible=False)
                return
            self.job = job
            job.daemon = self
            job.state = "running"
            td.scratch = {}                             # a pipe write half done keeps its count here
            aio.event(job, "picked", aiod=self.proc.pid)
            kernel.trace.aio(self.proc, job.proc.pid, f"job {job.jid} picked: {job.op} of {job.nbytes} "
                                                      f"bytes, {job.file.describe()}")
        slept = self.transfer(job)
        if slept is not None:
            job.state = "waiting"
            kernel.sched.sleep(td, slept.chan, interruptible=False)
            if aio.queue:
                aio.kick()                              # the jobs behind it need another daemon
            return
        self.job = None
        self.jobs_done += 1
        result = f"{job.status} bytes" if job.status >= 0 else f"error {errno.errno_name(job.error)}"
        kernel.trace.aio(self.proc, job.proc.pid, f"job {job.jid} done: {result}, as euid {job.cred.euid}, "
                                                  f"{job.cycles:,} cycles billed")
        aio.complete(job)
        if aio.queue:
            kernel.sched.setrunnable(td)                # more work: after the others had a turn
        else:
            kernel.sched.sleep(td, AIOD_IDLE, interruptible=False)

    def transfer(self, job: Job) -> Sleep | None:
        """Move the bytes, as the job's submitter; returns the Sleep if the file must be waited for."""
        kernel = self.aio.kernel
        td = self.td
        p = self.proc
        kclock = kernel.kclock
        mark = kclock.start_work()                      # this work is billed to the submitter
        p.vmspace, p.pstruct.p_ucred = job.proc.vmspace, dmap(job.cred.addr)   # borrow both
        try:
            result = _do_io(td, job)
        except Sleep as s:
            return s
        except SyscallError as e:
            job.status, job.error = -1, int(e.errno)
        else:
            job.status, job.error = result, 0
        finally:
            p.vmspace, p.pstruct.p_ucred = self.aio.kvmspace, dmap(p.cred_alloc)   # give them back
            job.cycles += kclock.end_work(mark, job.td)
        self.aio.event(job, "copy", nbytes=max(job.status, 0), uid=job.cred.euid)
        return None

    def __repr__(self) -> str:
        return f"<aiod pid {self.proc.pid} {self.td.state.value} job {self.job.jid if self.job else None}>"


def _do_io(td, job: Job) -> int:
    """The transfer itself, with the same file operations read(2) and write(2) use."""
    file = job.file
    positioned = isinstance(file, VnodeFile)            # a regular file: at aio_offset (pread/pwrite)
    saved = file.offset
    if positioned:
        file.offset = job.offset
    try:
        if job.op == "read":
            data = file.read(td, min(job.nbytes, MAXIO))    # may Sleep: nothing changed yet
            copyout(td, job.buf, data)                  # EFAULT: a bad buffer
            return len(data)
        data = copyin(td, job.buf, min(job.nbytes, MAXIO))  # the buffer as it is *now*
        return file.write(td, data)
    finally:
        if positioned:
            file.offset = saved                         # aio never moves the file's own offset


class AsyncIO:
    """The aio subsystem of one kernel (``k.aio``): the job queue, the jobs, the daemons."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.queue: list[Job] = []          # submitted, no daemon yet (FIFO)
        self.jobs: dict[tuple[int, int], Job] = {}   # (pid, user aiocb address) -> job, until aio_return
        self.daemons: list[Aiod] = []
        self.next_jid = 1
        self.kvmspace = None                # the address space a daemon has between jobs (the kernel's)
        self.history: list[Job] = []        # every job ever submitted (for the chapter's timeline)

    # -- the daemons ---------------------------------------------------------------------------
    def next_job(self) -> Job | None:
        return self.queue.pop(0) if self.queue else None

    def kick(self) -> None:
        """A job was queued: wake an idle daemon, or make one (up to MAX_AIO_PROCS).

        With no memory for a new daemon the queue waits for the ones there are;
        with none at all, the submission fails (EAGAIN, as FreeBSD's when it has
        no resources for a job).
        """
        k = self.kernel
        if k.sched.wakeup(AIOD_IDLE, limit=1):
            return
        ready = sum(1 for d in self.daemons if d.td.state is ThreadState.RUNNABLE and d.job is None)
        if ready < len(self.queue) and len(self.daemons) < MAX_AIO_PROCS:
            try:
                self.daemons.append(self._new_daemon())
            except OutOfMemory as e:
                k.log.append(f"aio: no memory for another aio daemon: {e}")
                if not self.daemons:
                    raise SyscallError(errno.EAGAIN, "aio: no memory for an aio daemon") from None

    def _new_daemon(self) -> Aiod:
        """A new kernel process aiodN: in the process table, a child of the kernel, runnable."""
        k = self.kernel
        if self.kvmspace is None:
            self.kvmspace = k.new_vmspace()       # an empty user half: a daemon has no program
        p = k.new_proc(k.proc0, f"aiod{len(self.daemons) + 1}")
        try:
            p.argv = [p.comm]
            p.flags.add("system")                 # a kernel process: no signals (FreeBSD's P_SYSTEM)
            p.cred = k.new_cred(0, 0)
            p.vmspace = self.kvmspace
            td = k.new_thread(p)
        except OutOfMemory:
            p.vmspace = None                      # (shared: not the daemon's to destroy)
            k.discard_proc(p)
            raise
        d = Aiod(self, p)
        td.kthread = d.run
        p.state = ProcState.ACTIVE
        p.sync_pstruct()
        k.sched.setrunnable(td)
        return d

    # -- the life of a job -----------------------------------------------------------------------
    def event(self, job: Job, what: str, **data) -> None:
        now = self.kernel.machine.clint.mtime
        job.events.append((what, now))
        self.kernel.probes.fire("aio", what=what, job=job.jid, pid=job.proc.pid, op=job.op, mtime=now,
                                **data)

    def submit(self, td, uaiocb: int, op: str | None = None) -> Job | None:
        """aio_read/aio_write/one lio_listio entry: check, capture, queue. Returns the job (None: LIO_NOP).

        Errors here (a bad descriptor, a bad aiocb) fail the call itself, as on
        FreeBSD; the error is also stored in the user's aiocb, where aio_error finds it.
        """
        p = td.proc
        raw = copyin(td, uaiocb, AIOCB.size)            # EFAULT: the aiocb itself is bad
        cb = dict(zip(AIOCB.fields, _unpack(raw)))
        if op is None:
            op = {LIO_READ: "read", LIO_WRITE: "write"}.get(cb["aio_lio_opcode"])
            if op is None:
                return None                              # LIO_NOP (or unknown): nothing to do
        try:
            if (p.pid, uaiocb) in self.jobs:
                raise SyscallError(errno.EINVAL, f"aio: the aiocb at {uaiocb:#x} is already in use "
                                                 f"(collect it with aio_return first)")
            if sum(1 for (pid, _) in self.jobs if pid == p.pid) >= MAX_AIO_QUEUE_PER_PROC:
                raise SyscallError(errno.EAGAIN, f"aio: pid {p.pid} has {MAX_AIO_QUEUE_PER_PROC} "
                                                 f"requests already")
            file = p.fdtable.get(cb["aio_fildes"])      # EBADF
            if not (file.readable if op == "read" else file.writable):
                raise SyscallError(errno.EBADF, f"aio_{op}: descriptor {cb['aio_fildes']} is not open "
                                                f"for {'reading' if op == 'read' else 'writing'}")
            if cb["aio_offset"] < 0 and isinstance(file, VnodeFile):
                raise SyscallError(errno.EINVAL, f"aio_{op}: negative offset {cb['aio_offset']}")
            if cb["aio_nbytes"] > IOSIZE_MAX:
                raise SyscallError(errno.EINVAL, f"aio_{op}: aio_nbytes {cb['aio_nbytes']} is too large")
            signo = 0
            if cb["sigev_notify"] == SIGEV_SIGNAL:
                signo = cb["sigev_signo"]
                if not 0 < signo <= NSIG:
                    raise SyscallError(errno.EINVAL, f"aio_{op}: sigev_signo {signo} is not a signal")
            elif cb["sigev_notify"] != SIGEV_NONE:
                raise SyscallError(errno.EINVAL, f"aio_{op}: sigev_notify {cb['sigev_notify']} is not "
                                                 f"SIGEV_NONE or SIGEV_SIGNAL")
            kaiocb = kmalloc_charged(td, AIOCB.size, "aio job")   # ENOMEM past the kmem limit
        except SyscallError as e:
            _store(td, uaiocb, -1, int(e.errno))        # FreeBSD's "hack for failure of aio_aqueue"
            raise
        self.kernel.machine.bus.write_bytes(kaiocb, raw)
        job = Job(self.next_jid, op, p, td, uaiocb, kaiocb, file.hold(), crhold(p.cred),
                  cb["aio_offset"], cb["aio_buf"], cb["aio_nbytes"], signo)
        self.next_jid += 1
        self.jobs[(p.pid, uaiocb)] = job
        self.history.append(job)
        self.queue.append(job)
        try:
            self.kick()
        except SyscallError as e:                       # no daemon to run it: undo, fail the call
            self.queue.remove(job)
            self._release(job)
            self.history.remove(job)
            del self.jobs[(p.pid, uaiocb)]
            kfree_charged(self.kernel, kaiocb)
            _store(td, uaiocb, -1, int(e.errno))
            raise
        _store(td, uaiocb, -1, errno.EINPROGRESS, job.jid)
        self.event(job, "submitted", uid=job.cred.euid)
        return job

    def complete(self, job: Job) -> None:
        """The job is done: keep its result for aio_return, wake aio_suspend, maybe post its signal."""
        job.state = "done"
        job.daemon = None
        self._release(job)
        self.event(job, "completed", status=job.status, error=job.error)
        self.kernel.wakeup(("aio", job.proc.pid))
        if job.signo and job.proc.state is ProcState.ACTIVE:      # SIGEV_SIGNAL
            self.kernel.psignal(job.proc, job.signo)
            if job.signo in job.proc.siginfo:
                job.proc.siginfo[job.signo] = (SI_ASYNCIO, 0, 0)

    def _release(self, job: Job) -> None:
        """Let go of the file and the credential (the result stays until aio_return)."""
        if job.file is not None:
            job.file.drop()
            job.file = None
        if not isinstance(job.cred, _Gone):
            crfree(self.kernel, job.cred.addr)
            job.cred = _Gone(job.cred.euid)

    def cancel(self, job: Job, force: bool = False) -> bool:
        """Cancel a job that has not moved a byte (queued, or waiting for a pipe); False if it cannot.

        ``force`` (the process is going away) cancels a job that moved part of its
        bytes too: a pipe write half done stays half done, as when a writer is killed.
        """
        if job.state == "queued":
            self.queue.remove(job)
        elif job.state == "waiting" and (force or not job.daemon.td.scratch.get("pipe_written")):
            self._free_daemon(job.daemon)
        else:
            return False
        job.state = "cancelled"
        job.status, job.error = -1, errno.ECANCELED
        job.daemon = None
        self._release(job)
        self.event(job, "cancelled")
        self.kernel.wakeup(("aio", job.proc.pid))
        return True

    def _free_daemon(self, d: Aiod) -> None:
        """Take a daemon off the job it sleeps for (on a pipe's channel) and make it runnable.

        Waking the channel would wake the pipe's other sleepers for nothing; the
        daemon alone leaves its sleep queue, and takes the next job when it runs.
        """
        d.job = None
        sched = self.kernel.sched
        sched.remove(d.td)
        d.td.state = ThreadState.RUNNABLE
        sched.setrunnable(d.td)

    def reap(self, td, job: Job) -> None:
        """aio_return collected the job: forget it and free its kernel copy."""
        del self.jobs[(job.proc.pid, job.uaiocb)]
        kfree_charged(self.kernel, job.kaiocb)
        self.event(job, "reaped", status=job.status)

    def rundown(self, p: Proc) -> None:
        """The process exits or execs: its jobs die with it (FreeBSD's aio_proc_rundown).

        Jobs not yet started are cancelled; one waiting for a pipe too (nothing of it
        was done, or only part, which is lost as in a killed write). The address space
        they would copy to is about to go away, so no job of p may run after this.
        """
        for key, job in list(self.jobs.items()):
            if job.proc is not p:
                continue
            if not job.done:
                self.cancel(job, force=True)        # (a job never stays "running" between traps)
            del self.jobs[key]
            kfree_charged(self.kernel, job.kaiocb)

    # -- looking -------------------------------------------------------------------------------
    def pending(self, pid: int | None = None) -> list[Job]:
        return [j for j in self.jobs.values() if pid is None or j.proc.pid == pid]


class _Gone:
    """What a finished job keeps of its credential once the reference is dropped: the euid it ran as."""

    def __init__(self, euid: int):
        self.euid = euid
        self.addr = 0


def _unpack(raw: bytes) -> list[int]:
    """The fields of an aiocb's bytes, in AIOCB's order (arrays as lists)."""
    out = []
    for f in AIOCB.fields.values():
        fmt = {"i32": "i", "i64": "q", "u64": "Q"}[f.type]
        vals = struct.unpack_from("<" + fmt * f.count, raw, f.offset)
        out.append(vals[0] if f.count == 1 else list(vals))
    return out


def _store(td, uaiocb: int, status: int, error: int, jid: int | None = None) -> None:
    """Write status and error (and the job number) into the user's aiocb's private part."""
    off = AIOCB.offset("status")
    data = status.to_bytes(8, "little", signed=True) + error.to_bytes(8, "little", signed=True)
    if jid is not None:
        data += jid.to_bytes(8, "little")
    try:
        copyout(td, uaiocb + off, data)
    except SyscallError:
        pass                                # the aiocb went bad meanwhile: the call's own error says so


def _job(td, uaiocb: int) -> Job | None:
    return td.kernel.aio.jobs.get((td.proc.pid, uaiocb))


# -- the system calls -------------------------------------------------------------------------
@syscall
def sys_aio_read(td, aiocbp):
    """Queue a read of aio_nbytes at aio_offset into aio_buf; returns 0 at once."""
    td.kernel.aio.submit(td, aiocbp, "read")


@syscall
def sys_aio_write(td, aiocbp):
    """Queue a write of aio_nbytes from aio_buf at aio_offset; the buffer is read when the job runs."""
    td.kernel.aio.submit(td, aiocbp, "write")


@syscall
def sys_aio_error(td, aiocbp):
    """EINPROGRESS while the job is pending, then its errno (0 for success)."""
    job = _job(td, aiocbp)
    if job is not None:
        return job.error
    # Not a job of ours: FreeBSD looks at the aiocb's private part, where a submission
    # that failed left status -1 and its error; anything else is EINVAL.
    raw = copyin(td, aiocbp + AIOCB.offset("status"), 16)
    status = int.from_bytes(raw[:8], "little", signed=True)
    error = int.from_bytes(raw[8:], "little", signed=True)
    if status == -1 and error not in (0, errno.EINPROGRESS):
        return error
    raise SyscallError(errno.EINVAL, f"aio_error: the aiocb at {aiocbp:#x} is no request of pid {td.proc.pid}")


@syscall
def sys_aio_return(td, aiocbp):
    """The finished job's result (its errno is aio_error's); the job is then gone: EINVAL next time."""
    job = _job(td, aiocbp)
    if job is None:
        raise SyscallError(errno.EINVAL, f"aio_return: the aiocb at {aiocbp:#x} is no request of "
                                         f"pid {td.proc.pid} (already returned?)")
    if not job.done:
        raise SyscallError(errno.EINVAL, f"aio_return: job {job.jid} is still in progress")
    _store(td, aiocbp, job.status, job.error)
    td.kernel.aio.reap(td, job)
    if job.status < 0:
        raise SyscallError(job.error)
    return job.status


@syscall
def sys_aio_suspend(td, aiocbp, nent, timeout):
    """Sleep until one of the nent jobs in the list is done; EAGAIN when the timeout passes first."""
    k = td.kernel
    if not 0 <= nent <= MAX_AIO_QUEUE_PER_PROC:
        raise SyscallError(errno.EINVAL, f"aio_suspend: nent {nent} is not in 0..{MAX_AIO_QUEUE_PER_PROC}")
    deadline = td.scratch.get("deadline")
    if deadline is None and timeout:
        sec, nsec = _timespec(td, timeout)
        deadline = k.machine.clint.mtime + (sec * 1_000_000_000 + nsec) * k.timebase_hz // 1_000_000_000
        td.scratch["deadline"] = deadline
    ptrs = copyin(td, aiocbp, 8 * nent) if nent else b""
    jobs = [_job(td, int.from_bytes(ptrs[i * 8:i * 8 + 8], "little")) for i in range(nent)]
    if any(j is not None and j.done for j in jobs):
        return 0
    if deadline is not None and k.machine.clint.mtime >= deadline:
        raise SyscallError(errno.EAGAIN, "aio_suspend: the timeout passed")
    raise Sleep(("aio", td.proc.pid), deadline=deadline, always_eintr=True)


@syscall
def sys_aio_cancel(td, fd, aiocbp):
    """Cancel one job (aiocbp) or every job on fd (aiocbp NULL): AIO_CANCELED, AIO_NOTCANCELED, AIO_ALLDONE."""
    aio = td.kernel.aio
    file = td.proc.fdtable.get(fd)                  # EBADF
    if aiocbp:
        job = _job(td, aiocbp)
        if job is None:
            raise SyscallError(errno.EINVAL, f"aio_cancel: the aiocb at {aiocbp:#x} is no request")
        jobs = [job]
    else:
        jobs = [j for j in aio.pending(td.proc.pid) if j.file is file]
    if any(j.file is not None and j.file is not file for j in jobs):
        raise SyscallError(errno.EBADF, f"aio_cancel: the request is not on descriptor {fd}")
    live = [j for j in jobs if not j.done]
    if not live:
        return AIO_ALLDONE
    left = [j for j in live if not aio.cancel(j)]
    return AIO_NOTCANCELED if left else AIO_CANCELED


@syscall
def sys_lio_listio(td, mode, acb_list, nent, sig):
    """Queue nent requests (each aiocb's aio_lio_opcode says which); LIO_WAIT: return when all are done."""
    aio = td.kernel.aio
    if mode not in (LIO_NOWAIT, LIO_WAIT) or not 0 <= nent <= AIO_LISTIO_MAX:
        raise SyscallError(errno.EINVAL, f"lio_listio: mode {mode}, nent {nent}")
    if sig and int.from_bytes(copyin(td, sig, 4), "little", signed=True) != SIGEV_NONE:
        # A signal when the whole list is done: not implemented here (each aiocb's own
        # aio_sigevent works). Refused rather than ignored, so a program cannot wait for it.
        raise SyscallError(errno.EINVAL, "lio_listio: a sigevent for the whole list is not supported; "
                                         "use each aiocb's aio_sigevent")
    ptrs = copyin(td, acb_list, 8 * nent)
    cbs = [int.from_bytes(ptrs[i * 8:i * 8 + 8], "little") for i in range(nent)]
    if "lio" not in td.scratch:                       # the first run: submit them all
        failed = 0
        for cb in cbs:
            if cb:
                try:
                    aio.submit(td, cb)
                except SyscallError:
                    failed += 1
        td.scratch["lio"] = True
        if failed:
            raise SyscallError(errno.EIO, f"lio_listio: {failed} of {nent} requests failed")
    if mode == LIO_WAIT:
        jobs = [_job(td, cb) for cb in cbs if cb]
        if any(j is not None and not j.done for j in jobs):
            raise Sleep(("aio", td.proc.pid), always_eintr=True)


def _timespec(td, uaddr: int) -> tuple[int, int]:
    raw = copyin(td, uaddr, 16)
    sec = int.from_bytes(raw[:8], "little", signed=True)
    nsec = int.from_bytes(raw[8:], "little", signed=True)
    if sec < 0 or not 0 <= nsec < 1_000_000_000:
        raise SyscallError(errno.EINVAL, f"aio_suspend: bad timeout {{{sec}, {nsec}}}")
    return sec, nsec

