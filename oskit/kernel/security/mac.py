"""Mandatory access control: a hook before each access decision, and one example policy.

DAC (vfs.access: mode bits, owner, group) lets the *owner* of a file decide
who may use it. MAC adds rules that no owner can waive, decided by policy
modules the system loads (FreeBSD's MAC framework, mac(9)). The framework is
a list of hooks; each policy implements the ones it cares about, and an
access goes ahead only if DAC *and* every enabled policy allow it::

    open("/etc/secret") ──> vfs.access(vp, cred, R_OK)
                              ├─ mac_vnode_check_access(vp, cred, R_OK)   every enabled policy: EACCES?
                              └─ the mode bits (DAC)
    kill(pid, sig)      ──> the uid rules, then mac_proc_check_signal(cred, p, sig)   (signal.py)

Policies keep *labels* on credentials (FreeBSD: cr_label), set when a program
is executed (``exec_label``) and copied with the credential (``copy_label``).
Labels are kept in Python, keyed by the credential's address.

The example policy, ``wwjail`` (off by default; ``k.mac.enable("wwjail")``):

    A program executed from a world-writable directory (anyone could have put it
    there: /tmp, a shared drop box) is confined to that directory: its process,
    and every process it forks or executes, may not open, read, write or execute
    a regular file outside the directory tree, nor signal a process outside its
    jail. Directories (to look names up) and devices (/dev/null, the console)
    stay usable.
"""

from __future__ import annotations

from oskit.kernel import errno
from oskit.kernel.kern.cred import cred_for_write
from oskit.kernel.kern.syscall import SyscallError


class Policy:
    """A MAC policy: override the hooks you need (each returns None to allow, or raises EACCES)."""

    name = "policy"
    description = ""

    def vnode_check_access(self, mac: "Mac", cred, vp, want: int) -> None:
        """May ``cred`` access vnode ``vp`` for ``want`` (R_OK|W_OK|X_OK)?"""

    def exec_label(self, mac: "Mac", td, vp, path: str) -> None:
        """A program is being executed: label td's credential if the policy wants to."""

    def proc_check_signal(self, mac: "Mac", cred, target, signo: int) -> None:
        """May ``cred`` send ``signo`` to process ``target``?"""


class WorldWritableJail(Policy):
    """Programs run from a world-writable directory may only touch files beneath it."""

    name = "wwjail"
    description = "programs started from a world-writable directory may not open files outside it"

    def exec_label(self, mac, td, vp, path):
        if mac.label(td.proc.cred, self.name) is not None:
            return                                     # already confined: stays confined
        kernel = td.kernel
        dirpath = path.rsplit("/", 1)[0] if "/" in path else "."
        try:
            dvp = kernel.vfs.lookup(dirpath or "/", td.proc.cwd)
        except SyscallError:
            return
        if dvp.mode & 0o002:                           # world-writable: anyone may have put it there
            mac.set_label(td.proc, self.name, dvp)
            kernel.log.append(f"mac/wwjail: pid {td.proc.pid} ({path}) confined to {dirpath or '/'}")

    def vnode_check_access(self, mac, cred, vp, want):
        jail = mac.label(cred, self.name)
        if jail is None or not vp.is_reg():
            return
        if not _beneath(jail, vp):
            raise SyscallError(errno.EACCES, "mac/wwjail: a program started from a world-writable "
                                             "directory may not use files outside it")


    def proc_check_signal(self, mac, cred, target, signo):
        jail = mac.label(cred, self.name)
        if jail is not None and target.cred is not None and mac.label(target.cred, self.name) is not jail:
            raise SyscallError(errno.EPERM, "mac/wwjail: a confined program may only signal its own jail")


def _beneath(dvp, vp) -> bool:
    """Whether vnode ``vp`` is somewhere in the directory tree of ``dvp``."""
    stack = [dvp]
    seen = set()
    while stack:
        d = stack.pop()
        if id(d) in seen:
            continue
        seen.add(id(d))
        for child in d.entries.values():
            if child is vp:
                return True
            if child.is_dir():
                stack.append(child)
    return False


POLICIES = {WorldWritableJail.name: WorldWritableJail}


class Mac:
    """The MAC framework of one kernel (``kernel.mac``): policies, labels, the hooks."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.policies: dict[str, Policy] = {}
        self.labels: dict[int, dict] = {}           # credential address -> {policy: label}
        self.denials: list[tuple] = []              # (pid or None, policy, path-less description)

    def enable(self, name: str) -> Policy:
        """Switch a policy on (by name, from POLICIES); returns it."""
        if name not in POLICIES:
            raise ValueError(f"unknown MAC policy {name!r}; expected one of {sorted(POLICIES)}")
        pol = self.policies.get(name) or POLICIES[name]()
        self.policies[name] = pol
        return pol

    def disable(self, name: str) -> None:
        self.policies.pop(name, None)

    @property
    def active(self) -> bool:
        return bool(self.policies)

    # -- labels -------------------------------------------------------------------------
    def label(self, cred, policy: str):
        return self.labels.get(cred.addr, {}).get(policy)

    def set_label(self, p, policy: str, value) -> None:
        """Label p's credential (copied first if other processes share it)."""
        cred = cred_for_write(p)
        self.labels.setdefault(cred.addr, {})[policy] = value

    def copy_label(self, old, new) -> None:
        if old.addr in self.labels:
            self.labels[new.addr] = dict(self.labels[old.addr])
        else:
            self.labels.pop(new.addr, None)

    def drop_label(self, addr: int) -> None:
        self.labels.pop(addr, None)

    # -- the hooks ------------------------------------------------------------------------
    def check_vnode_access(self, cred, vp, want: int) -> None:
        for pol in self.policies.values():
            try:
                pol.vnode_check_access(self, cred, vp, want)
            except SyscallError:
                self.denials.append((pol.name, cred.euid, vp.ino, want))
                raise

    def exec_label(self, td, vp) -> None:
        for pol in self.policies.values():
            pol.exec_label(self, td, vp, td.proc.path)

    def check_proc_signal(self, cred, target, signo: int) -> None:
        for pol in self.policies.values():
            try:
                pol.proc_check_signal(self, cred, target, signo)
            except SyscallError:
                self.denials.append((pol.name, cred.euid, target.pid, signo))
                raise


def mac_proc_check_signal(cred, target, signo: int) -> bool:
    """The hook kill() calls for each target: True if an enabled policy refuses the signal."""
    mac = getattr(getattr(cred, "kernel", None), "mac", None)
    if mac is None or not mac.policies:
        return False
    try:
        mac.check_proc_signal(cred, target, signo)
    except SyscallError:
        return True
    return False


def mac_vnode_check_access(vp, cred, want: int) -> None:
    """The hook vfs.access calls before its DAC check: EACCES if an enabled policy says no."""
    if cred is None or not want:
        return
    mac = getattr(getattr(cred, "kernel", None), "mac", None)
    if mac is not None and mac.policies:
        mac.check_vnode_access(cred, vp, want)
