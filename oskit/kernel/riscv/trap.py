"""trap(): where every trap from user mode (and every interrupt of an idle hart) lands.

The trampoline (trampoline.S) saved the registers in the current thread's
trap frame and called this host function (step 3 of the six). It dispatches
on scause:

    scause (interrupt bit 63 set)      scause (exception)
    ───────────────────────────        ──────────────────
    1  supervisor software: an IPI     8      ecall from U-mode -> syscallenter()
    5  supervisor timer (Sstc)         12/13/15 page fault -> vm fault handler, else SIGSEGV
       -> wake sleepers, end slice     1/5/7  access fault -> SIGSEGV
    9  supervisor external (PLIC)      2      illegal instruction -> SIGILL
       -> console input                3      breakpoint (ebreak) -> SIGTRAP
                                       0/4/6  misaligned -> SIGBUS (a jump, lr/sc/AMO; plain loads
                                              and stores only with machine.misaligned_access_traps)

then picks the thread to return to (step 4, sched.switch_to) after delivering
its pending signals (signal.ast), and returns that thread's trap frame in a0
for the trampoline to restore (steps 5 and 6).

A Python exception escaping from here is a bug in the kernel, not in the
program: the kernel panics (panic.py): the machine stops, the state is kept.
"""

from __future__ import annotations

from oskit.kernel.kern import signal
from oskit.kernel.kern.proc import ThreadState
from oskit.kernel.kern.resource import cpu_check  # SECURITY (ch. 8): RLIMIT_CPU
from oskit.kernel.kern.subr_syscall import syscall_resume, syscallenter
from oskit.kernel.param import dmap
from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.tlb import ipi_received
from oskit.machine.trap import cause_name

INTERRUPT = 1 << 63

# scause exception codes
MISALIGNED_FETCH, FETCH_ACCESS, ILLEGAL, BREAKPOINT = 0, 1, 2, 3
MISALIGNED_LOAD, LOAD_ACCESS, MISALIGNED_STORE, STORE_ACCESS = 4, 5, 6, 7
ECALL_U = 8
FETCH_PAGE_FAULT, LOAD_PAGE_FAULT, STORE_PAGE_FAULT = 12, 13, 15
# interrupt codes
IRQ_SSI, IRQ_STI, IRQ_SEI = 1, 5, 9

# si_code values for the fault signals (FreeBSD's sys/signal.h)
SEGV_MAPERR, SEGV_ACCERR, ILL_ILLOPC, TRAP_BRKPT, BUS_ADRALN = 1, 2, 1, 1, 1

FAULT_ACCESS = {FETCH_PAGE_FAULT: "x", LOAD_PAGE_FAULT: "r", STORE_PAGE_FAULT: "w",
                FETCH_ACCESS: "x", LOAD_ACCESS: "r", STORE_ACCESS: "w"}


def trap(kernel, hart) -> None:
    """The host function the trampoline calls; sets a0 to the trap frame to return to."""
    hs = kernel.percpu[hart.hartid]
    td = hs.curthread
    scause, sepc, stval = cpu.trap_registers(hart)
    now = kernel.machine.clint.mtime
    kclock = kernel.kclock
    kclock.begin()                       # kernel time (kern/ktime.py): this trap's work from here
    kclock.charge("trap")
    if td is not hs.idle and td.state is ThreadState.DEAD:
        # Its process ended (exit, a fatal signal, exec) while it ran here, on another hart:
        # it never runs again. Take the interrupt that told us, and run something else.
        dead_thread_trap(kernel, hs, td, scause)
        return
    from_user = td is not hs.idle
    if kernel.probes.subscribers.get("trap"):  # (the audit trail subscribes to other kinds)
        kernel.probes.fire("trap", hart=hart.hartid, cause=scause & ~INTERRUPT,
                           interrupt=bool(scause & INTERRUPT), tval=stval, epc=td.frame.sepc,
                           pid=td.proc.pid if from_user else None)
    if from_user:
        if kernel.breakpoints.addresses:
            kernel.breakpoints.kernel_entry(td)      # re-arm a trigger td stepped over
        ran = max(0, now - hs.user_since)
        td.proc.rusage.utime_ticks += ran
        td.rusage.utime_ticks += ran
        cpu_check(kernel, td)            # SECURITY (ch. 8): RLIMIT_CPU (resource.py)
        if cpu.trapped_from_kernel(hart):
            # The trap came from S-mode while a user thread was current: the trampoline itself faulted.
            kernel.panic(f"trap: {cause_name(scause)} in S-mode at sepc={sepc:#x} "
                         f"stval={stval:#x} (current: {td})", hart)
            return
    # A thread whose time slice has run out gives up the hart at this trap, whatever its cause:
    # a thread that makes system calls all the time often traps with an ecall before the timer
    # interrupt that was due, and must not get a fresh slice for it (FreeBSD checks the same on
    # every return to user mode, in ast()).
    preempt = from_user and now >= td.slice_end

    if scause & INTERRUPT:
        code = scause & ~INTERRUPT
        if code == IRQ_STI:
            kernel.sched.expire(now)
        elif code == IRQ_SEI:
            kernel.console.interrupt()
        elif code == IRQ_SSI:
            cpu.clear_ssip(hart)
            # An IPI: a TLB shootdown queued for this hart (vm.py), or just a kick to reschedule.
            ipi_received(kernel, hart)
        else:
            kernel.panic(f"trap: unexpected {cause_name(scause)}", hart)
            return
    elif not from_user:
        kernel.panic(f"trap: {cause_name(scause)} in the kernel at sepc={td.frame.sepc:#x} "
                     f"stval={stval:#x}", hart)
        return
    elif scause == ECALL_U:
        td.in_syscall = True
        syscallenter(kernel, td)
        td.in_syscall = False
    elif scause in (FETCH_PAGE_FAULT, LOAD_PAGE_FAULT, STORE_PAGE_FAULT):
        if not kernel.vm_fault(td, stval, FAULT_ACCESS[scause]):
            mapped = td.proc.vmspace.find(stval) is not None
            signal.trapsignal(kernel, td, signal.SIGSEGV, addr=stval,
                              code=SEGV_ACCERR if mapped else SEGV_MAPERR)
    elif scause in (FETCH_ACCESS, LOAD_ACCESS, STORE_ACCESS):
        signal.trapsignal(kernel, td, signal.SIGSEGV, addr=stval, code=SEGV_MAPERR)
    elif scause == ILLEGAL:
        signal.trapsignal(kernel, td, signal.SIGILL, addr=td.frame.sepc, code=ILL_ILLOPC)
    elif scause == BREAKPOINT and kernel.breakpoints.user_breakpoint(td, hart):
        pass                             # a debugger's breakpoint (kern/breakpoints.py): the run stops
    elif scause == BREAKPOINT:
        signal.trapsignal(kernel, td, signal.SIGTRAP, addr=td.frame.sepc, code=TRAP_BRKPT)
    elif scause in (MISALIGNED_FETCH, MISALIGNED_LOAD, MISALIGNED_STORE):
        signal.trapsignal(kernel, td, signal.SIGBUS, addr=stval, code=BUS_ADRALN)
    else:
        kernel.panic(f"trap: unexpected {cause_name(scause)} from user pid {td.proc.pid}", hart)
        return

    nxt = choose(kernel, hs, td, preempt)
    kernel.sched.switch_to(hs, nxt)
    # The kernel's work in this trap takes time (kern/ktime.py): billed to the thread that
    # trapped, and the thread returning to user mode starts its user time after it.
    hs.user_since += kclock.settle(hart, td if from_user else None)
    hart.x[10] = dmap(nxt.frame_addr)
    if kernel.dead_threads:
        kernel.free_dead_threads()        # a thread that exited in this trap is no hart's any more
    if kernel.until is not None and kernel.until():
        kernel.machine.stop("until")


def dead_thread_trap(kernel, hs, td, scause: int) -> None:
    """A trap on a hart whose current thread was ended by another hart (sys_thread.py).

    The other hart kicked this one (SSIP) so that it stops running the dead
    thread's user code at once; whatever the trap was, nothing of the dead thread
    is handled: the hart switches to the next runnable thread (or idles).
    """
    hart = hs.hart
    if scause == INTERRUPT | IRQ_SSI:
        cpu.clear_ssip(hart)
        ipi_received(kernel, hart)             # a shootdown may be queued too
    elif scause == INTERRUPT | IRQ_STI:
        kernel.sched.expire(kernel.machine.clint.mtime)
    elif scause == INTERRUPT | IRQ_SEI:
        kernel.console.interrupt()
    nxt = choose(kernel, hs, td, False)
    kernel.sched.switch_to(hs, nxt)
    hart.x[10] = dmap(nxt.frame_addr)
    kernel.free_dead_threads()
    if kernel.until is not None and kernel.until():
        kernel.machine.stop("until")


def choose(kernel, hs, td, preempt: bool):
    """The thread this hart returns to: td itself, or the next runnable one (or idle)."""
    sched = kernel.sched
    if td is not hs.idle and td.state is ThreadState.RUNNING:
        # Preempted: its slice is over, or it woke or unblocked a more urgent thread.
        if (preempt and sched.runq) or sched.outranked(td):
            td.proc.rusage.nivcsw += 1
            td.rusage.nivcsw += 1
            sched.setrunnable(td)                 # back of the queue
        else:
            signal.ast(kernel, td)
            if td.state is ThreadState.RUNNING:
                return td
    hart = kernel.machine.harts[hs.hartid]
    while True:
        nxt = sched.pick()
        if nxt is None:
            return hs.idle
        if nxt.state is not ThreadState.RUNNABLE:
            continue
        nxt.state = ThreadState.RUNNING
        nxt.hart = hart
        if nxt.kthread is not None:
            nxt.kthread(hart)                     # a kernel thread: its work runs here, in this trap
            nxt.hart = None
            continue
        if nxt.pending is not None:
            syscall_resume(kernel, nxt)
            if nxt.state is not ThreadState.RUNNING:
                nxt.hart = None
                continue                          # slept again, or exited
        signal.ast(kernel, nxt)
        if nxt.state is ThreadState.RUNNING:
            return nxt
        nxt.hart = None
