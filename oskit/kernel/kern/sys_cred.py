"""Credential system calls: the thin layer between the ABI and cred.py's rules.

    setuid 23   seteuid 183   setgid 181   setegid 182   setgroups 80   issetugid 253

(getuid, geteuid, getgid, getegid and getgroups only read the credential and
stay in sys_proc.py.) Each handler decodes its arguments and calls the rule
in cred.py, which copies a shared credential before changing it.
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern import cred as _cred
from oskit.kernel.kern.syscall import SyscallError, syscall
from oskit.kernel.riscv.copyinout import copyin
from oskit.kernel.structs import NGROUPS


@syscall
def sys_setuid(td, uid):
    """Set the user ids (see cred.setuid for who may set what)."""
    _cred.setuid(td, uid)


@syscall
def sys_seteuid(td, euid):
    """Set the effective user id to the real or saved one (root: any)."""
    _cred.seteuid(td, euid)


@syscall
def sys_setgid(td, gid):
    """Set the group ids (see cred.setgid)."""
    _cred.setgid(td, gid)


@syscall
def sys_setegid(td, egid):
    """Set the effective group id to the real or saved one (root: any)."""
    _cred.setegid(td, egid)


@syscall
def sys_setgroups(td, gidsetsize, gidset):
    """Replace the supplementary groups (root only)."""
    if not 0 <= gidsetsize <= NGROUPS - 1:
        raise SyscallError(errno.EINVAL, f"setgroups: {gidsetsize} groups, expected 0..{NGROUPS - 1}")
    raw = copyin(td, gidset, 4 * gidsetsize) if gidsetsize else b""
    _cred.setgroups(td, list(struct.unpack(f"<{gidsetsize}I", raw)))


@syscall
def sys_issetugid(td):
    """1 if the process's ids changed or came from a set-id exec (then distrust the environment)."""
    return 1 if _cred.P_SUGID in td.proc.flags else 0
