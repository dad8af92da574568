"""The machine-dependent part (RISC-V, FreeBSD's ABI): trap frame <-> system calls and signals.

Everything that knows which register holds what is here, in one small place
(FreeBSD keeps it in sys/riscv/riscv/{trap,vm_machdep,machdep,exec_machdep}.c):

    fetch_syscall_args   number in t0, arguments in a0..a7; sepc += 4 (past the ecall)
    set_syscall_retval   success: a0 (a1), t0 = 0 | error: a0 = errno, t0 = 1
                         ERESTART: sepc -= 4 (run the ecall again) | EJUSTRETURN: touch nothing
    exec_setregs         a fresh image: every register 0, sp and a0 = the argc pointer, sepc = entry
    fork_child_frame     the child's frame: the parent's, with a0 = 0 and t0 = 0 (fork returns 0)
    thread_upcall_frame  a new thread's frame (thr_new): the creator's, then pc = start_func,
                         a0 = arg, sp = the top of its stack, tp = its TLS block, ra = 0
    sendsig / sigreturn  the signal frame on the user stack and back
    get_mcontext / read_mcontext / set_mcontext
                         trap frame <-> FreeBSD's ucontext_t (also inside the signal
                         frame): sigreturn, getcontext, setcontext, swapcontext
"""

from __future__ import annotations

import struct

from oskit.kernel import errno
from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.param import SHAREDPAGE
from oskit.kernel.riscv.copyinout import copyin, copyout
from oskit.kernel.structs import (REGNAMES, SF_UC, SIGFRAME, SS_DISABLE, SSTATUS_USER_WRITABLE, TRAPFRAME,
                                  UC_COPY_SIZE, UCONTEXT, USER_SSTATUS)

MASK64 = 2**64 - 1


_ARGS = struct.Struct("<8Q")                     # a0..a7: x10..x17, side by side in the frame
_A0 = TRAPFRAME.offset("a0")


def fetch_syscall_args(td) -> tuple[int, list[int]]:
    """The system-call number (t0) and the raw a0..a7; moves sepc past the ecall."""
    f = td.frame
    f.sepc = f.sepc + 4
    return f.t0, list(_ARGS.unpack_from(f.ram, f._off + _A0))


def set_syscall_retval(td, error: int, rv: tuple[int, int] | None) -> None:
    """Write a call's outcome into the frame, as the libc stub expects it."""
    f = td.frame
    if error == 0:
        f.a0 = rv[0] & MASK64
        if rv[1] is not None:
            f.a1 = rv[1] & MASK64
        f.t0 = 0
    elif error == errno.ERESTART:
        f.sepc = f.sepc - 4          # back to the ecall: the call runs again
    elif error == errno.EJUSTRETURN:
        pass                         # sigreturn / execve set every register themselves
    else:
        f.a0 = error
        f.t0 = 1


def exec_setregs(td, entry: int, sp: int) -> None:
    """Registers of a freshly executed image: all zero but sp, a0 (-> argc) and the pc."""
    f = td.frame
    for r in REGNAMES:
        f.set(r, 0)
    f.sp = sp
    f.a0 = sp
    f.sepc = entry


def fork_child_frame(parent_td, child_td) -> None:
    """Copy the parent's registers into the child, so both return from the same ecall; child gets 0."""
    ram = parent_td.frame.ram
    po, co = parent_td.frame._off, child_td.frame._off
    n = TRAPFRAME.offset("kernel_sp")       # registers and sepc only, not the kernel fields
    ram[co:co + n] = ram[po:po + n]
    child_td.frame.a0 = 0
    child_td.frame.a1 = 0
    child_td.frame.t0 = 0


def thread_upcall_frame(parent_td, td, entry: int, arg: int, stack_top: int, tls: int) -> None:
    """The registers a new thread starts with: start_func(arg) on its own stack, with its own tp.

    The rest (gp above all) is copied from the creating thread, as FreeBSD's
    cpu_copy_thread + cpu_set_upcall do. ra = 0: a start function that returns
    jumps to 0 and faults, so libc's start routine calls thr_exit instead.
    FreeBSD/riscv sets tp = tls_base + 16 (its thread control block sits
    there); oskit's libc has no control block, so tp = tls_base (crt0.S).
    """
    fork_child_frame(parent_td, td)
    f = td.frame
    f.sepc = entry
    f.a0 = arg
    f.sp = stack_top & ~0xF                  # the RISC-V ABI: sp 16-byte aligned
    f.tp = tls
    f.ra = 0


def sendsig(td, signo: int, handler: int, oldmask: int, code: int = 0, addr: int = 0,
            pid: int = 0, uid: int = 0) -> bool:
    """Push a signal frame on the user stack and aim the thread at ``handler``.

    The handler runs as handler(signo, &frame.sf_si, &frame.sf_uc) with ra at
    sigcode, which calls sigreturn(&frame.sf_uc). Returns False if the stack cannot
    take the frame (the caller then kills the process, as FreeBSD does with SIGILL).
    """
    f = td.frame
    sp = (f.sp - SIGFRAME.size) & ~0xF
    raw = SIGFRAME.pack(si_signo=signo, si_code=code, si_pid=pid, si_uid=uid, si_addr=addr,
                        uc_stack=[0, 0, SS_DISABLE],         # no sigaltstack in oskit
                        **_context_fields(f, oldmask))
    try:
        copyout(td, sp, raw)
    except SyscallError:
        return False
    f.a0 = signo
    f.a1 = sp                                # siginfo_t *: sf_si
    f.a2 = sp + SF_UC                        # ucontext_t *: sf_uc
    f.ra = SHAREDPAGE                        # sigcode
    f.sp = sp
    f.sepc = handler
    return True


def _mask_words(mask: int) -> list[int]:
    return [(mask >> (32 * i)) & 0xFFFF_FFFF for i in range(4)]


def _mask_of(words) -> int:
    return words[0] | (words[1] << 32) | (words[2] << 64) | (words[3] << 96)


def _context_fields(f, mask: int, regs: dict | None = None) -> dict:
    """The ucontext fields for the registers of trap frame f (or ``regs``, name -> value) and ``mask``.

    The trap frame keeps x1..x31 in register-number order; struct gpregs groups
    them by role (ra, sp, gp, tp, t0-t6, s0-s11, a0-a7), so the move is by name.
    """
    r = regs if regs is not None else {n: f.get(n) for n in REGNAMES}
    return dict(uc_sigmask=_mask_words(mask), gp_ra=r["ra"], gp_sp=r["sp"], gp_gp=r["gp"], gp_tp=r["tp"],
                gp_t=[r[f"t{i}"] for i in range(7)], gp_s=[r[f"s{i}"] for i in range(12)],
                gp_a=[r[f"a{i}"] for i in range(8)], gp_sepc=f.sepc, gp_sstatus=USER_SSTATUS)


def get_mcontext(td, mask: int) -> bytes:
    """The caller's context as getcontext saves it (UC_COPY_SIZE bytes): mask, registers, pc.

    Saved as the registers will be *after* the call returns successfully: a0 = 0
    and t0 = 0 (the libc stub's error flag), pc = past the ecall (fetch_syscall_args
    has already moved sepc there). setcontext on it returns from getcontext again.
    uc_link and uc_stack belong to the program (makecontext): not copied out.
    """
    f = td.frame
    regs = {n: f.get(n) for n in REGNAMES}
    regs["a0"] = regs["t0"] = 0
    return UCONTEXT.pack(**_context_fields(f, mask, regs))[:UC_COPY_SIZE]


def read_mcontext(td, uaddr: int, what: str) -> dict:
    """copyin and check a ucontext_t (EFAULT if unreadable, EINVAL if it is not a user-mode context).

    As FreeBSD's set_mcontext: gp_sstatus may differ from a user thread's sstatus
    only in the bits user code may change (structs.SSTATUS_USER_WRITABLE); a
    zeroed or made-up context (SPIE clear, or SPP set: "return to S-mode") fails.
    """
    uc = UCONTEXT.unpack(copyin(td, uaddr, UC_COPY_SIZE) + bytes(UCONTEXT.size - UC_COPY_SIZE))
    if (uc["gp_sstatus"] ^ USER_SSTATUS) & ~SSTATUS_USER_WRITABLE:
        raise SyscallError(errno.EINVAL, f"{what}: the context at {uaddr:#x} is not a saved user context "
                                         f"(gp_sstatus {uc['gp_sstatus']:#x})")
    return uc


def set_mcontext(td, uc: dict) -> int:
    """Load the registers and pc of a checked context into the trap frame; returns its mask.

    Only user registers and the user pc come from the context: sstatus is never
    taken from user memory, so a forged context cannot return into S-mode.
    """
    f = td.frame
    for name in ("ra", "sp", "gp", "tp"):
        f.set(name, uc[f"gp_{name}"])
    for group, n in (("t", 7), ("s", 12), ("a", 8)):
        for i in range(n):
            f.set(f"{group}{i}", uc[f"gp_{group}"][i])
    f.sepc = uc["gp_sepc"]
    return _mask_of(uc["uc_sigmask"])


def sigreturn(td, uaddr: int) -> int:
    """Restore the registers saved by sendsig from the ucontext at ``uaddr``; returns the saved mask."""
    return set_mcontext(td, read_mcontext(td, uaddr, "sigreturn"))
