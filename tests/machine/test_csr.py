"""CSRs: WARL fields, views (sstatus/sie/sip), counters and their enables, Sstc, satp modes, PMP storage."""

from __future__ import annotations

import pytest
from mc_asm import RAM, asm, boot

from oskit.machine import choices
from oskit.machine.csr import CSR_NUMBERS

U, S, M = 0, 1, 3
MTVEC = RAM + 0x800
M64 = (1 << 64) - 1


def run(text: str, priv: int = M, **csrs):
    """Run `text` (one step per instruction) in mode priv after writing the given CSRs."""
    m, h = boot(text)
    h.csr.write("mtvec", MTVEC)
    for name, value in csrs.items():
        h.csr.write(name, value)
    h.priv = priv
    for _ in asm(text):
        h.step()
    return m, h


def illegal(h) -> bool:
    return h.csr.read("mcause") == 2 and h.pc == MTVEC


def test_misa_reports_rv64imasu_and_ignores_writes():
    """misa reads MXL = 2 with A, I, M, S, U; csrw to it does not trap and changes nothing."""
    m, h = run("csrrw a0, misa, zero\ncsrrs a1, misa, zero")
    assert h.x[10] == h.x[11] == choices.MISA_VALUE
    letters = "".join(chr(65 + i) for i in range(26) if h.x[10] >> i & 1)
    assert (h.x[10] >> 62, letters) == (2, "AIMSU")


def test_identification_csrs():
    """mhartid is the hart's number; mvendorid, marchid, mimpid read 0."""
    m, h = run("csrrs a0, mhartid, zero\ncsrrs a1, mvendorid, zero\ncsrrs a2, marchid, zero\ncsrrs a3, mimpid, zero")
    assert h.x[10:14] == [0, 0, 0, 0]
    assert m.harts[0].csr.read("mhartid") == 0


def test_sstatus_is_a_view_of_mstatus():
    """sstatus shows only supervisor bits and a write to it changes only those."""
    m, h = boot("")
    h.csr.write("mstatus", (1 << 3) | (1 << 1) | (3 << 11) | (1 << 18))
    assert h.csr.read("sstatus") == (1 << 1) | (1 << 18) | (2 << 32)
    h.csr.write("sstatus", M64)
    ms = h.csr.read("mstatus")
    assert ms & ((1 << 3) | (3 << 11)) == (1 << 3) | (3 << 11)  # M bits untouched
    assert ms & ((1 << 1) | (1 << 5) | (1 << 8) | (1 << 18) | (1 << 19)) == (1 << 1) | (1 << 5) | (1 << 8) | (
        1 << 18) | (1 << 19)  # fmt: skip
    assert ms & ((3 << 13) | (1 << 63)) == 0  # FS and SD stay 0: no F extension


def test_mstatus_warl_fields():
    """MPP = 2 keeps the old MPP; UXL and SXL read 2 whatever is written."""
    m, h = boot("")
    h.csr.write("mstatus", 1 << 11)
    h.csr.write("mstatus", 2 << 11)
    ms = h.csr.read("mstatus")
    assert (ms >> 11 & 3, ms >> 32 & 3, ms >> 34 & 3) == (1, 2, 2)


def test_delegation_registers_keep_only_legal_bits():
    """mideleg keeps SSI/STI/SEI only; medeleg cannot delegate ecall from M (11)."""
    m, h = boot("")
    h.csr.write("mideleg", M64)
    h.csr.write("medeleg", M64)
    assert h.csr.read("mideleg") == (1 << 1) | (1 << 5) | (1 << 9)
    assert not h.csr.read("medeleg") >> 11 & 1
    assert h.csr.read("medeleg") >> 8 & 1 and h.csr.read("medeleg") >> 15 & 1


def test_sie_and_sip_show_only_delegated_bits():
    """sie/sip are mie/mip masked by mideleg; S-mode can set SSIP only when SSI is delegated."""
    m, h = boot("")
    h.csr.write("mie", (1 << 7) | (1 << 5) | (1 << 1))
    assert h.csr.read("sie") == 0
    h.csr.write("mideleg", (1 << 5) | (1 << 1))
    assert h.csr.read("sie") == (1 << 5) | (1 << 1)
    h.csr.write("sie", 0)
    assert h.csr.read("mie") == 1 << 7
    h.csr.write("sip", 1 << 1)
    assert h.csr.read("mip") == 1 << 1


def test_trap_vector_and_epc_warl():
    """mtvec modes 2/3 keep the old mode; mepc/sepc bits 1:0 read as zero."""
    m, h = boot("")
    h.csr.write("mtvec", RAM | 1)
    h.csr.write("mtvec", RAM + 0x100 | 2)
    assert h.csr.read("mtvec") == RAM + 0x100 | 1
    h.csr.write("mepc", RAM + 7)
    h.csr.write("sepc", RAM + 6)
    assert (h.csr.read("mepc"), h.csr.read("sepc")) == (RAM + 4, RAM + 4)


@pytest.mark.parametrize("mode, kept", [(0, True), (8, True), (9, False), (10, False), (1, False), (15, False)])
def test_satp_accepts_only_bare_and_sv39(mode, kept):
    """Writing satp with a mode other than Bare (0) or Sv39 (8) leaves satp unchanged."""
    m, h = boot("")
    old = (8 << 60) | (3 << 44) | 0x80010
    h.csr.write("satp", old)
    new = (mode << 60) | (7 << 44) | 0x80123
    h.csr.write("satp", new)
    assert h.csr.read("satp") == (new if kept else old)


def test_unimplemented_csr_is_illegal():
    """A CSR number this machine does not have (e.g. fcsr) is an illegal instruction with the bits in mtval."""
    m, h = run("csrrs a0, 0x003, zero")
    assert illegal(h) and h.csr.read("mtval") == asm("csrrs a0, 0x003, zero")[0]


def test_reading_a_read_only_csr_without_writing_is_fine():
    """csrrs with rs1 = x0 on a read-only CSR reads it; csrrw does not, even with x0."""
    m, h = run("csrrs a0, mhartid, zero")
    assert not illegal(h)
    m, h = run("csrrw zero, mhartid, zero")
    assert illegal(h)


@pytest.mark.parametrize(
    "priv, mcounteren, scounteren, ok",
    [(S, 0, 0, False), (S, 1, 0, True), (U, 1, 0, False), (U, 0, 1, False), (U, 1, 1, True), (M, 0, 0, True)],
)
def test_cycle_access_governed_by_counter_enables(priv, mcounteren, scounteren, ok):
    """cycle from S needs mcounteren.CY; from U it needs scounteren.CY too; M always may."""
    m, h = run("csrrs a0, cycle, zero", priv, mcounteren=mcounteren, scounteren=scounteren)
    assert illegal(h) != ok


def test_time_reads_mtime_and_counters_are_writable():
    """time reads the CLINT's mtime; writes to mcycle and minstret are what the next reads see."""
    m, h = boot("csrrs a0, time, zero\ncsrrw zero, minstret, a1\ncsrrs a2, minstret, zero\ncsrrs a3, instret, zero")
    m.clint.set_mtime(12345)
    h.x[11] = 1000
    for _ in range(4):
        h.step()
    assert (h.x[10], h.x[12], h.x[13]) == (12345, 1000, 1001)


def test_stimecmp_needs_stce_and_tm_from_s_mode():
    """S-mode may touch stimecmp only with menvcfg.STCE and mcounteren.TM; otherwise it is illegal."""
    m, h = run("csrrw zero, stimecmp, a0", S)
    assert illegal(h)
    m, h = run("csrrw zero, stimecmp, a0", S, menvcfg=1 << 63)
    assert illegal(h)
    m, h = run("csrrw zero, stimecmp, a0", S, menvcfg=1 << 63, mcounteren=2)
    assert not illegal(h)


def test_sstc_drives_stip_from_stimecmp():
    """With STCE, mip.STIP is set exactly while stimecmp <= mtime, and software cannot write it."""
    m, h = boot("")
    h.csr.write("menvcfg", 1 << 63)
    h.csr.write("stimecmp", 100)
    m.clint.set_mtime(99)
    assert not h.csr.read("mip") >> 5 & 1
    h.csr.write("mip", 1 << 5)
    assert not h.csr.read("mip") >> 5 & 1
    m.clint.set_mtime(100)
    assert h.csr.read("mip") >> 5 & 1
    h.csr.write("stimecmp", 101)
    assert not h.csr.read("mip") >> 5 & 1


def test_menvcfg_keeps_only_stce():
    """menvcfg: only STCE (bit 63) is implemented."""
    m, h = boot("")
    h.csr.write("menvcfg", M64)
    assert h.csr.read("menvcfg") == 1 << 63


def test_pmp_registers_keep_values_and_honour_lock():
    """pmpaddr keeps 54 bits, pmpcfg keeps bytes; a locked entry ignores writes (PMP itself not enforced)."""
    m, h = boot("")
    h.csr.write("pmpaddr0", M64)
    assert h.csr.read("pmpaddr0") == (1 << 54) - 1
    h.csr.write("pmpcfg0", 0x1F | 0x80)  # entry 0: NAPOT RWX, locked
    h.csr.write("pmpaddr0", 5)
    h.csr.write("pmpcfg0", 0)
    assert (h.csr.read("pmpaddr0"), h.csr.read("pmpcfg0")) == ((1 << 54) - 1, 0x9F)


def test_hpm_counters_read_zero():
    """mhpmcounter3..31 exist, read 0 and ignore writes."""
    m, h = run("csrrw a0, mhpmcounter3, a1\ncsrrs a2, mhpmcounter31, zero")
    assert not illegal(h)
    assert h.csr.read("mhpmcounter3") == 0


def test_raw_access_names_errors():
    """csr.read/write by an unknown name or a read-only CSR raise a clear ValueError."""
    m, h = boot("")
    with pytest.raises(ValueError, match="unknown CSR name 'mstatuss'"):
        h.csr.read("mstatuss")
    with pytest.raises(ValueError, match="read-only"):
        h.csr.write("mhartid", 1)


def test_csrrs_on_mip_does_not_latch_the_external_seip_line():
    """csrrs on mip reads SEIP including the PLIC line but sets only the bits asked for (spec 3.1.9)."""
    m, h = boot("csrrsi a0, mip, 2")
    h.set_pending(9, True)  # SEIP from the PLIC
    h.step()
    assert h.x[10] == 1 << 9
    h.set_pending(9, False)
    assert h.csr.read("mip") == 1 << 1


def test_zero_warl_csrs_exist():
    """mcountinhibit and senvcfg can be written without a trap and read 0."""
    m, h = boot("csrrw a0, mcountinhibit, a1\ncsrrw a2, senvcfg, a1\ncsrrs a3, senvcfg, zero")
    h.csr.write("mtvec", MTVEC)
    h.x[11] = 5
    for _ in range(3):
        h.step()
    assert h.pc == RAM + 12 and h.x[13] == 0


@pytest.mark.parametrize("name", sorted(CSR_NUMBERS, key=CSR_NUMBERS.get))
def test_every_listed_csr_is_readable_in_m_mode(name):
    """Every CSR in the table can be read by csrrs in M-mode (the table and the instruction agree)."""
    number = CSR_NUMBERS[name]
    m, h = run(f"csrrs a0, {number:#x}, zero")
    assert not illegal(h), name
    assert h.x[10] == h.csr.read(name) or name in ("cycle", "instret", "mcycle", "minstret")
