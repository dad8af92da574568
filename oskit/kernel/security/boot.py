"""Security at boot: set-id programs get their modes; a forked child inherits its audit id and limits.

The map of the security features is the package's docstring (security/__init__.py).
"""

from __future__ import annotations

from oskit.kernel.kern.resource import apply_limits
from oskit.kernel.kern.syscall import SyscallError

#: How programs in /bin are installed when they are not plain 0755 root:root files:
#: path -> (mode, uid, gid). The set-user-id bit (04000) is what makes a program run
#: with its owner's authority.
INSTALL_MODES = {
    "/bin/suidwho": (0o4755, 0, 0),
}


def security_init(kernel) -> None:
    """Boot step: set-id programs get their modes; a forked child inherits its parent's audit id and limits.

    (The audit trail, the MAC framework and the kernel-memory accounting are
    parts of the Kernel, made with it.)
    """

    def inherit(ev):
        """fork: the child keeps its parent's audit user id and limits in force."""
        parent, child = kernel.procs.get(ev.pid), kernel.procs.get(ev.child)
        if parent is None or child is None:
            return
        child.auid = parent.auid if parent.auid is not None else (parent.cred.uid if parent.cred else 0)
        if child.rlimits is not None:
            apply_limits(child)

    kernel.probes.subscribe("fork", inherit)
    install_modes(kernel)


def install_modes(kernel) -> None:
    """Give the installed programs listed in INSTALL_MODES their mode and owner."""
    for path, (mode, uid, gid) in INSTALL_MODES.items():
        try:
            vp = kernel.vfs.lookup(path)
        except SyscallError:
            continue                        # not built (programs=False) or not installed
        vp.mode, vp.uid, vp.gid = mode, uid, gid
