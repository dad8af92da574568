"""Traps and interrupts: causes, tval, delegation, xRET, priorities and masking, WFI, TVM/TW/TSR, host calls."""

from __future__ import annotations

import pytest
from mc_asm import RAM, asm, boot

from oskit.machine.cpu import HostCallError
from oskit.machine.hostcall import HOSTCALL_BASE, JUMPED
from oskit.machine.trap import Cause, Interrupt, LoadPageFault, Priv

U, S, M = 0, 1, 3
MTVEC = RAM + 0x800
STVEC = RAM + 0xC00


def start(text: str, priv: int = M, **regs):
    """A hart about to run `text` at RAM in mode priv, with trap vectors set and registers given by ABI name."""
    m, h = boot(text)
    h.csr.write("mtvec", MTVEC)
    h.csr.write("stvec", STVEC)
    from mc_asm import REG

    for name, value in regs.items():
        h.x[REG[name]] = value
    h.priv = priv
    return m, h


def mtrap(h):
    return h.csr.read("mcause"), h.csr.read("mtval"), h.csr.read("mepc")


def strap(h):
    return h.csr.read("scause"), h.csr.read("stval"), h.csr.read("sepc")


@pytest.mark.parametrize("priv, cause", [(U, 8), (S, 9), (M, 11)])
def test_ecall_cause_depends_on_mode(priv, cause):
    """ecall traps to M with cause 8/9/11, tval 0, mepc = the ecall, MPP = the old mode."""
    m, h = start("ecall", priv)
    h.step()
    assert mtrap(h) == (cause, 0, RAM)
    assert (h.priv, h.pc, (h.csr.read("mstatus") >> 11) & 3) == (M, MTVEC, priv)


def test_delegated_ecall_from_user_goes_to_supervisor():
    """With medeleg bit 8, a U-mode ecall traps to S: scause/sepc/stval, SPP = U, SPIE = old SIE, SIE = 0."""
    m, h = start("ecall", U)
    h.csr.write("medeleg", 1 << 8)
    h.csr.write("sstatus", 1 << 1)  # SIE
    h.step()
    ss = h.csr.read("sstatus")
    assert strap(h) == (8, 0, RAM)
    assert (h.priv, h.pc) == (S, STVEC)
    assert (ss >> 8 & 1, ss >> 5 & 1, ss >> 1 & 1) == (0, 1, 0)
    assert h.csr.read("mcause") == 0


def test_delegation_never_lowers_the_mode():
    """An exception in M-mode goes to M even when medeleg delegates it."""
    m, h = start("ebreak", M)
    h.csr.write("medeleg", 1 << 3)
    h.step()
    assert mtrap(h) == (3, RAM, RAM)  # ebreak: tval = pc (choices.EBREAK_TVAL)
    assert h.priv == M


def test_mret_restores_mode_and_interrupt_enable():
    """mret: pc = mepc, mode = MPP, MIE = MPIE, MPIE = 1, MPP = U, and MPRV cleared when leaving M."""
    m, h = start("mret", M)
    h.csr.write("mepc", RAM + 0x40)
    h.csr.write("mstatus", (1 << 7) | (1 << 11) | (1 << 17))  # MPIE, MPP = S, MPRV
    h.step()
    ms = h.csr.read("mstatus")
    assert (h.pc, h.priv) == (RAM + 0x40, S)
    assert (ms >> 3 & 1, ms >> 7 & 1, ms >> 11 & 3, ms >> 17 & 1) == (1, 1, 0, 0)


def test_sret_restores_mode_and_interrupt_enable():
    """sret: pc = sepc, mode = SPP, SIE = SPIE, SPIE = 1, SPP = U."""
    m, h = start("sret", S)
    h.csr.write("sepc", RAM + 0x80)
    h.csr.write("sstatus", 1 << 5)  # SPIE, SPP = U
    h.step()
    ss = h.csr.read("sstatus")
    assert (h.pc, h.priv) == (RAM + 0x80, U)
    assert (ss >> 1 & 1, ss >> 5 & 1, ss >> 8 & 1) == (1, 1, 0)


@pytest.mark.parametrize(
    "text, priv, status",
    [("mret", S, 0), ("sret", U, 0), ("sret", S, 1 << 22), ("wfi", U, 0), ("wfi", S, 1 << 21),
     ("sfence.vma zero, zero", S, 1 << 20), ("sfence.vma zero, zero", U, 0), ("csrrs a0, satp, zero", S, 1 << 20),
     ("csrrs a0, mstatus, zero", S, 0), ("csrrs a0, sstatus, zero", U, 0), ("csrrw zero, mhartid, a0", M, 0),
     ("csrrs a0, 0x7a5, zero", M, 0)],
)  # fmt: skip
def test_privileged_instructions_out_of_reach_are_illegal(text, priv, status):
    """mret below M, sret in U or with TSR, wfi in U or with TW, TVM, CSRs above the mode or read-only: cause 2."""
    m, h = start(text, priv, a0=0x55)
    h.csr.write("mstatus", status)
    word = asm(text)[0]
    h.step()
    assert mtrap(h) == (2, word, RAM)
    assert h.x[10] == 0x55  # nothing written


@pytest.mark.parametrize(
    "text, cause",
    [("lh a1, 1(a0)", 4), ("lw a1, 2(a0)", 4), ("ld a1, 4(a0)", 4), ("sh a1, 1(a0)", 6), ("sw a1, 2(a0)", 6),
     ("sd a1, 4(a0)", 6), ("lr.w a1, (a2)", 4), ("sc.d a1, a3, (a2)", 6), ("amoadd.w a1, a3, (a2)", 6)],
)  # fmt: skip
def test_misaligned_accesses_trap_with_the_address(text, cause):
    """With trapping on, misaligned loads trap with 4, stores/sc/AMOs with 6, tval = the address, rd unchanged.

    (By default loads and stores are done by the hardware: test_misaligned.py.)
    """
    m, h = start(text, M, a0=RAM + 0x100, a1=0x77, a2=RAM + 0x102)
    m.misaligned_access_traps = True
    h.step()
    addr = {"(a2)": RAM + 0x102}.get(text[-4:], None)
    if addr is None:
        offset = int(text.split(",")[1].split("(")[0])
        addr = RAM + 0x100 + offset
    assert mtrap(h) == (cause, addr, RAM)
    assert h.x[11] == 0x77


def test_jump_to_misaligned_target_traps_at_the_jump():
    """jalr to an address that is 2 mod 4: cause 0, tval = the target, mepc = the jalr, ra unchanged."""
    m, h = start("jalr ra, 2(a0)", M, a0=RAM + 0x100, ra=5)
    h.step()
    assert mtrap(h) == (0, RAM + 0x102, RAM)
    assert h.x[1] == 5


def test_a_faulting_load_writes_no_register():
    """A load from an address where nothing answers is an access fault (5) and leaves rd (= rs1) intact."""
    m, h = start("ld a0, 8(a0)", M, a0=0x4000_0000)
    h.step()
    assert mtrap(h) == (5, 0x4000_0008, RAM)
    assert h.x[10] == 0x4000_0000


def test_fetch_where_nothing_answers_is_an_access_fault():
    """Jumping to an address outside RAM and devices traps with cause 1 and tval = that pc."""
    m, h = start("jalr zero, 0(a0)", M, a0=0x4000_0000)
    h.step()
    h.step()
    assert mtrap(h) == (1, 0x4000_0000, 0x4000_0000)


# -- interrupts --------------------------------------------------------------------------------


def pend(h, bits):
    h.csr.lines = 0
    for bit in bits:
        h.set_pending(bit, True)


def test_interrupt_priority_mei_msi_mti():
    """With MEI, MSI and MTI pending and enabled, MEI is taken first, then MSI, then MTI."""
    m, h = start("addi a0, a0, 1\n" * 4, M)
    h.csr.write("mie", (1 << 11) | (1 << 3) | (1 << 7))
    h.csr.write("mstatus", 1 << 3)
    pend(h, [3, 7, 11])
    h.step()
    assert h.csr.read("mcause") == (1 << 63) | Interrupt.MEI
    assert h.csr.read("mepc") == RAM  # nothing ran: the interrupt came first
    h.set_pending(11, False)
    h.csr.write("mstatus", 1 << 3)
    h.step()
    assert h.csr.read("mcause") == (1 << 63) | Interrupt.MSI
    h.set_pending(3, False)
    h.csr.write("mstatus", 1 << 3)
    h.step()
    assert h.csr.read("mcause") == (1 << 63) | Interrupt.MTI


def test_m_interrupts_masked_by_mie_only_in_m_mode():
    """In M-mode with MIE = 0 a pending MTI waits; in S-mode it is taken regardless of MIE."""
    m, h = start("addi a0, a0, 1\naddi a0, a0, 1", M)
    h.csr.write("mie", 1 << 7)
    pend(h, [7])
    h.step()
    assert (h.x[10], h.csr.read("mcause")) == (1, 0)
    h.priv = S
    h.step()
    assert (h.csr.read("mcause"), h.csr.read("mepc"), h.priv) == ((1 << 63) | 7, RAM + 4, M)


def test_delegated_interrupts_go_to_s_and_never_interrupt_m():
    """A delegated STI is not taken in M-mode, is taken in U-mode even with SIE = 0, and lands in S."""
    m, h = start("addi a0, a0, 1\naddi a0, a0, 1", M)
    h.csr.write("mideleg", 1 << 5)
    h.csr.write("mie", 1 << 5)
    h.csr.write("mstatus", (1 << 3) | (1 << 1))
    h.csr.write("mip", 1 << 5)  # STIP (written by M-mode: Sstc is off)
    h.step()
    assert h.x[10] == 1 and h.csr.read("scause") == 0
    h.priv = U
    h.csr.write("sstatus", 0)
    h.step()
    assert strap(h) == ((1 << 63) | 5, 0, RAM + 4)
    assert (h.priv, h.pc) == (S, STVEC)


def test_s_interrupts_in_s_mode_need_sie():
    """In S-mode a delegated interrupt waits while SIE = 0 and is taken once SIE = 1."""
    m, h = start("addi a0, a0, 1\naddi a0, a0, 1", S)
    h.csr.write("mideleg", 1 << 1)
    h.csr.write("mie", 1 << 1)
    h.csr.write("sip", 1 << 1)  # SSIP
    h.step()
    assert h.x[10] == 1
    h.csr.write("sstatus", 1 << 1)
    h.step()
    assert strap(h)[0] == (1 << 63) | 1


def test_vectored_mode_moves_interrupts_only():
    """With mtvec.MODE = 1 an interrupt jumps to base + 4 * cause, an exception to base."""
    m, h = start("ecall", U)
    h.csr.write("mtvec", MTVEC | 1)
    h.step()
    assert h.pc == MTVEC
    h.priv = U
    h.pc = RAM
    h.csr.write("mie", 1 << 7)
    pend(h, [7])
    h.step()
    assert h.pc == MTVEC + 4 * 7


def test_wfi_wakes_on_enabled_interrupt_even_with_global_enable_off():
    """wfi waits; a pending interrupt enabled in mie wakes it (MIE = 0: no trap), execution continues after wfi."""
    m, h = start("wfi\naddi a0, a0, 1", M)
    h.csr.write("mie", 1 << 7)
    assert h.run(10) == 1
    assert h.waiting
    assert h.run(10) == 0
    h.set_pending(7, True)
    h.run(1)
    assert (h.waiting, h.x[10], h.csr.read("mcause")) == (False, 1, 0)


def test_wfi_is_not_woken_by_a_disabled_interrupt():
    """An interrupt pending but not enabled in mie does not wake a waiting hart."""
    m, h = start("wfi\naddi a0, a0, 1", M)
    h.run(5)
    h.set_pending(3, True)
    assert h.run(5) == 0 and h.waiting


# -- host calls ---------------------------------------------------------------------------------


def test_hostcall_runs_in_s_mode_and_returns_to_ra():
    """Jumping to a host-call address in S-mode runs the Python function and continues at ra."""
    m, h = start("jalr ra, 0(a0)\naddi a1, a1, 1", S)
    calls = []
    h.x[10] = m.hostcalls.register("probe", lambda hart: calls.append(hart.x[11]))
    h.x[11] = 41
    h.run(3)
    assert calls == [41]
    assert h.x[11] == 42


def test_hostcall_from_user_mode_is_a_page_fault():
    """In U-mode the host-call range is an instruction page fault (12) with tval = the address."""
    m, h = start("jalr ra, 0(a0)", U)
    h.x[10] = m.hostcalls.register("probe", lambda hart: None)
    h.step()
    h.step()
    assert mtrap(h) == (12, h.x[10], h.x[10])


def test_hostcall_may_jump():
    """A host function that sets pc and returns JUMPED continues where it said."""
    m, h = start("jalr ra, 0(a0)", S)

    def jump(hart):
        hart.pc = RAM + 0x40
        return JUMPED

    h.x[10] = m.hostcalls.register("jump", jump)
    h.step()
    h.step()
    assert h.pc == RAM + 0x40


def test_call_runs_guest_code_and_restores_pc_and_ra():
    """hart.call runs a guest routine with arguments in a0.., returns a0, restores pc and ra."""
    m, h = start("add a0, a0, a1\njalr zero, 0(ra)", S)
    h.pc, h.x[1] = RAM + 0x100, 0x1234
    assert h.call(RAM, 40, 2) == 42
    assert (h.pc, h.x[1], h.priv) == (RAM + 0x100, 0x1234, S)


def test_trap_causes_are_named():
    """Cause and Interrupt name every code of the privileged spec that this machine raises."""
    assert Cause(13).name == "LOAD_PAGE_FAULT"
    assert [int(i) for i in Interrupt] == [1, 3, 5, 7, 9, 11]
    assert Priv.S == 1


def test_unregistered_hostcall_address_is_an_access_fault():
    """An address in the host-call range with no function is an instruction access fault (1)."""
    m, h = start("jalr ra, 0(a0)", S)
    h.x[10] = HOSTCALL_BASE + 0x1000
    h.step()
    h.step()
    assert mtrap(h) == (1, HOSTCALL_BASE + 0x1000, HOSTCALL_BASE + 0x1000)


def test_a_trap_escaping_a_host_function_is_a_host_error():
    """A Trap raised inside a host function is reported as a HostCallError, never taken by the guest."""
    m, h = start("jalr ra, 0(a0)", S)

    def bad(hart):
        raise LoadPageFault(0x1000)

    h.x[10] = m.hostcalls.register("bad", bad)
    h.step()
    with pytest.raises(HostCallError, match="'bad' let a guest trap escape"):
        h.step()


@pytest.mark.parametrize("priv, text, cause", [(S, "ld a1, 0(a0)", 5), (S, "sd a1, 0(a0)", 7),
                                               (U, "ld a1, 0(a0)", 13), (U, "sd a1, 0(a0)", 15)])
def test_data_access_to_the_hostcall_range_faults(priv, text, cause):
    """Loads and stores in the host-call range are access faults (page faults from U-mode), tval = the address."""
    m, h = start(text, priv, a0=HOSTCALL_BASE, a1=3)
    h.step()
    assert mtrap(h) == (cause, HOSTCALL_BASE, RAM)
    assert h.x[11] == 3


def test_amo_where_nothing_answers_is_a_store_access_fault():
    """An AMO to an address with no memory is a store/AMO access fault (7) with tval = the address."""
    m, h = start("amoadd.d a1, a2, (a0)", M, a0=0x4000_0000, a1=9)
    h.step()
    assert mtrap(h) == (7, 0x4000_0000, RAM)
    assert h.x[11] == 9
