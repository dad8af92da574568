"""Traps: the cause codes, the guest-visible exceptions, and the one function that takes a trap.

The map of this module:

    Priv                    the privilege modes U=0, S=1, M=3
    Cause                   exception codes (mcause/scause with the interrupt bit clear)
    Interrupt               interrupt codes (mcause/scause with the interrupt bit set)
    CAUSE_NAMES, INTERRUPT_NAMES, cause_name(xcause)
                            the codes in words, for views, tracers and panic messages
    INTERRUPT_PRIORITY      the order in which simultaneous interrupts are taken
    Trap                    base class of every guest exception, with .cause and .tval
      InstructionAddressMisaligned, InstructionAccessFault, IllegalInstruction,
      Breakpoint, LoadAddressMisaligned, LoadAccessFault, StoreAddressMisaligned,
      StoreAccessFault, EnvironmentCall, PageFault (InstructionPageFault,
      LoadPageFault, StorePageFault)
    take_trap(hart, ...)    delegation and the CSR updates of trap entry
    pending_interrupt(hart) which interrupt, if any, the hart must take now

A Trap is a value of the guest machine ("this instruction faulted"), raised by
the code that detects it and caught by the hart, which passes it to
take_trap(). An emulator bug is an ordinary Python exception and is never
caught as a trap.
"""

from __future__ import annotations

from enum import IntEnum

from oskit.machine import choices


class Priv(IntEnum):
    """Privilege modes, encoded as in mstatus.MPP and the CSR address bits [9:8]."""

    U = 0
    S = 1
    M = 3


class Cause(IntEnum):
    """Exception codes (privileged spec v1.12, table 3.6)."""

    INSTRUCTION_ADDRESS_MISALIGNED = 0
    INSTRUCTION_ACCESS_FAULT = 1
    ILLEGAL_INSTRUCTION = 2
    BREAKPOINT = 3
    LOAD_ADDRESS_MISALIGNED = 4
    LOAD_ACCESS_FAULT = 5
    STORE_ADDRESS_MISALIGNED = 6  # also AMO
    STORE_ACCESS_FAULT = 7  # also AMO
    ECALL_FROM_U = 8
    ECALL_FROM_S = 9
    ECALL_FROM_M = 11
    INSTRUCTION_PAGE_FAULT = 12
    LOAD_PAGE_FAULT = 13
    STORE_PAGE_FAULT = 15  # also AMO


class Interrupt(IntEnum):
    """Interrupt codes; the same number is the bit in mip/mie (e.g. MTI = 7 is mip.MTIP)."""

    SSI = 1  # supervisor software
    MSI = 3  # machine software (CLINT msip)
    STI = 5  # supervisor timer (Sstc stimecmp, or written by M-mode)
    MTI = 7  # machine timer (CLINT mtimecmp)
    SEI = 9  # supervisor external (PLIC context 1)
    MEI = 11  # machine external (PLIC context 0)


# Privileged spec 3.1.9: "MEI, MSI, MTI, SEI, SSI, STI" in decreasing priority.
INTERRUPT_PRIORITY = (Interrupt.MEI, Interrupt.MSI, Interrupt.MTI, Interrupt.SEI, Interrupt.SSI, Interrupt.STI)

INTERRUPT_BIT = 1 << 63  # set in xcause for an interrupt

# The codes in words, as a person says them (the one table of names: views, tracers and kernels use it).
CAUSE_NAMES = {
    Cause.INSTRUCTION_ADDRESS_MISALIGNED: "instruction address misaligned",
    Cause.INSTRUCTION_ACCESS_FAULT: "instruction access fault",
    Cause.ILLEGAL_INSTRUCTION: "illegal instruction",
    Cause.BREAKPOINT: "breakpoint",
    Cause.LOAD_ADDRESS_MISALIGNED: "load address misaligned",
    Cause.LOAD_ACCESS_FAULT: "load access fault",
    Cause.STORE_ADDRESS_MISALIGNED: "store address misaligned",
    Cause.STORE_ACCESS_FAULT: "store access fault",
    Cause.ECALL_FROM_U: "ecall from U-mode",
    Cause.ECALL_FROM_S: "ecall from S-mode",
    Cause.ECALL_FROM_M: "ecall from M-mode",
    Cause.INSTRUCTION_PAGE_FAULT: "instruction page fault",
    Cause.LOAD_PAGE_FAULT: "load page fault",
    Cause.STORE_PAGE_FAULT: "store page fault",
}
INTERRUPT_NAMES = {
    Interrupt.SSI: "supervisor software interrupt",
    Interrupt.MSI: "machine software interrupt",
    Interrupt.STI: "supervisor timer interrupt",
    Interrupt.MTI: "machine timer interrupt",
    Interrupt.SEI: "supervisor external interrupt",
    Interrupt.MEI: "machine external interrupt",
}


def cause_name(xcause: int, interrupt: bool | None = None) -> str:
    """What an mcause/scause value means, in words; interrupt=None reads bit 63 of xcause.

    A code without a name says what it is: "exception 10", "interrupt 13".
    """
    if interrupt is None:
        interrupt = bool(xcause & INTERRUPT_BIT)
    code = xcause & ~INTERRUPT_BIT
    if interrupt:
        return INTERRUPT_NAMES.get(code, f"interrupt {code}")
    return CAUSE_NAMES.get(code, f"exception {code}")


class Trap(Exception):
    """A synchronous exception of the guest: the faulting instruction does not complete."""

    cause: Cause = Cause.ILLEGAL_INSTRUCTION

    def __init__(self, tval: int = 0, cause: Cause | None = None):
        if cause is not None:
            self.cause = Cause(cause)
        self.tval = tval
        super().__init__(f"{self.cause.name.lower()} (cause {int(self.cause)}), tval={tval:#x}")


class InstructionAddressMisaligned(Trap):
    """A jump or branch to an address that is not a multiple of 4 (tval = the target)."""

    cause = Cause.INSTRUCTION_ADDRESS_MISALIGNED


class InstructionAccessFault(Trap):
    """Fetch from a physical address where no memory answers (tval = the virtual pc)."""

    cause = Cause.INSTRUCTION_ACCESS_FAULT


class IllegalInstruction(Trap):
    """Unknown encoding, CSR that does not exist or is out of reach (tval = instruction bits)."""

    cause = Cause.ILLEGAL_INSTRUCTION


class Breakpoint(Trap):
    """ebreak (tval: see choices.EBREAK_TVAL)."""

    cause = Cause.BREAKPOINT


class LoadAddressMisaligned(Trap):
    """A load (or lr) whose address is not a multiple of its size (tval = the address)."""

    cause = Cause.LOAD_ADDRESS_MISALIGNED


class LoadAccessFault(Trap):
    """A load from a physical address where nothing answers (tval = the virtual address)."""

    cause = Cause.LOAD_ACCESS_FAULT


class StoreAddressMisaligned(Trap):
    """A store, sc or AMO whose address is not a multiple of its size (tval = the address)."""

    cause = Cause.STORE_ADDRESS_MISALIGNED


class StoreAccessFault(Trap):
    """A store or AMO to a physical address where nothing answers (tval = the virtual address)."""

    cause = Cause.STORE_ACCESS_FAULT


class EnvironmentCall(Trap):
    """ecall; the cause depends on the mode it came from (8, 9 or 11), tval = 0."""

    def __init__(self, priv: int):
        super().__init__(0, {0: Cause.ECALL_FROM_U, 1: Cause.ECALL_FROM_S, 3: Cause.ECALL_FROM_M}[priv])


class PageFault(Trap):
    """The Sv39 walk refused the access (tval = the virtual address)."""


class InstructionPageFault(PageFault):
    cause = Cause.INSTRUCTION_PAGE_FAULT


class LoadPageFault(PageFault):
    cause = Cause.LOAD_PAGE_FAULT


class StorePageFault(PageFault):
    cause = Cause.STORE_PAGE_FAULT


# The three kinds of memory access name their faults here: access -> (page fault, access fault, misaligned).
PAGE_FAULT = {"x": InstructionPageFault, "r": LoadPageFault, "w": StorePageFault}
ACCESS_FAULT = {"x": InstructionAccessFault, "r": LoadAccessFault, "w": StoreAccessFault}
MISALIGNED = {"x": InstructionAddressMisaligned, "r": LoadAddressMisaligned, "w": StoreAddressMisaligned}


# mstatus bits that trap entry and return touch (the full layout is in csr.py).
MSTATUS_SIE = 1 << 1
MSTATUS_MIE = 1 << 3
MSTATUS_SPIE = 1 << 5
MSTATUS_MPIE = 1 << 7
MSTATUS_SPP = 1 << 8
MSTATUS_MPP_SHIFT = 11
MSTATUS_MPP = 3 << MSTATUS_MPP_SHIFT
MSTATUS_MPRV = 1 << 17


def take_trap(hart, cause: int, tval: int, interrupt: bool = False) -> None:
    """Enter the trap handler for `cause`, as the hardware does at an instruction boundary.

    hart.pc must be the pc of the faulting instruction (or, for an interrupt,
    of the instruction that has not run yet): it becomes xepc. The trap goes
    to S-mode when it is delegated (medeleg/mideleg bit set) and the hart is
    not in M-mode; otherwise to M-mode. Traps never go to a lower mode.
    """
    csr = hart.csr
    from_priv = hart.priv
    deleg = csr.mideleg if interrupt else csr.medeleg
    code = int(cause)
    xcause = (INTERRUPT_BIT | code) if interrupt else code
    epc = hart.pc
    if choices.RESERVATION_LOST_ON_TRAP:
        hart.reservation = None  # an interrupted or faulting hart drops any lr reservation
    if from_priv <= Priv.S and (deleg >> code) & 1:
        to_priv = Priv.S
        csr.sepc = epc
        csr.scause = xcause
        csr.stval = tval
        ms = csr.mstatus
        # SPIE <- SIE, SIE <- 0, SPP <- the mode we came from (1 bit: U or S).
        ms = (ms & ~(MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_SPP)) | ((ms & MSTATUS_SIE) << 4)
        if from_priv == Priv.S:
            ms |= MSTATUS_SPP
        csr.mstatus = ms
        tvec = csr.stvec
    else:
        to_priv = Priv.M
        csr.mepc = epc
        csr.mcause = xcause
        csr.mtval = tval
        ms = csr.mstatus
        # MPIE <- MIE, MIE <- 0, MPP <- the mode we came from.
        ms = (ms & ~(MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP)) | ((ms & MSTATUS_MIE) << 4)
        ms |= int(from_priv) << MSTATUS_MPP_SHIFT
        csr.mstatus = ms
        tvec = csr.mtvec
    base = tvec & ~3
    # Vectored mode (tvec[1:0] == 1) only moves interrupts: to base + 4 * cause.
    hart.pc = base + 4 * code if (interrupt and tvec & 3 == 1) else base
    hart.set_priv(to_priv)
    events = hart.machine.events
    if events.trap_subscribers:
        from oskit.machine.events import TrapEvent

        events.publish("trap", TrapEvent(hart.hartid, code, tval, epc, int(from_priv), int(to_priv), interrupt))


def pending_interrupt(hart) -> Interrupt | None:
    """The interrupt the hart must take now, or None (privileged spec v1.12, 3.1.9).

    An interrupt i is taken when it is pending (mip) and enabled (mie) and:
    - not delegated (goes to M): the hart runs below M, or in M with mstatus.MIE;
    - delegated in mideleg (goes to S): the hart runs in U, or in S with sstatus.SIE.
      A delegated interrupt is never taken while the hart runs in M-mode.
    Interrupts for M are taken before interrupts for S; within a level the
    order is INTERRUPT_PRIORITY.
    """
    csr = hart.csr
    pending = csr.effective_mip() & csr.mie
    if not pending:
        return None
    priv = hart.priv
    ms = csr.mstatus
    to_m = pending & ~csr.mideleg
    if to_m and (priv < Priv.M or ms & MSTATUS_MIE):
        for irq in INTERRUPT_PRIORITY:
            if (to_m >> irq) & 1:
                return irq
    to_s = pending & csr.mideleg
    if to_s and (priv < Priv.S or (priv == Priv.S and ms & MSTATUS_SIE)):
        for irq in INTERRUPT_PRIORITY:
            if (to_s >> irq) & 1:
                return irq
    return None
