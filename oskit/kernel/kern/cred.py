"""Credentials: who a process is, shared copy-on-write between processes as in BSD.

A credential (``struct ucred``, structs.UCRED) lives in guest memory and a
process finds it through ``p_ucred`` in its ``struct proc``. Several
processes may point at the *same* credential: fork does not copy it, it takes
one more reference (FreeBSD's ``crhold``). Whoever wants to change a shared
credential first makes a private copy and moves its process to it
(``crcopy`` + ``proc_set_cred``: here ``cred_for_write``); the others keep
the old one. When the last process lets go (``crfree``), the memory is freed.

    fork:  parent ─┐                     setuid(1000) in the child:
                   ├─> ucred (cr_ref 2)      parent ──> ucred A (cr_ref 1)
           child ──┘                         child  ──> ucred B (cr_ref 1, copy, then changed)

The identity rules (FreeBSD's kern_prot.c, POSIX with its appendix B.4.2.2):

    ids           real (cr_ruid), effective (cr_uid), saved (cr_svuid); same for groups
    privileged    effective uid 0 (FreeBSD asks priv_check; here: root)
    setuid(u)     allowed if privileged or u is the real, saved or effective uid;
                  privileged or u == effective uid: real = saved = u too; always effective = u
    seteuid(u)    allowed if privileged or u is the real or saved uid; only effective = u
    setgid/setegid the same with group ids (privilege still means euid 0)
    setgroups     privileged only; the list follows cr_groups[0] (the effective gid)
    exec          a set-user-id file (mode 04000) makes its owner the effective and saved
                  uid (04000 + 02000 likewise for the group); otherwise saved = effective
    P_SUGID       set whenever an id actually changes, or by a set-id exec: issetugid() is 1
                  (a program whose ids changed should not trust its environment)

Everything here returns or raises like a system call: ``SyscallError(EPERM)``
with the reason in the message.
"""

from __future__ import annotations

from oskit.kernel import errno
from oskit.kernel.kern.proc import Ucred
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.structs import NGROUPS, UCRED
from oskit.kernel.vm.pmem import OutOfMemory

S_ISUID, S_ISGID = 0o4000, 0o2000
P_SUGID = "sugid"                   # in proc.flags (struct proc's p_flag 0x100)


# -- references and copy-on-write ---------------------------------------------------------
def crhold(cred):
    """One more reference to ``cred`` (a new process shares it); returns it."""
    cred.view.cr_ref = cred.view.cr_ref + 1
    return cred


def crfree(kernel, addr: int) -> None:
    """Drop one reference to the credential at physical ``addr``; free it when none is left."""
    if not addr:
        return
    if addr not in kernel.pmem.heap_used:
        # Only a corrupted reference count gets here (an attack wrote over cr_ref): freeing twice
        # would take the kernel down, so the credential is left alone and the fact logged.
        kernel.log.append(f"crfree: credential at {addr:#x} was already freed (cr_ref corrupted?)")
        return
    view = Ucred(kernel, addr).view
    refs = view.cr_ref
    if refs <= 1:
        kernel.pmem.kfree(addr)
        kernel.mac.drop_label(addr)            # the address may hold another credential next
    else:
        view.cr_ref = refs - 1


def crcopy(kernel, cred):
    """A private copy of ``cred`` (cr_ref 1), in new kernel memory; ENOMEM when the kernel heap is full."""
    try:
        addr = kernel.pmem.kmalloc(UCRED.size)
    except OutOfMemory:
        raise SyscallError(errno.ENOMEM, "no kernel memory for a copy of the credential") from None
    kernel.machine.bus.write_bytes(addr, cred.view.raw())
    new = Ucred(kernel, addr)
    new.view.cr_ref = 1
    kernel.mac.copy_label(cred, new)          # a MAC label travels with its credential
    return new


def cred_for_write(p):
    """The process's credential, made private first if others share it (BSD's crcopy on write)."""
    kernel = p.kernel
    old = p.cred
    if old.view.cr_ref <= 1:
        return old
    new = crcopy(kernel, old)
    old_addr = p.cred_alloc
    p.cred = new                            # Proc.cred's setter points p_ucred at it
    crfree(kernel, old_addr)
    return new


def shared_with(kernel, p) -> list[int]:
    """The pids of every process whose p_ucred points at the same credential as ``p``'s."""
    addr = p.pstruct.p_ucred if p.pstruct is not None else 0
    return sorted(q.pid for q in kernel.procs.values()
                  if q.pstruct is not None and q.pstruct.p_ucred == addr)


# -- the rules --------------------------------------------------------------------------
def ids(cred) -> tuple:
    """(ruid, euid, svuid, rgid, egid, svgid, groups): everything an id call may change."""
    return (cred.uid, cred.euid, cred.svuid, cred.gid, cred.egid, cred.svgid, tuple(cred.groups))


def privileged(cred) -> bool:
    """Whether the credential may change ids at will (FreeBSD: priv_check_cred; here euid 0)."""
    return cred.euid == 0


def _apply(td, **changes) -> None:
    """Change ids of td's process: copy a shared credential first; mark P_SUGID if anything changed."""
    p = td.proc
    before = ids(p.cred)
    wanted = {k: v for k, v in changes.items() if v is not None}
    cur = {"uid": p.cred.uid, "euid": p.cred.euid, "svuid": p.cred.svuid,
           "gid": p.cred.gid, "egid": p.cred.egid, "svgid": p.cred.svgid}
    if all(cur[k] == v for k, v in wanted.items()):
        return                              # nothing changes: no copy, no P_SUGID
    cred_for_write(p).set_ids(**wanted)
    if ids(p.cred) != before:
        p.flags.add(P_SUGID)
        p.sync_pstruct()


def setuid(td, uid: int) -> None:
    cred = td.proc.cred
    if not (privileged(cred) or uid in (cred.uid, cred.svuid, cred.euid)):
        raise SyscallError(errno.EPERM, f"setuid({uid}): not root, and {uid} is neither the real "
                                        f"({cred.uid}), saved ({cred.svuid}) nor effective ({cred.euid}) uid")
    if privileged(cred) or uid == cred.euid:
        _apply(td, uid=uid, svuid=uid, euid=uid)
    else:
        _apply(td, euid=uid)


def seteuid(td, euid: int) -> None:
    cred = td.proc.cred
    if not (privileged(cred) or euid in (cred.uid, cred.svuid)):
        raise SyscallError(errno.EPERM, f"seteuid({euid}): not root, and {euid} is neither the real "
                                        f"({cred.uid}) nor saved ({cred.svuid}) uid")
    _apply(td, euid=euid)


def setgid(td, gid: int) -> None:
    cred = td.proc.cred
    if not (privileged(cred) or gid in (cred.gid, cred.svgid, cred.egid)):
        raise SyscallError(errno.EPERM, f"setgid({gid}): not root, and {gid} is neither the real "
                                        f"({cred.gid}), saved ({cred.svgid}) nor effective ({cred.egid}) gid")
    if privileged(cred) or gid == cred.egid:
        _apply(td, gid=gid, svgid=gid, egid=gid)
    else:
        _apply(td, egid=gid)


def setegid(td, egid: int) -> None:
    cred = td.proc.cred
    if not (privileged(cred) or egid in (cred.gid, cred.svgid)):
        raise SyscallError(errno.EPERM, f"setegid({egid}): not root, and {egid} is neither the real "
                                        f"({cred.gid}) nor saved ({cred.svgid}) gid")
    _apply(td, egid=egid)


def setgroups(td, gids: list[int]) -> None:
    """Replace the supplementary groups (cr_groups[1:]); root only."""
    p = td.proc
    if not privileged(p.cred):
        raise SyscallError(errno.EPERM, f"setgroups: euid {p.cred.euid} is not root")
    if len(gids) > NGROUPS - 1:
        raise SyscallError(errno.EINVAL, f"setgroups: {len(gids)} groups, at most {NGROUPS - 1}")
    if list(p.cred.groups[1:]) == list(gids):
        return
    v = cred_for_write(p).view
    for i, g in enumerate(gids):
        v.set("cr_groups", g, i + 1)
    for i in range(len(gids) + 1, NGROUPS):
        v.set("cr_groups", 0, i)
    v.cr_ngroups = 1 + len(gids)
    p.flags.add(P_SUGID)
    p.sync_pstruct()


def exec_setid(td, vp) -> None:
    """At exec: honour the file's set-user-id / set-group-id bits (called after the point of no return)."""
    p = td.proc
    cred = p.cred
    p.kernel.mac.exec_label(td, vp)             # the MAC policy may label the new image
    if vp.mode & (S_ISUID | S_ISGID):
        euid = vp.uid if vp.mode & S_ISUID else cred.euid
        egid = vp.gid if vp.mode & S_ISGID else cred.egid
        _apply(td, euid=euid, svuid=euid, egid=egid, svgid=egid)
        p.flags.add(P_SUGID)               # even when no id changed (root running a setuid-root file)
    else:
        if (cred.svuid, cred.svgid) != (cred.euid, cred.egid):
            cred_for_write(p).set_ids(svuid=cred.euid, svgid=cred.egid)   # not a P_SUGID change
        cred = p.cred
        if cred.euid == cred.uid and cred.egid == cred.gid:
            p.flags.discard(P_SUGID)       # a plain image with matching ids is trusted again
    p.sync_pstruct()
