"""The kernel's security features, and where each one lives (chapter 6 tours them).

    cred.py         credentials: ucred shared copy-on-write (crhold/crfree/crcopy), the
                    setuid/seteuid/setgid/setegid/setgroups rules, set-id exec, P_SUGID
    sys_cred.py     the credential system calls
    vfs.py          DAC: mode bits, owner, group (FILES); it asks mac.py first
    mac.py          mandatory access control: hooks (vfs.access, kill), labels, the example policy "wwjail"
    audit.py        the audit trail: a record per system call (subject, event, objects, result)
    resource.py     limits (RLIMIT_*), the system-wide process cap, kernel-memory limits,
                    CPU-time enforcement, usage accounting
    sys_resource.py getrlimit / setrlimit

``security_init(kernel)`` runs at boot, once the memory and the probes exist:
it makes ``kernel.audit`` and ``kernel.mac`` and the bookkeeping the limits use,
and gives set-user-id programs in /bin their modes (INSTALL_MODES).
"""

from __future__ import annotations

from oskit.kernel.kern.resource import apply_limits

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
    from oskit.kernel.kern.syscall import SyscallError
    for path, (mode, uid, gid) in INSTALL_MODES.items():
        try:
            vp = kernel.vfs.lookup(path)
        except SyscallError:
            continue                        # not built (programs=False) or not installed
        vp.mode, vp.uid, vp.gid = mode, uid, gid
