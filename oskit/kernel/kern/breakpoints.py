"""Breakpoints: stop the machine at a system call's entry, or when a process reaches an address.

Two ways in, as a kernel debugger has them:

    k.breakpoints.on_syscall("write", pid=None)   stop when the call enters the kernel
    k.breakpoints.at(addr, pid=None)              stop before the user instruction at addr runs
    k.run(...)                                    returns with reason "until" and k.breakpoints.stop set
    k.breakpoints.stop.registers                  what the thread's registers held at the stop
    k.breakpoints.clear()                         remove them all

At a system call's entry (the prologue of syscallenter, before the trace record
and the call): the thread's registers are as the ecall left them (t0 the
number, a0-a7 the arguments, sepc at the ecall). The call does not run yet: sepc
stays on the ecall (as ERESTART leaves it) and the run stops; when it goes on,
the ecall runs again, and this time the breakpoint lets it through.

At a user address: a hardware trigger (Sdtrig, oskit/machine/trigger.py) on
every hart, "execute, in U-mode, at addr". Before the instruction runs the hart
takes a breakpoint exception (cause 3) to S-mode with sepc = addr, and trap()
asks here whether it was ours (else it is the program's own ebreak: SIGTRAP).
A trigger fires every time the instruction is about to run, so to go on past it
the kernel steps over it as a debugger does without a hardware single-step: it
decodes the instruction, works out which instruction runs next (the branch
taken or not, from the saved registers), and moves the trigger there for one
instruction; when that one fires, the breakpoints go back where they were. The other way, patching an ``ebreak`` into the text, would need a
private copy of the page (text pages are the file's, shared): FreeBSD's ptrace
does that copy; oskit uses the hardware instead.

Programming triggers is M-mode's business (tdata* are M-mode CSRs); a real
S-mode kernel asks its firmware through SBI's debug-triggers extension. Here
riscv/cpu.py writes them, as it does the rest of the firmware's set-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oskit.kernel.kern.syscall import SyscallError
from oskit.kernel.riscv import cpu
from oskit.kernel.riscv.copyinout import copyin
from oskit.kernel.structs import REGNAMES

M64 = (1 << 64) - 1


def _sext(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) & 1 else value


def next_pc(td, pc: int) -> int:
    """The address of the instruction td runs after the one at ``pc`` (its registers: td.frame).

    Only jumps and branches go elsewhere than pc + 4 (RV64I, no C extension):
        jal   pc + imm          jalr  (rs1 + imm) & ~1
        beq/bne/blt/bge/bltu/bgeu   pc + imm when the comparison holds
    """
    try:
        word = int.from_bytes(copyin(td, pc, 4), "little")
    except SyscallError:
        return pc + 4                        # unreadable: the fetch will fault anyway
    f = td.frame
    reg = (lambda i: 0 if i == 0 else f.get(REGNAMES[i - 1]))
    opcode, rs1, rs2, funct3 = word & 0x7F, word >> 15 & 31, word >> 20 & 31, word >> 12 & 7
    if opcode == 0x6F:                       # jal: imm[20|10:1|11|19:12]
        imm = (word >> 31 & 1) << 20 | (word >> 21 & 0x3FF) << 1 | (word >> 20 & 1) << 11 | (word >> 12 & 0xFF) << 12
        return (pc + _sext(imm, 21)) & M64
    if opcode == 0x67:                       # jalr
        return (reg(rs1) + _sext(word >> 20, 12)) & M64 & ~1
    if opcode == 0x63:                       # branches: imm[12|10:5] ... imm[4:1|11]
        imm = (word >> 31 & 1) << 12 | (word >> 25 & 0x3F) << 5 | (word >> 8 & 0xF) << 1 | (word >> 7 & 1) << 11
        a, b = reg(rs1), reg(rs2)
        sa, sb = _sext(a, 64), _sext(b, 64)
        taken = {0: a == b, 1: a != b, 4: sa < sb, 5: sa >= sb, 6: a < b, 7: a >= b}.get(funct3, False)
        return (pc + _sext(imm, 13)) & M64 if taken else pc + 4
    return pc + 4


@dataclass(frozen=True)
class Stop:
    """Where a breakpoint stopped a thread, and its registers then."""

    kind: str                     # "syscall" or "address"
    what: str                     # the call's name, or the address
    pid: int
    tid: int
    hart: int
    pc: int                       # the ecall's address, or the breakpoint's
    registers: dict = field(repr=False)   # ABI name -> value, x1..x31 (ra ... t6)
    thread: object = field(repr=False, compare=False)

    def __str__(self) -> str:
        regs = "  ".join(f"{r}={self.registers[r]:#x}" for r in ("ra", "sp", "t0", "a0", "a1", "a2"))
        return f"stopped at {self.kind} {self.what} in pid {self.pid} (hart {self.hart}, pc {self.pc:#x}): {regs}"


class Breakpoints:
    """This kernel's breakpoints and the last stop (``Kernel.breakpoints``)."""

    def __init__(self, kernel) -> None:
        self.kernel = kernel
        self.syscalls: dict[str, int | None] = {}     # call name -> pid it applies to (None: any)
        self.addresses: dict[int, int | None] = {}    # user address -> pid (None: any); one trigger each
        self.stop: Stop | None = None                 # the last stop
        self.stops: list[Stop] = []                   # every stop, oldest first
        self._passing: set = set()                    # threads let through their call on the way on
        self._stepping: dict = {}                     # thread -> hart whose triggers wait to be re-armed

    # -- setting ------------------------------------------------------------------------------
    def on_syscall(self, name: str, pid: int | None = None) -> None:
        """Stop when system call ``name`` enters the kernel (in process ``pid``, or any)."""
        self.syscalls[name] = pid

    def at(self, addr: int, pid: int | None = None) -> None:
        """Stop before the user instruction at ``addr`` runs (in process ``pid``, or any)."""
        if len(self.addresses) >= cpu.TRIGGERS and addr not in self.addresses:
            raise ValueError(f"breakpoint at {addr:#x}: every one of the {cpu.TRIGGERS} hardware triggers "
                             f"is in use ({', '.join(hex(a) for a in self.addresses)}); clear one first")
        self.addresses[addr] = pid
        self._arm_all()

    def clear(self) -> None:
        """Remove every breakpoint (the stops are kept)."""
        self.syscalls.clear()
        self.addresses.clear()
        self._stepping.clear()
        self._passing.clear()
        self._arm_all()

    def _arm_all(self) -> None:
        for hart in self.kernel.machine.harts:
            cpu.set_user_breakpoints(hart, list(self.addresses))

    # -- the hooks ----------------------------------------------------------------------------
    def syscall_stops(self, td, name: str) -> bool:
        """syscallenter's prologue: True when td must stop here (its call does not run now;
        the caller puts sepc back on the ecall and calls stopped())."""
        if name not in self.syscalls or self.syscalls[name] not in (None, td.proc.pid):
            return False
        if td in self._passing:
            self._passing.discard(td)
            return False
        self._passing.add(td)
        return True

    def user_breakpoint(self, td, hart) -> bool:
        """trap(): a breakpoint exception from user mode. True when it was one of ours."""
        pc = td.frame.sepc
        step = self._stepping.pop(td, None)
        if step is not None and step[1] == pc:
            cpu.set_user_breakpoints(step[0], list(self.addresses))   # stepped over: put them back
            if pc not in self.addresses:
                return True
        elif pc not in self.addresses:
            return False
        nxt = next_pc(td, pc)
        cpu.set_user_breakpoints(hart, [a for a in self.addresses if a != pc] + [nxt])   # step over pc
        self._stepping[td] = (hart, nxt)
        if self.addresses[pc] in (None, td.proc.pid):
            self.stopped(td, "address", f"{pc:#x}")
        # else: another process at the same address (every program is linked at the same
        # base): the trigger is the hart's, not the process's, so it steps over silently.
        return True

    def kernel_entry(self, td) -> None:
        """trap(): td entered the kernel some other way (an ecall, a fault) before its step fired."""
        step = self._stepping.get(td)
        if step is not None and td.frame.sepc != step[1]:
            del self._stepping[td]
            cpu.set_user_breakpoints(step[0], list(self.addresses))

    def stopped(self, td, kind: str, what: str) -> None:
        """Record td's stop (its registers as they are in its trap frame) and stop the machine."""
        f = td.frame
        pc = f.sepc
        regs = {r: f.get(r) for r in REGNAMES}
        self.stop = Stop(kind, what, td.proc.pid, td.tid, td.hart.hartid if td.hart else -1, pc, regs, td)
        self.stops.append(self.stop)
        self.kernel.machine.stop(f"breakpoint: {kind} {what}")
