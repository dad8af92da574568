"""oskit.kernel: a teaching kernel in Python, running on oskit's RISC-V machine.

The map, laid out as FreeBSD's sys/ (each subpackage's __init__ is its own map):

    kernel.py    Kernel: its parts (declared in one place), boot, spawn, run; the public API
    param.py     constants every layer may use: pages, the address-space layout, limits
    errno.py     FreeBSD's errno values
    structs.py   C layouts shared by Python and C (trap frame, ucred, proc, signal frame)
    snapshot.py  time travel: snapshot/restore of the whole kernel, state_hash, preempt_at, signal_at
    kern/        processes, threads, scheduler, signals, exec, credentials, limits, umtx,
                 tracing, panics, the system-call layer and its handlers
    vm/          physical pages, objects, maps, the fault handler, the pager, mmap
    fs/          the file tree, open files, pipes, devices, the console
    riscv/       machine-dependent: trampoline.S, trap entry, the trap frame ABI, pmap,
                 TLB shootdown, copyin/copyout, every CSR write the kernel makes
    security/    mandatory access control, the audit trail, set-id programs at boot

Who may import whom (the import graph has no cycle; tests/test_imports.py
keeps it so): param, errno and structs import no kernel module; kern/syscall.py
(the @syscall registry) only errno. kernel.py is the top: nothing in the
kernel imports it. The security lab (oskit/lab/) and the front ends
(oskit/cli.py, oskit/magic.py) sit outside and use the kernel; the kernel
never imports them.
"""

from oskit.kernel.kern.panic import KernelPanic
from oskit.kernel.kernel import Kernel, KernelRunResult, SpawnError, boot

__all__ = ["Kernel", "KernelRunResult", "SpawnError", "KernelPanic", "boot"]
