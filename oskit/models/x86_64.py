"""A model (not an emulator) of trap entry and return on x86-64, from the Intel SDM
(Vol. 2B: SYSCALL, SYSRET, IRET; Vol. 3A §6.12-6.14: exception handling in 64-bit mode)
and the entry code of a kernel like Linux (arch/x86/entry/entry_64.S, without page-table
isolation).

Two ways in, with different amounts of hardware help:

SYSCALL (a system call; the kernel chose this path by setting the MSRs at boot):

    RCX    <- RIP of the next instruction        R11 <- RFLAGS
    RFLAGS <- RFLAGS & ~IA32_FMASK (IF, TF, DF, AC... cleared)
    CS     <- IA32_STAR[47:32], SS <- IA32_STAR[47:32] + 8, CPL <- 0
    RIP    <- IA32_LSTAR
    and nothing else: RSP is still the *user's* stack pointer, nothing is written to memory.
    The entry code swaps GS (SWAPGS: its per-CPU area), parks the user RSP, loads the
    kernel stack, and pushes what the hardware did not save.
    SYSRET: RIP <- RCX, RFLAGS <- R11 (some bits forced), CS/SS from IA32_STAR[63:48], CPL 3.

An exception or interrupt (here a page fault, vector 14) from user mode, through a
64-bit interrupt gate of the IDT:

    CR2    <- the faulting address (page faults only)
    RSP    <- TSS.RSP0 (aligned down to 16), SS <- the NULL selector: the stack switch
    push SS, RSP, RFLAGS, CS, RIP (of the faulting instruction), the error code
           (8 bytes each: afterwards RSP = TSS.RSP0 - 48)
    RFLAGS: TF, NT, RF cleared, and IF (an interrupt gate)
    CS:RIP <- the gate's selector and offset
    IRETQ pops RIP, CS, RFLAGS, RSP, SS (the handler first drops the error code).

Selectors and MSR values are Linux's (GDT: kernel CS 0x10, user CS 0x33).
"""

from __future__ import annotations

from oskit.models.record import HARDWARE, SOFTWARE, TrapRecord

GPRS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15")

IA32_STAR, IA32_LSTAR, IA32_FMASK = 0xC000_0081, 0xC000_0082, 0xC000_0084
IA32_GS_BASE, IA32_KERNEL_GS_BASE = 0xC000_0101, 0xC000_0102
KERNEL_CS, KERNEL_DS, USER_DS, USER_CS = 0x10, 0x18, 0x2B, 0x33
STAR = (0x23 << 48) | (KERNEL_CS << 32)           # SYSRET: CS = 0x23+16 = 0x33, SS = 0x23+8 = 0x2b
RF_TF, RF_IF, RF_DF, RF_NT, RF_RF, RF_AC = 1 << 8, 1 << 9, 1 << 10, 1 << 14, 1 << 16, 1 << 18
FMASK = RF_TF | RF_DF | RF_IF | (3 << 12) | RF_NT | RF_AC     # 0x47700, Linux 4.x's (newer clear more)
SYSRET_KEEP = 0x3C7FD7                             # the RFLAGS bits SYSRET takes from R11
PF_VECTOR = 14
PF_WRITE, PF_USER = 1 << 1, 1 << 2                 # error code bits (P = bit 0: 0, not present)
SYSCALL_LEN = 2                                    # 0F 05
MASK64 = 2**64 - 1


class X86Model:
    """The state a trap touches: GPRs, RIP, RFLAGS, CS/SS, CPL, MSRs, TSS.RSP0, CR2, the IDT, memory."""

    def __init__(self, rip: int = 0x40_1000, rsp: int = 0x7FFF_FFFF_E000, rsp0: int = 0xFFFF_C900_0000_4000):
        self.regs = {name: 0x1000 + i for i, name in enumerate(GPRS)}    # recognisable user values
        self.regs["rsp"] = rsp
        self.rip = rip
        self.rflags = 0x202                       # IF and the always-1 bit 1
        self.cs, self.ss, self.cpl = USER_CS, USER_DS, 3
        self.msr = {IA32_STAR: STAR, IA32_LSTAR: 0xFFFF_FFFF_8100_0000, IA32_FMASK: FMASK,
                    IA32_GS_BASE: 0, IA32_KERNEL_GS_BASE: 0xFFFF_8880_7FC0_0000}
        self.tss_rsp0 = rsp0
        self.cr2 = 0
        self.idt = {PF_VECTOR: (KERNEL_CS, 0xFFFF_FFFF_8100_1000)}        # vector -> gate (selector, offset)
        self.mem: dict[int, int] = {}             # 8-byte slots
        self.percpu_scratch = 0                   # where entry_SYSCALL_64 parks the user RSP
        self.record: TrapRecord | None = None

    # -- hardware: SYSCALL / SYSRET --------------------------------------------------------
    def syscall(self) -> None:
        """SYSCALL (SDM Vol. 2B), in the order the pseudocode gives."""
        r = self.record
        self.regs["rcx"] = self.rip + SYSCALL_LEN
        r.add(HARDWARE, "save", "RIP of the next instruction", "RCX", "pc", self.regs["rcx"])
        self.regs["r11"] = self.rflags
        r.add(HARDWARE, "save", "RFLAGS", "R11", "flags", self.rflags)
        self.rflags &= ~self.msr[IA32_FMASK] & MASK64
        r.add(HARDWARE, "write", "RFLAGS & ~IA32_FMASK", "RFLAGS", "mode", self.rflags, "interrupts off")
        sel = (self.msr[IA32_STAR] >> 32) & 0xFFFF
        self.cs, self.ss, self.cpl = sel & 0xFFFC, sel + 8, 0
        r.add(HARDWARE, "write", "IA32_STAR[47:32], +8", "CS, SS; CPL = 0", "segments", self.cs)
        self.rip = self.msr[IA32_LSTAR]
        r.add(HARDWARE, "jump", "IA32_LSTAR", "RIP", "vector", self.rip, "entry_SYSCALL_64")

    def sysret(self) -> None:
        """SYSRET to 64-bit user mode (SDM Vol. 2B)."""
        r = self.record
        self.rip = self.regs["rcx"]
        r.add(HARDWARE, "restore", "RCX", "RIP", "return", self.rip, "sysretq")
        self.rflags = (self.regs["r11"] & SYSRET_KEEP) | 2
        r.add(HARDWARE, "restore", "R11", "RFLAGS", "flags", self.rflags)
        base = (self.msr[IA32_STAR] >> 48) & 0xFFFF
        self.cs, self.ss, self.cpl = (base + 16) | 3, (base + 8) | 3, 3
        r.add(HARDWARE, "write", "IA32_STAR[63:48] +16, +8", "CS, SS; CPL = 3", "segments", self.cs)

    # -- hardware: exception through an interrupt gate, and IRETQ -------------------------------
    def exception(self, vector: int, error_code: int | None = None, cr2: int | None = None) -> None:
        """An exception from CPL 3 (SDM Vol. 3A §6.12.1, §6.14): stack switch, the pushed frame, the gate."""
        r = self.record
        if cr2 is not None:
            self.cr2 = cr2
            r.add(HARDWARE, "write", "faulting address", "CR2", "address", cr2)
        old = (self.ss, self.regs["rsp"], self.rflags, self.cs, self.rip)
        if self.cpl == 3:                          # to CPL 0: the stack from the TSS
            self.regs["rsp"] = self.tss_rsp0 & ~0xF
            r.add(HARDWARE, "load", "TSS.RSP0", "RSP", "stack", self.regs["rsp"], "aligned down to 16")
            self.ss = 0
        for what, value, item in zip(("SS", "RSP", "RFLAGS", "CS", "RIP"), old,
                                     ("segments", "sp", "flags", "segments", "pc")):
            self._push(value, what, item, HARDWARE)
        if error_code is not None:
            self._push(error_code, "error code", "cause", HARDWARE)
        self.rflags &= ~(RF_TF | RF_NT | RF_RF | RF_IF)
        r.add(HARDWARE, "write", "TF, NT, RF, IF = 0", "RFLAGS", "mode", self.rflags, "an interrupt gate")
        self.cs, self.rip = self.idt[vector]
        self.cpl = 0
        r.add(HARDWARE, "jump", f"IDT[{vector}]", "CS:RIP; CPL = 0", "vector", self.rip,
              f"vector {vector}" + (" (#PF)" if vector == PF_VECTOR else ""))

    def iretq(self) -> None:
        """IRETQ to CPL 3: pop RIP, CS, RFLAGS, RSP, SS."""
        r = self.record
        rsp = self.regs["rsp"]
        self.rip, self.cs, self.rflags, new_rsp, self.ss = (self.mem[rsp + 8 * i] for i in range(5))
        self.cpl = self.cs & 3
        r.add(HARDWARE, "restore", "[RSP+0..+32]", "RIP, CS, RFLAGS, RSP, SS", "return", self.rip, "iretq")
        self.regs["rsp"] = new_rsp
        r.add(HARDWARE, "restore", "[RSP+24]", "RSP", "sp", new_rsp, "the user stack again")

    def _push(self, value: int, what: str, item: str, actor: str, note: str = "") -> None:
        self.regs["rsp"] -= 8
        self.mem[self.regs["rsp"]] = value & MASK64
        off = self.regs["rsp"] - self.tss_rsp0
        self.record.add(actor, "save", what, f"[RSP0{off:+#x}]", item, value, note)

    # -- software: the kernel's entry code (Linux's entry_64.S, simplified) ---------------------
    def swapgs(self, entering: bool) -> None:
        """SWAPGS: exchange the GS base with IA32_KERNEL_GS_BASE (the kernel's per-CPU area)."""
        self.msr[IA32_GS_BASE], self.msr[IA32_KERNEL_GS_BASE] = \
            self.msr[IA32_KERNEL_GS_BASE], self.msr[IA32_GS_BASE]
        self.record.add(SOFTWARE, "swap", "GS base", "IA32_KERNEL_GS_BASE", "stack", self.msr[IA32_GS_BASE],
                        "swapgs: %gs reaches this CPU's kernel data" if entering else "swapgs: the user's GS back")

    def push_regs(self) -> None:
        """PUSH_AND_CLEAR_REGS: the general registers the hardware did not save, on the kernel stack."""
        for name in ("rdi", "rsi", "rdx", "rcx", "rax", "r8", "r9", "r10", "r11",
                     "rbx", "rbp", "r12", "r13", "r14", "r15"):
            self._push(self.regs[name], name, "regs", SOFTWARE)

    def pop_regs(self) -> None:
        for name in reversed(("rdi", "rsi", "rdx", "rcx", "rax", "r8", "r9", "r10", "r11",
                              "rbx", "rbp", "r12", "r13", "r14", "r15")):
            self.regs[name] = self.mem[self.regs["rsp"]]
            self.record.add(SOFTWARE, "restore", f"[RSP0{self.regs['rsp'] - self.tss_rsp0:+#x}]", name,
                            "regs", self.regs[name])
            self.regs["rsp"] += 8

    def syscall_entry(self) -> None:
        """entry_SYSCALL_64 up to the C handler: swapgs, stack switch, build the frame (struct pt_regs)."""
        r = self.record
        self.swapgs(entering=True)
        self.percpu_scratch = self.regs["rsp"]
        r.add(SOFTWARE, "save", "RSP", "%gs:scratch", "sp", self.regs["rsp"], "the user stack pointer, parked")
        self.regs["rsp"] = self.tss_rsp0
        r.add(SOFTWARE, "load", "%gs:top_of_stack", "RSP", "stack", self.tss_rsp0, "the same top as TSS.RSP0")
        self._push(USER_DS, "user SS", "segments", SOFTWARE, "a frame shaped like the hardware's")
        self._push(self.percpu_scratch, "user RSP", "sp", SOFTWARE)
        self._push(self.regs["r11"], "R11 (user RFLAGS)", "flags", SOFTWARE)
        self._push(USER_CS, "user CS", "segments", SOFTWARE)
        self._push(self.regs["rcx"], "RCX (user RIP)", "pc", SOFTWARE)
        self._push(self.regs["rax"], "RAX (orig_ax: the call number)", "cause", SOFTWARE)
        self.push_regs()

    def syscall_exit(self) -> None:
        """Back out: pop the registers, skip orig_ax, reload the user RSP, swapgs, SYSRET."""
        r = self.record
        self.pop_regs()
        self.regs["rsp"] += 8                                   # orig_ax
        self.regs["rcx"] = self.mem[self.regs["rsp"]]
        self.regs["r11"] = self.mem[self.regs["rsp"] + 16]
        r.add(SOFTWARE, "restore", "frame RIP, RFLAGS", "RCX, R11", "pc", self.regs["rcx"], "for sysretq")
        self.regs["rsp"] = self.mem[self.regs["rsp"] + 24]
        r.add(SOFTWARE, "restore", "frame RSP", "RSP", "sp", self.regs["rsp"], "the user stack")
        self.swapgs(entering=False)
        self.sysret()


def syscall_example() -> tuple[X86Model, TrapRecord]:
    """getpid() from user mode: RAX = 39, SYSCALL; the result comes back in RAX."""
    m = X86Model()
    m.record = TrapRecord("x86-64", "system call")
    m.regs["rax"] = 39                           # __NR_getpid on x86-64 Linux
    user_rip, user_rsp = m.rip, m.regs["rsp"]
    m.syscall()
    m.syscall_entry()
    rax_slot = m.regs["rsp"] + 8 * 10            # pt_regs: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax ...
    m.mem[rax_slot] = 42
    m.record.add(SOFTWARE, "write", "result", "frame rax", "regs", 42, "the C handler")
    m.syscall_exit()
    assert (m.rip, m.regs["rsp"], m.regs["rax"]) == (user_rip + SYSCALL_LEN, user_rsp, 42)
    return m, m.record


def page_fault_example(address: int = 0x60_0040) -> tuple[X86Model, TrapRecord]:
    """A user store to a page that is not present: #PF (vector 14), error code U|W, CR2 = address."""
    m = X86Model()
    m.record = TrapRecord("x86-64", "page fault")
    user_rip, user_rsp = m.rip, m.regs["rsp"]
    m.exception(PF_VECTOR, error_code=PF_USER | PF_WRITE, cr2=address)
    m.swapgs(entering=True)                      # came from user (CS & 3 in the frame): kernel GS
    m.push_regs()
    m.record.add(SOFTWARE, "write", "the page", "memory, page table", "address", m.cr2, "do_page_fault(regs, CR2)")
    m.pop_regs()
    m.regs["rsp"] += 8                           # drop the error code
    m.record.add(SOFTWARE, "restore", "error code", "(dropped: rsp += 8)", "cause", None)
    m.swapgs(entering=False)
    m.iretq()
    assert (m.rip, m.regs["rsp"], m.cpl) == (user_rip, user_rsp, 3)
    return m, m.record
