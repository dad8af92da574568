"""A model (not an emulator) of trap entry and return on MIPS32 (Release 2), from the
MIPS32 Privileged Resource Architecture (Vol. III): the coprocessor-0 registers a trap
writes, the exception vectors, ``eret``, and a kernel's entry code that saves the user's
registers using only $k0 and $k1.

What the hardware does on an exception (Vol. III, "General Exception Processing"), with
Status.EXL = 0 when it happens:

    EPC      <- pc of the instruction that trapped (pc-4 and Cause.BD = 1 in a delay slot)
    Cause    ExcCode (bits 6:2) <- 8 Sys, 2 TLBL (load/fetch), 3 TLBS (store), 4/5 AdEL/AdES
    BadVAddr <- the address, for TLB and address-error exceptions
    EntryHi  VPN2 <- the page of that address (TLB exceptions), Context.BadVPN2 too
    Status   EXL (bit 1) <- 1: kernel mode, interrupts off, whatever KSU and IE say
    pc       <- the vector: EBase + 0x000 for a TLB *refill* (no entry matched, EXL was 0),
                EBase + 0x180 for everything else (EBase = 0x8000_0000, Status.BEV = 0)

Nothing else: the hardware saves no general register, does not switch stacks, and leaves
EPC at the ``syscall`` instruction itself. The software conventions that make this work:
$k0 and $k1 (registers 26 and 27) belong to the kernel, so its entry code may use them
before it has saved anything; the kernel stack's top is in a kernel variable (``kernelsp``).
``eret``: pc <- EPC, Status.EXL <- 0 (back to the mode KSU says), no delay slot.

The frame layout is this model's (like Linux's struct pt_regs: the 32 registers, then
the CP0 registers the handler wants).
"""

from __future__ import annotations

from oskit.models.record import HARDWARE, SOFTWARE, TrapRecord

REGS = ("zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
        "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra")

STATUS_IE, STATUS_EXL, STATUS_UM = 1 << 0, 1 << 1, 1 << 4      # UM: KSU = user (bits 4:3 = 0b10)
CAUSE_BD = 1 << 31
EXC_SYS, EXC_TLBL, EXC_TLBS, EXC_ADEL = 8, 2, 3, 4
EBASE = 0x8000_0000
REFILL_VECTOR, GENERAL_VECTOR = EBASE + 0x000, EBASE + 0x180

# The model's trap frame: register i at 4*i, then the CP0 registers.
PT_REG = {name: 4 * i for i, name in enumerate(REGS)}
PT_STATUS, PT_CAUSE, PT_EPC, PT_BADVADDR = 128, 132, 136, 140
PT_SIZE = 144
KERNELSP = 0x8040_0000            # the kernel variable holding this thread's kernel stack top


class MipsModel:
    """The state a trap touches: the 32 registers, pc, CP0, and memory (address -> 32-bit word)."""

    def __init__(self, pc: int = 0x0040_0100, sp: int = 0x7FFF_FF00, kstack_top: int = 0x8010_0000):
        self.regs = {name: 0 for name in REGS}
        for i, name in enumerate(REGS[1:], 1):
            self.regs[name] = 0x1000 + i            # recognisable user values
        self.regs["zero"] = 0
        self.regs["sp"] = sp
        self.pc = pc
        self.cp0 = {"Status": STATUS_UM | STATUS_IE, "Cause": 0, "EPC": 0, "BadVAddr": 0,
                    "EntryHi": 0, "Context": 0, "EBase": EBASE}
        self.mem: dict[int, int] = {KERNELSP: kstack_top}
        self.record: TrapRecord | None = None

    @property
    def kernel_mode(self) -> bool:
        st = self.cp0["Status"]
        return bool(st & STATUS_EXL) or not st & STATUS_UM

    # -- hardware ------------------------------------------------------------------------
    def exception(self, code: int, badvaddr: int | None = None, refill: bool = False,
                  in_delay_slot: bool = False) -> None:
        """The processor takes exception ``code`` at self.pc (Vol. III, general exception processing)."""
        r, cp0 = self.record, self.cp0
        if not cp0["Status"] & STATUS_EXL:       # a nested exception keeps the first EPC
            epc = self.pc - 4 if in_delay_slot else self.pc
            cp0["EPC"] = epc
            cp0["Cause"] = (cp0["Cause"] & ~CAUSE_BD) | (CAUSE_BD if in_delay_slot else 0)
            r.add(HARDWARE, "save", "pc", "EPC", "pc", epc,
                  "the trapping instruction itself" + (" minus 4 (delay slot, Cause.BD)" if in_delay_slot else ""))
        cp0["Cause"] = (cp0["Cause"] & ~(0x1F << 2)) | (code << 2)
        r.add(HARDWARE, "write", f"ExcCode {code}", "Cause[6:2]", "cause", code)
        if badvaddr is not None:
            cp0["BadVAddr"] = badvaddr
            r.add(HARDWARE, "write", "address", "BadVAddr", "address", badvaddr)
            if code in (EXC_TLBL, EXC_TLBS):
                cp0["EntryHi"] = badvaddr & ~0x1FFF
                cp0["Context"] = (cp0["Context"] & ~0x7F_FFF0) | ((badvaddr >> 13) << 4)
                r.add(HARDWARE, "write", "VPN2 of address", "EntryHi, Context", "address",
                      badvaddr & ~0x1FFF, "ready for the refill handler's tlbwr")
        cp0["Status"] |= STATUS_EXL
        r.add(HARDWARE, "write", "EXL = 1", "Status", "mode", cp0["Status"],
              "kernel mode, interrupts off; KSU still says user")
        vector = REFILL_VECTOR if refill else GENERAL_VECTOR
        self.pc = vector
        r.add(HARDWARE, "jump", "pc", "vector", "vector", vector,
              "TLB refill vector" if refill else "general exception vector")

    def eret(self) -> None:
        """eret: pc <- EPC, Status.EXL <- 0 (the mode is KSU's again), no delay slot."""
        r = self.record
        self.pc = self.cp0["EPC"]
        self.cp0["Status"] &= ~STATUS_EXL
        r.add(HARDWARE, "restore", "EPC", "pc", "return", self.pc, "eret")
        r.add(HARDWARE, "write", "EXL = 0", "Status", "mode", self.cp0["Status"], "user mode again")

    # -- software: the kernel's entry and exit code -----------------------------------------
    def save_all(self) -> int:
        """The general exception handler's prologue (like Linux's SAVE_ALL); returns the frame address."""
        r, regs = self.record, self.regs
        regs["k0"] = self.cp0["Status"]
        r.add(SOFTWARE, "load", "Status", "$k0", "mode", regs["k0"],
              "mfc0: came from user mode? (KSU); $k0 is the kernel's, free to use")
        regs["k1"] = regs["sp"]
        r.add(SOFTWARE, "save", "sp", "$k1", "sp", regs["sp"], "move k1, sp: the user sp, kept in $k1")
        regs["k0"] = self.mem[KERNELSP]
        regs["sp"] = regs["k0"] - PT_SIZE
        r.add(SOFTWARE, "load", "kernelsp", "sp", "stack", regs["sp"],
              "lw k0, kernelsp; addiu sp, k0, -PT_SIZE: a frame on the kernel stack")
        frame = regs["sp"]
        self._store(frame + PT_REG["sp"], regs["k1"], "user sp", "sp")
        for name in REGS:
            if name not in ("zero", "k0", "k1", "sp"):
                self._store(frame + PT_REG[name], regs[name], name, "regs")
        for reg, off in (("EPC", PT_EPC), ("Cause", PT_CAUSE), ("Status", PT_STATUS), ("BadVAddr", PT_BADVADDR)):
            regs["k0"] = self.cp0[reg]
            item = {"EPC": "pc", "Cause": "cause", "Status": "mode", "BadVAddr": "address"}[reg]
            self._store(frame + off, self.cp0[reg], reg, item, "mfc0 k0, then sw k0")
        return frame

    def _store(self, addr: int, value: int, what: str, item: str, note: str = "") -> None:
        self.mem[addr] = value & 0xFFFF_FFFF
        off = addr - self.regs["sp"]
        self.record.add(SOFTWARE, "save", what, f"frame+{off:#x}", item, value, note)

    def restore_all(self, frame: int, skip_syscall: bool) -> None:
        """The way out: EPC (+4 past a syscall: the hardware does not), the registers, sp last, eret."""
        r, regs = self.record, self.regs
        epc = self.mem[frame + PT_EPC] + (4 if skip_syscall else 0)
        self.cp0["EPC"] = epc
        r.add(SOFTWARE, "restore", "frame EPC" + (" + 4" if skip_syscall else ""), "EPC", "pc", epc,
              "software moves past the syscall instruction" if skip_syscall else "retry the instruction")
        for name in REGS:
            if name not in ("zero", "k0", "k1", "sp"):
                regs[name] = self.mem[frame + PT_REG[name]]
                r.add(SOFTWARE, "restore", f"frame+{PT_REG[name]:#x}", name, "regs", regs[name])
        regs["sp"] = self.mem[frame + PT_REG["sp"]]
        r.add(SOFTWARE, "restore", f"frame+{PT_REG['sp']:#x}", "sp", "sp", regs["sp"], "the user stack, last")
        self.eret()

    def refill(self) -> None:
        """The TLB refill handler: only $k0/$k1, nothing saved (it must be a dozen instructions)."""
        r, regs = self.record, self.regs
        regs["k0"] = self.cp0["Context"]
        r.add(SOFTWARE, "load", "Context", "$k0", "address", regs["k0"], "mfc0: where the PTE pair is")
        regs["k1"] = self.mem.get(regs["k0"], 0)
        r.add(SOFTWARE, "load", "PTE pair", "$k1 -> EntryLo0/1", "address", regs["k1"],
              "lw, mtc0; then tlbwr: invalid PTE (page not present) goes in as is")
        self.eret()


def syscall_example() -> tuple[MipsModel, TrapRecord]:
    """getpid() from user mode: v0 = the call number, ``syscall``; the kernel answers in v0."""
    m = MipsModel()
    m.record = TrapRecord("MIPS32", "system call")
    m.regs["v0"] = 4020                       # __NR_getpid in the o32 ABI
    at_syscall = m.pc
    m.exception(EXC_SYS)
    frame = m.save_all()
    m.mem[frame + PT_REG["v0"]] = 42          # the handler's result, written into the frame
    m.record.add(SOFTWARE, "write", "result", f"frame+{PT_REG['v0']:#x} (v0)", "regs", 42, "the C handler")
    m.restore_all(frame, skip_syscall=True)
    assert m.pc == at_syscall + 4
    return m, m.record


def page_fault_example(address: int = 0x1000_0040) -> tuple[MipsModel, TrapRecord]:
    """A store (sw) to a page with no TLB entry: refill, then the invalid entry's TLBS exception."""
    m = MipsModel()
    m.record = TrapRecord("MIPS32", "page fault")
    at_store = m.pc
    m.exception(EXC_TLBS, badvaddr=address, refill=True)      # no entry: the refill vector
    m.refill()                                               # writes the (invalid) PTE, eret
    m.exception(EXC_TLBS, badvaddr=address)                  # the retried store hits an invalid entry
    frame = m.save_all()
    m.record.add(SOFTWARE, "write", "the page", "memory, PTE", "address", address, "do_page_fault()")
    m.restore_all(frame, skip_syscall=False)
    assert m.pc == at_store
    return m, m.record
