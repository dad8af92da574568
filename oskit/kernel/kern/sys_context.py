"""User contexts: getcontext, setcontext, swapcontext (FreeBSD's kern_context.c).

A ucontext_t is FreeBSD's RISC-V layout (structs.UCONTEXT, <ucontext.h>), the
same one a signal handler gets as its third argument: the signal mask, the
registers (struct gpregs), the pc and sstatus. The register <-> frame
conversion is machine-dependent and lives in riscv/machdep.py, shared with
sendsig/sigreturn.

    getcontext(ucp)         save the caller as it is when the call returns 0
    setcontext(ucp)         load registers and mask from ucp; never returns on success
    swapcontext(oucp, ucp)  both at once: ucp is read (and checked) before oucp is written

A bad pointer gives EFAULT (copyin/copyout); a setcontext that succeeds
returns EJUSTRETURN so the trap frame is left exactly as loaded.
"""

from __future__ import annotations

from oskit.kernel import errno
from oskit.kernel.kern.signal import CANTMASK
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.riscv import machdep
from oskit.kernel.riscv.copyinout import copyout


@syscall
def sys_getcontext(td, ucp):
    """Save the caller's registers and signal mask in *ucp (uc_link, uc_stack untouched)."""
    copyout(td, ucp, machdep.get_mcontext(td, td.sigmask))
    return 0


@syscall
def sys_setcontext(td, ucp):
    """Resume the context in *ucp: its registers, pc and signal mask."""
    fr = machdep.read_mcontext(td, ucp, "setcontext")
    td.sigmask = machdep.set_mcontext(td, fr) & ~CANTMASK
    raise SyscallError(errno.EJUSTRETURN)     # every register comes from the context


@syscall
def sys_swapcontext(td, oucp, ucp):
    """Save the caller in *oucp and resume *ucp, as one call."""
    fr = machdep.read_mcontext(td, ucp, "swapcontext")      # checked before anything changes
    copyout(td, oucp, machdep.get_mcontext(td, td.sigmask))
    td.sigmask = machdep.set_mcontext(td, fr) & ~CANTMASK
    raise SyscallError(errno.EJUSTRETURN)
