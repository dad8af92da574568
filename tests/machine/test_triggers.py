"""Debug triggers (Sdtrig, trigger.py): the CSRs' WARL rules, execute breakpoints, and both execution paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from mc_asm import RAM, asm, boot, load, machine

from oskit.machine.trigger import TYPE_DISABLED

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "bare" / "triggers.c"
M, S, U = 3, 1, 0
MC_M, MC_S, MC_U, MC_EXECUTE, MC_LOAD, MC_STORE = 1 << 6, 1 << 4, 1 << 3, 1 << 2, 1, 2
MCONTROL6, MCONTROL = 6 << 60, 2 << 60
MSTATUS_MIE = 1 << 3
PATHS = pytest.mark.parametrize("fast", [False, True], ids=["plain", "fast"])


@PATHS
def test_the_golden_program_prints_the_same_on_both_paths(fast):
    """tests/programs/bare/triggers.c (M-mode and delegated S-mode breakpoints) gives its .expected output."""
    from oskit.machine import Machine
    from oskit.toolchain import build

    elf = build([PROGRAM], mode="bare")
    m = Machine()
    image = m.load_elf(elf)
    h = m.harts[0]
    h.fast = fast
    result = m.run(max_instructions=1_000_000)
    expected = PROGRAM.with_suffix(".expected").read_text().partition("---\n")[2]
    assert (result.reason, result.exit_code) == ("exit", 0)
    assert m.uart.output.text == expected
    # Disarmed at the end, the loop (its head is just before bp_target) runs as a translated block again.
    assert (h.cached_block(image.symbols["bp_target"] - 4) is not None) == fast


# -- the CSRs ---------------------------------------------------------------------------------


def test_triggers_reset_disabled_and_tinfo_lists_the_types():
    """Every trigger starts disabled (type 15); tinfo: version 1, types 2, 6 and 15."""
    m, h = boot("ecall")
    for i in range(2):
        h.csr.write("tselect", i)
        assert h.csr.read("tdata1") == TYPE_DISABLED << 60
        assert h.csr.read("tinfo") == (1 << 24) | (1 << 2) | (1 << 6) | (1 << 15)


@pytest.mark.parametrize("written, read", [(0, 2), (1, 1), (2, 2), (7, 2), (2**64 - 1, 2)])
def test_tselect_beyond_the_triggers_reads_the_count(written, read):
    """tselect is WARL: a number at or past the 2 triggers reads back as 2, where there is no trigger."""
    m, h = boot("ecall")
    h.csr.write("tselect", 1)
    h.csr.write("tselect", written)
    assert h.csr.read("tselect") == (read if written else 0)
    if read == 2 and written:
        h.csr.write("tdata1", MCONTROL6 | MC_M | MC_EXECUTE)  # ignored: no trigger here
        h.csr.write("tdata2", 0x1234)
        assert (h.csr.read("tdata1"), h.csr.read("tdata2"), h.csr.read("tinfo")) == (0, 0, 1)


@pytest.mark.parametrize("written, read", [
    (MCONTROL6 | MC_M | MC_S | MC_U | MC_EXECUTE, MCONTROL6 | MC_M | MC_S | MC_U | MC_EXECUTE),
    (MCONTROL | MC_M | MC_EXECUTE, MCONTROL | MC_M | MC_EXECUTE),
    (MCONTROL6 | MC_M | MC_LOAD | MC_STORE, MCONTROL6 | MC_M),       # no load/store matching
    (MCONTROL6 | MC_M | MC_EXECUTE | (1 << 12), MCONTROL6 | MC_M | MC_EXECUTE),  # action 1: no Debug Mode
    (MCONTROL6 | MC_M | MC_EXECUTE | (1 << 59), MCONTROL6 | MC_M | MC_EXECUTE),  # dmode: no Debug Mode
    (MCONTROL6 | MC_M | MC_EXECUTE | (2 << 7), MCONTROL6 | MC_M | MC_EXECUTE),   # match >= : only ==
    (MCONTROL6 | (1 << 22), MCONTROL6 | (1 << 22)),                  # hit0 is writable (software clears it)
    (0, TYPE_DISABLED << 60),                                        # writing 0 disables
    (3 << 60 | MC_M, TYPE_DISABLED << 60),                           # icount: not implemented
])  # fmt: skip
def test_tdata1_keeps_only_what_the_hardware_does(written, read):
    """tdata1 is WARL: the fields we implement read back, the rest as 0; unknown types disable."""
    m, h = boot("ecall")
    h.csr.write("tdata1", written)
    assert h.csr.read("tdata1") == read
    h.csr.write("tdata3", 0xFFFF)
    assert h.csr.read("tdata3") == 0


@pytest.mark.parametrize("csr", ["tselect", "tdata1", "tdata2", "tdata3", "tinfo"])
def test_trigger_csrs_are_m_mode_only(csr):
    """From S-mode every trigger CSR is an illegal instruction (the spec keeps them for M and Debug Mode)."""
    m, h = boot(f"csrrs a0, {csr}, zero")
    h.csr.write("mtvec", RAM + 0x800)
    h.priv = S
    h.step()
    assert h.csr.read("mcause") == 2


# -- firing -----------------------------------------------------------------------------------

LOOP = """
    addi a1, a1, 2
    addi a1, a1, 1
    addi a0, a0, -1
    bne a0, zero, -12
    ecall
"""
HANDLER = RAM + 0x800  # skips the instruction that trapped and counts the traps in s11
SKIP = """
    csrrs t6, mepc, zero
    addi t6, t6, 4
    csrrw zero, mepc, t6
    addi s11, s11, 1
    csrrs t5, mstatus, zero
    ori t5, t5, 0x80
    csrrw zero, mstatus, t5
    mret
"""


def loop_machine(fast: bool, warm: bool):
    """The loop at RAM (a0 rounds), the handler at HANDLER; warm: run it once first so its block is hot."""
    m, h = boot(LOOP)
    load(m, asm(SKIP), HANDLER)
    h.csr.write("mtvec", HANDLER)
    h.fast = fast
    h.hot_threshold = 1
    if warm:
        h.x[10] = 20
        h.run(81)  # 20 rounds of 4 instructions, then the ecall (one step: a trap)
        assert h.pc == HANDLER
        h.pc = RAM
        h.x[11] = 0
    return m, h


@PATHS
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "hot"])
def test_an_execute_trigger_fires_before_its_instruction_every_round(fast, warm):
    """A trigger on the loop's second instruction: 5 breakpoints (cause 3, tval = epc = it), never executed."""
    m, h = loop_machine(fast, warm)
    h.csr.write("mstatus", MSTATUS_MIE)
    h.csr.write("tdata2", RAM + 4)
    h.csr.write("tdata1", MCONTROL6 | MC_M | MC_EXECUTE)
    h.x[10] = 5
    trapped = []
    m.events.subscribe("trap", lambda ev: trapped.append((ev.cause, ev.tval, ev.epc)))
    h.run(5 * 3 + 5 * (1 + 8) + 1)  # 5 rounds of 3 + (the breakpoint and 8 in the handler), the ecall
    assert trapped == [(3, RAM + 4, RAM + 4)] * 5 + [(11, 0, RAM + 16)]
    assert h.pc == HANDLER
    assert (h.x[11], h.x[27]) == (10, 5)  # 5 x "add 2", no "add 1"; 5 handler runs
    assert h.csr.read("tdata1") & (1 << 22)  # hit0


@PATHS
def test_a_breakpoint_outranks_the_fetch_fault_at_its_address(fast):
    """A trigger on an address where nothing answers fires instead of the instruction access fault."""
    m, h = boot("jalr ra, 0(a0)")
    h.csr.write("mtvec", HANDLER)
    h.csr.write("mstatus", MSTATUS_MIE)
    h.csr.write("tdata2", 0x4000_0000)
    h.csr.write("tdata1", MCONTROL6 | MC_M | MC_EXECUTE)
    h.x[10] = 0x4000_0000
    h.fast = fast
    h.run(2)
    assert (h.csr.read("mcause"), h.csr.read("mtval"), h.csr.read("mepc")) == (3, 0x4000_0000, 0x4000_0000)


@PATHS
def test_the_mode_bits_and_mie_decide(fast):
    """No breakpoint in M with only s/u set, nor with m set while mstatus.MIE = 0."""
    for mstatus, bits in ((MSTATUS_MIE, MC_S | MC_U), (0, MC_M)):
        m, h = loop_machine(fast, warm=True)
        h.csr.write("mstatus", mstatus)
        h.csr.write("tdata2", RAM + 4)
        h.csr.write("tdata1", MCONTROL6 | bits | MC_EXECUTE)
        h.x[10] = 5
        h.run(21)
        assert (h.pc, h.x[11], h.x[27]) == (HANDLER, 15, 0)


@PATHS
def test_disarming_brings_the_fast_path_back(fast):
    """While armed the page holding the trigger runs instruction by instruction; disarmed, as blocks again."""
    m, h = loop_machine(fast, warm=True)
    h.csr.write("mstatus", MSTATUS_MIE)
    h.csr.write("tdata2", RAM + 4)
    h.csr.write("tdata1", MCONTROL6 | MC_M | MC_EXECUTE)
    assert h.cached_block(RAM) is None  # the page is out of the fetch cache
    h.csr.write("tdata1", 0)
    h.x[10] = 5
    h.run(21)
    assert (h.pc, h.x[11]) == (HANDLER, 15)
    assert (h.cached_block(RAM) is not None) == fast


def test_a_trigger_on_another_page_leaves_this_one_fast():
    """Arming a trigger elsewhere does not slow down code on other pages: its block still runs."""
    m, h = loop_machine(fast=True, warm=True)
    h.csr.write("mstatus", MSTATUS_MIE)
    h.csr.write("tdata2", RAM + 0x10_0000)
    h.csr.write("tdata1", MCONTROL6 | MC_M | MC_EXECUTE)
    h.x[10] = 5
    h.run(21)
    assert (h.pc, h.x[11], h.x[27]) == (HANDLER, 15, 0)
    assert h.cached_block(RAM) is not None


def test_no_page_is_watched_at_reset():
    """Triggers are per hart and start disabled: no page is kept out of the fetch cache."""
    m = machine(harts=2)
    assert [h.triggers.execute_pages for h in m.harts] == [frozenset(), frozenset()]
