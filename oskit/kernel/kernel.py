"""The Kernel object: one teaching kernel running on one Machine.

This file ties the subsystems together and is the public face notebooks use::

    k = oskit.boot()                     # Kernel.boot(): machine, page tables, init
    p = k.spawn("/bin/hello", ["hello"]) # a process running a program
    k.run(until=p.exited)                # run the machine until the condition holds
    p.stdout, p.exit_status
    k.trace.syscalls(pid=p.pid)

What lives where:

    kernel.machine          the hardware (oskit.machine.Machine)
    kernel.pmem             physical frames + kmalloc heap          (pmem.py)
    kernel.kpmap            the kernel half of every page table     (vm.py)
    kernel.procs            pid -> Proc                              (proc.py)
    kernel.sched            run queue, sleep/wakeup                  (sched.py)
    kernel.vfs              the file system (FILES)                  (vfs.py)
    kernel.console          the console tty over the UART            (console.py)
    kernel.trace            system-call records and probes           (trace.py)
    kernel.panic_report     set when the Python kernel itself failed (panic.py)

The interface other parts of the kernel rely on (see notes/CONTRACT.md):
``wakeup(chan)``, ``psignal(proc, signo)``, ``kmalloc(size)``/``kfree(addr)``,
``machine``, ``console``, ``vfs``.
"""

from __future__ import annotations


class Kernel:
    """Filled in by boot.py (Kernel.boot); see the module docstring for the map."""

    machine = None
    vfs = None
    console = None
    procs: dict = {}

    def wakeup(self, chan) -> int:
        """Make every thread sleeping on ``chan`` runnable; returns how many woke."""
        return self.sched.wakeup(chan)

    def psignal(self, proc, signo: int) -> None:
        """Post signal ``signo`` to ``proc`` (as kill(2) does, without permission checks)."""
        from . import signal
        signal.psignal(self, proc, signo)

    def kmalloc(self, size: int) -> int:
        """``size`` bytes of kernel memory in guest RAM; returns its physical address."""
        return self.pmem.kmalloc(size)

    def kfree(self, addr: int) -> None:
        """Give back memory from kmalloc."""
        self.pmem.kfree(addr)
