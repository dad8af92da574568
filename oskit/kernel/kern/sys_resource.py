"""Resource-limit system calls: getrlimit 194, setrlimit 195 (the rules are in resource.py).

getrusage stays with the other process calls in sys_proc.py.
"""

from __future__ import annotations

from oskit.kernel import errno
from oskit.kernel.kern import resource
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.riscv.copyinout import copyin, copyout


@syscall
def sys_getrlimit(td, which, rlp):
    """Copy out the soft and hard limit of resource ``which`` (struct rlimit)."""
    if not 0 <= which < resource.RLIM_NLIMITS:
        raise SyscallError(errno.EINVAL, f"getrlimit: resource {which} is not in 0..{resource.RLIM_NLIMITS - 1}")
    soft, hard = resource.rlimits(td.proc)[which]
    copyout(td, rlp, resource.RLIMIT.pack(soft, hard))


@syscall
def sys_setrlimit(td, which, rlp):
    """Set resource ``which``'s limits from a struct rlimit (see resource.setrlimit for the rules)."""
    if not 0 <= which < resource.RLIM_NLIMITS:
        raise SyscallError(errno.EINVAL, f"setrlimit: resource {which} is not in 0..{resource.RLIM_NLIMITS - 1}")
    soft, hard = resource.RLIMIT.unpack(copyin(td, rlp, resource.RLIMIT.size))
    resource.setrlimit(td, which, soft, hard)
