"""Not a model: the record of the same two traps taken from the real machine and kernel.

A C program runs on oskit's RISC-V machine: ``getpid()`` (an ``ecall``), then a
store to a page of its bss that is not mapped yet (a store page fault, cause
15, demand paging). The record is made from what the machine reports:

- the "trap" event: what the hardware did (sepc, scause, stval, sstatus, pc = stvec),
  read from the trap event and the hart's CSRs;
- the "instruction" event, for each instruction of the trampoline (trampoline.S)
  as it is about to execute: ``csrrw sp, sscratch, sp`` is the swap, each
  ``sd REG, OFF(sp)`` a save into the trap frame (with the value stored), the
  ``jalr`` the call of the Python ``trap()``; on the way back each ``ld`` a
  restore and ``sret`` the hardware's return.

Nothing here is written by hand: change trampoline.S and the record changes.
"""

from __future__ import annotations

import re

from elftools.elf.elffile import ELFFile

from oskit.kernel.kernel import boot
from oskit.kernel.structs import TRAPFRAME
from oskit.machine.decode import ABI_NAMES, disassemble
from oskit.models.record import HARDWARE, SOFTWARE, TrapRecord
from oskit.toolchain import build

PROGRAM = r"""
#include <unistd.h>
char page[2 * 4096] __attribute__((aligned(4096)));   /* bss: mapped on first touch */
int main(void) {
    getpid();
    page[64] = 1;
    return page[64] - 1;
}
"""
SYS_GETPID = 20
CAUSE_ECALL_U, CAUSE_STORE_PAGE_FAULT = 8, 15
SSTATUS_SIE, SSTATUS_SPIE, SSTATUS_SPP = 1 << 1, 1 << 5, 1 << 8
SEPC_OFFSET = TRAPFRAME.offset("sepc")
_MEM = re.compile(r"^(sd|ld) (\w+), (-?\d+)\((\w+)\)$")


def _reg(hart, name: str) -> int:
    return hart.x[ABI_NAMES.index(name)]


class _Recorder:
    """Follows one hart from a chosen user trap to its sret, adding Steps to a TrapRecord."""

    def __init__(self, kernel, cause: int, record: TrapRecord, tval: int | None = None):
        self.kernel, self.cause, self.record = kernel, cause, record
        self.tval = tval                 # the faulting address to wait for (None: any)
        self.hart = None                 # set when the trap is taken
        self.phase = "waiting"           # waiting -> entry -> kernel -> exit -> done
        self.csr_in = {}                 # register -> the CSR a csrr just read into it
        self.frame = 0
        self.pending_load = None         # (where, register, item) of an ld that is executing

    def on_trap(self, ev) -> None:
        if self.phase != "waiting" or ev.interrupt or ev.from_priv != 0 or ev.cause != self.cause:
            return
        hart = self.kernel.machine.harts[ev.hart]
        if self.cause == CAUSE_ECALL_U and _reg(hart, "t0") != SYS_GETPID:
            return
        if self.tval is not None and ev.tval != self.tval:
            return
        self.hart, self.phase = hart, "entry"
        r, csr = self.record, hart.csr
        r.add(HARDWARE, "save", "pc", "sepc", "pc", ev.epc,
              "the ecall itself" if ev.cause == CAUSE_ECALL_U else "the faulting store")
        r.add(HARDWARE, "write", f"cause {ev.cause}", "scause", "cause", ev.cause)
        r.add(HARDWARE, "write", "address" if ev.tval else "0", "stval", "address", ev.tval)
        st = csr.read(0x100)             # sstatus, as the trap left it
        r.add(HARDWARE, "write", "SPP = U, SPIE = SIE, SIE = 0", "sstatus", "mode", st,
              f"SPP={st >> 8 & 1} SPIE={st >> 5 & 1} SIE={st >> 1 & 1}")
        r.add(HARDWARE, "jump", "stvec", "pc", "vector", csr.read(0x105), "uservec (trampoline.S)")

    def on_instruction(self, ev) -> None:
        if self.hart is None or ev.hart != self.hart.hartid or self.phase in ("waiting", "done"):
            return
        text = disassemble(ev.word, ev.pc, aliases=True)
        r, hart = self.record, self.hart
        if self.phase == "entry":
            if text == "csrrw sp, sscratch, sp":
                self.frame = hart.csr.read(0x140)
                r.add(SOFTWARE, "swap", "sp", "sscratch", "stack", self.frame,
                      "sp <- this thread's trap frame; sscratch <- the user sp")
            elif m := re.match(r"^csrr (\w+), (\w+)$", text):
                self.csr_in[m[1]] = m[2]
            elif (m := _MEM.match(text)) and m[1] == "sd":
                reg, off = m[2], int(m[3])
                value = _reg(hart, reg)
                what = self.csr_in.pop(reg, reg)
                item = {"sscratch": "sp", "sepc": "pc"}.get(what, "regs")
                label = {"sscratch": "user sp (from sscratch)", "sepc": "sepc"}.get(what, reg)
                r.add(SOFTWARE, "save", label, f"frame+{off:#x}", item, value)
            elif text.startswith("jalr"):
                r.add(SOFTWARE, "jump", "trap(frame)", "a Python host function", "vector",
                      _reg(hart, "t0"), "the kernel proper: oskit/kernel/riscv/trap.py")
                self.phase = "kernel"
        elif self.phase == "kernel":
            if text.startswith("csrw sscratch"):
                self.phase = "exit"
                r.add(SOFTWARE, "write", "the frame's address", "sscratch", "stack", _reg(hart, "a0"),
                      "userret: ready for the next trap")
        elif self.phase == "exit":
            self._finish_load()
            if (m := _MEM.match(text)) and m[1] == "ld":
                reg, off = m[2], int(m[3])
                item = "pc" if off == SEPC_OFFSET else ("sp" if reg == "sp" else "regs")
                self.pending_load = (f"frame+{off:#x}", reg, item)     # its value: after it runs
            elif text.startswith("csrw sepc"):
                r.add(SOFTWARE, "restore", "t0", "sepc", "pc", _reg(hart, "t0"),
                      "+4 past the ecall (the kernel did it)" if self.cause == CAUSE_ECALL_U else "retry the store")
            elif text == "sret":
                r.add(HARDWARE, "restore", "sepc", "pc", "return", hart.csr.read(0x141), "sret")
                r.add(HARDWARE, "write", "mode = SPP, SIE = SPIE", "sstatus", "mode", None, "user mode again")
                self.phase = "done"

    def _finish_load(self) -> None:
        """The previous instruction was an ld: record it with the value it loaded."""
        if self.pending_load is not None:
            where, reg, item = self.pending_load
            self.record.add(SOFTWARE, "restore", where, reg, item, _reg(self.hart, reg))
            self.pending_load = None


def record_riscv() -> dict[str, TrapRecord]:
    """{"system call": ..., "page fault": ...} from one run of PROGRAM on the real machine."""
    k = boot(programs=False)
    elf = build({"twotraps.c": PROGRAM}, mode="user")
    k.install_program("/bin/twotraps", elf.read_bytes())
    with open(elf, "rb") as f:
        page = ELFFile(f).get_section_by_name(".symtab").get_symbol_by_name("page")[0]["st_value"]
    records = {"system call": TrapRecord("RISC-V", "system call", source="machine"),
               "page fault": TrapRecord("RISC-V", "page fault", source="machine")}
    recorders = [_Recorder(k, CAUSE_ECALL_U, records["system call"]),
                 _Recorder(k, CAUSE_STORE_PAGE_FAULT, records["page fault"], tval=page + 64)]
    events = k.machine.events
    subs = []
    for rec in recorders:
        subs.append(("trap", events.subscribe("trap", rec.on_trap)))
        subs.append(("instruction", events.subscribe("instruction", rec.on_instruction)))
    try:
        p = k.spawn("/bin/twotraps", ["twotraps"])
        k.run(until=p.exited)
    finally:
        for kind, fn in subs:
            events.unsubscribe(kind, fn)
    if p.exit_status != 0 or any(rec.phase != "done" for rec in recorders):
        raise RuntimeError(f"record_riscv: the program ended with status {p.exit_status}; "
                           f"recorders at {[rec.phase for rec in recorders]}")
    return records
