"""Every control-register write the kernel makes to a hart, in one place (machine-dependent).

Machine-independent code (the scheduler, exec, exit, the lab) never names a
CSR: it asks for an effect here ("run this thread's address space", "let S-mode
touch user pages"), and this module knows which bits of which RISC-V register
give it. FreeBSD keeps the same split: sys/riscv/include/cpufunc.h and
riscv/machdep.c hold the csr_write() calls, sys/kern/ holds none.

    firmware_init(hart)           what M-mode firmware (OpenSBI) leaves set up: delegation, Sstc, counters
    start_hart(hart, ...)         S-mode entry: stvec, sie, satp, sscratch, sstatus, first timer
    load_thread(hart, ...)        step 4 of a context switch: satp, sstatus.SPP/SPIE, stimecmp, sscratch
    switch_address_space(hart, satp)   satp only (exec, exit)
    post_ssip(hart) / clear_ssip(hart) a supervisor software interrupt (an IPI) raised / taken
    set_sum(hart, on)             sstatus.SUM: may S-mode load and store U pages?
    set_user_counters(hart, ...)  scounteren: which counters U-mode may read
    guest_call(hart, stvec)       the CSRs around a call into guest kernel code, restored after
    user_address_space(hart, satp)     the CSRs around a translation as another process sees it
    set_user_breakpoints(hart, addrs)  Sdtrig triggers: a breakpoint exception before U runs each address
"""

from __future__ import annotations

from contextlib import contextmanager

from oskit.machine.choices import TRIGGER_COUNT

# medeleg: every exception but the ecalls from S and M goes straight to S-mode.
MEDELEG = sum(1 << c for c in (0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15))
MIDELEG = (1 << 1) | (1 << 5) | (1 << 9)        # SSI, STI, SEI to S-mode
SIE_BITS = (1 << 1) | (1 << 5) | (1 << 9)       # sie: SSIE, STIE, SEIE
MENVCFG_STCE = 1 << 63                          # Sstc: S-mode owns stimecmp
SSTATUS_SIE = 1 << 1                            # S-mode interrupts enabled
SSTATUS_SPIE = 1 << 5                           # ...after the next sret
SSTATUS_SPP = 1 << 8                            # the privilege sret returns to: 1 = S, 0 = U
SSTATUS_SUM = 1 << 18                           # S-mode may load/store U pages
SIP_SSIP = 1 << 1                               # a supervisor software interrupt is pending
SIP_STIP = 1 << 5                               # a supervisor timer interrupt is pending
COUNTER_CY, COUNTER_TM, COUNTER_IR = 1 << 0, 1 << 1, 1 << 2   # xcounteren: cycle, time, instret
TRIGGERS = TRIGGER_COUNT - 1                    # hardware breakpoints the kernel offers: one trigger
#                                                 is kept to step over a breakpoint (kern/breakpoints.py)
# tdata1 of an Sdtrig mcontrol6 trigger: type 6, action 0 (breakpoint exception), match 0
# (address equal), u (fire in U-mode), execute (on running the instruction at tdata2)
TDATA1_EXEC_USER = (6 << 60) | (1 << 3) | (1 << 2)


def firmware_init(hart, sstc: bool = True) -> None:
    """Boot step 1, M-mode's part, done from Python instead of by SBI firmware.

    Exceptions and S interrupts are delegated to S-mode, but not ecall from S
    (an SBI call goes to the firmware); Sstc (``sstc``) lets the kernel program
    its own timer, else it asks the firmware (riscv/sbi.py); S-mode may read every counter, U-mode only ``time``
    (libc's clock_gettime needs it; cycle and instret would tell one process how
    much another computed: a covert channel, see the lab's covert_channel).
    """
    csr = hart.csr
    csr.write("medeleg", MEDELEG)
    csr.write("mideleg", MIDELEG)
    menvcfg = csr.read("menvcfg")
    csr.write("menvcfg", menvcfg | MENVCFG_STCE if sstc else menvcfg & ~MENVCFG_STCE)
    csr.write("mcounteren", COUNTER_CY | COUNTER_TM | COUNTER_IR)
    csr.write("scounteren", COUNTER_TM)


def start_hart(hart, stvec: int, satp: int, sscratch: int, timer: int, sbi=None) -> None:
    """Boot step 6: leave ``hart`` in S-mode as firmware's mret would, about to run the idle loop.

    Interrupts are on and the timer is due at ``timer`` (through ``sbi`` when given:
    riscv/sbi.py's SBI, else Sstc's stimecmp); the first trap lands at ``stvec``.
    """
    csr = hart.csr
    hart.priv = 1
    csr.write("stvec", stvec)
    csr.write("sie", SIE_BITS)
    csr.write("satp", satp)
    csr.write("sscratch", sscratch)
    csr.write("sstatus", csr.read("sstatus") | SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP)
    if sbi is not None:
        sbi.set_timer(hart, timer)
    else:
        csr.write("stimecmp", timer)


def load_thread(hart, satp: int, to_user: bool, timer: int, sscratch: int, sbi=None) -> None:
    """Step 4 of a context switch: the hart's next sret resumes the thread whose frame is at ``sscratch``.

    ``to_user``: sret goes to U-mode (a user thread) or stays in S-mode (the idle
    loop); either way interrupts come back on (SPIE). Only registers whose value
    changes are written: each write makes the hart re-check its state. With ``sbi``
    (timer="sbi"), the timer is an SBI set_timer: a trap to M-mode, so it is made only
    when the deadline changes or the last one has fired (STIP stays up until then).
    """
    csr = hart.csr
    if csr.read("satp") != satp:
        csr.write("satp", satp)
    sstatus = csr.read("sstatus")
    new = (sstatus & ~SSTATUS_SPP if to_user else sstatus | SSTATUS_SPP) | SSTATUS_SPIE
    if new != sstatus:
        csr.write("sstatus", new)
    if sbi is not None:
        if sbi.last_timer.get(hart.hartid) != timer or csr.read("sip") & SIP_STIP:
            sbi.set_timer(hart, timer)
    elif csr.read("stimecmp") != timer:
        csr.write("stimecmp", timer)
    csr.write("sscratch", sscratch)


def switch_address_space(hart, satp: int) -> None:
    """Make ``hart`` translate through the page table ``satp`` names (exec's new image, exit)."""
    hart.csr.write("satp", satp)


def post_ssip(hart, sbi=None) -> None:
    """Raise a supervisor software interrupt on ``hart``: it traps at its next instruction.

    With ``sbi`` (a kernel booted with ipi="sbi"), as a RISC-V kernel without Sswi does
    it: an SBI send_ipi from the hart the kernel runs on; the firmware stores to the
    CLINT's msip, the target takes MSI in M-mode and the firmware raises its SSIP.
    Without, this line plays that firmware's part directly.
    """
    if sbi is not None:
        machine = hart.machine
        sbi.send_ipi(machine.harts[machine.bus.current_hart], 1 << hart.hartid)
        return
    hart.csr.write("sip", hart.csr.read("sip") | SIP_SSIP)


def clear_ssip(hart) -> None:
    """The software interrupt was taken: clear it so it does not trap again."""
    hart.csr.write("sip", hart.csr.read("sip") & ~SIP_SSIP)


def set_sum(hart, on: bool) -> None:
    """Set or clear sstatus.SUM: whether S-mode loads and stores may touch U pages."""
    s = hart.csr.read("sstatus")
    hart.csr.write("sstatus", s | SSTATUS_SUM if on else s & ~SSTATUS_SUM)


def sum_is_set(hart) -> bool:
    return bool(hart.csr.read("sstatus") & SSTATUS_SUM)


def set_user_counters(hart, cycle: bool, instret: bool) -> None:
    """scounteren: U-mode may always read ``time``; ``cycle`` and ``instret`` only when asked."""
    hart.csr.write("scounteren", COUNTER_TM | (COUNTER_CY if cycle else 0) | (COUNTER_IR if instret else 0))


def trap_registers(hart) -> tuple[int, int, int]:
    """(scause, sepc, stval): what the hardware said about the trap being handled."""
    csr = hart.csr
    return csr.read("scause"), csr.read("sepc"), csr.read("stval")


def trapped_from_kernel(hart) -> bool:
    """Did the trap being handled come from S-mode (sstatus.SPP)?"""
    return bool(hart.csr.read("sstatus") & SSTATUS_SPP)


@contextmanager
def guest_call(hart, stvec: int, sum_on: bool | None = None):
    """Around a call into guest kernel code: traps go to ``stvec``, interrupts off, S-mode.

    Everything is restored afterwards, whatever happens inside. ``sum_on``
    (if not None) sets SUM for the call's length.
    """
    csr = hart.csr
    saved_stvec, saved_sstatus, saved_priv = csr.read("stvec"), csr.read("sstatus"), hart.priv
    csr.write("stvec", stvec)
    sstatus = saved_sstatus & ~SSTATUS_SIE                # kernel code runs with interrupts off
    if sum_on is not None:
        sstatus = sstatus | SSTATUS_SUM if sum_on else sstatus & ~SSTATUS_SUM
    csr.write("sstatus", sstatus)
    hart.priv = 1
    try:
        yield
    finally:
        csr.write("stvec", saved_stvec)
        csr.write("sstatus", saved_sstatus)
        hart.priv = saved_priv


@contextmanager
def user_address_space(hart, satp: int, sum_on: bool | None = None):
    """Around a translation of another address space's addresses: satp (and SUM) for a moment."""
    csr = hart.csr
    saved_satp, saved_sstatus = csr.read("satp"), csr.read("sstatus")
    if saved_satp != satp:
        csr.write("satp", satp)
    if sum_on is not None:
        csr.write("sstatus", saved_sstatus | SSTATUS_SUM if sum_on else saved_sstatus & ~SSTATUS_SUM)
    try:
        yield
    finally:
        if saved_satp != satp:
            csr.write("satp", saved_satp)
        if sum_on is not None:
            csr.write("sstatus", saved_sstatus)


def set_user_breakpoints(hart, addresses: list[int]) -> None:
    """Sdtrig: triggers 0.. fire before U-mode runs the instruction at each address; the rest off.

    (tselect/tdata1/tdata2 are M-mode CSRs: on hardware, firmware does this for the
    kernel, through SBI's debug-triggers extension.)
    """
    if len(addresses) > TRIGGERS + 1:
        raise ValueError(f"{len(addresses)} breakpoints asked for, the kernel uses {TRIGGERS + 1} triggers")
    csr = hart.csr
    for i in range(TRIGGERS + 1):
        csr.write("tselect", i)
        csr.write("tdata1", 0)                          # off while tdata2 changes
        if i < len(addresses):
            csr.write("tdata2", addresses[i])
            csr.write("tdata1", TDATA1_EXEC_USER)
